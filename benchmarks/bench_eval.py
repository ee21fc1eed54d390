"""Evaluation benchmarks: per-state decisions, and market conditions over a million bars.

Run ``python benchmarks/bench_eval.py [--bars N] [--repeat R]``.

1. ``Ruleset.evaluate`` of ``rulesets/tasty_45dte.condor`` on a book of 20 iron condors:
   p50/p99 latency of the whole call (state validation, field derivation with Greeks, rule
   evaluation, decision), and of the decision alone on already-derived fields. The whole
   call is also timed in CPU time, which leaves out the time the process waited for a core
   (on a shared machine that waiting, not the code, makes the wall-clock p99).
2. The portfolio-scope (market) conditions of a ruleset with an indicator over N bars (default
   1,000,000), and those of ``tasty_45dte.condor`` (no indicator) on the same bars:
   the vectorised backend, hand-written numpy computing the same conditions with the same
   unknown handling (values and known masks; no reasons), and the per-row scalar backend
   (incremental indicators, one bar at a time) timed on 20,000 bars and scaled.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

import condorrules
from condorrules.compile.frame import Evaluation
from condorrules.compile.history import SeriesHistory
from condorrules.compile.vector import Bars, evaluate_columns
from condorrules.engine import ExecutionLog, decide
from condorrules.fields import StateFields
from condorrules.runtime import column
from condorrules.state import parse_state

ROOT = Path(__file__).resolve().parent.parent

MARKET_RULES = """\
ruleset market_conditions
param low_vix = 12
param high_vix = 40
let trend_up = spot > sma(spot, 50)
rule open_new:
    when weekday in [mon, wed, fri] and vix between low_vix and high_vix and trend_up
    then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)
guard panic: forbid open when vix > high_vix or change(vix, 1) > 5
"""


def book(size: int) -> dict[str, Any]:
    """A state with ``size`` iron condors spread over strikes and expiries."""
    positions = []
    for index in range(size):
        put = 2500 + 10 * (index % 10)
        call = 2900 + 10 * (index % 7)
        expiry = (datetime.date(2018, 2, 16) + datetime.timedelta(weeks=index % 6)).isoformat()
        legs = [
            {"right": "put", "strike": put - 50, "expiry": expiry, "qty": 1},
            {"right": "put", "strike": put, "expiry": expiry, "qty": -1},
            {"right": "call", "strike": call, "expiry": expiry, "qty": -1},
            {"right": "call", "strike": call + 50, "expiry": expiry, "qty": 1},
        ]
        positions.append(
            {"id": f"ic{index}", "opened": "2018-01-02", "credit": 5.0 + index % 4, "legs": legs}
        )
    return {
        "date": "2018-01-10",
        "spot": 2750,
        "vix": 14,
        "positions": positions,
        "portfolio": {"equity": 1_000_000},
    }


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return p50 * 1e3, p99 * 1e3


def bench_per_state(iterations: int) -> None:
    ruleset = condorrules.load(ROOT / "rulesets" / "tasty_45dte.condor")
    state = book(20)
    compiled = ruleset.compiled
    for _ in range(20):
        ruleset.evaluate(state)
    whole: list[float] = []
    whole_cpu: list[float] = []
    for _ in range(iterations):
        start, start_cpu = time.perf_counter(), time.process_time()
        ruleset.evaluate(state)
        whole.append(time.perf_counter() - start)
        whole_cpu.append(time.process_time() - start_cpu)
    parse: list[float] = []
    for _ in range(iterations):
        start = time.perf_counter()
        parse_state(state)
        parse.append(time.perf_counter() - start)
    fields = ruleset.fields(state)
    decision_only: list[float] = []
    for _ in range(iterations * 5):
        start = time.perf_counter()
        evaluation = Evaluation(fields, ruleset.market, len(compiled.lets))
        decide(compiled, evaluation, ExecutionLog())
        decision_only.append(time.perf_counter() - start)
    derive: list[float] = []
    model = parse_state(state)
    for _ in range(iterations):
        start = time.perf_counter()
        ruleset.fields(model)
        derive.append(time.perf_counter() - start)
    print("per-state evaluate, tasty_45dte.condor, 20 positions (ms)")
    for name, samples in (
        ("evaluate (validate + fields + decide)", whole),
        ("  the same, CPU time of this process", whole_cpu),
        ("  validate the state (parse_state)", parse),
        ("  derive_fields (validated state)", derive),
        ("  decide on derived fields", decision_only),
    ):
        p50, p99 = percentiles(samples)
        print(f"  {name:<40} p50 {p50:8.3f}  p99 {p99:8.3f}   n={len(samples)}")


def market_data(
    bars: int,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(7)
    dates = np.datetime64("1990-01-01") + np.arange(bars).astype("timedelta64[D]")
    spot = 2000.0 * np.exp(np.cumsum(rng.normal(0, 0.01, bars)))
    vix = np.clip(15 + np.cumsum(rng.normal(0, 0.5, bars)) % 40, 9, None)
    vix[rng.integers(0, bars, bars // 1000)] = np.nan  # some bars have no VIX
    return dates, spot, vix


def hand_written(
    dates: Any, spot: Any, vix: Any, sliding: bool = False
) -> dict[str, tuple[Any, Any]]:
    """The same conditions in plain numpy: (value, known) per condition, Kleene logic.

    The SMA by a running cumulative sum (fastest; its error grows along the series), or with
    ``sliding`` by a sum over each window (as accurate as the runtime's, which sums windows).
    """
    n = len(spot)
    weekday = (dates.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    is_day = (weekday == 0) | (weekday == 2) | (weekday == 4)
    vix_known = ~np.isnan(vix)
    between = (vix >= 12) & (vix <= 40)
    sma = np.full(n, np.nan)
    if sliding:
        sma[49:] = np.lib.stride_tricks.sliding_window_view(spot, 50).sum(axis=1) / 50
    else:
        sums = np.cumsum(spot)
        sma[49:] = (sums[49:] - np.concatenate(([0.0], sums[:-50]))) / 50
    trend_known = ~np.isnan(sma)
    trend = spot > sma
    # and(a, b, c): false where any operand is known false; known where all known or any false
    any_false = ~is_day | (vix_known & ~between) | (trend_known & ~trend)
    all_known = vix_known & trend_known
    open_value = all_known & ~any_false
    open_known = all_known | any_false
    change = np.full(n, np.nan)
    change[1:] = vix[1:] - vix[:-1]
    change_known = ~np.isnan(change)
    high = vix_known & (vix > 40)
    jump = change_known & (change > 5)
    panic_value = high | jump
    panic_known = panic_value | (vix_known & change_known)
    return {"open_new": (open_value, open_known), "panic": (panic_value, panic_known)}


def per_row_seconds(ruleset: condorrules.Ruleset, dates: Any, spot: Any, vix: Any) -> float:
    """The scalar backend one bar at a time (incremental indicators), on these bars."""
    compiled = ruleset.compiled
    history = SeriesHistory(compiled.series_nodes())
    rule = compiled.rules[0].condition
    guard = compiled.guards[0].condition
    start = time.perf_counter()
    for index in range(len(spot)):
        day = dates[index].astype(datetime.date)
        level = vix[index]
        portfolio = {
            "date": day,
            "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()],
            "spot": float(spot[index]),
            "vix": float(level) if level == level else condorrules.fields.Unknown("no VIX"),
        }
        fields = StateFields(portfolio, {}, (), {})  # type: ignore[arg-type]
        evaluation = Evaluation(fields, ruleset.market, len(compiled.lets), None, history)
        history.advance(evaluation)
        rule.evaluate(evaluation.portfolio)
        guard.evaluate(evaluation.portfolio)
    return time.perf_counter() - start


def bench_vector(bars: int, repeat: int) -> None:
    ruleset = condorrules.load(MARKET_RULES)
    dates, spot, vix = market_data(bars)
    columns = Bars.from_arrays(dates, spot, vix=vix, model=ruleset.market)
    times: dict[str, list[float]] = {k: [] for k in ("vector", "fast", "numpy", "sliding")}
    for _ in range(repeat):
        start = time.perf_counter()
        result = evaluate_columns(ruleset.compiled, columns, ruleset.market)
        times["vector"].append(time.perf_counter() - start)
        start = time.perf_counter()
        evaluate_columns(ruleset.compiled, columns, ruleset.market, reasons=False)
        times["fast"].append(time.perf_counter() - start)
        start = time.perf_counter()
        reference = hand_written(dates, spot, vix)
        times["numpy"].append(time.perf_counter() - start)
        start = time.perf_counter()
        hand_written(dates, spot, vix, sliding=True)
        times["sliding"].append(time.perf_counter() - start)
    for name, found in (("open_new", result.rules["open_new"]), ("panic", result.guards["panic"])):
        value, known = reference[name]
        assert np.array_equal(found.known, known), name
        assert np.array_equal(found.values & found.known, value & known), name
    rows = min(bars, 20_000)
    per_row = per_row_seconds(ruleset, dates[:rows], spot[:rows], vix[:rows]) / rows
    best = {name: min(samples) for name, samples in times.items()}
    base = best["numpy"]
    print(f"market conditions over {bars:,} bars (best of {repeat}; ratio to numpy, cumsum SMA)")
    lines = (
        ("vectorised backend, with reasons", best["vector"]),
        ("vectorised backend, reasons=False", best["fast"]),
        ("hand-written numpy, cumsum SMA", best["numpy"]),
        ("hand-written numpy, window-sum SMA", best["sliding"]),
        (f"per-row scalar backend ({rows:,} bars)", per_row * bars),
    )
    for name, seconds in lines:
        print(
            f"  {name:<38} {seconds * 1e3:10.1f} ms {seconds / bars * 1e9:9.1f} ns/bar"
            f" {seconds / base:8.2f}x"
        )
    print(
        f"  vectorised (reasons=False) vs window-sum numpy: {best['fast'] / best['sliding']:.2f}x"
    )


def bench_tasty_market(bars: int, repeat: int) -> None:
    """tasty_45dte.condor's portfolio-scope rule as written (open_new), no indicator in it;
    ``portfolio.open_positions`` comes from the (here random) simulated book."""
    ruleset = condorrules.load(ROOT / "rulesets" / "tasty_45dte.condor")
    dates, spot, vix = market_data(bars)
    rng = np.random.default_rng(11)
    open_positions = rng.integers(0, 5, bars).astype(np.float64)
    extra = {"portfolio.open_positions": column(open_positions)}
    columns = Bars.from_arrays(dates, spot, vix=vix, extra=extra, model=ruleset.market)
    times: dict[str, list[float]] = {"vector": [], "fast": [], "numpy": []}
    for _ in range(repeat):
        start = time.perf_counter()
        result = evaluate_columns(ruleset.compiled, columns, ruleset.market).rules["open_new"]
        times["vector"].append(time.perf_counter() - start)
        start = time.perf_counter()
        evaluate_columns(ruleset.compiled, columns, ruleset.market, reasons=False)
        times["fast"].append(time.perf_counter() - start)
        start = time.perf_counter()
        weekday = (dates.astype(np.int64) + 3) % 7
        is_day = (weekday == 0) | (weekday == 2) | (weekday == 4)
        vix_known = ~np.isnan(vix)
        between = vix_known & (vix >= 12) & (vix <= 40)
        any_false = ~(open_positions < 3) | ~is_day | (vix_known & ~between)
        value, known = vix_known & ~any_false, vix_known | any_false
        times["numpy"].append(time.perf_counter() - start)
    assert np.array_equal(result.known, known) and np.array_equal(result.values, value)
    best = {name: min(samples) for name, samples in times.items()}
    print(f"tasty_45dte open_new over {bars:,} bars (best of {repeat})")
    for name, label in (
        ("vector", "vectorised backend, with reasons"),
        ("fast", "vectorised backend, reasons=False"),
        ("numpy", "hand-written numpy"),
    ):
        seconds = best[name]
        print(
            f"  {label:<38} {seconds * 1e3:10.1f} ms {seconds / bars * 1e9:9.1f} ns/bar"
            f" {seconds / best['numpy']:8.2f}x"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bars", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--iterations", type=int, default=300)
    arguments = parser.parse_args()
    bench_per_state(arguments.iterations)
    bench_vector(arguments.bars, arguments.repeat)
    bench_tasty_market(arguments.bars, arguments.repeat)


if __name__ == "__main__":
    main()
