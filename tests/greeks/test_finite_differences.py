"""Every analytic Greek against a central finite difference of our own price function."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from condorrules import greeks as g

RNG = np.random.default_rng(7)
COUNT = 400
IS_CALL = RNG.random(COUNT) < 0.5
SPOT = RNG.uniform(50.0, 150.0, COUNT)
STRIKE = SPOT * np.exp(RNG.uniform(-0.4, 0.4, COUNT))
T = RNG.uniform(10.0, 700.0, COUNT) / 365.0
VOL = RNG.uniform(0.08, 0.9, COUNT)
RATE = RNG.uniform(-0.01, 0.08, COUNT)
DIV = RNG.uniform(0.0, 0.05, COUNT)


def _bsm(**change: np.ndarray) -> np.ndarray:
    args = {"spot": SPOT, "strike": STRIKE, "t": T, "vol": VOL, "rate": RATE, "div": DIV} | change
    return np.asarray(g.price(IS_CALL, **args))


@pytest.fixture(scope="module")
def analytic() -> g.Greeks[g.FloatOrArray]:
    return g.greeks(IS_CALL, SPOT, STRIKE, T, VOL, RATE, DIV)


def test_delta_is_the_spot_derivative(analytic: g.Greeks[g.FloatOrArray]) -> None:
    h = 1e-4 * SPOT
    numeric = (_bsm(spot=SPOT + h) - _bsm(spot=SPOT - h)) / (2 * h)
    assert_allclose(analytic.delta, numeric, rtol=1e-6, atol=1e-8)


def test_gamma_is_the_second_spot_derivative(analytic: g.Greeks[g.FloatOrArray]) -> None:
    h = 2e-4 * SPOT
    numeric = (_bsm(spot=SPOT + h) - 2 * _bsm() + _bsm(spot=SPOT - h)) / (h * h)
    assert_allclose(analytic.gamma, numeric, rtol=1e-4, atol=1e-7)


def test_vega_is_the_change_per_vol_point(analytic: g.Greeks[g.FloatOrArray]) -> None:
    h = 1e-5
    numeric = (_bsm(vol=VOL + h) - _bsm(vol=VOL - h)) / (2 * h) * 0.01
    assert_allclose(analytic.vega, numeric, rtol=1e-6, atol=1e-9)


def test_theta_is_the_change_per_calendar_day_passing(analytic: g.Greeks[g.FloatOrArray]) -> None:
    h = 1e-5
    numeric = -(_bsm(t=T + h) - _bsm(t=T - h)) / (2 * h) / 365.0
    assert_allclose(analytic.theta, numeric, rtol=1e-6, atol=1e-9)


def test_rho_is_the_change_per_rate_point(analytic: g.Greeks[g.FloatOrArray]) -> None:
    h = 1e-6
    numeric = (_bsm(rate=RATE + h) - _bsm(rate=RATE - h)) / (2 * h) * 0.01
    assert_allclose(analytic.rho, numeric, rtol=1e-6, atol=1e-9)


def _black76(**change: np.ndarray) -> np.ndarray:
    args = {"forward": SPOT, "strike": STRIKE, "t": T, "vol": VOL, "rate": RATE} | change
    return np.asarray(g.black76_price(IS_CALL, **args))


def test_black76_greeks_are_derivatives_with_the_forward_held_fixed() -> None:
    ours = g.black76_greeks(IS_CALL, SPOT, STRIKE, T, VOL, RATE)
    h_f, h_v, h_t, h_r = 1e-4 * SPOT, 1e-5, 1e-5, 1e-6
    delta = (_black76(forward=SPOT + h_f) - _black76(forward=SPOT - h_f)) / (2 * h_f)
    gamma = (
        _black76(forward=SPOT + 2 * h_f) - 2 * _black76() + _black76(forward=SPOT - 2 * h_f)
    ) / (4 * h_f * h_f)
    vega = (_black76(vol=VOL + h_v) - _black76(vol=VOL - h_v)) / (2 * h_v) * 0.01
    theta = -(_black76(t=T + h_t) - _black76(t=T - h_t)) / (2 * h_t) / 365.0
    rho = (_black76(rate=RATE + h_r) - _black76(rate=RATE - h_r)) / (2 * h_r) * 0.01
    assert_allclose(ours.delta, delta, rtol=1e-6, atol=1e-8)
    assert_allclose(ours.gamma, gamma, rtol=1e-4, atol=1e-7)
    assert_allclose(ours.vega, vega, rtol=1e-6, atol=1e-9)
    assert_allclose(ours.theta, theta, rtol=1e-6, atol=1e-9)
    assert_allclose(ours.rho, rho, rtol=1e-6, atol=1e-9)


def test_limit_greeks_at_zero_vol_are_derivatives_of_the_discounted_intrinsic_value() -> None:
    # vol = 0, t > 0: value is sign·(S e^{-qt} - K e^{-rt}) in the money; check theta and rho.
    spot, strike, t, rate, div = 120.0, 100.0, 0.5, 0.05, 0.02
    h = 1e-6
    ours = g.greeks("call", spot, strike, t, 0.0, rate, div)
    theta = (
        -(
            g.price("call", spot, strike, t + h, 0.0, rate, div)
            - g.price("call", spot, strike, t - h, 0.0, rate, div)
        )
        / (2 * h)
        / 365
    )
    rho = (
        (
            g.price("call", spot, strike, t, 0.0, rate + h, div)
            - g.price("call", spot, strike, t, 0.0, rate - h, div)
        )
        / (2 * h)
        * 0.01
    )
    delta = (
        g.price("call", spot + h, strike, t, 0.0, rate, div)
        - g.price("call", spot - h, strike, t, 0.0, rate, div)
    ) / (2 * h)
    assert ours.theta == pytest.approx(theta, rel=1e-6)
    assert ours.rho == pytest.approx(rho, rel=1e-6)
    assert ours.delta == pytest.approx(delta, rel=1e-6)
