"""`open put_spread(...)` / `open call_spread(...)`: arguments per structure.

The structure names are also scenario keywords; tests/syntax checks both uses parse.
"""

from __future__ import annotations

from condorrules.check import check_source


def _codes(action: str) -> list[str]:
    result = check_source(f"rule r:\n    when vix > 20\n    then {action}\n")
    codes = [d.code for d in result.diagnostics]
    return codes


def test_put_spread_with_its_own_selector_is_clean() -> None:
    assert _codes("open put_spread(dte: 30d, put_delta: 0.2, put_wing: 25, risk: 1%)") == []


def test_put_spread_rejects_call_arguments() -> None:
    # Sorted by position: the missing selector is reported on the whole action, first.
    assert _codes("open put_spread(dte: 30d, call_delta: 0.2, wing: 25)") == ["E302", "E201"]


def test_call_spread_needs_a_wing() -> None:
    assert _codes("open call_spread(dte: 30d, short_delta: 0.2)") == ["E302"]
