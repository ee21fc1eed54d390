"""Speed work must not change a field: every field of a varied book is pinned against a stored copy.

The book mixes what the derivation treats differently: plain and quoted condors (marks, ivs,
open prices, a mark no volatility reproduces), verticals, a position expiring on the bar, a
calendar, a naked call, a debit spread; on a bar with VIX, without VIX, with one position and
with none. ``data/pinned_fields.json`` holds every field (unknown reasons included) and
``tasty_45dte.condor``'s decisions on those states, written with the code as it was before the
performance work of docs/performance.md; the values themselves are checked against hand
computations in the other tests here. Everything but floats must match exactly; floats to
1e-9 relative, because numpy's vectorised exp/log may differ in the last bit between CPUs.
Run this module as a script to rewrite the file after a change meant to alter a value, and
say why in the commit.
"""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import condorrules
from condorrules.fields import StateFields, Unknown, derive_fields

TASTY = Path(__file__).resolve().parents[2] / "rulesets" / "tasty_45dte.condor"
PINNED = Path(__file__).resolve().parent / "data" / "pinned_fields.json"


def leg(right: str, strike: float, expiry: str, qty: int, **quote: float) -> dict[str, Any]:
    return {"right": right, "strike": strike, "expiry": expiry, "qty": qty, **quote}


def condor(strikes: tuple[float, float, float, float], expiry: str, **quote: float) -> list[Any]:
    p_long, p_short, c_short, c_long = strikes
    return [
        leg("put", p_long, expiry, 1, **quote),
        leg("put", p_short, expiry, -1, **quote),
        leg("call", c_short, expiry, -1, **quote),
        leg("call", c_long, expiry, 1, **quote),
    ]


POSITIONS: list[dict[str, Any]] = [
    {"id": "plain", "opened": "2018-01-02", "credit": 6.0,
     "legs": condor((2500, 2550, 2900, 2950), "2018-02-16")},
    {"id": "marked", "opened": "2018-01-03", "credit": 5.5,
     "legs": condor((2550, 2600, 2850, 2900), "2018-02-16", mark=1.25)},
    {"id": "iv_quoted", "opened": "2018-01-04", "credit": 4.0, "realised_pnl": -120.0, "rolls": 1,
     "legs": [leg("put", 2450, "2018-03-16", 2, iv=0.21, open_price=1.1),
              leg("put", 2500, "2018-03-16", -2, iv=0.19, open_price=2.3),
              leg("call", 2950, "2018-03-16", -2, open_price=1.9),
              leg("call", 3000, "2018-03-16", 2)]},
    {"id": "put_spread", "opened": "2018-01-05", "credit": 2.0,
     "legs": [leg("put", 2600, "2018-01-26", 3), leg("put", 2650, "2018-01-26", -3)]},
    {"id": "call_spread", "opened": "2018-01-05", "credit": 1.5,
     "legs": [leg("call", 2760, "2018-01-19", -1), leg("call", 2800, "2018-01-19", 1)]},
    {"id": "expiring", "opened": "2017-12-01", "credit": 3.0,
     "legs": condor((2600, 2650, 2740, 2790), "2018-01-10")},
    {"id": "calendar", "opened": "2018-01-02", "credit": 1.0,
     "legs": [leg("put", 2600, "2018-02-16", 1), leg("put", 2650, "2018-01-19", -1)]},
    {"id": "naked_call", "opened": "2018-01-08", "credit": 3.2,
     "legs": [leg("call", 2900, "2018-02-02", -1)]},
    {"id": "debit", "opened": "2018-01-08", "credit": -2.5,
     "legs": [leg("call", 2750, "2018-02-16", 1), leg("call", 2800, "2018-02-16", -1)]},
    {"id": "impossible_mark", "opened": "2018-01-08", "credit": 4.0,
     "legs": [leg("put", 2500, "2018-02-16", 1, mark=3000.0), leg("put", 2550, "2018-02-16", -1)]},
    {"id": "bad_mark", "opened": "2018-01-08", "credit": 4.0,
     "legs": condor((2500, 2550, 2900, 2950), "2018-02-16", mark=0.0)},
]  # fmt: skip


def states() -> Iterator[dict[str, Any]]:
    base: dict[str, Any] = {
        "date": "2018-01-10", "spot": 2748.2, "open": 2740.0, "high": 2752.0, "low": 2735.5,
        "vix": 9.8, "positions": POSITIONS,
        "portfolio": {"equity": 250000, "cash": 180000, "peak_equity": 260000},
    }  # fmt: skip
    yield base
    yield {**base, "vix": None, "rate": 0.015, "div_yield": 0.019, "portfolio": None}
    yield {**base, "positions": POSITIONS[:1], "vix": 31.5}
    yield {**base, "positions": []}


def plain(value: Any) -> Any:
    """A field value as JSON: unknowns as their reason, dates as ISO text."""
    if isinstance(value, Unknown):
        return {"unknown": value.reason}
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)
    return value


def field_values(fields: StateFields) -> dict[str, Any]:
    values = {name: plain(value) for name, value in sorted(fields.portfolio.items())}
    for name in sorted(fields.columns):
        column = fields.columns[name]
        values[name] = [plain(column.at(row)) for row in range(len(fields.position_ids))]
    return values


def observed() -> dict[str, Any]:
    ruleset = condorrules.load(TASTY)
    return {
        "fields": [field_values(derive_fields(state)) for state in states()],
        "decisions": [
            json.loads(json.dumps(ruleset.evaluate(state).to_dict(), default=str))
            for state in states()
        ],
    }


def assert_close(actual: Any, expected: Any, path: str = "") -> None:
    """Exact equality except floats, which agree to 1e-9 relative (or 1e-12 absolute)."""
    if isinstance(expected, float) and isinstance(actual, float | int):
        assert math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-12), (path, actual, expected)
    elif isinstance(expected, dict) and isinstance(actual, dict):
        assert actual.keys() == expected.keys(), (path, sorted(actual), sorted(expected))
        for key in expected:
            assert_close(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list) and isinstance(actual, list):
        assert len(actual) == len(expected), (path, len(actual), len(expected))
        for index, (left, right) in enumerate(zip(actual, expected, strict=True)):
            assert_close(left, right, f"{path}[{index}]")
    else:
        assert actual == expected, (path, actual, expected)


def test_every_field_of_the_pinned_states_is_as_before() -> None:
    assert_close(observed()["fields"], json.loads(PINNED.read_text())["fields"], "fields")


def test_the_decisions_on_the_pinned_states_are_as_before() -> None:
    assert_close(observed()["decisions"], json.loads(PINNED.read_text())["decisions"], "decisions")


if __name__ == "__main__":
    PINNED.write_text(json.dumps(observed(), indent=1, sort_keys=True) + "\n")
