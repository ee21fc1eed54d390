"""Indicators against independent references: StockCharts' published worked examples,
pandas' own rolling/ewm implementations, and naive pure-Python loops written here."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from condorrules.runtime import Column, column, vector
from condorrules.runtime import indicators as ind
from condorrules.runtime.values import Value

PUBLISHED = json.loads((Path(__file__).parent / "data" / "stockcharts.json").read_text())
RTOL = 1e-12


def published(example: dict[str, Any], field: str) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in example[field]], dtype=float)


def assert_matches(result: Column, expected: np.ndarray, atol: float, rtol: float = 0.0) -> None:
    """Same unknown bars as the reference (NaN), values within the tolerance on the others."""
    np.testing.assert_array_equal(result.known, ~np.isnan(expected), "known mask")
    np.testing.assert_allclose(
        result.values[result.known], expected[result.known], rtol=rtol, atol=atol
    )


# -- published worked examples -----------------------------------------------------------


def test_rsi_reproduces_stockcharts_wilder_table() -> None:
    example = PUBLISHED["rsi"]
    result = ind.rsi(column(example["close"]), example["n"])
    # printed to 4 decimals: half a unit of the last digit
    assert_matches(result, published(example, "rsi"), atol=0.5e-4 + 1e-9)


def test_bollinger_bands_reproduce_stockcharts_table() -> None:
    example = PUBLISHED["bbands"]
    prices = column(example["close"])
    bands = ind.bbands(prices, example["n"], example["k"])
    for field in ("upper", "mid", "lower"):
        assert_matches(getattr(bands, field), published(example, field), atol=0.5e-6 + 1e-9)
    assert_matches(ind.stdev(prices, example["n"]), published(example, "stdev"), 0.5e-6 + 1e-9)


def test_ema_reproduces_stockcharts_table() -> None:
    example = PUBLISHED["ema"]
    result = ind.ema(column(example["close"]), example["n"])
    assert_matches(result, published(example, "ema"), atol=0.005 + 1e-9)


# -- pandas as a second computation ------------------------------------------------------


def random_prices(seed: int, length: int = 600, gaps: int = 6) -> np.ndarray:
    rng = np.random.default_rng(seed)
    prices = np.round(2000 + np.cumsum(rng.normal(0, 15, length)), 2)
    prices[rng.choice(length, gaps, replace=False)] = np.nan
    return prices


SERIES = [random_prices(seed) for seed in range(3)]


def runs(values: np.ndarray) -> list[tuple[int, int]]:
    """Runs of non-NaN values, by a plain loop."""
    out, start = [], None
    for i, v in enumerate([*values.tolist(), math.nan]):
        if not math.isnan(v) and start is None:
            start = i
        elif math.isnan(v) and start is not None:
            out.append((start, i))
            start = None
    return out


def pandas_seeded_ewm(values: np.ndarray, n: int, alpha: float) -> np.ndarray:
    """SMA-seeded recursive average per run, with pandas' ewm(adjust=False) doing the recursion."""
    out = np.full(len(values), np.nan)
    for start, stop in runs(values):
        if stop - start < n:
            continue
        seeded = pd.Series([values[start : start + n].mean(), *values[start + n : stop]])
        out[start + n - 1 : stop] = seeded.ewm(alpha=alpha, adjust=False).mean().to_numpy()
    return out


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [1, 2, 5, 20])
def test_sma_matches_pandas_rolling_mean(prices: np.ndarray, n: int) -> None:
    expected = pd.Series(prices).rolling(n).mean().to_numpy()
    assert_matches(ind.sma(column(prices), n), expected, atol=0, rtol=RTOL)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [1, 2, 5, 20])
def test_stdev_is_population_stdev_as_pandas(prices: np.ndarray, n: int) -> None:
    expected = pd.Series(prices).rolling(n).std(ddof=0).to_numpy()
    assert_matches(ind.stdev(column(prices), n), expected, atol=1e-9, rtol=1e-9)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [2, 20])
def test_hv_is_annualised_sample_stdev_of_log_returns(prices: np.ndarray, n: int) -> None:
    series = pd.Series(prices)
    returns = np.log(series / series.shift(1))
    expected = (returns.rolling(n).std(ddof=1) * math.sqrt(252)).to_numpy()
    assert_matches(ind.hv(column(prices), n), expected, atol=1e-12, rtol=1e-9)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [1, 3, 20])
def test_highest_and_lowest_match_pandas_rolling(prices: np.ndarray, n: int) -> None:
    series = pd.Series(prices)
    assert_matches(ind.highest(column(prices), n), series.rolling(n).max().to_numpy(), 0)
    assert_matches(ind.lowest(column(prices), n), series.rolling(n).min().to_numpy(), 0)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [1, 3, 10, 26])
def test_ema_matches_sma_seeded_pandas_ewm(prices: np.ndarray, n: int) -> None:
    expected = pandas_seeded_ewm(prices, n, 2 / (n + 1))
    assert_matches(ind.ema(column(prices), n), expected, atol=0, rtol=RTOL)


def pandas_rsi(prices: np.ndarray, n: int) -> np.ndarray:
    change = pd.Series(prices).diff().to_numpy()
    gains = pandas_seeded_ewm(
        np.where(np.isnan(change), np.nan, np.clip(change, 0, None)), n, 1 / n
    )
    losses = pandas_seeded_ewm(
        np.where(np.isnan(change), np.nan, np.clip(-change, 0, None)), n, 1 / n
    )
    with np.errstate(divide="ignore"):
        return 100 - 100 / (1 + gains / losses)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [2, 14])
def test_rsi_matches_pandas_wilder_smoothing(prices: np.ndarray, n: int) -> None:
    assert_matches(ind.rsi(column(prices), n), pandas_rsi(prices, n), atol=1e-9, rtol=1e-11)


def test_rsi_of_a_flat_price_is_unknown_and_of_a_rising_one_is_100() -> None:
    flat = ind.rsi(column([5.0] * 20), 14)
    assert not flat.known.any()
    assert "no price change" in (flat.reason_at(19) or "")
    rising = ind.rsi(column(np.arange(20.0)), 14)
    assert rising.values[14] == 100.0 and not rising.known[13]


@pytest.mark.parametrize("prices", SERIES)
def test_macd_matches_pandas_composition(prices: np.ndarray) -> None:
    line = pandas_seeded_ewm(prices, 12, 2 / 13) - pandas_seeded_ewm(prices, 26, 2 / 27)
    signal = pandas_seeded_ewm(line, 9, 2 / 10)
    result = ind.macd(column(prices))
    assert_matches(result.line, line, atol=1e-9, rtol=RTOL)
    assert_matches(result.signal, signal, atol=1e-9, rtol=RTOL)
    assert_matches(result.hist, line - signal, atol=1e-9, rtol=RTOL)
    assert int(np.argmax(result.signal.known)) == 33  # 26 + 9 - 1 bars: index 33


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [1, 5])
def test_change_and_pct_change_match_pandas(prices: np.ndarray, n: int) -> None:
    series = pd.Series(prices)
    assert_matches(ind.change(column(prices), n), series.diff(n).to_numpy(), 0, RTOL)
    expected = (series / series.shift(n) - 1).to_numpy()
    assert_matches(ind.pct_change(column(prices), n), expected, 1e-15, RTOL)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [2, 5, 30])
def test_rank_matches_pandas_rolling_rank(prices: np.ndarray, n: int) -> None:
    # rank(method="min") - 1 is the count of window values strictly below the current one
    minimum_rank = pd.Series(prices).rolling(n).rank(method="min").to_numpy()
    assert_matches(ind.rank(column(prices), n), (minimum_rank - 1) / (n - 1), 0, RTOL)


@pytest.mark.parametrize("prices", SERIES)
@pytest.mark.parametrize("n", [2, 20])
def test_iv_rank_matches_pandas_rolling_range(prices: np.ndarray, n: int) -> None:
    series = pd.Series(prices)
    low, high = series.rolling(n).min(), series.rolling(n).max()
    expected = ((series - low) / (high - low)).to_numpy()
    assert_matches(ind.iv_rank(column(prices), n), expected, 0, RTOL)


def test_iv_rank_of_a_flat_window_is_unknown_with_reason() -> None:
    result = ind.iv_rank(column([3.0, 3.0, 3.0, 4.0]), 3)
    assert [result.known[i] for i in range(4)] == [False, False, False, True]
    assert "all equal" in (result.reason_at(2) or "")
    assert result.values[3] == 1.0


def test_rank_extremes_are_zero_and_one() -> None:
    result = ind.rank(column([5.0, 3.0, 4.0, 6.0, 1.0]), 3)
    assert list(result.values[2:]) == [0.5, 1.0, 0.0]


# -- naive loops for the Kleene window functions -----------------------------------------

TRUTHS = [True, False, None]


def random_condition(seed: int, length: int = 300) -> list[bool | None]:
    rng = np.random.default_rng(seed)
    return [TRUTHS[i] for i in rng.choice(3, length, p=[0.45, 0.45, 0.1])]


def condition_column(values: list[bool | None]) -> Column:
    return column(np.array([bool(v) for v in values]), known=[v is not None for v in values])


def naive_held(c: list[bool | None], n: int, t: int) -> bool | None:
    window = [c[i] if i >= 0 else None for i in range(t - n + 1, t + 1)]
    if False in window:
        return False
    return None if None in window else True


def naive_within(c: list[bool | None], n: int, t: int) -> bool | None:
    window = [c[i] if i >= 0 else None for i in range(t - n + 1, t + 1)]
    if True in window:
        return True
    return None if None in window else False


def naive_bars_since(c: list[bool | None], t: int) -> float | None:
    for k in range(t + 1):
        if c[t - k] is None:
            return None
        if c[t - k]:
            return float(k)
    return None


def as_python(result: Column, t: int) -> bool | float | None:
    value = result.at(t)
    return value.value if value.known else None


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("n", [1, 2, 7])
def test_held_and_within_match_naive_kleene_loops(seed: int, n: int) -> None:
    c = random_condition(seed)
    held, within = ind.held(condition_column(c), n), ind.within(condition_column(c), n)
    for t in range(len(c)):
        assert as_python(held, t) == naive_held(c, n, t), t
        assert as_python(within, t) == naive_within(c, n, t), t


@pytest.mark.parametrize("seed", range(3))
def test_bars_since_matches_naive_loop(seed: int) -> None:
    c = random_condition(seed)
    result = ind.bars_since(condition_column(c))
    assert [as_python(result, t) for t in range(len(c))] == [
        naive_bars_since(c, t) for t in range(len(c))
    ]


@pytest.mark.parametrize("seed", range(3))
def test_crosses_match_naive_kleene_loop(seed: int) -> None:
    a, b = random_prices(seed, 300, 10), random_prices(seed + 10, 300, 10)
    above = ind.crosses_above(column(a), column(b))
    below = ind.crosses_below(column(a), column(b))

    def compare(x: float, y: float, op: str) -> bool | None:
        if math.isnan(x) or math.isnan(y):
            return None
        return bool({"gt": x > y, "le": x <= y, "lt": x < y, "ge": x >= y}[op])

    def kleene_and(p: bool | None, q: bool | None) -> bool | None:
        if p is False or q is False:
            return False
        return None if p is None or q is None else True

    for t in range(len(a)):
        was_le = None if t == 0 else compare(a[t - 1], b[t - 1], "le")
        was_ge = None if t == 0 else compare(a[t - 1], b[t - 1], "ge")
        assert as_python(above, t) == kleene_and(compare(a[t], b[t], "gt"), was_le), t
        assert as_python(below, t) == kleene_and(compare(a[t], b[t], "lt"), was_ge), t


def test_crossing_on_first_bar_is_unknown_with_history_reason() -> None:
    result = ind.crosses_above(column([2.0, 3.0]), column([1.0, 1.0]))
    assert result.at(0).reason == "crosses_above(a, b) needs 2 bars of history, has 1"
    assert result.at(1).known and result.at(1).value is False


# -- warm-up, reasons and unknown handling ------------------------------------------------


WARMUP = [
    ("sma(x, 5)", lambda x: ind.sma(x, 5), 4),
    ("ema(x, 5)", lambda x: ind.ema(x, 5), 4),
    ("rsi(x, 14)", lambda x: ind.rsi(x, 14), 14),
    ("stdev(x, 5)", lambda x: ind.stdev(x, 5), 4),
    ("hv(x, 20)", lambda x: ind.hv(x, 20), 20),
    ("highest(x, 5)", lambda x: ind.highest(x, 5), 4),
    ("rank(x, 5)", lambda x: ind.rank(x, 5), 4),
    ("iv_rank(x, 5)", lambda x: ind.iv_rank(x, 5), 4),
    ("macd(x, 12, 26, 9).line", lambda x: ind.macd(x).line, 25),
    ("macd(x, 12, 26, 9).signal", lambda x: ind.macd(x).signal, 33),
    ("bbands(x, 20, 2.0).upper", lambda x: ind.bbands(x).upper, 19),
]


@pytest.mark.parametrize(("label", "function", "warmup"), WARMUP, ids=[w[0] for w in WARMUP])
def test_documented_warmup_and_restart_after_unknown(
    label: str, function: Any, warmup: int
) -> None:
    prices = 100 + np.sin(np.arange(120.0)) * 5 + np.arange(120.0) * 0.1
    prices[60] = np.nan
    result = function(column(prices, reason="no close on this bar"))
    assert not result.known[:warmup].any() and result.known[warmup]
    assert result.reason_at(0) == f"{label} needs {warmup + 1} bars of history, has 1"
    assert result.reason_at(60) == "no close on this bar"
    if warmup:
        assert result.reason_at(61) == (
            f"{label} needs {warmup + 1} bars of known input, has 1 since an unknown input"
        )
        assert not result.known[61 : 61 + warmup].any()
    assert result.known[61 + warmup]


def test_change_needs_only_the_two_bars_it_subtracts() -> None:
    prices = np.arange(10.0)
    prices[5] = np.nan
    result = ind.change(column(prices, reason="no close on this bar"), 3)
    assert list(result.known) == [False] * 3 + [True] * 2 + [False, True, True, False, True]
    assert result.reason_at(0) == "change(x, 3) needs 4 bars of history, has 1"
    assert result.reason_at(5) == result.reason_at(8) == "no close on this bar"


def test_infinite_input_counts_as_unknown_for_indicators() -> None:
    result = ind.sma(column([1.0, math.inf, 2.0, 3.0]), 2)
    assert list(result.known) == [False, False, False, True]


def test_compiler_label_names_the_call_in_reasons() -> None:
    result = ind.rsi(column([1.0, 2.0, 3.0]), 14, label="rsi(spot, 14)")
    assert result.reason_at(2) == "rsi(spot, 14) needs 15 bars of history, has 3"


def test_bad_window_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="window"):
        ind.sma(column([1.0]), 0)
    with pytest.raises(ValueError, match="window"):
        ind.rank(column([1.0]), 1)


def test_indicators_compose_with_operators() -> None:
    prices = column(np.arange(30.0))
    above = vector.gt(prices, ind.sma(prices, 20))
    assert above.at(18).reason == "sma(x, 20) needs 20 bars of history, has 19"
    assert above.at(19) == Value(True)
