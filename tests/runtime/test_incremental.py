"""Batch (indicators) against incremental, bar by bar, on hypothesis-generated series with
unknowns: identical known masks and reasons, values within 1e-12 (relative to the data's
scale), and bit-identical values for sma, bbands' mid and the recursive and order-based
functions."""

from __future__ import annotations

import platform
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.runtime import Column, Value, column, known, vector
from condorrules.runtime import incremental as inc
from condorrules.runtime import indicators as ind

SETTINGS = settings(max_examples=40, deadline=None)

prices = st.lists(
    st.one_of(
        st.integers(1, 500_000).map(lambda cents: cents / 100),  # prices in cents
        st.sampled_from([float("nan")]),
        st.floats(1e-3, 1e4, allow_nan=False),
    ),
    min_size=0,
    max_size=120,
)
conditions = st.lists(st.sampled_from([True, False, None]), max_size=80)
windows = st.integers(2, 12)

# name, batch(column, n), incremental factory(n), output fields, bit-identical
NUMERIC: list[tuple[str, Callable[..., Any], Callable[[int], Any], tuple[str, ...], bool]] = [
    ("sma", ind.sma, inc.Sma, (), True),
    ("ema", ind.ema, inc.Ema, (), True),
    ("rsi", ind.rsi, inc.Rsi, (), True),
    ("stdev", ind.stdev, inc.Stdev, (), False),
    ("hv", ind.hv, inc.Hv, (), False),
    ("highest", ind.highest, inc.Highest, (), True),
    ("lowest", ind.lowest, inc.Lowest, (), True),
    ("rank", ind.rank, inc.Rank, (), True),
    ("iv_rank", ind.iv_rank, inc.IvRank, (), True),
    ("change", ind.change, inc.Change, (), True),
    ("pct_change", ind.pct_change, inc.PctChange, (), True),
    (
        "bbands",
        lambda x, n: ind.bbands(x, n, 2.0),
        lambda n: inc.Bbands(n, 2.0),
        ("upper", "mid", "lower"),
        False,
    ),
    (
        "macd",
        lambda x, n: ind.macd(x, n, 2 * n, 3),
        lambda n: inc.Macd(n, 2 * n, 3),
        ("line", "signal", "hist"),
        True,
    ),
]
BIT_IDENTICAL_PLATFORM = platform.machine().lower() in {"x86_64", "amd64"}


def compare(batch: Column, stream: list[Value], scale: float, exact: bool, name: str) -> None:
    assert len(batch) == len(stream)
    for t, got in enumerate(stream):
        want = batch.at(t)
        assert got.known == want.known, f"{name} bar {t}: {want} vs {got}"
        assert got.reason == want.reason, f"{name} bar {t}"
        if not want.known:
            continue
        difference = abs(float(got.value) - float(want.value))
        assert difference <= 1e-12 * max(abs(float(want.value)), scale), f"{name} bar {t}"
        if exact and BIT_IDENTICAL_PLATFORM:
            assert got.value == want.value, f"{name} bar {t}: not bit-identical"


@pytest.mark.parametrize("case", NUMERIC, ids=[case[0] for case in NUMERIC])
@SETTINGS
@given(data=prices, n=windows)
def test_incremental_matches_batch(case: tuple[Any, ...], data: list[float], n: int) -> None:
    name, batch_function, factory, fields, exact = case
    series = column(np.array(data, dtype=float), reason="no data")
    scale = float(np.nanmax(np.abs(series.values))) if series.known.any() else 1.0
    batch = batch_function(series, n)
    indicator = factory(n)
    stream = [indicator.update(series.at(t)) for t in range(len(series))]
    if not fields:
        compare(batch, stream, scale, exact, name)
    for field in fields:
        outputs = [getattr(value, field) for value in stream]
        compare(getattr(batch, field), outputs, scale, exact, f"{name}.{field}")


def condition_column(values: list[bool | None]) -> Column:
    return column(
        np.array([bool(v) for v in values], dtype=bool),
        known=[v is not None for v in values],
        reason="no signal",
    )


@SETTINGS
@given(c=conditions, n=st.integers(1, 6))
def test_kleene_window_functions_match_batch(c: list[bool | None], n: int) -> None:
    condition = condition_column(c)
    bars = [condition.at(t) for t in range(len(c))]
    for name, batch, indicator in (
        ("held", ind.held(condition, n), inc.Held(n)),
        ("within", ind.within(condition, n), inc.Within(n)),
        ("bars_since", ind.bars_since(condition), inc.BarsSince()),
    ):
        compare(batch, [indicator.update(bar) for bar in bars], 1.0, True, name)


@SETTINGS
@given(a=prices, shift=st.floats(-5, 5))
def test_crosses_match_batch(a: list[float], shift: float) -> None:
    first = column(np.array(a, dtype=float), reason="no a")
    second = vector.add(ind.sma(first, 3), known(shift)) if len(a) else first
    above, below = inc.CrossesAbove(), inc.CrossesBelow()
    pairs = [(first.at(t), second.at(t)) for t in range(len(a))]
    compare(ind.crosses_above(first, second), [above.update(*p) for p in pairs], 1.0, True, "above")
    compare(ind.crosses_below(first, second), [below.update(*p) for p in pairs], 1.0, True, "below")


@SETTINGS
@given(data=prices, n=st.integers(0, 5))
def test_lag_matches_batch(data: list[float], n: int) -> None:
    series = column(np.array(data, dtype=float), reason="no data")
    lag = inc.Lag(n)
    compare(
        ind.lag(series, n), [lag.update(series.at(t)) for t in range(len(data))], 1.0, True, "lag"
    )


@SETTINGS
@given(data=prices, n=windows)
def test_bbands_mid_is_bit_identical_to_incremental(data: list[float], n: int) -> None:
    series = column(np.array(data, dtype=float), reason="no data")
    bands = inc.Bbands(n, 2.0)
    stream = [bands.update(series.at(t)).mid for t in range(len(series))]
    batch = ind.bbands(series, n, 2.0).mid
    assert [batch.at(t) for t in range(len(series))] == stream


def test_incremental_sma_is_exact_where_batch_rounds() -> None:
    """The incremental window sum is exact: 0.1 + 0.2 + 0.3 averages to 0.2, not 0.2000...04."""
    sma = inc.Sma(3)
    for x in (0.1, 0.2, 0.3):
        result = sma.update(known(x))
    assert result == Value(0.2)


def test_incremental_stdev_of_a_flat_window_is_exactly_zero() -> None:
    stdev = inc.Stdev(4)
    values = [stdev.update(known(0.1)) for _ in range(10)]
    assert values[-1] == Value(0.0)


def test_rank_window_slides() -> None:
    rank = inc.Rank(3)
    out = [rank.update(known(x)) for x in (5.0, 3.0, 4.0, 6.0, 1.0)]
    assert [v.value for v in out[2:]] == [0.5, 1.0, 0.0]
