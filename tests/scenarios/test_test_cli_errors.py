"""`condorrules test` never passes over a rule file with errors, and points at the step that
failed (regressions: a scenario that does not parse used to be dropped silently)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from condorrules.scenarios import has_scenarios, run_paths

GOOD = """\
rule hot: when vix > 30 then alert("vix is hot")
scenario "hot":
    at 2018-02-06
    market spot = 2600, vix = 37
    expect fires hot
scenario "calm":
    at 2018-02-06
    market spot = 2600, vix = 17
    expect not fires hot
"""

# The last step is cut short: parse-error recovery drops the whole scenario.
UNPARSED_SCENARIO = """\
rule o: when vix > 0 then open iron_condor(dte: 30d, short_delta: 0.2, wing: 25)
scenario "s":
    at 2018-01-10
    market spot = 2750, vix = 15
    expect fires
"""

# Parses; the checker rejects the expectation (E600, no such rule).
UNKNOWN_RULE = """\
rule hot: when vix > 30 then alert("vix is hot")
scenario "names a rule that does not exist":
    at 2018-02-06
    market spot = 2600, vix = 37
    expect fires nope
"""

# No scenario; a misspelt field (E200 with a `did you mean` help line).
TYPO_NO_SCENARIO = "rule r: when vixx > 30 then close\n"

WRONG = """\
rule hot: when vix > 30 then alert("vix is hot")
scenario "wrongly expected to fire":
    at 2018-02-06
    market spot = 2600, vix = 17
    expect fires hot
scenario "opened after its date":
    at 2018-01-10
    market spot = 2700, vix = 15
    condor 2500/2550/2900/2950 expiring 2018-02-16 credit 6.00 opened 2018-01-20
    expect nothing
"""


def condorrules_test(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "condorrules", "test", *args]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


def test_a_named_file_whose_scenario_does_not_parse_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "se1.condor").write_text(UNPARSED_SCENARIO)
    (tmp_path / "good.condor").write_text(GOOD)
    (tmp_path / "typo.condor").write_text(TYPO_NO_SCENARIO)
    result = condorrules_test(tmp_path, "se1.condor", "good.condor", "typo.condor")
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "ERROR se1.condor: the ruleset does not load" in lines
    assert "    error[E100]: expected a name after `fires`, found the end of the file" in lines
    assert "     --> se1.condor:5:17" in lines
    # a named file is loaded even without scenarios; its diagnostics keep their help line
    assert "ERROR typo.condor: the ruleset does not load" in lines
    assert "     --> typo.condor:1:14" in lines
    assert "      = help: did you mean `vix`?" in lines
    # the good file still runs
    assert "PASS good.condor:2  hot" in lines and "PASS good.condor:6  calm" in lines
    assert lines[-1].startswith("2 passed, 2 files with errors in ")


def test_files_found_in_a_folder(tmp_path: Path) -> None:
    """A found file with a scenario written is loaded (errors fail the run); a found file
    with no scenario is skipped, and the summary says so."""
    (tmp_path / "good.condor").write_text(GOOD)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "typo.condor").write_text(TYPO_NO_SCENARIO)
    (tmp_path / "bad" / "plain.condor").write_text("rule r: when vix > 30 then close\n")
    result = condorrules_test(tmp_path, ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("2 passed, 2 files without scenarios in ")
    assert "ERROR" not in result.stdout

    (tmp_path / "bad" / "unknown_rule.condor").write_text(UNKNOWN_RULE)
    report = tmp_path / "junit.xml"
    result = condorrules_test(tmp_path, ".", "--junit", str(report))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ERROR bad/unknown_rule.condor: the ruleset does not load" in result.stdout
    assert "error[E600]" in result.stdout and "bad/unknown_rule.condor:5:18" in result.stdout
    summary = "2 passed, 1 file with errors, 2 files without scenarios in "
    assert result.stdout.splitlines()[-1].startswith(summary)

    suites = ElementTree.parse(report).getroot().findall("testsuite")
    assert [suite.get("name") for suite in suites] == ["bad/unknown_rule.condor", "good.condor"]
    assert suites[0].get("errors") == "1" and suites[0].get("tests") == "1"
    (case,) = suites[0].findall("testcase")
    error = case.find("error")
    assert error is not None and "error[E600]" in (error.text or "")
    assert "bad/unknown_rule.condor:5:18" in (error.text or "")


def test_nothing_to_run_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = condorrules_test(tmp_path, "empty")
    assert result.returncode == 2
    assert result.stderr == "error: no .condor files found in the given paths\n"
    (tmp_path / "plain.condor").write_text("rule r: when vix > 30 then close\n")
    result = condorrules_test(tmp_path, "plain.condor")
    assert result.returncode == 2
    assert "error: no scenarios found in the given paths (1 .condor file)" in result.stderr


def test_failures_point_at_the_file_and_line_of_the_step(tmp_path: Path) -> None:
    (tmp_path / "wrong.condor").write_text(WRONG)
    result = condorrules_test(tmp_path, "wrong.condor")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert "FAIL wrong.condor:2  wrongly expected to fire" in lines
    assert "    wrong.condor:5: expected fires hot" in lines
    assert "    but hot did not fire" in lines
    assert "FAIL wrong.condor:6  opened after its date" in lines
    assert (
        "    wrong.condor:9: cannot build the scenario: invalid state: "
        "positions[0].opened 2018-01-20 is after the state's date 2018-01-10"
    ) in lines


def test_run_paths_reports_errors_whether_or_not_a_scenario_survived(tmp_path: Path) -> None:
    (tmp_path / "se1.condor").write_text(UNPARSED_SCENARIO)
    (tmp_path / "good.condor").write_text(GOOD)
    (tmp_path / "typo.condor").write_text(TYPO_NO_SCENARIO)
    good, broken, typo = run_paths([tmp_path])  # sorted by name
    assert broken.error is not None and "error[E100]" in broken.error
    assert [r.passed for r in good.results] == [True, True]
    assert typo.error is None and typo.without_scenarios  # found, not named: not loaded
    # -k: a broken file is still reported; left-out scenarios are counted
    good, broken, _ = run_paths([tmp_path], "calm")
    assert broken.error is not None
    assert [r.title for r in good.results] == ["calm"] and good.deselected == 1


def test_a_scenario_header_counts_even_when_it_does_not_parse() -> None:
    assert has_scenarios(UNPARSED_SCENARIO)
    assert has_scenarios("rule r: when vix > 1 then close\n  scenario oops\n")
    assert not has_scenarios("# scenario in a comment\nrule scenarios_x: when vix > 1 then close\n")
