"""Closed-form prices and Greeks: Black-Scholes-Merton with a continuous dividend yield, and
Black-76 for options on futures. Conventions and formulas: docs/greeks.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar, overload

import numpy as np
from numpy.typing import ArrayLike

from condorrules.greeks import _kernel
from condorrules.greeks._inputs import (
    Batch,
    FloatArray,
    FloatOrArray,
    RightLike,
    any_real,
    broadcast,
    call_sign,
    non_negative,
    shaped,
)

ValueT = TypeVar("ValueT", bound=FloatOrArray)

BSM_NAMES = ("right", "spot", "strike", "t", "vol", "rate", "div")
BLACK76_NAMES = ("right", "forward", "strike", "t", "vol", "rate", "rate")


@dataclass(frozen=True, slots=True)
class Greeks(Generic[ValueT]):
    """An option's value and sensitivities, in the units a trader quotes.

    Each field is a float for scalar inputs, else an array of the broadcast shape.
    """

    price: ValueT
    """Option value, in the currency of the underlying."""
    delta: ValueT
    """Value change per 1 point of the underlying (spot, or forward for Black-76); put < 0."""
    gamma: ValueT
    """Delta change per 1 point of the underlying."""
    vega: ValueT
    """Value change per volatility point (0.01 of vol)."""
    theta: ValueT
    """Value change per calendar day passing (1/365 year); usually negative."""
    rho: ValueT
    """Value change per rate point (0.01 of the rate)."""


def _batch(
    right: RightLike,
    underlying: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike,
    div: ArrayLike,
    names: tuple[str, ...],
) -> Batch:
    sign = call_sign(right)
    underlying_array, nan_u = non_negative(underlying, names[1])
    strike_array, nan_k = non_negative(strike, "strike")
    t_array, nan_t = non_negative(t, "t")
    vol_array, nan_v = non_negative(vol, "vol")
    rate_array, nan_r = any_real(rate, "rate")
    div_array, nan_q = any_real(div, names[6])
    arrays = (sign, underlying_array, strike_array, t_array, vol_array, rate_array, div_array)
    has_nan = nan_u or nan_k or nan_t or nan_v or nan_r or nan_q
    return broadcast(arrays, names, has_nan)


def _compute(batch: Batch, *, with_greeks: bool, futures: bool) -> FloatArray:
    rows = _kernel.run(batch.columns, batch.size, with_greeks=with_greeks, futures=futures)
    if batch.nan_mask is not None:
        rows[:, batch.nan_mask] = np.nan
    return rows


def _as_greeks(rows: FloatArray, batch: Batch) -> Greeks[FloatOrArray]:
    return Greeks(*(shaped(row, batch) for row in rows))


@overload
def price(
    right: str | bool,
    spot: float,
    strike: float,
    t: float,
    vol: float,
    rate: float = 0.0,
    div: float = 0.0,
) -> float: ...
@overload
def price(
    right: RightLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> FloatOrArray: ...
def price(
    right: RightLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> FloatOrArray:
    """Black-Scholes-Merton value of a European option with continuous dividend yield ``div``.

    ``t`` in years (calendar days / 365), ``vol``/``rate``/``div`` as ratios. At ``t == 0`` or
    ``vol == 0`` the value is the discounted forward intrinsic value. Raises ``ValueError`` for a
    negative spot, strike, t or vol or an unknown right; NaN inputs give NaN in those places.
    """
    batch = _batch(right, spot, strike, t, vol, rate, div, BSM_NAMES)
    return shaped(_compute(batch, with_greeks=False, futures=False)[0], batch)


@overload
def greeks(
    right: str | bool,
    spot: float,
    strike: float,
    t: float,
    vol: float,
    rate: float = 0.0,
    div: float = 0.0,
) -> Greeks[float]: ...
@overload
def greeks(
    right: RightLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> Greeks[FloatOrArray]: ...
def greeks(
    right: RightLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
    div: ArrayLike = 0.0,
) -> Greeks[float] | Greeks[FloatOrArray]:
    """Black-Scholes-Merton price and Greeks in one pass (arguments as for :func:`price`).

    delta and gamma per 1 point of spot, vega per vol point, theta per calendar day, rho per
    rate point. At ``t == 0`` or ``vol == 0``: delta is ±e^{-div·t} in the money, else 0;
    gamma and vega are 0; theta and rho are those of the discounted intrinsic value.
    """
    batch = _batch(right, spot, strike, t, vol, rate, div, BSM_NAMES)
    return _as_greeks(_compute(batch, with_greeks=True, futures=False), batch)


@overload
def black76_price(
    right: str | bool, forward: float, strike: float, t: float, vol: float, rate: float = 0.0
) -> float: ...
@overload
def black76_price(
    right: RightLike,
    forward: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
) -> FloatOrArray: ...
def black76_price(
    right: RightLike,
    forward: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
) -> FloatOrArray:
    """Black-76 value of a European option on a futures/forward price ``forward``.

    value = e^{-rate·t} · sign · (F N(sign d1) - K N(sign d2)); units and edge cases as
    :func:`price`.
    """
    batch = _batch(right, forward, strike, t, vol, rate, rate, BLACK76_NAMES)
    return shaped(_compute(batch, with_greeks=False, futures=True)[0], batch)


@overload
def black76_greeks(
    right: str | bool, forward: float, strike: float, t: float, vol: float, rate: float = 0.0
) -> Greeks[float]: ...
@overload
def black76_greeks(
    right: RightLike,
    forward: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
) -> Greeks[FloatOrArray]: ...
def black76_greeks(
    right: RightLike,
    forward: ArrayLike,
    strike: ArrayLike,
    t: ArrayLike,
    vol: ArrayLike,
    rate: ArrayLike = 0.0,
) -> Greeks[float] | Greeks[FloatOrArray]:
    """Black-76 price and Greeks, with the forward held fixed for theta and rho.

    delta and gamma are per 1 point of the forward; rho = -t · price per rate point (a change
    in rates moves only the discounting); theta per calendar day; vega per vol point.
    """
    batch = _batch(right, forward, strike, t, vol, rate, rate, BLACK76_NAMES)
    return _as_greeks(_compute(batch, with_greeks=True, futures=True), batch)
