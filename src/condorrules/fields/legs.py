"""Leg marks, implied volatilities and Greeks for every leg of every row, in one pricing call.

Where each leg's volatility comes from, in order:

1. a quoted ``iv``;
2. else the volatility implied by a quoted ``mark`` (``greeks.implied_vol``);
3. else the volatility model at the leg's strike and expiry, from the bar's VIX.

A leg's ``mark`` is the quoted mark when given, else the Black-Scholes-Merton value at that
volatility. A leg at or past its expiry (dte <= 0) has no time left: it is worth its intrinsic
value at the bar's spot (unless a mark is quoted), its Greeks are the expiry limits (delta 0 or
±1, the rest 0), and its ``iv`` is unknown unless quoted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from condorrules import greeks
from condorrules.constants import DAYS_PER_YEAR
from condorrules.fields.book import IS_CALL, ROLES, LegBook, MarketRows, intrinsic_value
from condorrules.fields.values import BoolArray, FloatArray, ObjectArray, is_known
from condorrules.greeks import _trusted
from condorrules.market import MarketModel


@dataclass(frozen=True, slots=True)
class PricedLegs:
    """Per-leg results, arrays of shape (n, 4) in ROLES order; reasons are None where known.

    ``mark`` is price per share; ``delta``/``gamma``/``vega``/``theta`` are the option's own
    per-share Greeks (BS sign, gamma per point, vega per vol point, theta per calendar day).
    """

    mark: FloatArray
    iv: FloatArray
    delta: FloatArray
    gamma: FloatArray
    vega: FloatArray
    theta: FloatArray
    intrinsic: FloatArray
    absent_reason: ObjectArray
    """Why each absent slot is absent (None for present legs)."""
    mark_reason: ObjectArray
    iv_reason: ObjectArray
    greek_reason: ObjectArray


def missing_leg_reasons(book: LegBook) -> ObjectArray:
    """(n, 4) reasons for the absent legs (None where present), e.g. "the position has no short
    call (it has no call legs: a put spread, or the call side was closed)"."""
    reasons = np.full(book.present.shape, None, dtype=object)
    if book.present.all():  # every slot filled (iron condors): nothing to explain
        return reasons
    has_puts = book.present[:, :2].any(axis=1)
    has_calls = book.present[:, 2:].any(axis=1)
    for slot, role in enumerate(ROLES):
        side_present = has_calls if IS_CALL[slot] else has_puts
        right = "call" if IS_CALL[slot] else "put"
        other = "put" if IS_CALL[slot] else "call"
        whole_side = (
            f"the position has no {role.replace('_', ' ')} (it has no {right} legs: a "
            f"{other} spread, or the {right} side was closed)"
        )
        one_leg = f"the position has no {role.replace('_', ' ')}"
        absent = ~book.present[:, slot]
        reasons[absent & ~side_present, slot] = whole_side
        reasons[absent & side_present, slot] = one_leg
    return reasons


def price_legs(
    book: LegBook, market: MarketRows, model: MarketModel, absent: ObjectArray | None = None
) -> PricedLegs:
    """Price every present leg of every row with one ``greeks.greeks`` call.

    ``absent`` is :func:`missing_leg_reasons` of ``book`` when the caller already has it.
    """
    shape = book.present.shape
    present = book.present
    dte = np.where(present, (book.expiry - market.date[:, None]).astype(np.float64), np.nan)
    expired = present & (dte <= 0)
    t = np.where(present, np.maximum(dte, 0.0) / DAYS_PER_YEAR, 0.0)
    spot = market.spot[:, None]

    vol, vol_reason = _volatility(book, market, model, t, expired)
    usable = present & (np.isfinite(vol) | expired)
    vol = np.where(expired, 0.0, vol)
    # Rows price, delta, gamma, vega, theta of every slot (NaN where the leg is not priced).
    values = np.full((5, *shape), np.nan)
    rows, slots = np.nonzero(usable)
    if rows.size:
        result = _trusted.greeks_rows(
            IS_CALL[slots], market.spot[rows], book.strike[rows, slots], t[rows, slots],
            vol[rows, slots], market.rate[rows], market.div_yield[rows],
        )  # fmt: skip
        values[:, rows, slots] = result[:5]
    price, delta, gamma, vega, theta = values

    absent = missing_leg_reasons(book) if absent is None else absent
    quoted_mark = np.isfinite(book.mark)
    mark = np.where(quoted_mark, book.mark, price)
    greek_reason = np.where(present, vol_reason, absent)
    mark_reason = np.where(quoted_mark | ~present, absent, vol_reason)
    unquoted_expired = expired & ~np.isfinite(book.iv)
    if unquoted_expired.any():
        iv_reason = np.where(unquoted_expired, _expired_reasons(expired), greek_reason)
    else:
        iv_reason = greek_reason
    iv = np.where(is_known(iv_reason), np.where(np.isfinite(book.iv), book.iv, vol), np.nan)
    mark = np.where(is_known(mark_reason), mark, np.nan)
    intrinsic = intrinsic_value(IS_CALL, spot, book.strike)
    return PricedLegs(
        mark=mark,
        iv=iv,
        delta=delta,
        gamma=gamma,
        vega=vega,
        theta=theta,
        intrinsic=np.where(present, intrinsic, np.nan),
        absent_reason=absent,
        mark_reason=mark_reason.astype(object, copy=False),
        iv_reason=iv_reason.astype(object, copy=False),
        greek_reason=greek_reason.astype(object, copy=False),
    )


def _volatility(
    book: LegBook, market: MarketRows, model: MarketModel, t: FloatArray, expired: BoolArray
) -> tuple[FloatArray, ObjectArray]:
    """Each live leg's volatility (NaN where none can be had) and the reason where it is NaN."""
    shape = book.present.shape
    live = book.present & ~expired
    vol = np.full(shape, np.nan)
    reasons = np.full(shape, None, dtype=object)
    quoted_iv = live & np.isfinite(book.iv)
    vol[quoted_iv] = book.iv[quoted_iv]

    from_mark = live & ~quoted_iv & np.isfinite(book.mark)
    rows, slots = np.nonzero(from_mark)
    if rows.size:
        implied = np.asarray(
            greeks.implied_vol(
                IS_CALL[slots], book.mark[rows, slots], market.spot[rows], book.strike[rows, slots],
                t[rows, slots], market.rate[rows], market.div_yield[rows],
            ),
            dtype=np.float64,
        )  # fmt: skip
        vol[rows, slots] = implied
        for row, slot in zip(
            rows[~np.isfinite(implied)], slots[~np.isfinite(implied)], strict=True
        ):
            reasons[row, slot] = (
                f"no volatility reproduces the {ROLES[slot].replace('_', ' ')}'s quoted mark "
                f"{book.mark[row, slot]:g} at spot {market.spot[row]:g} (outside the "
                "no-arbitrage bounds)"
            )

    from_model = live & ~quoted_iv & ~from_mark
    has_vix = np.isfinite(market.vix)[:, None]
    rows, slots = np.nonzero(from_model & has_vix)
    if rows.size:
        vol[rows, slots] = model.volatility.implied_vol(
            market.spot[rows], book.strike[rows, slots], t[rows, slots], market.vix[rows],
            market.rate[rows], market.div_yield[rows],
        )  # fmt: skip
    no_source = from_model & ~has_vix
    for slot, role in enumerate(ROLES if no_source.any() else ()):
        reasons[no_source[:, slot], slot] = (
            f"no VIX on this bar and no quoted mark or iv for the {role.replace('_', ' ')}, so "
            "the volatility model cannot price it"
        )
    return vol, reasons


def _expired_reasons(expired: BoolArray) -> ObjectArray:
    reasons = np.full(expired.shape, None, dtype=object)
    for slot, role in enumerate(ROLES):
        reasons[expired[:, slot], slot] = (
            f"the {role.replace('_', ' ')} is at or past its expiry (dte <= 0): an option at "
            "expiry has no implied volatility"
        )
    return reasons


__all__ = ["PricedLegs", "missing_leg_reasons", "price_legs"]
