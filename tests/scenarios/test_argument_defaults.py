"""`expect action` compares arguments with the catalogue's defaults filled in."""

from __future__ import annotations

from pathlib import Path

from condorrules.scenarios import run_file

RULES = """rule o: when vix > 0 then open put_spread(dte: 30d, short_delta: 0.2, wing: 25)
scenario "the default size is one contract":
    at 2018-01-10
    market spot = 2750, vix = 15
    expect action open put_spread(qty: 1)
scenario "two contracts are not the default":
    at 2018-01-10
    market spot = 2750, vix = 15
    expect action open put_spread(qty: 2)
"""


def test_an_expected_default_argument_matches_a_rule_that_leaves_it_out(tmp_path: Path) -> None:
    path = tmp_path / "defaults.condor"
    path.write_text(RULES)
    outcomes = {result.title: result.passed for result in run_file(path)}
    assert outcomes == {
        "the default size is one contract": True,
        "two contracts are not the default": False,
    }
