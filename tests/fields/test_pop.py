"""Probability of profit against a direct integral of the lognormal density."""

from __future__ import annotations

import math
from typing import Any

from numpy.testing import assert_allclose
from scipy.integrate import quad
from scipy.stats import lognorm

from condorrules.fields import Unknown, derive_fields
from condorrules.market import VolatilityModel

SPOT, RATE, DIV, T = 2750.0, 0.02, 0.015, 37 / 365


def document(vix: float | None, short_iv: float | None) -> dict[str, Any]:
    def leg(right: str, strike: float, qty: int) -> dict[str, Any]:
        quoted = {"iv": short_iv} if qty < 0 and short_iv is not None else {}
        return {"right": right, "strike": strike, "expiry": "2018-02-16", "qty": qty, **quoted}

    legs = [leg("put", 2500, 1), leg("put", 2550, -1), leg("call", 2900, -1), leg("call", 2950, 1)]
    position = {"id": "ic1", "opened": "2018-01-02", "credit": 6.0, "legs": legs}
    state: dict[str, Any] = {"date": "2018-01-10", "spot": SPOT, "rate": RATE, "div_yield": DIV}
    state["positions"] = [position]
    if vix is not None:
        state["vix"] = vix
    return state


def probability_between(low: float, high: float, vol: float) -> float:
    """∫ lognormal density of the risk-neutral S_T from low to high."""
    mean_log = math.log(SPOT) + (RATE - DIV - vol * vol / 2) * T
    density = lognorm(s=vol * math.sqrt(T), scale=math.exp(mean_log)).pdf
    value, _ = quad(density, low, high, epsabs=1e-12, epsrel=1e-12, limit=200)
    return float(value)


def probability_above(level: float, vol: float) -> float:
    return probability_between(level, SPOT * 20, vol)


def test_pop_with_one_volatility_is_the_lognormal_mass_between_breakevens() -> None:
    # No VIX: the short legs' quoted iv is the vol at both breakevens.
    fields = derive_fields(document(vix=None, short_iv=0.15))
    pop = fields.get("pop", 0)
    assert isinstance(pop, float)
    assert_allclose(pop, probability_between(2544.0, 2906.0, 0.15), atol=1e-9)


def test_pop_uses_the_model_volatility_at_each_breakeven() -> None:
    fields = derive_fields(document(vix=15.0, short_iv=None))
    model = VolatilityModel()
    vol_low = float(model.implied_vol(SPOT, 2544.0, T, 15.0, RATE, DIV))
    vol_high = float(model.implied_vol(SPOT, 2906.0, T, 15.0, RATE, DIV))
    expected = probability_above(2544.0, vol_low) - probability_above(2906.0, vol_high)
    pop = fields.get("pop", 0)
    assert isinstance(pop, float)
    assert_allclose(pop, expected, atol=1e-9)


def test_pop_without_any_volatility_is_unknown() -> None:
    fields = derive_fields(document(vix=None, short_iv=None))
    pop = fields.get("pop", 0)
    assert isinstance(pop, Unknown) and "no VIX" in pop.reason
    assert isinstance(fields.get("short_put.delta", 0), Unknown)
    assert fields.get("breakeven_low", 0) == 2544.0
