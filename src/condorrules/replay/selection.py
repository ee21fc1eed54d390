"""Strike and expiry selection for ``open`` and ``roll`` (LANGUAGE.md §6).

* Expiry: the listed expiry nearest ``dte`` calendar days: from the market calendar's SPX
  listings (monthlies AM-settled, weeklies and dailies PM-settled), or from the chain's
  expirations on that date when a chain is given.
* Short strikes: exactly one of ``short_delta`` (both sides at that delta magnitude),
  ``put_delta`` + ``call_delta``, ``short_otm`` (a ratio of spot away), ``short_em``
  (multiples of the expected move ``spot × atm_iv × sqrt(days / 365)``, days to the chosen
  expiry).
* Wings: ``wing`` (points from each short strike), ``put_wing`` + ``call_wing``, or
  ``wing_delta`` (long strikes at that delta magnitude, beyond the short strike).

Strikes come from the listed grid (every 5 points, :data:`condorrules.market.STRIKE_INCREMENT`,
from half to one and a half times spot) or from the chain's strikes. A delta target picks the
strike whose delta magnitude is nearest (ties: the smaller delta, further out of the money); a
price target picks the nearest strike (ties: further out of the money). A long strike must lie
beyond its short strike.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from condorrules.chain import OptionChain
from condorrules.constants import DAYS_PER_YEAR
from condorrules.market import STRIKE_INCREMENT, MarketModel, strike_grid
from condorrules.replay.pricing import FloatArray, MarketBar, Pricer

GRID_LOW = 0.5
"""Lowest strike considered, as a ratio of spot."""

GRID_HIGH = 1.5
"""Highest strike considered, as a ratio of spot."""

SELECTOR_NAMES = ("short_delta", "put_delta", "call_delta", "short_otm", "short_em")
"""Action arguments that choose the short strikes."""

WING_NAMES = ("wing", "put_wing", "call_wing", "wing_delta")
"""Action arguments that choose the long strikes."""


class SelectionError(Exception):
    """No strike or expiry satisfies the request; the message says why (it is recorded)."""


@dataclass(frozen=True, slots=True)
class Expiry:
    """A listed expiry and how it settles (``AM``: the expiry day's open; ``PM``: its close)."""

    date: dt.date
    settlement: str


@dataclass(frozen=True, slots=True)
class SideStrikes:
    """The strikes of one vertical: the sold one and the bought wing."""

    short: float
    long: float


def settlement_of(day: dt.date, market: MarketModel) -> str:
    """``AM`` for a standard monthly SPX expiry (third Friday), ``PM`` otherwise."""
    return "AM" if market.calendar.monthly_expiration(day.year, day.month) == day else "PM"


def choose_expiry(
    bar: MarketBar, dte: float, market: MarketModel, chain: OptionChain | None
) -> Expiry:
    """The listed expiry nearest ``dte`` calendar days from the bar (after the bar's date)."""
    if chain is not None and chain.expirations(bar.date):
        listed = [day for day in chain.expirations(bar.date) if day > bar.date]
        if not listed:
            raise SelectionError(f"the chain lists no expiry after {bar.date}")
        day = min(listed, key=lambda d: (abs((d - bar.date).days - dte), d))
        return Expiry(day, settlement_of(day, market))
    candidates = [e for e in market.calendar.listed_expirations(bar.date) if e.date > bar.date]
    if not candidates:
        raise SelectionError(f"no SPX expiry is listed after {bar.date}")
    rank = {"monthly": 0, "weekly": 1, "daily": 2}
    best = min(
        candidates,
        key=lambda e: (abs(e.days_from(bar.date) - dte), rank[e.kind], -e.days_from(bar.date)),
    )
    return Expiry(best.date, best.settlement)


class StrikeSelector:
    """Chooses the strikes of one side on one bar and expiry."""

    __slots__ = ("bar", "expiry", "pricer")

    def __init__(self, pricer: Pricer, bar: MarketBar, expiry: Expiry) -> None:
        self.pricer = pricer
        self.bar = bar
        self.expiry = expiry

    def candidates(self, sides: tuple[str, ...]) -> dict[str, tuple[FloatArray, FloatArray]]:
        """Per side, the listed strikes ascending and their deltas (NaN where unpriceable),
        all sides priced in one call."""
        chain = self.pricer.chain
        grids: dict[str, FloatArray] = {}
        for side in sides:
            strikes: FloatArray = np.empty(0)
            if chain is not None:
                listed = chain.strikes(self.bar.date, self.expiry.date, side)
                strikes = np.array(listed, dtype=np.float64)
            if strikes.size == 0:
                spot = self.bar.spot
                strikes = strike_grid(spot * GRID_LOW, spot * GRID_HIGH, STRIKE_INCREMENT)
            grids[side] = strikes
        every = np.concatenate([grids[side] for side in sides])
        is_call = np.concatenate([np.full(grids[side].size, side == "call") for side in sides])
        priced = self.pricer.price(self.bar, is_call, every, [self.expiry.date] * every.size)
        found: dict[str, tuple[FloatArray, FloatArray]] = {}
        start = 0
        for side in sides:
            stop = start + grids[side].size
            found[side] = (grids[side], priced.delta[start:stop])
            start = stop
        return found

    def sides(
        self, sides: tuple[str, ...], selector: Mapping[str, float], wing: Mapping[str, float]
    ) -> dict[str, SideStrikes]:
        """The short and long strikes of each of ``sides`` (``put``/``call``)."""
        chosen: dict[str, SideStrikes] = {}
        for side, (strikes, deltas) in self.candidates(sides).items():
            short = self._short(side, strikes, deltas, selector)
            beyond = strikes < short if side == "put" else strikes > short
            long = self._long(side, strikes[beyond], deltas[beyond], short, wing)
            chosen[side] = SideStrikes(short, long)
        return chosen

    def side(
        self, side: str, selector: Mapping[str, float], wing: Mapping[str, float]
    ) -> SideStrikes:
        """The short and long strikes of one side (``put``/``call``)."""
        return self.sides((side,), selector, wing)[side]

    def expected_move(self) -> float:
        """``spot × atm_iv × sqrt(days / 365)`` to the chosen expiry (index points)."""
        days = (self.expiry.date - self.bar.date).days
        return self.bar.spot * self.pricer.atm_iv(self.bar) * math.sqrt(days / DAYS_PER_YEAR)

    def _short(
        self, side: str, strikes: FloatArray, deltas: FloatArray, selector: Mapping[str, float]
    ) -> float:
        own = f"{side}_delta"
        spot = self.bar.spot
        if "short_delta" in selector or own in selector:
            target = selector.get(own, selector.get("short_delta", math.nan))
            return _by_delta(strikes, deltas, target, f"a short {side}")
        if "short_otm" in selector:
            ratio = selector["short_otm"]
            level = spot * (1 - ratio) if side == "put" else spot * (1 + ratio)
            return _by_level(side, strikes, level, f"a short {side}")
        if "short_em" in selector:
            move = self.expected_move()
            if not math.isfinite(move):
                raise SelectionError("short_em needs the expected move, and the bar has no VIX")
            level = spot - selector["short_em"] * move
            if side == "call":
                level = spot + selector["short_em"] * move
            return _by_level(side, strikes, level, f"a short {side}")
        raise SelectionError(f"no strike selector for the {side} side (give short_delta, ...)")

    def _long(
        self,
        side: str,
        strikes: FloatArray,
        deltas: FloatArray,
        short: float,
        wing: Mapping[str, float],
    ) -> float:
        what = f"a long {side} beyond the short {side} {short:g}"
        if strikes.size == 0:
            raise SelectionError(f"no listed strike for {what}")
        own = f"{side}_wing"
        if "wing_delta" in wing:
            return _by_delta(strikes, deltas, wing["wing_delta"], what)
        width = wing.get(own, wing.get("wing", math.nan))
        if not math.isfinite(width) or width <= 0:
            raise SelectionError(f"no wing width for the {side} side")
        level = short - width if side == "put" else short + width
        return _by_level(side, strikes, level, what)


def _by_delta(strikes: FloatArray, deltas: FloatArray, target: float, what: str) -> float:
    magnitude = np.abs(deltas)
    usable = np.isfinite(magnitude)
    if not usable.any():
        raise SelectionError(f"no strike for {what} has a delta (no VIX or no iv on this bar)")
    distance = np.where(usable, np.abs(magnitude - target), np.inf)
    order = np.lexsort((magnitude, distance))
    return float(strikes[order[0]])


def _by_level(side: str, strikes: FloatArray, level: float, what: str) -> float:
    if strikes.size == 0:
        raise SelectionError(f"no listed strike for {what}")
    distance = np.abs(strikes - level)
    further = strikes if side == "call" else -strikes
    order = np.lexsort((-further, distance))
    return float(strikes[order[0]])
