"""Structure-only risk figures (worst expiry loss, margin) and the lognormal probability tail.

Neither needs the legs priced: max loss and margin depend only on strikes, quantities, expiries
and the credit; the probability above a level needs only a volatility.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtr

from condorrules.fields.book import (
    CALL_SLOTS,
    IS_CALL,
    PUT_SLOTS,
    IntArray,
    LegBook,
    intrinsic_value,
)
from condorrules.fields.values import BoolArray, Column, FloatArray, known_column, with_unknown

NAKED_MARGIN = (
    "undefined risk: a short leg is not covered by a long leg of the same right; broker margin "
    "for naked options is not modelled"
)


def max_loss_and_margin(book: LegBook, per_unit: FloatArray) -> tuple[Column, Column]:
    """Worst loss at expiry (money) and the defined-risk margin; formulas in docs/state.md.

    The expiry payoff per unit is piecewise linear in the settlement price with kinks at the
    strikes, so its minimum is at 0, a strike, or beyond the highest strike (where it is
    unbounded below if more calls are sold than bought). When the put and call sides expire on
    different dates both can lose in turn, so the side minima add up.
    """
    strikes = np.where(book.present, book.strike, 0.0)
    beyond = 2 * strikes.max(axis=1, keepdims=True) + 1
    points = np.concatenate([np.zeros((len(book), 1)), strikes, beyond], axis=1)
    intrinsic = intrinsic_value(IS_CALL[None, None, :], points[:, :, None], strikes[:, None, :])
    weighted = intrinsic * per_unit[:, None, :]
    put_payoff = weighted[:, :, list(PUT_SLOTS)].sum(axis=2)
    call_payoff = weighted[:, :, list(CALL_SLOTS)].sum(axis=2)
    put_expiries = _distinct_expiries(book.expiry, book.present, PUT_SLOTS)
    call_expiries = _distinct_expiries(book.expiry, book.present, CALL_SLOTS)
    one_expiry = _distinct_expiries(book.expiry, book.present, PUT_SLOTS + CALL_SLOTS) <= 1
    worst = np.where(
        one_expiry,
        (put_payoff + call_payoff).min(axis=1),
        put_payoff.min(axis=1) + call_payoff.min(axis=1),
    )
    loss = np.maximum(-worst - book.credit, 0.0) * book.multiplier * book.units
    max_loss = known_column(loss)
    for right, count in (("put", put_expiries), ("call", call_expiries)):
        max_loss = with_unknown(
            max_loss,
            count > 1,
            f"the {right} legs expire on different dates (a calendar): the loss at expiry is "
            "not defined",
        )
    naked_call = per_unit[:, list(CALL_SLOTS)].sum(axis=1) < 0
    max_loss = with_unknown(
        max_loss, naked_call, "more calls are sold than bought, so the loss is unbounded"
    )
    naked_put = per_unit[:, list(PUT_SLOTS)].sum(axis=1) < 0
    margin = with_unknown(max_loss, naked_put | naked_call, NAKED_MARGIN)
    return max_loss, margin


def _distinct_expiries(expiry: IntArray, present: BoolArray, slots: tuple[int, ...]) -> IntArray:
    """0, 1 or 2 (= more than one) distinct expiries among the present legs in ``slots``."""
    chosen = expiry[:, list(slots)]
    mask = present[:, list(slots)]
    low = np.where(mask, chosen, _LATEST).min(axis=1)
    high = np.where(mask, chosen, _EARLIEST).max(axis=1)
    result: IntArray = mask.any(axis=1).astype(np.int64) + (high > low)
    return result


_LATEST = np.iinfo(np.int64).max
_EARLIEST = np.iinfo(np.int64).min


def probability_above(
    level: FloatArray,
    spot: FloatArray,
    vol: FloatArray,
    t: FloatArray,
    rate: FloatArray,
    div_yield: FloatArray,
) -> FloatArray:
    """Risk-neutral lognormal P(S_T > level) = N(d2); at t = 0 whether spot is above level.

    A level at or below 0 is always exceeded. NaN vol gives NaN (where t > 0).
    """
    positive = level > 0
    safe_level = np.where(positive, level, spot)
    with np.errstate(all="ignore"):
        d2 = (np.log(spot / safe_level) + (rate - div_yield - 0.5 * vol * vol) * t) / (
            vol * np.sqrt(t)
        )
        probability = np.where(t > 0, ndtr(d2), (spot > safe_level).astype(np.float64))
    result: FloatArray = np.where(positive, probability, 1.0)
    return result


__all__ = ["NAKED_MARGIN", "max_loss_and_margin", "probability_above"]
