"""Field derivation cost: one state of 20 iron condors, and one position over many bars.

Run: ``python benchmarks/bench_fields.py``. Prints p50/p99 of ``derive_fields`` for a 20-position
state (all fields, and only the fields ``rulesets/tasty_45dte.condor`` reads), and the cost per
row of ``position_columns`` for one condor over 100,000 bars (the replay path).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from condorrules.fields import LegBook, MarketRows, derive_fields, position_columns
from condorrules.market import MarketModel
from condorrules.state import parse_state

TASTY_FIELDS = (
    "pnl_pct", "dte", "tested", "short_put.delta", "short_call.delta",
    "portfolio.open_positions", "weekday", "vix",
)  # fmt: skip


def book_of(count: int) -> dict[str, Any]:
    """A state with ``count`` iron condors at staggered strikes."""

    def leg(right: str, strike: float, qty: int) -> dict[str, Any]:
        return {"right": right, "strike": strike, "expiry": "2018-02-16", "qty": qty}

    positions = [
        {
            "id": f"ic{i}",
            "opened": "2018-01-02",
            "credit": 6.0,
            "legs": [
                leg("put", 2500 - 5 * i, 1),
                leg("put", 2550 - 5 * i, -1),
                leg("call", 2900 + 5 * i, -1),
                leg("call", 2950 + 5 * i, 1),
            ],
        }
        for i in range(count)
    ]
    return {"date": "2018-01-10", "spot": 2750, "vix": 12, "positions": positions,
            "portfolio": {"equity": 100000}}  # fmt: skip


def percentiles(repeats: int, work: Callable[[], object]) -> tuple[float, float]:
    """p50 and p99 wall time of ``repeats`` runs, in microseconds."""
    for _ in range(10):
        work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    p50, p99 = np.percentile(times, [50, 99]) * 1e6
    return float(p50), float(p99)


def main() -> None:
    model = MarketModel.default()
    document = book_of(20)
    state = parse_state(document)
    for label, work in (
        ("parse_state, 20 positions", lambda: parse_state(document)),
        ("derive_fields, all fields", lambda: derive_fields(state, model)),
        ("derive_fields, tasty_45dte's fields", lambda: derive_fields(state, model, TASTY_FIELDS)),
    ):
        p50, p99 = percentiles(500, work)
        print(f"{label:40s} p50 {p50:7.0f} us   p99 {p99:7.0f} us")

    n = 100_000
    rng = np.random.default_rng(1)
    book = LegBook.from_positions(state.positions[:1]).take(np.zeros(n, dtype=np.int64))
    dates = np.datetime64("2018-01-02") + np.arange(n) % 45
    rows = MarketRows.from_series(dates, rng.normal(2750, 60, n), rng.uniform(10, 30, n), model)
    best = min(_timed(lambda: position_columns(book, rows, model)) for _ in range(3))
    print(f"position_columns, all fields, {n:,} rows:  {best / n * 1e6:6.2f} us/row")


def _timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
