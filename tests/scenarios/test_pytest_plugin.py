"""The pytest plugin collects scenarios only when a project turns it on."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

GOOD = """\
rule take_profit priority 100:
    when pnl_pct >= 50%
    then close
scenario "winner is closed":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 55%
    expect fires take_profit
scenario "loser is closed (wrong on purpose)":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 5%
    expect fires take_profit
"""

pytestmark = pytest.mark.skipif(
    not any(ep.value == "condorrules.pytest_plugin" for ep in entry_points(group="pytest11")),
    reason="condorrules is not installed with its pytest11 entry point (pip install -e .)",
)


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args, str(folder)]
    return subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=120)


def test_rule_files_are_not_collected_unless_turned_on(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(GOOD)
    result = run_pytest(tmp_path)
    assert result.returncode == 5, result.stdout  # pytest: no tests collected


def test_with_the_option_each_scenario_is_an_item(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(GOOD)
    result = run_pytest(tmp_path, "--condor-scenarios", "-rA")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 passed" in result.stdout
    assert "PASSED rules.condor::winner is closed" in result.stdout
    assert "expected fires take_profit" in result.stdout
    assert "pnl_pct = 0.05" in result.stdout


def test_the_ini_setting_turns_it_on_and_k_selects(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(GOOD)
    (tmp_path / "pytest.ini").write_text("[pytest]\ncondor_scenarios = true\n")
    result = run_pytest(tmp_path, "-k", "winner")
    assert result.returncode == 0, result.stdout
    assert "1 passed, 1 deselected" in result.stdout


# The last step is cut short: parse-error recovery drops the whole scenario.
UNPARSED_SCENARIO = """\
rule o: when vix > 0 then open iron_condor(dte: 30d, short_delta: 0.2, wing: 25)
scenario "s":
    at 2018-01-10
    market spot = 2750, vix = 15
    expect fires
"""


def test_a_rule_file_with_errors_is_one_failing_item_with_the_diagnostics(tmp_path: Path) -> None:
    """Even when its only scenario does not parse (it used to be collected as nothing). As with
    `condorrules test`, a file named on the command line is always loaded; a file found in a
    folder is loaded only if it has a scenario written in it."""
    (tmp_path / "rules.condor").write_text(GOOD)
    (tmp_path / "se1.condor").write_text(UNPARSED_SCENARIO)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "found.condor").write_text("rule r: when vixx > 30 then close\n")
    (tmp_path / "bad" / "named.condor").write_text("rule r: when vixx > 30 then close\n")
    result = run_pytest(tmp_path, "--condor-scenarios", "-rA", "bad/named.condor")
    assert result.returncode == 1, result.stdout
    assert "3 failed, 1 passed" in result.stdout
    assert "FAILED se1.condor::load" in result.stdout
    assert "error[E100]: expected a name after `fires`, found the end of the file" in result.stdout
    assert "se1.condor:5:17" in result.stdout
    assert "FAILED bad/named.condor::load" in result.stdout
    assert "error[E200]: unknown name `vixx`" in result.stdout
    assert "= help: did you mean `vix`?" in result.stdout
    assert "found.condor" not in result.stdout
