"""Scenarios (LANGUAGE.md §7) and `condorrules test`."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from typer.testing import CliRunner

from condorrules.cli import build_app
from condorrules.scenarios import run_file, run_paths

REPO = Path(__file__).resolve().parents[2]
SHARED_EXAMPLES = REPO.parent / "shared" / "spec" / "examples"
RULESETS = sorted((REPO / "rulesets").glob("*.condor"))
# Rule files of an outside review written against LANGUAGE.md (see tests/check/test_fixtures.py).
REVIEW_GOOD = sorted((REPO / "tests" / "check" / "fixtures" / "review_good").glob("*.condor"))

WRONG = """\
ruleset wrong
param profit_take = 50%
rule take_profit priority 100:
    when pnl_pct >= profit_take
    then close
scenario "a loser is wrongly expected to be closed":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 40%
    expect fires take_profit
"""

EXPECTATIONS = """\
ruleset kinds
rule shut priority 100:
    when pnl_pct >= 50%
    then close
rule nudge priority 10:
    when dte <= 60d
    then roll(side: put, short_delta: 0.2)
rule grow:
    when vix < 30
    then open iron_condor(dte: 30d, short_delta: 0.2, wing: 25)
rule note:
    when dte <= 60d
    then alert("inside sixty days")
guard calm: forbid open when vix > 25

scenario "winner closes, the roll is suppressed, the open is vetoed":
    at 2016-03-01
    market spot = 1980, vix = 28
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 55%
    expect action close
    expect suppressed nudge by shut
    expect vetoed grow by calm
    expect fires note

scenario "no winner: the roll is carried out with its arguments":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 10%
    expect action roll(side: put, short_delta: 0.2)
    expect action open iron_condor(dte: 30d)
    expect not fires shut

scenario "flat market, no position, vix high: nothing happens":
    at 2016-03-01
    market spot = 1980, vix = 35
    expect nothing
"""


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("path", RULESETS + REVIEW_GOOD, ids=lambda p: p.name)
def test_every_scenario_of_the_shipped_rulesets_passes(path: Path) -> None:
    results = run_file(path)
    failed = [(r.title, r.error, r.failures) for r in results if not r.passed]
    assert failed == []


@pytest.mark.skipif(not SHARED_EXAMPLES.is_dir(), reason="the shared spec folder is not here")
def test_condorrules_test_passes_on_the_spec_examples() -> None:
    code, output = run_cli("test", str(SHARED_EXAMPLES))
    assert code == 0, output
    assert output.count("PASS ") == 7
    assert "7 passed" in output.splitlines()[-1]


def test_a_wrong_expectation_fails_with_a_readable_explanation(tmp_path: Path) -> None:
    rules = tmp_path / "wrong.condor"
    rules.write_text(WRONG)
    code, output = run_cli("test", str(rules))
    assert code == 1
    lines = output.splitlines()
    assert lines[0] == f"FAIL {rules}:6  a loser is wrongly expected to be closed"
    assert f"    {rules}:11: expected fires take_profit" in lines
    assert "    but take_profit did not fire" in lines
    explanation = "\n".join(lines)
    assert "rule take_profit (priority 100) on position condor: does not fire" in explanation
    assert "pnl_pct >= profit_take = false" in explanation
    assert "pnl_pct = 0.4" in explanation and "profit_take = 0.5" in explanation
    assert lines[-1].startswith("0 passed, 1 failed in ")


def test_every_expectation_kind_is_checked(tmp_path: Path) -> None:
    rules = tmp_path / "kinds.condor"
    rules.write_text(EXPECTATIONS)
    results = run_file(rules)
    assert [(r.title[:10], r.passed, r.failures, r.error) for r in results] == [
        (r.title[:10], True, (), None) for r in results
    ]
    assert len(results) == 3


@pytest.mark.parametrize(
    ("wrong", "right"),
    [
        ("expect action close", "expect action resize(qty: 1)"),
        ("expect suppressed nudge by shut", "expect suppressed shut by nudge"),
        ("expect vetoed grow by calm", "expect vetoed note by calm"),
        ("expect fires note", "expect not fires note"),
        ("expect action roll(side: put, short_delta: 0.2)", "expect action roll(side: call)"),
        ("expect nothing", "expect action close"),
    ],
)
def test_each_expectation_kind_can_fail(tmp_path: Path, wrong: str, right: str) -> None:
    rules = tmp_path / "kinds.condor"
    rules.write_text(EXPECTATIONS.replace(wrong, right))
    failing = [r for r in run_file(rules) if not r.passed]
    assert len(failing) == 1
    (failure,) = failing[0].failures
    assert failure.expected == right.removeprefix("expect ").replace("(", "(", 1)


def test_k_selects_scenarios_by_title(tmp_path: Path) -> None:
    rules = tmp_path / "kinds.condor"
    rules.write_text(EXPECTATIONS)
    code, output = run_cli("test", str(tmp_path), "-k", "NO WINNER")
    assert code == 0
    assert output.count("PASS ") == 1 and "no winner" in output
    code, output = run_cli("test", str(tmp_path), "-k", "*nothing*")
    assert code == 0 and output.count("PASS ") == 1
    code, _ = run_cli("test", str(tmp_path), "-k", "matches nothing at all")
    assert code == 2


def test_junit_xml_has_one_testcase_per_scenario(tmp_path: Path) -> None:
    (tmp_path / "kinds.condor").write_text(EXPECTATIONS)
    (tmp_path / "wrong.condor").write_text(WRONG)
    report = tmp_path / "junit.xml"
    code, _ = run_cli("test", str(tmp_path), "--junit", str(report))
    assert code == 1
    root = ElementTree.parse(report).getroot()
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 4
    failures = [case for case in cases if case.find("failure") is not None]
    assert [case.get("name") for case in failures] == ["a loser is wrongly expected to be closed"]
    assert "expected fires take_profit" in (failures[0].find("failure").text or "")  # type: ignore[union-attr]


def test_files_without_scenarios_are_left_to_check_but_broken_files_with_scenarios_fail(
    tmp_path: Path,
) -> None:
    (tmp_path / "broken_no_scenarios.condor").write_text("rule r: when vixx > 1 then close\n")
    (skipped,) = run_paths([tmp_path])
    assert skipped.without_scenarios
    (tmp_path / "broken.condor").write_text(
        'rule r: when vixx > 1 then close\nscenario "s":\n  at 2018-01-02\n  market spot = 1\n'
        "  expect nothing\n"
    )
    code, output = run_cli("test", str(tmp_path))
    assert code == 1
    assert "ERROR" in output and "unknown name `vixx`" in output


def test_a_scenario_that_cannot_build_its_state_fails_with_the_reason(tmp_path: Path) -> None:
    rules = tmp_path / "nospot.condor"
    rules.write_text(
        'rule r: when vix > 1 then alert("x")\nscenario "s":\n  at 2018-01-02\n  expect nothing\n'
    )
    (result,) = run_file(rules)
    assert not result.passed
    assert result.error == "the scenario sets no spot: add `market spot = ...`"


def test_a_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _ = run_cli("test", str(tmp_path / "absent.condor"))
    assert code == 2


def test_expect_action_alert_matches_the_alerts_raised(tmp_path: Path) -> None:
    rules = tmp_path / "alerts.condor"
    rules.write_text(
        'rule hot: when vix > 30 then alert("vix is hot")\n'
        'scenario "hot":\n  at 2018-02-06\n  market spot = 2600, vix = 37\n'
        '  expect action alert("vix is hot")\n  expect nothing\n'
        'scenario "wrong text":\n  at 2018-02-06\n  market spot = 2600, vix = 37\n'
        '  expect action alert("vix is cold")\n'
    )
    hot, wrong = run_file(rules)
    assert hot.passed
    (failure,) = wrong.failures
    assert failure.happened == "no trade was carried out; alerts raised: 'vix is hot' by hot"


def test_scenario_values_may_be_arithmetic_of_literals_and_params(tmp_path: Path) -> None:
    rules = tmp_path / "math.condor"
    rules.write_text(
        "param level = 20\n"
        'rule hot: when vix > level then alert("hot")\n'
        'scenario "just above":\n  at 2018-02-06\n  market spot = 2600 * 1.01, vix = level + 0.5\n'
        "  expect fires hot\n"
        'scenario "pinned below":\n  at 2018-02-06\n  market spot = 2600, vix = 30\n'
        "  given vix = level - 1\n  expect not fires hot\n"
    )
    assert [r.passed for r in run_file(rules)] == [True, True]
