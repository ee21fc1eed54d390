"""Model-free properties: put-call parity, no-arbitrage bounds, monotonicity (hypothesis)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules import greeks as g

spots = st.floats(1.0, 10_000.0)
log_moneyness = st.floats(-2.0, 2.0)
times = st.floats(1.0 / (365 * 24), 5.0)
vols = st.floats(0.01, 5.0)
rates = st.floats(-0.02, 0.15)
yields = st.floats(0.0, 0.10)
SETTINGS = settings(max_examples=150, deadline=None)


@SETTINGS
@given(spots, log_moneyness, times, vols, rates, yields)
def test_put_call_parity(
    spot: float, m: float, t: float, vol: float, rate: float, div: float
) -> None:
    strike = spot * math.exp(m)
    call = g.price("call", spot, strike, t, vol, rate, div)
    put = g.price("put", spot, strike, t, vol, rate, div)
    parity = spot * math.exp(-div * t) - strike * math.exp(-rate * t)
    assert math.isclose(call - put, parity, rel_tol=1e-10, abs_tol=1e-10 * (spot + strike))


@SETTINGS
@given(spots, log_moneyness, times, vols, rates, yields)
def test_call_within_no_arbitrage_bounds(
    spot: float, m: float, t: float, vol: float, rate: float, div: float
) -> None:
    strike = spot * math.exp(m)
    call = g.price("call", spot, strike, t, vol, rate, div)
    lower = max(0.0, spot * math.exp(-div * t) - strike * math.exp(-rate * t))
    upper = spot * math.exp(-div * t)
    slack = 1e-12 * spot
    assert lower - slack <= call <= upper + slack


@SETTINGS
@given(spots, log_moneyness, times, vols, rates, yields)
def test_put_within_no_arbitrage_bounds(
    spot: float, m: float, t: float, vol: float, rate: float, div: float
) -> None:
    strike = spot * math.exp(m)
    put = g.price("put", spot, strike, t, vol, rate, div)
    lower = max(0.0, strike * math.exp(-rate * t) - spot * math.exp(-div * t))
    upper = strike * math.exp(-rate * t)
    slack = 1e-12 * strike
    assert lower - slack <= put <= upper + slack


@SETTINGS
@given(spots, log_moneyness, st.floats(0.001, 0.5), times, vols, rates, yields)
def test_call_value_falls_and_put_value_rises_with_strike(
    spot: float, m: float, bump: float, t: float, vol: float, rate: float, div: float
) -> None:
    low, high = spot * math.exp(m), spot * math.exp(m + bump)
    slack = 1e-12 * spot
    assert (
        g.price("call", spot, high, t, vol, rate, div)
        <= g.price("call", spot, low, t, vol, rate, div) + slack
    )
    assert (
        g.price("put", spot, high, t, vol, rate, div)
        >= g.price("put", spot, low, t, vol, rate, div) - slack
    )


@SETTINGS
@given(st.booleans(), spots, log_moneyness, times, vols, st.floats(0.001, 1.0), rates, yields)
def test_value_rises_with_vol(
    is_call: bool, spot: float, m: float, t: float, vol: float, bump: float, rate: float, div: float
) -> None:
    strike = spot * math.exp(m)
    slack = 1e-12 * spot
    assert (
        g.price(is_call, spot, strike, t, vol + bump, rate, div)
        >= g.price(is_call, spot, strike, t, vol, rate, div) - slack
    )


@SETTINGS
@given(st.booleans(), spots, log_moneyness, times, vols, rates, yields)
def test_greeks_have_their_signs_and_ranges(
    is_call: bool, spot: float, m: float, t: float, vol: float, rate: float, div: float
) -> None:
    result = g.greeks(is_call, spot, spot * math.exp(m), t, vol, rate, div)
    if is_call:
        assert 0.0 <= result.delta <= 1.0
    else:
        assert -1.0 <= result.delta <= 0.0
    assert result.gamma >= 0.0
    assert result.vega >= 0.0
    assert all(
        math.isfinite(v)
        for v in (result.price, result.delta, result.gamma, result.vega, result.theta, result.rho)
    )


@SETTINGS
@given(st.booleans(), spots, log_moneyness, times, vols, rates)
def test_black76_equals_bsm_on_the_discounted_forward_with_yield_equal_to_rate(
    is_call: bool, forward: float, m: float, t: float, vol: float, rate: float
) -> None:
    # A futures price carries no cost: BSM with q = r and S = F has forward S e^{(r-q)t} = F.
    strike = forward * math.exp(m)
    black = g.black76_price(is_call, forward, strike, t, vol, rate)
    bsm = g.price(is_call, forward, strike, t, vol, rate, rate)
    assert math.isclose(black, bsm, rel_tol=1e-12, abs_tol=1e-12 * forward)
