"""implied_vol: round trips over the whole surface, accuracy, bounds, and the reference."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from condorrules import greeks as g
from condorrules.greeks import reference

HOUR = 1.0 / (365 * 24)


def _surface() -> dict[str, np.ndarray]:
    """Calls and puts over moneyness x t x vol, wings and hours to expiry included."""
    moneyness = np.exp(np.linspace(-2.0, 2.0, 41))
    times = np.array([HOUR, 4 * HOUR, 1 / 365, 7 / 365, 30 / 365, 0.25, 1.0, 3.0])
    vols = np.array([0.01, 0.03, 0.08, 0.15, 0.3, 0.6, 1.0, 2.0, 3.5, 5.0])
    rows = np.array(list(itertools.product([True, False], moneyness, times, vols)))
    return {
        "is_call": rows[:, 0].astype(bool),
        "strike": 100.0 * rows[:, 1],
        "t": rows[:, 2],
        "vol": rows[:, 3],
    }


def test_round_trip_across_the_surface_is_accurate_to_1e8_where_vega_matters() -> None:
    surface = _surface()
    is_call, strike, t, vol = surface["is_call"], surface["strike"], surface["t"], surface["vol"]
    spot, rate, div = 100.0, 0.045, 0.015
    value = g.price(is_call, spot, strike, t, vol, rate, div)
    vega_per_unit = 100.0 * g.greeks(is_call, spot, strike, t, vol, rate, div).vega
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        recovered = g.implied_vol(is_call, value, spot, strike, t, rate, div)
    # Not negligible (docs/greeks.md): one rounding of the price moves the vol by < 1e-8.
    matters = vega_per_unit >= 1e-7 * np.maximum(value, spot)
    assert matters.sum() > 2000
    assert_allclose(recovered[matters], vol[matters], rtol=0, atol=1e-8)
    # Elsewhere the answer is a vol that reproduces the price, or NaN/0 when nothing is left.
    elsewhere = ~matters & np.isfinite(recovered)
    repriced = g.price(
        is_call[elsewhere], spot, strike[elsewhere], t[elsewhere], recovered[elsewhere], rate, div
    )
    assert_allclose(repriced, value[elsewhere], rtol=1e-9, atol=1e-12 * spot)


def test_deep_wings_and_hours_to_expiry() -> None:
    # 10-delta-ish wings an hour before expiry, and 5-sigma wings over a year.
    cases = [
        ("put", 100.0, 99.0, HOUR, 0.15),
        ("call", 100.0, 101.5, HOUR, 0.3),
        ("put", 100.0, 30.0, 1.0, 0.25),
        ("call", 100.0, 400.0, 1.0, 0.3),
        ("call", 100.0, 80.0, 7 / 365, 0.5),  # in the money: solved on the put by parity
        ("put", 100.0, 100.0, 0.5, 5.0),  # 500 % vol
        ("call", 100.0, 100.0, 0.5, 0.01),  # 1 % vol
    ]
    for right, spot, strike, t, vol in cases:
        value = g.price(right, spot, strike, t, vol, 0.03, 0.01)
        assert g.implied_vol(right, value, spot, strike, t, 0.03, 0.01) == pytest.approx(
            vol, abs=1e-8
        )


def test_prices_outside_no_arbitrage_bounds_give_nan_without_warnings() -> None:
    spot, strike, t, rate, div = 100.0, 90.0, 0.5, 0.05, 0.02
    intrinsic_call = spot * np.exp(-div * t) - strike * np.exp(-rate * t)
    prices = np.array(
        [
            -1.0,  # negative
            intrinsic_call - 1e-6,  # below the discounted intrinsic value
            spot * np.exp(-div * t),  # at the upper bound (infinite vol)
            spot,  # above it
            np.nan,
            np.inf,
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = g.implied_vol("call", prices, spot, strike, t, rate, div)
    assert np.all(np.isnan(result))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        put_bound = g.implied_vol(
            "put", strike * np.exp(-rate * t) + 1e-9, spot, strike, t, rate, div
        )
    assert np.isnan(put_bound)


def test_price_equal_to_discounted_intrinsic_gives_zero_vol() -> None:
    value = g.price("put", 100.0, 120.0, 0.5, 0.0, 0.05)
    assert g.implied_vol("put", value, 100.0, 120.0, 0.5, 0.05) == 0.0


def test_expired_or_degenerate_options_give_nan() -> None:
    result = g.implied_vol(
        "call",
        5.0,
        np.array([100.0, 0.0, 100.0]),
        np.array([95.0, 95.0, 0.0]),
        np.array([0.0, 0.5, 0.5]),
    )
    assert_array_equal(np.isnan(result), [True, True, True])


def test_agrees_with_the_bisection_reference() -> None:
    rng = np.random.default_rng(5)
    count = 60
    is_call = rng.random(count) < 0.5
    spot = rng.uniform(50, 150, count)
    strike = spot * np.exp(rng.uniform(-0.3, 0.3, count))
    t = rng.uniform(5, 400, count) / 365
    vol = rng.uniform(0.15, 1.5, count)
    value = np.array(
        [
            reference.price(bool(c), s, k, tt, v, 0.02, 0.01)
            for c, s, k, tt, v in zip(is_call, spot, strike, t, vol, strict=True)
        ]
    )
    ours = g.implied_vol(is_call, value, spot, strike, t, 0.02, 0.01)
    vega_per_unit = 100.0 * g.greeks(is_call, spot, strike, t, vol, 0.02, 0.01).vega
    matters = vega_per_unit > 1e-3
    assert matters.sum() >= 50
    bisection = [
        reference.implied_vol(bool(c), p, s, k, tt, 0.02, 0.01)
        for c, p, s, k, tt in zip(is_call, value, spot, strike, t, strict=True)
    ]
    assert_allclose(ours[matters], np.array(bisection)[matters], rtol=0, atol=1e-9)
    assert_allclose(ours[matters], vol[matters], rtol=0, atol=1e-9)
