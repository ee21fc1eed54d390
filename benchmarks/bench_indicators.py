"""Runtime throughput: indicators over 1,000,000 bars, per-bar incremental updates, and masked
operators against hand-written numpy doing the same unknown handling.

Run: ``python benchmarks/bench_indicators.py``. Baselines: pandas' rolling/ewm for the
indicators (no unknown-restart rule, no reasons), plain numpy for the operators.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd

from condorrules.runtime import column, incremental, indicators, known, vector

BARS = 1_000_000


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """Best wall time of ``repeats`` runs, in seconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def report(name: str, ours: float, baseline: float | None = None) -> None:
    line = f"{name:<34} {ours * 1e3:8.1f} ms  {ours / BARS * 1e9:6.1f} ns/bar"
    if baseline is not None:
        line += f"   pandas {baseline * 1e3:7.1f} ms  ratio {ours / baseline:4.1f}x"
    print(line)


def bench_batch(prices: np.ndarray) -> None:
    data = column(prices, reason="no close")
    series = pd.Series(prices)
    cases: list[tuple[str, Callable[[], object], Callable[[], object] | None]] = [
        ("sma(x, 20)", lambda: indicators.sma(data, 20), lambda: series.rolling(20).mean()),
        ("sma(x, 200)", lambda: indicators.sma(data, 200), lambda: series.rolling(200).mean()),
        ("ema(x, 20)", lambda: indicators.ema(data, 20), lambda: series.ewm(span=20).mean()),
        ("rsi(x, 14)", lambda: indicators.rsi(data, 14), None),
        ("macd(x)", lambda: indicators.macd(data), None),
        ("stdev(x, 20)", lambda: indicators.stdev(data, 20), lambda: series.rolling(20).std()),
        ("bbands(x, 20)", lambda: indicators.bbands(data, 20), None),
        ("hv(x, 20)", lambda: indicators.hv(data, 20), None),
        (
            "highest(x, 252)",
            lambda: indicators.highest(data, 252),
            lambda: series.rolling(252).max(),
        ),
        (
            "rank(x, 252)",
            lambda: indicators.rank(data, 252),
            lambda: series.rolling(252).rank(method="min"),
        ),
        ("iv_rank(x, 252)", lambda: indicators.iv_rank(data, 252), None),
        ("pct_change(x, 5)", lambda: indicators.pct_change(data, 5), lambda: series.pct_change(5)),
    ]
    for name, ours, theirs in cases:
        report(name, best_of(2, ours), best_of(2, theirs) if theirs else None)


def bench_incremental(prices: np.ndarray) -> None:
    bars = [known(float(p)) for p in prices[:100_000]]
    for name, factory in (
        ("Sma(20)", lambda: incremental.Sma(20)),
        ("Ema(20)", lambda: incremental.Ema(20)),
        ("Rsi(14)", lambda: incremental.Rsi(14)),
        ("Stdev(20)", lambda: incremental.Stdev(20)),
        ("Highest(252)", lambda: incremental.Highest(252)),
        ("Rank(252)", lambda: incremental.Rank(252)),
    ):
        indicator = factory()

        def feed(indicator: object = indicator) -> None:
            update = indicator.update  # type: ignore[attr-defined]
            for bar in bars:
                update(bar)

        elapsed = best_of(1, feed)
        print(f"incremental {name:<22} {elapsed / len(bars) * 1e6:6.2f} µs/update")


def bench_operators(prices: np.ndarray, vix: np.ndarray) -> None:
    """``vix between 14 and 35 and not (spot < sma20)`` with masks, ours vs hand numpy."""
    spot, volatility = column(prices), column(vix)
    average = indicators.sma(spot, 20).without_reasons()

    def ours() -> object:
        calm = vector.between(volatility, known(14.0), known(35.0))
        return vector.and_(calm, vector.not_(vector.lt(spot, average)))

    def hand() -> object:
        v, s, a = vix, prices, average.values
        vk, sk, ak = ~np.isnan(v), ~np.isnan(s), average.known
        calm_value = (v >= 14) & (v <= 35) & vk
        calm_false = vk & ~calm_value
        below_known = sk & ak
        above_value = ~(s < a) & below_known
        false = calm_false | (below_known & ~above_value)
        value = calm_value & above_value
        return value, value | false

    ours_time, hand_time = best_of(3, ours), best_of(3, hand)
    print(
        f"condition (between/and/not/<)      {ours_time * 1e3:8.1f} ms   hand numpy "
        f"{hand_time * 1e3:6.1f} ms  ratio {ours_time / hand_time:4.1f}x"
    )


def main() -> None:
    rng = np.random.default_rng(7)
    prices = np.round(2500 * np.exp(np.cumsum(rng.normal(0, 0.01, BARS))), 2)
    prices[rng.choice(BARS, 100, replace=False)] = np.nan
    vix = np.abs(rng.normal(18, 6, BARS))
    vix[rng.choice(BARS, 1000, replace=False)] = np.nan
    print(f"{BARS:,} bars, 100 unknown closes")
    bench_batch(prices)
    bench_incremental(prices)
    bench_operators(prices, vix)


if __name__ == "__main__":
    main()
