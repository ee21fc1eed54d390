"""Properties every correct implementation has, on hypothesis-generated series."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.runtime import Column, column
from condorrules.runtime import indicators as ind

SETTINGS = settings(max_examples=60, deadline=None)
series = st.lists(
    st.one_of(st.floats(1.0, 5000.0), st.just(float("nan"))), min_size=1, max_size=80
).map(lambda values: column(np.array(values)))
window = st.integers(2, 10)


def known_values(result: Column) -> np.ndarray:
    return result.values[result.known]


@SETTINGS
@given(x=series, n=window)
def test_bounded_indicators_stay_in_their_ranges(x: Column, n: int) -> None:
    assert ((known_values(ind.rsi(x, n)) >= 0) & (known_values(ind.rsi(x, n)) <= 100)).all()
    for result in (ind.rank(x, n), ind.iv_rank(x, n)):
        values = known_values(result)
        assert ((values >= 0) & (values <= 1)).all()
    assert (known_values(ind.stdev(x, n)) >= 0).all()
    assert (known_values(ind.hv(x, n)) >= 0).all()


@SETTINGS
@given(x=series, n=window)
def test_averages_lie_between_lowest_and_highest(x: Column, n: int) -> None:
    low, high = ind.lowest(x, n), ind.highest(x, n)
    # (not ema: it remembers values older than the window)
    for average in (ind.sma(x, n), ind.bbands(x, n).mid):
        both = average.known & low.known
        slack = 1e-9 * high.values[both]
        assert (average.values[both] >= low.values[both] - slack).all()
        assert (average.values[both] <= high.values[both] + slack).all()


@SETTINGS
@given(x=series, n=window)
def test_bands_are_ordered_and_symmetric(x: Column, n: int) -> None:
    bands = ind.bbands(x, n, 2.0)
    mid, upper, lower = bands.mid.values, bands.upper.values, bands.lower.values
    ok = bands.mid.known
    assert (upper[ok] >= mid[ok]).all() and (lower[ok] <= mid[ok]).all()
    np.testing.assert_allclose(upper[ok] - mid[ok], mid[ok] - lower[ok], rtol=1e-9, atol=1e-9)


@SETTINGS
@given(x=series, n=window)
def test_all_numeric_indicators_share_one_known_mask_rule(x: Column, n: int) -> None:
    """sma, stdev, highest, lowest and rank are known exactly where n consecutive inputs are."""
    masks = [ind.sma(x, n).known, ind.stdev(x, n).known, ind.highest(x, n).known]
    masks += [ind.lowest(x, n).known, ind.rank(x, n).known, ind.ema(x, n).known]
    for mask in masks[1:]:
        np.testing.assert_array_equal(mask, masks[0])


def test_rsi_of_a_series_that_only_rises_is_exactly_100() -> None:
    # Found by hypothesis: 100 * g / g rounded to 100.00000000000001 before the fix.
    rising = column(np.array([1.8017098151349273, 2.0, 657.9160931486122]))
    assert known_values(ind.rsi(rising, 2)).tolist() == [100.0]
