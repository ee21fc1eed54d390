"""The series functions of LANGUAGE.md §5 over a whole history of bars (vectorised).

Each function takes :class:`Column` inputs (one value per bar, oldest first) and returns a
column of the same length. Definitions, warm-up lengths and unknown handling are in
``docs/indicators.md``; :mod:`.incremental` computes the same values one bar at a time.

Unknown inputs, in one rule: a numeric indicator at bar t is computed from the run of
consecutive known (finite) inputs ending at t, and is unknown until that run is as long as
its warm-up needs. An unknown input therefore restarts windows and recursions (EMA, RSI,
MACD re-seed with an SMA after it). The boolean window functions (``held``, ``within``,
``crosses_*``, ``bars_since``) use Kleene logic over their window instead.

``label`` is how the call is named in reasons (the compiler passes the source text, e.g.
``"rsi(spot, 14)"``); by default a generic ``rsi(x, 14)``.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray
from scipy.ndimage import maximum_filter1d, minimum_filter1d
from scipy.signal import lfilter

from condorrules.constants import TRADING_DAYS_PER_YEAR
from condorrules.runtime import vector
from condorrules.runtime._exact import window_means
from condorrules.runtime._reasons import ReasonBuilder
from condorrules.runtime._series import (
    check_window,
    default_label,
    exact_mean,
    flat_reason,
    history_reason,
    never_true_reason,
    no_change_reason,
    unknown_bar_reason,
    warmup_reason,
)
from condorrules.runtime.values import BoolArray, Column, FloatArray, Value

_CHUNK_ROWS = 1 << 15
"""Rows of a sliding window processed at once where a temporary copy is needed."""

IntArray = NDArray[np.int64]


class Macd(NamedTuple):
    """``macd(...)`` fields: ``.line``, ``.signal``, ``.hist``."""

    line: Column
    signal: Column
    hist: Column


class BollingerBands(NamedTuple):
    """``bbands(...)`` fields: ``.upper``, ``.mid``, ``.lower``."""

    upper: Column
    mid: Column
    lower: Column


# -- plumbing ----------------------------------------------------------------------------


def _numeric(x: Column, name: str) -> Column:
    """The input with infinities made unknown (an indicator needs finite numbers)."""
    if x.is_bool:
        raise TypeError(f"{name} takes a number series, not a condition")
    finite = np.isfinite(x.values)
    if np.array_equal(finite, x.known):
        return x
    return Column(np.where(finite, x.values, np.nan), finite, x.reasons)


def _complete(known: BoolArray, need: int) -> BoolArray:
    """Bars that end a run of at least ``need`` consecutive known inputs."""
    complete = np.zeros(len(known), dtype=np.bool_)
    if len(known) >= need:
        # int32 accumulates several times faster than int64 (bars < 2**31)
        unknown_so_far = np.cumsum(~known, dtype=np.int32 if len(known) < 1 << 31 else np.int64)
        complete[need - 1] = unknown_so_far[need - 1] == 0
        complete[need:] = unknown_so_far[need:] == unknown_so_far[:-need]
    return complete


def _runs_at(known: BoolArray, bars: IntArray) -> tuple[IntArray, BoolArray]:
    """At ``bars``: consecutive known inputs ending there, and whether an unknown came before."""
    gaps = np.flatnonzero(~known)
    before = np.searchsorted(gaps, bars, side="right") - 1
    last_unknown = np.where(before >= 0, gaps[np.maximum(before, 0)] if len(gaps) else -1, -1)
    runs: IntArray = bars - last_unknown
    return runs, last_unknown >= 0


def _run_bounds(known: BoolArray, minimum: int) -> list[tuple[int, int]]:
    """``[start, stop)`` of every run of known bars at least ``minimum`` long."""
    padded = np.concatenate([[False], known, [False]])
    edges = np.flatnonzero(padded[1:] != padded[:-1])
    return [
        (int(start), int(stop))
        for start, stop in zip(edges[::2], edges[1::2], strict=True)
        if stop - start >= minimum
    ]


def _result(
    values: FloatArray,
    source: Column,
    need: int,
    label: str,
    defined: BoolArray | None = None,
    undefined: str = "",
    complete: BoolArray | None = None,
) -> Column:
    """Mask ``values`` by the warm-up rule and explain every unknown bar.

    ``complete`` is ``_complete(source.known, need)`` when the caller has it already.
    """
    if complete is None:
        complete = _complete(source.known, need)
    known = complete if defined is None else complete & defined
    values = np.where(known, values, np.nan)
    reasons = ReasonBuilder(known)
    reasons.take_from(~source.known, source)
    if defined is not None:
        reasons.take_text(complete & ~defined, undefined)
    warming = reasons.pending[~complete[reasons.pending]]
    if len(warming):
        run, after_gap = _runs_at(source.known, warming)
        keys = np.zeros(len(values), dtype=np.int64)
        keys[warming] = run + np.where(after_gap, need + 1, 0)
        reasons.take_keyed(
            ~known,
            keys,
            lambda key: warmup_reason(label, need, key % (need + 1), key > need),
        )
    return Column(values, known, reasons.build())


def _filled(x: Column) -> FloatArray:
    return np.where(x.known, x.values, 0.0)


def _window_variance(filled: FloatArray, n: int, ddof: int) -> FloatArray:
    """Two-pass variance of every window, shifted by its first value (a flat window is 0)."""
    variance = np.zeros(len(filled))
    if len(filled) < n:
        return variance
    windows = sliding_window_view(filled, n)
    for start in range(0, len(windows), _CHUNK_ROWS):
        block = windows[start : start + _CHUNK_ROWS]
        shifted = block - block[:, :1]
        deviations = shifted - (shifted.sum(axis=1) / n)[:, None]
        variance[n - 1 + start : n - 1 + start + len(block)] = np.einsum(
            "ij,ij->i", deviations, deviations
        ) / (n - ddof)
    return variance


def _recursive_average(
    values: FloatArray, starts: list[tuple[int, int]], n: int, weight: float
) -> FloatArray:
    """``y = weight*x + (1-weight)*y_prev`` on each run, seeded with the mean of its first n.

    Shared by EMA (weight 2/(n+1)) and Wilder's smoothing (weight 1/n). ``lfilter`` evaluates
    exactly ``weight*x + (1-weight)*y_prev``, as the incremental version does.
    """
    out = np.full(len(values), np.nan)
    keep = 1.0 - weight
    for start, stop in starts:
        seed = exact_mean(values[start : start + n].tolist())
        out[start + n - 1] = seed
        if stop - start > n:
            smoothed, _ = lfilter(
                [weight], [1.0, -keep], values[start + n : stop], zi=[keep * seed]
            )
            out[start + n : stop] = smoothed
    return out


# -- moving averages and dispersion ------------------------------------------------------


def lag(x: Column, n: int = 1, label: str | None = None) -> Column:
    """``x[n]``: the value n bars ago; unknown for the first n bars."""
    check_window("x[n]", n, minimum=0)
    label = label or f"x[{n}]"
    length = len(x)
    if n == 0:
        return x
    values = np.full(length, np.nan if not x.is_bool else False, dtype=x.values.dtype)
    known = np.zeros(length, dtype=np.bool_)
    if length > n:
        values[n:], known[n:] = x.values[: length - n], x.known[: length - n]
    reasons = ReasonBuilder(known)
    early = np.zeros(length, dtype=np.bool_)
    early[:n] = True
    reasons.take_keyed(early, None, lambda t: history_reason(label, n + 1, t + 1))
    reasons.take_from(None, x, shift=n)  # the early bars are explained already
    return Column(values, known, reasons.build())


def sma(x: Column, n: int, label: str | None = None) -> Column:
    """Simple moving average of the last n values. Warm-up n-1 bars."""
    check_window("sma", n)
    x = _numeric(x, "sma")
    complete = _complete(x.known, n)
    means = window_means(_filled(x), x.known, n, complete)
    return _result(means, x, n, label or default_label("sma", "x", n), complete=complete)


def ema(x: Column, n: int, label: str | None = None) -> Column:
    """EMA, alpha = 2/(n+1), seeded with the SMA of the first n values. Warm-up n-1 bars."""
    check_window("ema", n)
    x = _numeric(x, "ema")
    values = _recursive_average(x.values, _run_bounds(x.known, n), n, 2.0 / (n + 1))
    return _result(values, x, n, label or default_label("ema", "x", n))


def stdev(x: Column, n: int, label: str | None = None) -> Column:
    """Population standard deviation (divide by n, as Bollinger) of the last n values."""
    check_window("stdev", n)
    x = _numeric(x, "stdev")
    variance = _window_variance(_filled(x), n, ddof=0)
    return _result(np.sqrt(variance), x, n, label or default_label("stdev", "x", n))


def bbands(x: Column, n: int = 20, k: float = 2.0, label: str | None = None) -> BollingerBands:
    """Bollinger Bands: mid = sma(x, n), upper/lower = mid ± k × population stdev."""
    check_window("bbands", n)
    x = _numeric(x, "bbands")
    label = label or default_label("bbands", "x", n, k)
    filled = _filled(x)
    complete = _complete(x.known, n)
    mid = window_means(filled, x.known, n, complete)
    width = k * np.sqrt(_window_variance(filled, n, ddof=0))
    return BollingerBands(
        upper=_result(mid + width, x, n, f"{label}.upper", complete=complete),
        mid=_result(mid, x, n, f"{label}.mid", complete=complete),
        lower=_result(mid - width, x, n, f"{label}.lower", complete=complete),
    )


def hv(x: Column, n: int = 20, label: str | None = None) -> Column:
    """Annualised close-to-close volatility (ratio): sample stdev of n log returns × √252.

    Needs n+1 consecutive known positive prices; a price <= 0 counts as unknown.
    """
    check_window("hv", n, minimum=2)
    x = _numeric(x, "hv")
    positive = x.known & (np.where(x.known, x.values, 0.0) > 0)
    prices = Column(np.where(positive, x.values, np.nan), positive, x.reasons)
    returns = np.zeros(len(x))
    both = positive[1:] & positive[:-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        returns[1:] = np.where(both, np.log(prices.values[1:] / prices.values[:-1]), 0.0)
    variance = _window_variance(returns, n, ddof=1)
    annualised = np.sqrt(variance) * math.sqrt(TRADING_DAYS_PER_YEAR)
    return _result(annualised, prices, n + 1, label or default_label("hv", "x", n))


# -- momentum ----------------------------------------------------------------------------


def rsi(x: Column, n: int = 14, label: str | None = None) -> Column:
    """Wilder's RSI: 100 × avg_gain / (avg_gain + avg_loss), Wilder-smoothed. Warm-up n bars.

    Unknown (undefined) while the price has not moved since the averages were seeded.
    """
    check_window("rsi", n)
    x = _numeric(x, "rsi")
    change = np.zeros(len(x))
    change[1:] = x.values[1:] - x.values[:-1]
    gains = np.where(change > 0, change, 0.0)
    losses = np.where(change < 0, -change, 0.0)
    # The first change of a run is the bar after its start: shift the runs by one bar.
    runs = [(start + 1, stop) for start, stop in _run_bounds(x.known, n + 1)]
    average_gain = _recursive_average(gains, runs, n, 1.0 / n)
    average_loss = _recursive_average(losses, runs, n, 1.0 / n)
    total = average_gain + average_loss
    with np.errstate(divide="ignore", invalid="ignore"):
        # Divide first: gain / (gain + loss) <= 1 in floating point, so the RSI never exceeds 100.
        values = 100.0 * (average_gain / total)
    label = label or default_label("rsi", "x", n)
    return _result(values, x, n + 1, label, total > 0, no_change_reason(label))


def macd(
    x: Column, fast: int = 12, slow: int = 26, signal: int = 9, label: str | None = None
) -> Macd:
    """MACD: line = ema(x, fast) − ema(x, slow); signal = ema(line, signal); hist = difference."""
    for name, n in (("fast", fast), ("slow", slow), ("signal", signal)):
        check_window(f"macd {name}", n)
    x = _numeric(x, "macd")
    label = label or default_label("macd", "x", fast, slow, signal)
    longest = max(fast, slow)
    line = _recursive_average(x.values, _run_bounds(x.known, fast), fast, 2.0 / (fast + 1)) - (
        _recursive_average(x.values, _run_bounds(x.known, slow), slow, 2.0 / (slow + 1))
    )
    line_known = ~np.isnan(line)
    signal_values = _recursive_average(
        line, _run_bounds(line_known, signal), signal, 2.0 / (signal + 1)
    )
    need = longest + signal - 1
    return Macd(
        line=_result(line, x, longest, f"{label}.line"),
        signal=_result(signal_values, x, need, f"{label}.signal"),
        hist=_result(line - signal_values, x, need, f"{label}.hist"),
    )


def change(x: Column, n: int = 1, label: str | None = None) -> Column:
    """``x − x[n]``. Unknown if either value is unknown."""
    check_window("change", n)
    label = label or default_label("change", "x", n)
    x = _numeric(x, "change")
    return vector.sub(x, lag(x, n, label))


def pct_change(x: Column, n: int = 1, label: str | None = None) -> Column:
    """``x / x[n] − 1`` (ratio). Unknown if either value is unknown or x[n] is 0."""
    check_window("pct_change", n)
    label = label or default_label("pct_change", "x", n)
    x = _numeric(x, "pct_change")
    return vector.sub(vector.div(x, lag(x, n, label)), Value(1.0))


# -- ranges ------------------------------------------------------------------------------


def _extreme_values(x: Column, n: int, highest: bool) -> FloatArray:
    """Max (or min) of every trailing window of n bars; meaningful where the window is known."""
    data = np.where(x.known, x.values, -np.inf if highest else np.inf)
    if not len(x):
        return data
    window_filter = maximum_filter1d if highest else minimum_filter1d
    # origin (n-1)//2 turns scipy's centred window into the trailing one [t-n+1, t]
    values: FloatArray = window_filter(data, n, mode="nearest", origin=(n - 1) // 2)
    return values


def _extreme(x: Column, n: int, name: str, label: str | None, highest: bool) -> Column:
    check_window(name, n)
    x = _numeric(x, name)
    return _result(_extreme_values(x, n, highest), x, n, label or default_label(name, "x", n))


def highest(x: Column, n: int, label: str | None = None) -> Column:
    """Highest of the last n values, the current bar included. Warm-up n-1 bars."""
    return _extreme(x, n, "highest", label, highest=True)


def lowest(x: Column, n: int, label: str | None = None) -> Column:
    """Lowest of the last n values, the current bar included. Warm-up n-1 bars."""
    return _extreme(x, n, "lowest", label, highest=False)


def rank(x: Column, n: int, label: str | None = None) -> Column:
    """Share of the previous n−1 values (of the last n) strictly below the current (ratio)."""
    check_window("rank", n, minimum=2)
    x = _numeric(x, "rank")
    filled = _filled(x)
    below = np.zeros(len(x))
    if len(x) >= n:
        windows = sliding_window_view(filled, n)
        for start in range(0, len(windows), _CHUNK_ROWS):
            block = windows[start : start + _CHUNK_ROWS]
            counts = np.count_nonzero(block[:, :-1] < block[:, -1:], axis=1)
            below[n - 1 + start : n - 1 + start + len(block)] = counts
    return _result(below / (n - 1), x, n, label or default_label("rank", "x", n))


def iv_rank(x: Column, n: int, label: str | None = None) -> Column:
    """``(x − lowest(x, n)) / (highest(x, n) − lowest(x, n))`` (ratio); unknown if flat."""
    check_window("iv_rank", n)
    x = _numeric(x, "iv_rank")
    label = label or default_label("iv_rank", "x", n)
    top = _extreme_values(x, n, highest=True)
    bottom = _extreme_values(x, n, highest=False)
    span = top - bottom
    with np.errstate(divide="ignore", invalid="ignore"):
        values = (x.values - bottom) / span
    return _result(values, x, n, label, span > 0, flat_reason(label))


# -- conditions over time ----------------------------------------------------------------


def crosses_above(a: Column, b: Column, label: str | None = None) -> Column:
    """``a > b and a[1] <= b[1]`` (Kleene): a crossed above b on this bar."""
    label = label or "crosses_above(a, b)"
    return vector.and_(vector.gt(a, b), vector.le(lag(a, 1, label), lag(b, 1, label)))


def crosses_below(a: Column, b: Column, label: str | None = None) -> Column:
    """``a < b and a[1] >= b[1]`` (Kleene): a crossed below b on this bar."""
    label = label or "crosses_below(a, b)"
    return vector.and_(vector.lt(a, b), vector.ge(lag(a, 1, label), lag(b, 1, label)))


def _window_counts(flags: BoolArray, n: int) -> IntArray:
    """How many of the last n bars (fewer at the start) have the flag."""
    total: IntArray = np.concatenate([[0], np.cumsum(flags, dtype=np.int64)])
    index = np.arange(1, len(flags) + 1)
    counts: IntArray = total[index] - total[np.maximum(index - n, 0)]
    return counts


def _condition(c: Column, name: str) -> Column:
    if not c.is_bool:
        raise TypeError(f"{name} takes a condition, not a number series")
    return c


def _kleene_window(c: Column, n: int, label: str, value: BoolArray, known: BoolArray) -> Column:
    """Explain an unknown held/within: the latest unknown bar in the window, else no history."""
    index = np.arange(len(c))
    last_unknown = np.maximum.accumulate(np.where(c.known, -1, index)) if len(c) else index
    in_window = (last_unknown >= 0) & (index - last_unknown < n)
    reasons = ReasonBuilder(known)
    reasons.take_from(in_window, c, at=np.maximum(last_unknown, 0))
    reasons.take_keyed(in_window, index - last_unknown, lambda k: unknown_bar_reason(label, k))
    reasons.take_keyed(~in_window, index, lambda t: history_reason(label, n, t + 1))
    return Column(value, known, reasons.build())


def held(c: Column, n: int, label: str | None = None) -> Column:
    """True on each of the last n bars (Kleene ``and``; bars before the history are unknown)."""
    check_window("held", n)
    c = _condition(c, "held")
    index = np.arange(len(c))
    any_false = _window_counts(c.known & ~c.values, n) > 0
    any_unknown = (_window_counts(~c.known, n) > 0) | (index < n - 1)
    value = ~any_false & ~any_unknown
    return _kleene_window(c, n, label or default_label("held", "c", n), value, value | any_false)


def within(c: Column, n: int, label: str | None = None) -> Column:
    """True on any of the last n bars (Kleene ``or``; bars before the history are unknown)."""
    check_window("within", n)
    c = _condition(c, "within")
    any_true = _window_counts(c.values, n) > 0
    all_false = _window_counts(c.known & ~c.values, n) == n
    label = label or default_label("within", "c", n)
    return _kleene_window(c, n, label, any_true, any_true | all_false)


def bars_since(c: Column, label: str | None = None) -> Column:
    """Bars since c was last true (0 if true now); unknown if never, or unknown since."""
    c = _condition(c, "bars_since")
    label = label or "bars_since(c)"
    index = np.arange(len(c))
    if not len(c):
        return Column(np.zeros(0), np.zeros(0, dtype=np.bool_))
    last_true = np.maximum.accumulate(np.where(c.values, index, -1))
    last_unknown = np.maximum.accumulate(np.where(c.known, -1, index))
    known = (last_true >= 0) & (last_true > last_unknown)
    values = np.where(known, (index - last_true).astype(np.float64), np.nan)
    reasons = ReasonBuilder(known)
    unknown_since = last_unknown > last_true
    reasons.take_from(unknown_since, c, at=np.maximum(last_unknown, 0))
    reasons.take_keyed(unknown_since, index - last_unknown, lambda k: unknown_bar_reason(label, k))
    reasons.take_text(~unknown_since, never_true_reason(label))
    return Column(values, known, reasons.build())
