"""`condorrules test --events FILE`: event names from the user's calendar are known and dated."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RULES = """\
rule earnings_soon:
    when days_to(EARNINGS) <= 2
    then alert("earnings soon")

scenario "two days before earnings":
    at 2018-01-23
    market spot = 2800, vix = 11
    expect fires earnings_soon

scenario "a week before earnings":
    at 2018-01-18
    market spot = 2800, vix = 11
    expect not fires earnings_soon
"""


def run_test(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "condorrules", "test", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_user_events_make_their_names_known_and_dated(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(RULES)
    (tmp_path / "events.csv").write_text("date,event,note\n2018-01-25,EARNINGS,q4\n")
    result = run_test("rules.condor", "--events", "events.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout


def test_without_the_events_the_name_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(RULES)
    result = run_test("rules.condor", cwd=tmp_path)
    assert result.returncode == 1
    assert "E204" in result.stdout


def test_a_missing_events_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "rules.condor").write_text(RULES)
    result = run_test("rules.condor", "--events", "nope.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.csv" in result.stderr
