"""The VIX-driven volatility surface against independent references: the VIX's own
variance-swap replication, delta-strikes found with scipy, and the documented formula."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.optimize import brentq
from scipy.stats import norm

from condorrules.market import THIRTY_DAYS, VolatilityModel, VolatilityParameters

MODEL = VolatilityModel()
PARAMS = MODEL.parameters


def _iv(
    spot: float, strike: float, t: float, vix: float, rate: float = 0.0, div: float = 0.0
) -> float:
    value = MODEL.implied_vol(spot, strike, t, vix, rate=rate, div=div)
    assert isinstance(value, float)
    return value


def _black_scholes_otm(forward: float, strike: float, t: float, vol: float) -> float:
    """Undiscounted out-of-the-money Black price (scipy's normal CDF, not our greeks)."""
    d1 = (math.log(forward / strike) + 0.5 * vol * vol * t) / (vol * math.sqrt(t))
    d2 = d1 - vol * math.sqrt(t)
    if strike >= forward:
        return forward * norm.cdf(d1) - strike * norm.cdf(d2)
    return strike * norm.cdf(-d2) - forward * norm.cdf(-d1)


def _variance_swap(vix: float, t: float) -> float:
    """The VIX formula in the continuum: (2/T)∫ OTM(K)/K² dK over the model's smile (F = S)."""
    spot = 1000.0

    def integrand(strike: float) -> float:
        return _black_scholes_otm(spot, strike, t, _iv(spot, strike, t, vix)) / strike**2

    puts = quad(integrand, spot * 1e-3, spot, limit=500)[0]
    calls = quad(integrand, spot, spot * 20, limit=500)[0]
    return 2.0 / t * (puts + calls)


@pytest.mark.parametrize("vix", [10.0, 15.0, 25.0, 40.0])
def test_thirty_day_variance_swap_of_the_smile_reproduces_vix(vix: float) -> None:
    # VIX² is the 30-day variance swap; the documented atm_to_vix ratio must make the model's
    # own smile replicate it (Demeterfi et al. 1999; Cboe VIX white paper) to within 2%.
    implied_vix = 100.0 * math.sqrt(_variance_swap(vix, THIRTY_DAYS))
    assert implied_vix == pytest.approx(vix, rel=0.02)


def test_thirty_day_atm_is_the_documented_share_of_vix() -> None:
    assert MODEL.atm_iv(20.0) == pytest.approx(0.87 * 0.20, rel=1e-12)
    assert _iv(2700.0, 2700.0, THIRTY_DAYS, 20.0) == pytest.approx(0.174, rel=1e-12)


def test_documented_formula_by_hand() -> None:
    # docs/market.md formula with the default parameters, computed with the math module.
    vix, t, spot, strike = 18.0, 45.0 / 365.0, 2700.0, 2550.0
    atm30_sq = (0.87 * vix / 100) ** 2
    theta, kappa = 0.17**2, 2.0

    def phi(x: float) -> float:
        return (1 - math.exp(-x)) / x

    v0 = theta + (atm30_sq - theta) / phi(kappa * 30 / 365)
    atm = math.sqrt(theta + (v0 - theta) * phi(kappa * t))
    z = math.log(strike / spot) / (atm * math.sqrt(t))
    expected = atm * math.sqrt(1 + 0.5 * (-0.85 * z + math.sqrt(z * z + 4) - 2))
    assert _iv(spot, strike, t, vix) == pytest.approx(expected, rel=1e-12)


def _delta_strike(
    target: float, spot: float, t: float, vix: float, rate: float, div: float
) -> float:
    """The strike whose Black-Scholes delta (scipy) at the model's own vol equals ``target``."""

    def excess(strike: float) -> float:
        vol = _iv(spot, strike, t, vix, rate, div)
        d1 = (math.log(spot / strike) + (rate - div + 0.5 * vol * vol) * t) / (vol * math.sqrt(t))
        call_delta = math.exp(-div * t) * norm.cdf(d1)
        delta = call_delta if target > 0 else call_delta - math.exp(-div * t)
        return delta - target

    return float(brentq(excess, spot * 0.2, spot * 3.0, xtol=1e-9))


@pytest.mark.parametrize("vix", [10.0, 16.0, 30.0, 60.0])
@pytest.mark.parametrize("days", [2, 7, 45, 365])
def test_sixteen_delta_put_carries_more_vol_than_sixteen_delta_call(vix: float, days: int) -> None:
    spot, t, rate, div = 2700.0, days / 365.0, 0.02, 0.019
    put_strike = _delta_strike(-0.16, spot, t, vix, rate, div)
    call_strike = _delta_strike(0.16, spot, t, vix, rate, div)
    assert put_strike < spot < call_strike
    put_vol = _iv(spot, put_strike, t, vix, rate, div)
    call_vol = _iv(spot, call_strike, t, vix, rate, div)
    assert put_vol > call_vol + 0.01


def test_thirty_day_skew_is_spx_like_at_vix_15() -> None:
    # Typical SPX 30-day smile: 16-delta put ~1.2-1.5x ATM, 16-delta call ~0.8-0.95x ATM.
    spot, t = 2700.0, THIRTY_DAYS
    atm = _iv(spot, spot, t, 15.0)
    put_ratio = _iv(spot, _delta_strike(-0.16, spot, t, 15.0, 0.0, 0.0), t, 15.0) / atm
    call_ratio = _iv(spot, _delta_strike(0.16, spot, t, 15.0, 0.0, 0.0), t, 15.0) / atm
    assert 1.2 < put_ratio < 1.5
    assert 0.8 < call_ratio < 0.95


def test_positive_and_finite_over_a_wide_grid() -> None:
    strike = np.geomspace(1e-2, 1e6, 61)[:, None, None]
    t = np.array([0.0, 1e-12, 1e-6, 1 / 365, 0.1, 1.0, 30.0])[None, :, None]
    vix = np.array([1.0, 9.0, 20.0, 80.0, 150.0, 500.0])[None, None, :]
    vols = MODEL.implied_vol(2700.0, strike, t, vix)
    assert isinstance(vols, np.ndarray) and vols.shape == (61, 7, 6)
    assert np.isfinite(vols).all()
    assert (vols >= PARAMS.min_vol).all() and (vols <= PARAMS.max_vol).all()


def test_t_zero_is_the_one_hour_smile() -> None:
    assert _iv(2700.0, 2650.0, 0.0, 20.0) == _iv(2700.0, 2650.0, PARAMS.min_t, 20.0)


@pytest.mark.parametrize("vix", [9.0, 12.0, 20.0, 35.0, 80.0])
def test_term_structure_is_monotone_toward_the_long_run_level(vix: float) -> None:
    t = np.geomspace(1e-4, 50.0, 400)
    atm = np.asarray(MODEL.atm_iv(vix, t))
    long_run = PARAMS.long_run_atm_vol
    steps = np.diff(atm)
    if atm[0] < long_run:
        assert (steps >= -1e-15).all()
    else:
        assert (steps <= 1e-15).all()
    # Average variance closes the gap like φ(κt) = (1 - e^(-κt))/(κt) <= 1/(κt).
    gap_ratio = abs(atm[-1] ** 2 - long_run**2) / abs(atm[0] ** 2 - long_run**2)
    assert gap_ratio <= 1.001 / (PARAMS.mean_reversion * t[-1])  # 1.001: t starts at 1e-4
    assert np.all(np.abs(atm - long_run) <= abs(atm[0] - long_run) + 1e-15)


def test_calm_market_term_structure_is_in_contango() -> None:
    # VIX3M/VIX ~ 1.05-1.15 in calm markets (Cboe VIX3M history): model ATM 3M/1M at VIX 13.
    ratio = float(MODEL.atm_iv(13.0, 91 / 365)) / float(MODEL.atm_iv(13.0))
    assert 1.03 < ratio < 1.15


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(0.3, 0.999),
    gap=st.floats(1e-4, 0.2),
    days=st.floats(0.1, 1000.0),
    vix=st.floats(8.0, 90.0),
)
def test_put_wing_vol_falls_as_strike_rises_toward_the_money(
    low: float, gap: float, days: float, vix: float
) -> None:
    spot = 2700.0
    high = min(low + gap, 1.0)
    t = days / 365.0
    assert _iv(spot, spot * low, t, vix) >= _iv(spot, spot * high, t, vix)


def test_vectorised_matches_scalar_and_broadcasts() -> None:
    rng = np.random.default_rng(7)
    spot = rng.uniform(1500, 3000, 50)
    strike = spot * rng.uniform(0.7, 1.3, 50)
    t = rng.uniform(0, 2, 50)
    vix = rng.uniform(9, 60, 50)
    vector = MODEL.implied_vol(spot, strike, t, vix, rate=0.01, div=0.02)
    scalar = [_iv(*args, rate=0.01, div=0.02) for args in zip(spot, strike, t, vix, strict=True)]
    np.testing.assert_allclose(vector, scalar, rtol=1e-14, atol=0)


def test_scalars_in_give_a_float_out() -> None:
    assert isinstance(MODEL.implied_vol(2700, 2600, 0.1, 15), float)
    assert isinstance(MODEL.atm_iv(15), float)


def test_nan_in_gives_nan_only_there() -> None:
    vols = MODEL.implied_vol(2700.0, np.array([2600.0, np.nan]), 0.1, np.array([np.nan, 15.0]))
    assert np.isnan(vols).all()
    vols = MODEL.implied_vol(2700.0, np.array([2600.0, np.nan, 2700.0]), 0.1, 15.0)
    assert np.isnan(vols).tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"spot": -1.0}, "spot must be > 0"),
        ({"strike": np.array([2600.0, 0.0])}, "strike must be > 0; first bad value 0.0 at index 1"),
        ({"t": -0.1}, "t must be >= 0"),
        ({"vix": 0.0}, "vix must be > 0"),
    ],
)
def test_bad_input_names_the_argument(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {"spot": 2700.0, "strike": 2600.0, "t": 0.1, "vix": 15.0} | kwargs
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        MODEL.implied_vol(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "override",
    [
        {"smile_skew": 1.0},
        {"atm_to_vix": 0.0},
        {"min_vol": 6.0},
        {"mean_reversion": float("nan")},
        {"smile_amplitude": 5.0, "smile_width": 5.0},
    ],
)
def test_invalid_parameters_are_rejected(override: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="volatility parameter"):
        VolatilityParameters(**override)


def test_overriding_a_parameter_changes_the_surface() -> None:
    flat = VolatilityModel(dataclasses.replace(PARAMS, smile_amplitude=0.0))
    assert flat.implied_vol(2700.0, 2400.0, THIRTY_DAYS, 20.0) == pytest.approx(0.174)
