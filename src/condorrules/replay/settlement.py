"""Cash settlement of expired options (SPX legs and VIX hedge legs).

SPX options are European and cash-settled (Cboe SPX contract specifications): a leg is worth
its intrinsic value at the settlement level, and nothing else happens. The level:

* AM-settled standard monthlies settle on the expiry day's opening prints (the Special Opening
  Quotation, SOQ). Daily bars do not carry the SOQ; replay uses the bar's ``open`` when the
  data has one, else its ``close``.
* PM-settled weeklies and dailies settle on the expiry day's close: the bar's ``close``.

VIX options settle on the VIX Special Opening Quotation of their expiry Wednesday; replay uses
the VIX on the expiry day's bar (a close), the only VIX the data has.

When the data has no bar on the expiry day (a gap in the user's file), the legs settle on the
first bar after it, at that bar's level — an approximation the decision log records.
"""

from __future__ import annotations

import math

from condorrules.replay.pricing import MarketBar


def settlement_level(settlement: str, bar: MarketBar) -> float:
    """The SPX level an option expiring on (or before) ``bar`` settles at."""
    if settlement == "AM" and math.isfinite(bar.open):
        return bar.open
    return bar.spot


def intrinsic(right: str, strike: float, level: float) -> float:
    """The cash-settlement value per share of one option at ``level``."""
    if right == "call":
        return max(level - strike, 0.0)
    return max(strike - level, 0.0)


def call_spread_value(long_strike: float, short_strike: float, level: float) -> float:
    """The expiry value per share of a bought call spread at ``level``."""
    return intrinsic("call", long_strike, level) - intrinsic("call", short_strike, level)
