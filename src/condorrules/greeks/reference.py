"""A deliberately slow, obviously correct scalar Black-Scholes-Merton, one option at a time.

This is the textbook formula set (Hull, "Options, Futures and Other Derivatives", ch. 15 and
19; Haug, "The Complete Guide to Option Pricing Formulas", 1.1 and 2.1) written with the
``math`` module and no tricks, so the fast vectorised kernel can be tested against it. Units are
those of :mod:`condorrules.greeks`. Only positive t and vol are handled here.
"""

from __future__ import annotations

import math

from condorrules.constants import DAYS_PER_YEAR, RATE_POINT, VOL_POINT


def normal_cdf(x: float) -> float:
    """Standard normal cumulative distribution, via the complementary error function."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def normal_pdf(x: float) -> float:
    """Standard normal density."""
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def d1_d2(
    spot: float, strike: float, t: float, vol: float, rate: float, div: float
) -> tuple[float, float]:
    """Hull's d1 and d2 with a continuous dividend yield."""
    d1 = (math.log(spot / strike) + (rate - div + 0.5 * vol * vol) * t) / (vol * math.sqrt(t))
    return d1, d1 - vol * math.sqrt(t)


def price(
    is_call: bool, spot: float, strike: float, t: float, vol: float, rate: float, div: float
) -> float:
    """Black-Scholes-Merton value of one European option."""
    d1, d2 = d1_d2(spot, strike, t, vol, rate, div)
    if is_call:
        return spot * math.exp(-div * t) * normal_cdf(d1) - strike * math.exp(
            -rate * t
        ) * normal_cdf(d2)
    return strike * math.exp(-rate * t) * normal_cdf(-d2) - spot * math.exp(-div * t) * normal_cdf(
        -d1
    )


def greeks(
    is_call: bool, spot: float, strike: float, t: float, vol: float, rate: float, div: float
) -> dict[str, float]:
    """Price, delta, gamma, vega (per vol point), theta (per day), rho (per rate point)."""
    d1, d2 = d1_d2(spot, strike, t, vol, rate, div)
    spot_disc = math.exp(-div * t)
    strike_disc = math.exp(-rate * t)
    density = normal_pdf(d1)
    gamma = spot_disc * density / (spot * vol * math.sqrt(t))
    vega = spot * spot_disc * density * math.sqrt(t)
    decay = -spot * spot_disc * density * vol / (2.0 * math.sqrt(t))
    if is_call:
        delta = spot_disc * normal_cdf(d1)
        theta = (
            decay
            - rate * strike * strike_disc * normal_cdf(d2)
            + div * spot * spot_disc * normal_cdf(d1)
        )
        rho = strike * t * strike_disc * normal_cdf(d2)
    else:
        delta = -spot_disc * normal_cdf(-d1)
        theta = (
            decay
            + rate * strike * strike_disc * normal_cdf(-d2)
            - div * spot * spot_disc * normal_cdf(-d1)
        )
        rho = -strike * t * strike_disc * normal_cdf(-d2)
    return {
        "price": price(is_call, spot, strike, t, vol, rate, div),
        "delta": delta,
        "gamma": gamma,
        "vega": vega * VOL_POINT,
        "theta": theta / DAYS_PER_YEAR,
        "rho": rho * RATE_POINT,
    }


def implied_vol(
    is_call: bool,
    option_price: float,
    spot: float,
    strike: float,
    t: float,
    rate: float,
    div: float,
    *,
    low: float = 1e-6,
    high: float = 20.0,
    iterations: int = 200,
) -> float:
    """Implied volatility by plain bisection on [low, high]; NaN if the price is not bracketed."""
    if not price(is_call, spot, strike, t, low, rate, div) <= option_price:
        return math.nan
    if not option_price <= price(is_call, spot, strike, t, high, rate, div):
        return math.nan
    for _ in range(iterations):
        middle = 0.5 * (low + high)
        if price(is_call, spot, strike, t, middle, rate, div) < option_price:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)
