"""Expiry, zero vol, extreme inputs and NaN: finite limit values and never a numpy warning."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from condorrules import greeks as g


@pytest.fixture(autouse=True)
def warnings_are_errors() -> Iterator[None]:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_at_expiry_value_is_intrinsic_and_greeks_are_limits() -> None:
    spot = np.array([90.0, 100.0, 110.0])
    call = g.greeks("call", spot, 100.0, 0.0, 0.2, 0.05, 0.02)
    put = g.greeks("put", spot, 100.0, 0.0, 0.2, 0.05, 0.02)
    assert_array_equal(call.price, [0.0, 0.0, 10.0])
    assert_array_equal(put.price, [10.0, 0.0, 0.0])
    # At the money exactly the option is worth nothing and has no delta (documented choice).
    assert_array_equal(call.delta, [0.0, 0.0, 1.0])
    assert_array_equal(put.delta, [-1.0, 0.0, 0.0])
    for result in (call, put):
        assert_array_equal(result.gamma, 0.0)
        assert_array_equal(result.vega, 0.0)
        assert_array_equal(result.theta, 0.0)
        assert_array_equal(result.rho, 0.0)


def test_zero_vol_value_is_the_discounted_forward_intrinsic() -> None:
    spot, strike, t, rate, div = 100.0, 101.0, 1.0, 0.05, 0.01
    # Forward 100 e^{0.04} = 104.08 > 101: the call is in the money on the forward.
    expected = spot * math.exp(-div * t) - strike * math.exp(-rate * t)
    result = g.greeks("call", spot, strike, t, 0.0, rate, div)
    assert result.price == pytest.approx(expected, rel=1e-15)
    assert result.delta == pytest.approx(math.exp(-div * t), rel=1e-15)
    assert (result.gamma, result.vega) == (0.0, 0.0)
    assert result.rho == pytest.approx(strike * t * math.exp(-rate * t) * 0.01, rel=1e-15)
    assert g.greeks("put", spot, strike, t, 0.0, rate, div).price == 0.0


def test_zero_vol_black76_delta_is_the_discount_factor() -> None:
    result = g.black76_greeks("put", 90.0, 100.0, 0.5, 0.0, 0.04)
    assert result.price == pytest.approx(10.0 * math.exp(-0.02), rel=1e-15)
    assert result.delta == pytest.approx(-math.exp(-0.02), rel=1e-15)
    assert result.rho == pytest.approx(-0.5 * result.price * 0.01, rel=1e-15)


def test_limits_inside_a_large_array_do_not_disturb_the_rest() -> None:
    size = 20_000
    t = np.full(size, 0.25)
    vol = np.full(size, 0.2)
    t[[5, 9_000, 19_999]] = 0.0
    vol[[7, 12_345]] = 0.0
    result = g.greeks("put", 100.0, 105.0, t, vol)
    regular = g.greeks("put", 100.0, 105.0, 0.25, 0.2)
    assert result.price[0] == regular.price
    assert result.price[5] == 5.0 and result.theta[5] == 0.0
    assert result.price[7] == 5.0 and result.gamma[7] == 0.0
    for field in ("price", "delta", "gamma", "vega", "theta", "rho"):
        assert np.all(np.isfinite(getattr(result, field)))


def test_zero_spot_and_zero_strike_are_limits() -> None:
    assert g.price("call", 0.0, 100.0, 1.0, 0.2, 0.05) == 0.0
    assert g.price("put", 0.0, 100.0, 1.0, 0.2, 0.05) == pytest.approx(100 * math.exp(-0.05))
    assert g.price("call", 100.0, 0.0, 1.0, 0.2, 0.0, 0.03) == pytest.approx(100 * math.exp(-0.03))
    assert g.greeks("put", 0.0, 100.0, 1.0, 0.2).gamma == 0.0


@pytest.mark.parametrize(
    ("spot", "strike", "t", "vol"),
    [
        (100.0, 1e-6, 1.0, 0.2),  # deep in the money call
        (100.0, 1e6, 1.0, 0.2),  # deep out of the money call
        (100.0, 100.0, 1e-12, 0.2),  # seconds to expiry
        (100.0, 100.0, 1e-300, 1e-300),  # total deviation underflows to zero
        (100.0, 100.0, 100.0, 5.0),  # a century at 500 % vol
        (100.0, 100.0, 1.0, 1e3),  # absurd vol
        (100.0, 90.0, 1e-9, 1e-9),  # tiny both
        (1e-300, 1e300, 1.0, 0.2),
    ],
)
def test_extreme_inputs_give_finite_values(
    spot: float, strike: float, t: float, vol: float
) -> None:
    for right in ("call", "put"):
        result = g.greeks(right, spot, strike, t, vol, 0.05, 0.02)
        values = (result.price, result.delta, result.gamma, result.vega, result.theta, result.rho)
        assert all(math.isfinite(v) for v in values), (right, values)
        b76 = g.black76_greeks(right, spot, strike, t, vol, 0.05)
        values = (b76.price, b76.delta, b76.gamma, b76.vega, b76.theta, b76.rho)
        assert all(math.isfinite(v) for v in values), (right, values)


def test_nan_inputs_give_nan_only_in_their_places() -> None:
    spot = np.array([100.0, np.nan, 100.0, 100.0, 100.0])
    t = np.array([0.5, 0.5, np.nan, 0.0, 0.5])
    vol = np.array([0.2, 0.2, 0.2, np.nan, 0.2])
    rate = np.array([0.01, 0.01, 0.01, 0.01, np.nan])
    result = g.greeks("call", spot, 95.0, t, vol, rate)
    for field in ("price", "delta", "gamma", "vega", "theta", "rho"):
        values = getattr(result, field)
        assert_array_equal(np.isnan(values), [False, True, True, True, True], err_msg=field)
    assert math.isnan(g.price("put", 100.0, float("nan"), 0.5, 0.2))


def test_expiry_limit_matches_the_last_second_before_it() -> None:
    # Continuity: one second before expiry the value is the intrinsic value to 1e-12.
    spot = np.array([95.0, 105.0])
    at_expiry = g.price("call", spot, 100.0, 0.0, 0.3)
    just_before = g.price("call", spot, 100.0, 1.0 / (365 * 86_400), 0.3)
    assert_allclose(just_before, at_expiry, atol=1e-12)
