"""Margin for defined-risk option structures, as a broker computes it.

A defined-risk spread's buying-power reduction is its largest possible loss at expiry: for an
iron condor the wider side's width less the credit, for one vertical its width less the
credit. Brokers require the wider side's width for an iron condor (Interactive Brokers and
tastytrade help pages, cited in docs/replay.md, "Margin"); the credit received is held as
cash, so the buying power the trade takes is the width less the credit.

The worst expiry payoff of a group of legs sharing one expiry is found at a kink of the payoff
(zero, a strike, or beyond the top strike); legs of different expiries can lose in turn, so
their groups' worst payoffs add (docs/state.md, "Worst expiry payoff").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from condorrules.replay.settlement import intrinsic


@dataclass(frozen=True, slots=True)
class LegTerms:
    """What margin needs of a leg: right, strike, expiry and signed contracts."""

    right: str
    strike: float
    expiry: dt.date
    qty: float


def worst_payoff(legs: Sequence[LegTerms]) -> float:
    """The lowest expiry payoff (price per share × contracts) of ``legs``; ``-inf`` when a
    rise of the underlying loses without bound (more calls sold than bought)."""
    total = 0.0
    by_expiry: dict[dt.date, list[LegTerms]] = {}
    for leg in legs:
        by_expiry.setdefault(leg.expiry, []).append(leg)
    for expiry in sorted(by_expiry):
        group = by_expiry[expiry]
        call_slope = sum(leg.qty for leg in group if leg.right == "call")
        if call_slope < 0:
            return -math.inf
        kinks = sorted({0.0, *(leg.strike for leg in group)})
        total += min(_payoff(group, price) for price in kinks)
    return total


def _payoff(legs: Iterable[LegTerms], price: float) -> float:
    value = 0.0
    for leg in legs:
        value += leg.qty * intrinsic(leg.right, leg.strike, price)
    return value


def max_loss(legs: Sequence[LegTerms], credit: float, multiplier: float) -> float:
    """Largest loss at expiry in money: ``max(0, -(worst payoff) - credit) × multiplier``.

    ``credit`` is the net credit of the whole structure per share (all contracts, not per
    unit); ``inf`` for an uncovered short call.
    """
    worst = worst_payoff(legs)
    if math.isinf(worst):
        return math.inf
    return max(0.0, -worst - credit) * multiplier


def margin(legs: Sequence[LegTerms], credit: float, multiplier: float) -> float:
    """The buying power a defined-risk structure ties up: its :func:`max_loss` (money)."""
    return max_loss(legs, credit, multiplier)
