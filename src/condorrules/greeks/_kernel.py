"""The chunked Black-Scholes-Merton kernel behind ``price`` and ``greeks``.

The options are processed in chunks of ``GREEKS_CHUNK_SIZE`` so that every temporary stays in
cache, and each chunk computes d1, d2, the density and the two normal CDFs once and reuses them
for the price and all five Greeks, writing into preallocated buffers (``out=``). The plain
single-pass formulas are in ``greeks.reference`` (slow, scalar) and in the benchmark.

Black-76 is the same kernel with the spot replaced by the forward and the dividend yield by the
rate (then the forward drift is zero); only rho differs, because a futures option's rho holds
the forward, not the spot, fixed: rho = -t * price.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from condorrules.constants import (
    DAYS_PER_YEAR,
    GREEKS_CHUNK_SIZE,
    INV_SQRT_2PI,
    RATE_POINT,
    THETA_DAYS,
    VOL_POINT,
)
from condorrules.greeks._inputs import Column, FloatArray

THETA_SCALE = THETA_DAYS / DAYS_PER_YEAR
PRICE, DELTA, GAMMA, VEGA, THETA, RHO = range(6)


def _part(column: Column, start: int, stop: int) -> Column:
    return column if isinstance(column, float) else column[start:stop]


def run(columns: tuple[Column, ...], size: int, *, with_greeks: bool, futures: bool) -> FloatArray:
    """Price (and Greeks) of ``size`` options; rows of the result: price, delta, ... rho.

    ``columns`` are (sign, spot, strike, t, vol, rate, div) with sign +1 for calls, -1 for puts.
    Inputs are already validated; the caller overwrites rows where an input was NaN.
    """
    rows = 6 if with_greeks else 1
    out = np.empty((rows, size), dtype=np.float64)
    scratch = np.empty((9, min(size, GREEKS_CHUNK_SIZE)), dtype=np.float64)
    with np.errstate(all="ignore"):
        for start in range(0, size, GREEKS_CHUNK_SIZE):
            stop = min(start + GREEKS_CHUNK_SIZE, size)
            part = tuple(_part(c, start, stop) for c in columns)
            buffers = scratch[:, : stop - start]
            chunk_out = out[:, start:stop]
            if _regular_chunk(part, chunk_out, buffers, with_greeks, futures):
                continue
            _fix_limits(part, chunk_out, futures)
    return out


def _regular_chunk(
    part: tuple[Column, ...],
    out: FloatArray,
    buffers: FloatArray,
    with_greeks: bool,
    futures: bool,
) -> bool:
    """Closed-form values for one chunk; False when some option needs the limit formulas."""
    sign, spot, strike, t, vol, rate, div = part
    sqrt_t, std_dev, d1, d2, spot_disc, strike_disc, cdf1, cdf2, work = buffers
    np.sqrt(t, out=sqrt_t)
    np.multiply(vol, sqrt_t, out=std_dev)
    np.divide(spot, strike, out=d1)
    np.log(d1, out=d1)
    regular = bool(np.all(std_dev)) and bool(np.all(np.isfinite(d1)))
    # d1 = (ln(S/K) + (r - q + vol²/2) t) / (vol √t)
    np.multiply(vol, vol, out=work)
    np.multiply(work, 0.5, out=work)
    np.add(work, rate - div, out=work)
    np.multiply(work, t, out=work)
    np.add(d1, work, out=d1)
    np.divide(d1, std_dev, out=d1)
    np.subtract(d1, std_dev, out=d2)
    # Discount factors e^{-qt} (applied to the spot) and e^{-rt} (applied to the strike).
    np.multiply(t, -1.0, out=work)
    np.multiply(work, div, out=spot_disc)
    np.exp(spot_disc, out=spot_disc)
    np.multiply(work, rate, out=strike_disc)
    np.exp(strike_disc, out=strike_disc)
    np.multiply(sign, d1, out=cdf1)
    ndtr(cdf1, out=cdf1)
    np.multiply(sign, d2, out=cdf2)
    ndtr(cdf2, out=cdf2)
    np.multiply(spot_disc, spot, out=work)  # S e^{-qt}
    if not with_greeks:
        # price = sign * (S e^{-qt} N(sign d1) - K e^{-rt} N(sign d2))
        np.multiply(work, cdf1, out=work)
        np.multiply(strike_disc, strike, out=d2)
        np.multiply(d2, cdf2, out=d2)
        np.subtract(work, d2, out=work)
        np.multiply(work, sign, out=out[PRICE])
        return regular
    _greeks_from_parts(part, out, buffers)
    if futures:
        np.multiply(out[PRICE], t, out=out[RHO])
        np.multiply(out[RHO], -RATE_POINT, out=out[RHO])
    return regular


def _greeks_from_parts(part: tuple[Column, ...], out: FloatArray, buffers: FloatArray) -> None:
    """Fill all six rows from the shared pieces: d1, the discount factors and the CDFs."""
    sign, spot, strike, t, vol, rate, div = part
    sqrt_t, std_dev, d1, d2, spot_disc, strike_disc, cdf1, cdf2, work = buffers
    price, delta, gamma, vega, theta, rho = out
    # delta = sign e^{-qt} N(sign d1)
    np.multiply(spot_disc, cdf1, out=delta)
    np.multiply(delta, sign, out=delta)
    # a = S e^{-qt} N(sign d1), b = K e^{-rt} N(sign d2), price = sign (a - b)
    np.multiply(work, cdf1, out=cdf1)
    np.multiply(strike_disc, strike, out=d2)
    np.multiply(d2, cdf2, out=cdf2)
    np.subtract(cdf1, cdf2, out=price)
    np.multiply(price, sign, out=price)
    # rho = sign t b per rate point
    np.multiply(cdf2, t, out=rho)
    np.multiply(rho, sign * RATE_POINT, out=rho)
    # theta (per year) = -S e^{-qt} n(d1) vol / (2√t) - sign r b + sign q a
    np.multiply(cdf2, rate, out=cdf2)
    np.multiply(cdf1, div, out=cdf1)
    np.subtract(cdf1, cdf2, out=theta)
    np.multiply(theta, sign, out=theta)
    # u = S e^{-qt} n(d1): vega = u √t, gamma = u / (S² vol √t), decay = u vol / (2√t)
    np.multiply(d1, d1, out=d1)
    np.multiply(d1, -0.5, out=d1)
    np.exp(d1, out=d1)
    np.multiply(d1, work, out=work)
    np.multiply(work, INV_SQRT_2PI, out=work)
    np.multiply(work, sqrt_t, out=vega)
    np.divide(work, std_dev, out=gamma)
    np.divide(gamma, spot, out=gamma)
    np.divide(gamma, spot, out=gamma)
    np.multiply(work, vol, out=work)
    np.divide(work, sqrt_t, out=work)
    np.multiply(work, -0.5, out=work)
    np.add(theta, work, out=theta)
    np.multiply(theta, THETA_SCALE, out=theta)
    np.multiply(vega, VOL_POINT, out=vega)


def _fix_limits(part: tuple[Column, ...], out: FloatArray, futures: bool) -> None:
    """Overwrite the options with no diffusion left (t = 0 or vol = 0) or a zero spot/strike.

    Their value is deterministic: the discounted forward intrinsic value sign·(S e^{-qt} -
    K e^{-rt}) when that is positive, else 0. The Greeks are the derivatives of that value:
    delta = sign e^{-qt} in the money, else 0; gamma = vega = 0; theta and rho carry only the
    discounting (both 0 at t = 0).
    """
    sign, spot, strike, t, vol, rate, div = (np.broadcast_to(c, out.shape[1:]) for c in part)
    with np.errstate(all="ignore"):
        log_moneyness = np.log(spot / strike)
        std_dev = vol * np.sqrt(t)
    limit = (std_dev == 0.0) | ~np.isfinite(log_moneyness)
    limit &= ~np.isnan(std_dev)
    if not bool(np.any(limit)):
        return
    s, k, tt, r, q, w = spot[limit], strike[limit], t[limit], rate[limit], div[limit], sign[limit]
    spot_disc = s * np.exp(-q * tt)
    strike_disc = k * np.exp(-r * tt)
    # In the money on the forward: sign (ln(S/K) + (r - q) t) > 0; S = 0 or K = 0 decide alone.
    with np.errstate(all="ignore"):
        forward_moneyness = w * (log_moneyness[limit] + (r - q) * tt)
    itm = forward_moneyness > 0.0
    value = np.where(itm, w * (spot_disc - strike_disc), 0.0)
    out[PRICE, limit] = value
    if out.shape[0] == 1:
        return
    out[DELTA, limit] = np.where(itm, w * np.exp(-q * tt), 0.0)
    out[GAMMA, limit] = 0.0
    out[VEGA, limit] = 0.0
    carry = np.where(itm, w * (q * spot_disc - r * strike_disc), 0.0)
    out[THETA, limit] = np.where(tt > 0.0, carry * THETA_SCALE, 0.0)
    if futures:
        out[RHO, limit] = -tt * value * RATE_POINT
    else:
        out[RHO, limit] = np.where(itm, w * tt * strike_disc * RATE_POINT, 0.0)
