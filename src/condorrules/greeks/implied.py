"""Implied volatility: invert Black-Scholes-Merton in normalised coordinates.

Following Jäckel, "Let's Be Rational" (Wilmott, 2015), the price is mapped to the normalised
out-of-the-money time value ``beta = b(x, s)`` of a call with log-moneyness ``x = -|ln(F/K)|
<= 0`` and total standard deviation ``s = vol·√t``, where

    b(x, s) = e^{x/2} N(x/s + s/2) - e^{-x/2} N(x/s - s/2).

In-the-money prices are turned into the out-of-the-money time value by put-call parity first,
so deep in-the-money inputs keep all the precision their time value has. An initial guess from
the shape of ``b`` (its tangent at the inflection point, and its asymptotes in the lower and
upper regions) is refined by third-order Householder steps on Jäckel's three objectives
(1/ln b in the lower wing, b in the middle, ln(b_max - b) near the upper bound), each kept
inside a bracket that shrinks with every step. Details and accuracy: docs/greeks.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import overload

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import ndtr, ndtri

from condorrules.constants import (
    IMPLIED_VOL_MAX_ITERATIONS,
    IMPLIED_VOL_TOLERANCE,
    IMPLIED_VOL_ZERO_ULPS,
    INV_SQRT_2PI,
    SQRT_3,
)
from condorrules.greeks._inputs import (
    FloatArray,
    FloatOrArray,
    RightLike,
    any_real,
    as_float_array,
    broadcast,
    call_sign,
    non_negative,
    shaped,
)

NAMES = ("right", "price", "spot", "strike", "t", "rate", "div")
LOWER, MIDDLE, UPPER = 0, 1, 2
TINY = float(np.finfo(np.float64).tiny)


@overload
def implied_vol(
    right: str | bool,
    price: float,
    spot: float,
    strike: float,
    t: float,
    rate: float = 0.0,
    div: float = 0.0,
) -> float: ...
@overload
def implied_vol(
    right: RightLike,
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> FloatOrArray: ...
def implied_vol(
    right: RightLike,
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> FloatOrArray:
    """Black-Scholes-Merton volatility (a ratio, per √year) that reproduces ``price``.

    Returns NaN where the price is outside the no-arbitrage bounds (below the discounted
    intrinsic value or at/above the discounted spot for a call, discounted strike for a put),
    where ``t``, ``spot`` or ``strike`` is 0, or where an input is NaN; 0.0 where the price
    equals the discounted intrinsic value. Invalid spot, strike, t or right raise ValueError.
    """
    sign = call_sign(right)
    price_array = as_float_array(price, "price")
    spot_array, nan_s = non_negative(spot, "spot")
    strike_array, nan_k = non_negative(strike, "strike")
    t_array, nan_t = non_negative(t, "t")
    rate_array, nan_r = any_real(rate, "rate")
    div_array, nan_q = any_real(div, "div")
    arrays = (sign, price_array, spot_array, strike_array, t_array, rate_array, div_array)
    batch = broadcast(arrays, NAMES, nan_s or nan_k or nan_t or nan_r or nan_q)
    flat = [np.broadcast_to(np.asarray(c, dtype=np.float64), (batch.size,)) for c in batch.columns]
    with np.errstate(all="ignore"):
        vol = _implied_vol_flat(*flat)
    return shaped(vol, batch)


def _implied_vol_flat(
    sign: FloatArray,
    price: FloatArray,
    spot: FloatArray,
    strike: FloatArray,
    t: FloatArray,
    rate: FloatArray,
    div: FloatArray,
) -> FloatArray:
    vol = np.full(price.shape, np.nan)
    log_moneyness = np.log(spot / strike) + (rate - div) * t
    # Normalise by the discounted geometric mean of forward and strike: D √(F K).
    scale = np.sqrt(spot * strike * np.exp(-(rate + div) * t))
    half = 0.5 * log_moneyness
    intrinsic = np.maximum(sign * (np.exp(half) - np.exp(-half)), 0.0)
    # Put-call parity: an in-the-money price minus its intrinsic value is the out-of-the-money
    # time value, which is all the information about volatility the price holds.
    normalised_price = price / scale
    beta = normalised_price - intrinsic
    x = -np.abs(log_moneyness)
    usable = (t > 0.0) & np.isfinite(x) & (scale > 0.0) & np.isfinite(beta)
    # A time value within rounding of zero (either sign) is the zero-vol price.
    ulp = np.finfo(np.float64).eps * np.maximum(normalised_price, intrinsic)
    rounding = IMPLIED_VOL_ZERO_ULPS * ulp
    vol[usable & (np.abs(beta) <= rounding)] = 0.0
    beta = np.where(beta > rounding, beta, 0.0)
    index = np.flatnonzero(usable & (beta > 0.0) & (beta < np.exp(0.5 * x)))
    vol[index] = _solve(x[index], beta[index]) / np.sqrt(t[index])
    return vol


def _normalised_call(x: FloatArray, s: FloatArray, b_max: FloatArray) -> FloatArray:
    """b(x, s) for x <= 0, s > 0, given b_max = e^{x/2}."""
    ratio = x / s
    value: FloatArray = b_max * ndtr(ratio + 0.5 * s) - ndtr(ratio - 0.5 * s) / b_max
    return value


def _normalised_vega(x: FloatArray, s: FloatArray) -> FloatArray:
    """∂b/∂s = e^{x/2} n(x/s + s/2), written as one exponential so it cannot overflow."""
    ratio = x / s
    return INV_SQRT_2PI * np.exp(-0.5 * (ratio * ratio + 0.25 * s * s))


def _initial_guess(
    x: FloatArray, beta: FloatArray, b_max: FloatArray
) -> tuple[FloatArray, NDArray[np.int8]]:
    """Starting s and the objective region of each option, after Jäckel's region split.

    b is convex below the inflection point s_c = √(2|x|) and concave above it; the tangent at
    s_c meets 0 at s_l and b_max at s_u, which bound the lower, middle and upper regions.
    """
    s_c = np.sqrt(-2.0 * x)
    b_c = _normalised_call(x, s_c, b_max)
    vega_c = _normalised_vega(x, s_c)
    s_l = s_c - b_c / vega_c
    s_u = s_c + (b_max - b_c) / vega_c
    b_l = np.where(s_l > 0.0, _normalised_call(x, np.maximum(s_l, TINY), b_max), 0.0)
    b_u = _normalised_call(x, s_u, b_max)
    is_lower = beta < b_l
    is_upper = beta > b_u
    region = np.where(is_lower, LOWER, np.where(is_upper, UPPER, MIDDLE)).astype(np.int8)
    # Middle: b is nearly straight around its inflection point, so follow the tangent there.
    guess = s_c + (beta - b_c) / vega_c
    lower, upper = np.flatnonzero(is_lower), np.flatnonzero(is_upper)
    # Lower wing: b ≈ (2π|x| / 3√3) N(-|x| / (√3 s))³, exact to leading order as s → 0.
    x_l = x[lower]
    lower_arg = np.cbrt(3.0 * SQRT_3 * beta[lower] / (2.0 * np.pi * -x_l))
    guess[lower] = x_l / (SQRT_3 * ndtri(np.minimum(lower_arg, 0.5)))
    # Upper region: b ≈ b_max - (e^{x/2} + e^{-x/2}) N(-s/2), exact at x = 0.
    b_max_u = b_max[upper]
    guess[upper] = -2.0 * ndtri((b_max_u - beta[upper]) / (b_max_u + 1.0 / b_max_u))
    guess = np.where(np.isfinite(guess) & (guess > 0.0), guess, np.maximum(s_c, 1.0))
    return guess, region


@dataclass(frozen=True, slots=True)
class _Shape:
    """b(x, s) and the ratios of its s-derivatives that a Householder step needs."""

    b: FloatArray
    vega: FloatArray  # b'
    c2: FloatArray  # b''/b'
    c3: FloatArray  # b'''/b'


def _shape(x: FloatArray, s: FloatArray, b_max: FloatArray) -> _Shape:
    x2_s3 = x * x / (s * s * s)
    c2 = x2_s3 - 0.25 * s
    return _Shape(
        _normalised_call(x, s, b_max), _normalised_vega(x, s), c2, c2 * c2 - 3.0 * x2_s3 / s - 0.25
    )


def _householder(nu: FloatArray, h2: FloatArray, h3: FloatArray) -> FloatArray:
    """Third-order Householder step from nu = -g/g', h2 = g''/g', h3 = g'''/g'."""
    step: FloatArray = nu * (1.0 + 0.5 * h2 * nu) / (1.0 + nu * (h2 + h3 * nu / 6.0))
    return step


def _lower_step(shape: _Shape, beta: FloatArray, b_max: FloatArray) -> FloatArray:
    """Step on g = 1/ln b - 1/ln beta, nearly linear in the lower wing (Jäckel 2015, 4.1)."""
    b, vega, c2, c3 = shape.b, shape.vega, shape.c2, shape.c3
    ln_b = np.log(b)
    nu = b * ln_b * (1.0 - ln_b / np.log(beta)) / vega
    f2 = -(2.0 + ln_b) / (b * ln_b)  # f''/f' for f(b) = 1/ln b
    f3 = (6.0 + 6.0 * ln_b + 2.0 * ln_b * ln_b) / (b * b * ln_b * ln_b)  # f'''/f'
    return _householder(nu, f2 * vega + c2, f3 * vega * vega + 3.0 * f2 * vega * c2 + c3)


def _middle_step(shape: _Shape, beta: FloatArray, b_max: FloatArray) -> FloatArray:
    """Step on g = b - beta."""
    return _householder((beta - shape.b) / shape.vega, shape.c2, shape.c3)


def _upper_step(shape: _Shape, beta: FloatArray, b_max: FloatArray) -> FloatArray:
    """Step on g = ln(b_max - beta) - ln(b_max - b), nearly linear near the upper bound."""
    b, vega, c2, c3 = shape.b, shape.vega, shape.c2, shape.c3
    gap = b_max - b
    nu = -gap * np.log((b_max - beta) / gap) / vega
    f2 = 1.0 / gap  # f''/f' for f(b) = -ln(b_max - b)
    f3 = 2.0 * f2 * f2
    return _householder(nu, f2 * vega + c2, f3 * vega * vega + 3.0 * f2 * vega * c2 + c3)


STEPS = {LOWER: _lower_step, MIDDLE: _middle_step, UPPER: _upper_step}


def _solve(x: FloatArray, beta: FloatArray) -> FloatArray:
    """s > 0 with b(x, s) = beta, for x <= 0 and 0 < beta < e^{x/2}."""
    b_max = np.exp(0.5 * x)
    guess, region = _initial_guess(x, beta, b_max)
    result = np.empty_like(guess)
    for code, step in STEPS.items():
        index = np.flatnonzero(region == code)
        if index.size:
            result[index] = _iterate(x[index], beta[index], b_max[index], guess[index], step)
    return result


def _iterate(
    x: FloatArray,
    beta: FloatArray,
    b_max: FloatArray,
    s: FloatArray,
    step_for: Callable[[_Shape, FloatArray, FloatArray], FloatArray],
) -> FloatArray:
    """Safeguarded Householder iteration: a step leaving the bracket is replaced by bisection."""
    result = np.empty_like(s)
    active = np.arange(s.size)
    lower = np.zeros_like(s)
    upper = np.full_like(s, np.inf)
    for _ in range(IMPLIED_VOL_MAX_ITERATIONS):
        shape = _shape(x, s, b_max)
        step = step_for(shape, beta, b_max)
        excess = shape.b - beta
        too_high = excess > 0.0
        upper = np.where(too_high, np.minimum(upper, s), upper)
        lower = np.where(too_high, lower, np.maximum(lower, s))
        proposal = s + step
        inside = (proposal > lower) & (proposal < upper)
        fallback = np.where(np.isfinite(upper), 0.5 * (lower + upper), 2.0 * lower)
        # The steps converge at fourth order: once a step is below the tolerance, the error
        # left after taking it is far below it. An exact hit also ends the search.
        done = (np.abs(step) <= IMPLIED_VOL_TOLERANCE * s) | (excess == 0.0)
        new_s = np.where(inside, proposal, np.where(done, s, fallback))
        result[active[done]] = new_s[done]
        keep = np.flatnonzero(~done)
        if keep.size == 0:
            return result
        active, s, x, beta, b_max = active[keep], new_s[keep], x[keep], beta[keep], b_max[keep]
        lower, upper = lower[keep], upper[keep]
    result[active] = s
    return result
