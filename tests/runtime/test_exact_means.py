"""The batch ``sma`` is the correctly rounded window mean, bit for bit, on every path of
``condorrules.runtime._exact`` (one int64 digit, two digits, exact Python integers).

The reference is independent of both implementations: the exact rational mean of the window
(``fractions.Fraction``), rounded once by ``float()``.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.runtime import _exact, column, incremental, indicators, known

SETTINGS = settings(max_examples=60, deadline=None)


def reference(values: list[float | None], n: int) -> list[float | None]:
    """The exact mean of every window of n known values, rounded once; None elsewhere."""
    means: list[float | None] = []
    for t in range(len(values)):
        window = values[max(0, t - n + 1) : t + 1]
        if len(window) < n or any(v is None or v != v for v in window):
            means.append(None)
        else:
            means.append(
                float(sum((Fraction(v) for v in window if v is not None), Fraction(0)) / n)
            )
    return means


def batch(values: list[float | None], n: int) -> list[float | None]:
    series = column(np.array([np.nan if v is None else v for v in values], dtype=float))
    result = indicators.sma(series, n)
    return [float(v) if k else None for v, k in zip(result.values, result.known, strict=True)]


def same_bits(left: list[float | None], right: list[float | None]) -> bool:
    return [None if v is None else float(v).hex() for v in left] == [
        None if v is None else float(v).hex() for v in right
    ]


cents = st.integers(1, 900_000).map(lambda c: c / 100)
# one block then spans many binades: the two-digit path
wide = st.floats(1e-4, 1e6, allow_nan=False)
# near 2**53 every other mean is an exact tie between two floats (half to even)
ties = st.integers(2**52, 2**53 + 64).map(float)
signed = st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False)
gap = st.none()


@pytest.fixture(autouse=True)
def small_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks of 8 bars, so short hypothesis series cross several blocks and paths."""
    monkeypatch.setattr(_exact, "BLOCK_BARS", 8)


@pytest.mark.parametrize(
    "values",
    [
        st.one_of(cents, gap),
        st.one_of(wide, gap),
        st.one_of(ties, gap),
        st.one_of(ties, st.integers(2**22, 2**40).map(float), gap),
        st.one_of(signed, gap),
        st.one_of(cents.map(lambda v: -v), gap),
        st.one_of(cents, wide, ties, st.just(0.0), gap),
    ],
    ids=["cents", "wide", "ties", "wide ties", "signed", "negative", "mixed"],
)
def test_batch_sma_is_the_correctly_rounded_mean(values: st.SearchStrategy[float | None]) -> None:
    @SETTINGS
    @given(data=st.lists(values, max_size=90), n=st.integers(1, 12))
    def check(data: list[float | None], n: int) -> None:
        assert same_bits(batch(data, n), reference(data, n))

    check()


@pytest.mark.parametrize("before", [[], [2.0**30, 2.0**30]], ids=["one digit", "two digits"])
def test_exact_ties_round_half_to_even(before: list[float | None]) -> None:
    """Above 2**53 floats are 2 apart, so the mean of two neighbours is a tie. A small value
    earlier in the block widens its binade spread onto the two-digit path."""
    big = float(2**53)
    data = [*before, big, big + 2, big + 4, big + 6]
    expected = [big, big + 4, big + 4]  # 2**53+1 -> 2**53, +3 -> +4, +5 -> +4 (even)
    assert same_bits(batch(data, 2)[-3:], expected)
    assert same_bits(reference(data, 2)[-3:], expected)


@pytest.mark.parametrize("before", [[], [2.0**30, 2.0**30]], ids=["one digit", "two digits"])
def test_a_mean_just_above_a_tie_rounds_up(before: list[float | None]) -> None:
    """Mean 2**53 + 1.2: just above the midpoint of 2**53 and 2**53 + 2."""
    big = float(2**53)
    data = [*before, big, big, big, big + 2, big + 4]
    assert same_bits(batch(data, 5)[-1:], [big + 2])
    assert same_bits(reference(data, 5)[-1:], [big + 2])


def test_decimal_prices_average_exactly() -> None:
    """0.1 + 0.2 + 0.3 averages to 0.2 (a running float sum would give 0.20000000000000004)."""
    assert batch([0.1, 0.2, 0.3], 3)[-1] == 0.2


def test_a_long_trending_series_stays_exact() -> None:
    """A 200,000-bar random walk over many binades: means correctly rounded (sampled)."""
    rng = np.random.default_rng(3)
    walk = 2000.0 * np.exp(np.cumsum(rng.normal(0, 0.02, 200_000)))
    walk[rng.integers(0, len(walk), 50)] = np.nan
    result = indicators.sma(column(walk), 50)
    for t in rng.integers(0, len(walk), 300).tolist():
        window = walk[max(0, t - 49) : t + 1]
        if t < 49 or np.isnan(window).any():
            assert not result.known[t]
            continue
        assert result.values[t] == float(sum(map(Fraction, window.tolist())) / 50), t


def test_the_incremental_sma_agrees_bit_for_bit_on_a_long_series() -> None:
    rng = np.random.default_rng(5)
    prices = np.round(2500 * np.exp(np.cumsum(rng.normal(0, 0.01, 5_000))), 2)
    result = indicators.sma(column(prices), 20)
    sma = incremental.Sma(20)
    stream = [sma.update(known(float(p))) for p in prices]
    assert [v.value if v.known else None for v in stream] == [
        float(v) if k else None for v, k in zip(result.values, result.known, strict=True)
    ]
