"""Market model throughput: the volatility surface and event distances over replay-sized arrays.

Run: ``python benchmarks/bench_market.py``. The baseline is a flat-vol lookup (one multiply), so the
ratio shows what the smile and term structure cost per leg.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from condorrules.market import EventCalendar, VolatilityModel


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Best wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(1)
    n = 1_000_000
    spot = np.full(n, 2700.0)
    strike = rng.uniform(2000, 3200, n)
    t = rng.uniform(0, 0.5, n)
    vix = rng.uniform(9, 40, n)
    model = VolatilityModel()
    ours = best_of(3, lambda: model.implied_vol(spot, strike, t, vix, rate=0.02, div=0.019))
    flat = best_of(3, lambda: vix * 0.0087)
    print(f"volatility model, {n:,} legs: {ours / n * 1e9:7.1f} ns/leg")
    print(f"flat-vol baseline:            {flat / n * 1e9:7.1f} ns/leg  (ratio {ours / flat:.1f}x)")

    events = EventCalendar.default()
    dates = np.datetime64("2014-01-01") + np.arange(n) % 4000
    series = best_of(3, lambda: events.days_to_series("FOMC", dates))
    print(f"days_to(FOMC), {n:,} dates:  {series / n * 1e9:7.1f} ns/date")


if __name__ == "__main__":
    main()
