"""The book: open positions and their legs, hedge layers, cash, and the ledger of every fill.

All money flows through :meth:`Book.fill`, which writes one ledger row per fill and moves cash
by the fill's cash flow (credit positive, fees subtracted). A closing fill realises
``(close − open) × signed contracts closed × multiplier`` less its own fees and the opening fees
of the contracts it closes, so that once everything is closed the realised P&L of all fills
adds up to the sum of all cash flows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from condorrules.constants import SPX_MULTIPLIER, VIX_MULTIPLIER
from condorrules.replay.margin import LegTerms, margin, max_loss

ROLE_ORDER: tuple[str, ...] = ("short_put", "long_put", "short_call", "long_call")
"""Leg order inside a position (the order of docs/state.md's leg slots)."""

TRADE_COLUMNS: tuple[str, ...] = (
    "date",
    "position",
    "rule",
    "action",
    "leg",
    "right",
    "strike",
    "expiry",
    "qty",
    "price",
    "fees",
    "cash_flow",
    "realised_pnl",
)
"""Columns of the trade ledger, in order."""


@dataclass(slots=True)
class OpenLeg:
    """One option leg held: signed contracts, average fill price, and its latest mark."""

    right: str
    strike: float
    expiry: dt.date
    settlement: str
    """``AM`` (settles at the expiry day's open) or ``PM`` (at its close)."""
    qty: int
    open_price: float
    """Average fill price per share of the contracts held."""
    open_fees: float
    """Opening fees (money) of the contracts held, not yet charged to realised P&L."""
    mark: float = math.nan
    iv: float = math.nan
    delta: float = math.nan
    gamma: float = math.nan
    vega: float = math.nan
    theta: float = math.nan
    spread: float = math.nan
    """Quoted bid-ask spread of the latest chain quote (NaN when priced by the model)."""

    @property
    def role(self) -> str:
        """``short_put``, ``long_put``, ``short_call`` or ``long_call``."""
        return f"{'short' if self.qty < 0 else 'long'}_{self.right}"

    @property
    def side(self) -> str:
        """``put`` or ``call``."""
        return self.right

    def terms(self) -> LegTerms:
        """The leg as margin sees it."""
        return LegTerms(self.right, self.strike, self.expiry, float(self.qty))


@dataclass(slots=True)
class OpenPosition:
    """A position in the book: its legs (in :data:`ROLE_ORDER`) and its history."""

    id: str
    structure: str
    opened: dt.date
    rule: str
    legs: list[OpenLeg]
    selection: dict[str, Any]
    """The strike selection that opened it (selector, wing): a roll reuses what it omits."""
    realised_pnl: float = 0.0
    rolls: int = 0
    credit_at_open: float = 0.0
    units_at_open: int = 0
    max_profit: float = 0.0
    max_loss: float = 0.0
    cached_margin: float | None = None
    """The margin of the current legs, or None once they change (see :meth:`changed`)."""
    cached_model: Any = None
    """The engine's view of the position (a ``state.Position``) while nothing changes."""

    def changed(self) -> None:
        """Forget what was computed from the legs, credit, realised P&L or rolls."""
        self.cached_margin = None
        self.cached_model = None

    @property
    def units(self) -> int:
        """Structure units: the greatest common divisor of the legs' contracts."""
        return math.gcd(*(abs(leg.qty) for leg in self.legs)) if self.legs else 0

    @property
    def credit(self) -> float:
        """Net credit per share per unit of the current legs, from their average fill prices."""
        units = self.units
        if units == 0:
            return 0.0
        return -sum(leg.qty * leg.open_price for leg in self.legs) / units

    def margin(self) -> float:
        """Buying power tied up (money), broker convention for defined-risk spreads."""
        if self.cached_margin is None:
            credit = self.credit * self.units
            terms = [leg.terms() for leg in self.legs]
            self.cached_margin = margin(terms, credit, SPX_MULTIPLIER)
        return self.cached_margin

    def max_loss_now(self) -> float:
        """Largest loss at expiry of the current legs and credit (money)."""
        credit = self.credit * self.units
        return max_loss([leg.terms() for leg in self.legs], credit, SPX_MULTIPLIER)

    def side_legs(self, side: str) -> list[OpenLeg]:
        """The legs of one side (``put``/``call``) in role order."""
        return [leg for leg in self.legs if leg.right == side]

    def sort_legs(self) -> None:
        """Put the legs back in :data:`ROLE_ORDER`."""
        self.legs.sort(key=lambda leg: ROLE_ORDER.index(leg.role))

    def value(self) -> float:
        """Mark-to-market value of the legs (money; negative for a short structure)."""
        return sum(leg.qty * leg.mark * SPX_MULTIPLIER for leg in self.legs)


@dataclass(slots=True)
class HedgeLayer:
    """A layer of bought VIX call spreads: long the lower strike, short the higher."""

    id: str
    rule: str
    opened: dt.date
    long_strike: float
    short_strike: float
    expiry: dt.date
    qty: int
    long_price: float
    """Fill price per share of the bought call (VIX points)."""
    short_price: float
    """Fill price per share of the sold call (VIX points)."""
    open_fees: float
    """Opening fees of both legs (money)."""
    long_mark: float = math.nan
    short_mark: float = math.nan

    @property
    def debit(self) -> float:
        """Net debit paid per share (VIX points)."""
        return self.long_price - self.short_price

    @property
    def value(self) -> float:
        """Latest mid value of one spread per share (VIX points)."""
        return self.long_mark - self.short_mark


@dataclass(frozen=True, slots=True)
class Fill:
    """One fill to book: what was traded, at what price, for which position and rule."""

    date: dt.date
    position: str
    rule: str
    action: str
    leg: str
    right: str
    strike: float
    expiry: dt.date
    qty: int
    """Signed contracts traded: positive bought, negative sold."""
    price: float
    fees: float
    multiplier: float = SPX_MULTIPLIER


@dataclass(slots=True)
class Book:
    """Cash, open positions and hedges, and the ledger; ids are ``p1, p2, ...``, ``h1, ...``."""

    capital: float
    cash: float = 0.0
    positions: dict[str, OpenPosition] = field(default_factory=dict)
    hedges: list[HedgeLayer] = field(default_factory=list)
    trades: list[tuple[Any, ...]] = field(default_factory=list)
    closed: list[dict[str, Any]] = field(default_factory=list)
    opened_count: int = 0
    hedge_count: int = 0
    clock: dt.datetime | None = None
    """The time stamp of the bar being replayed: the ledger's ``date`` (with a time of day
    for intraday bars); None books a fill at its own date."""

    def __post_init__(self) -> None:
        self.cash = self.capital

    def next_position_id(self) -> str:
        """A fresh position id."""
        self.opened_count += 1
        return f"p{self.opened_count}"

    def next_hedge_id(self) -> str:
        """A fresh hedge layer id."""
        self.hedge_count += 1
        return f"h{self.hedge_count}"

    def fill(self, fill: Fill, realised: float = 0.0) -> float:
        """Book ``fill``: a ledger row and the cash flow (returned, money, credit positive)."""
        cash_flow = -fill.qty * fill.price * fill.multiplier - fill.fees
        self.cash += cash_flow
        self.trades.append(
            (
                self.clock if self.clock is not None else fill.date,
                fill.position,
                fill.rule,
                fill.action,
                fill.leg,
                fill.right,
                fill.strike,
                fill.expiry,
                fill.qty,
                fill.price,
                fill.fees,
                cash_flow,
                realised,
            )
        )
        return cash_flow

    def open_leg(self, position: OpenPosition, leg: OpenLeg, fill: Fill) -> None:
        """Add contracts to ``position``: a new leg, or more of a leg it holds (average price)."""
        self.fill(fill)
        position.changed()
        for held in position.legs:
            same_contract = (held.right, held.strike, held.expiry) == (
                leg.right,
                leg.strike,
                leg.expiry,
            )
            if same_contract and held.qty * leg.qty > 0:
                total = held.qty + leg.qty
                held.open_price = (
                    held.open_price * abs(held.qty) + fill.price * abs(leg.qty)
                ) / abs(total)
                held.open_fees += fill.fees
                held.qty = total
                return
        leg.open_price = fill.price
        leg.open_fees = fill.fees
        position.legs.append(leg)
        position.sort_legs()

    def close_leg(self, position: OpenPosition, leg: OpenLeg, contracts: int, fill: Fill) -> float:
        """Close ``contracts`` (> 0) of ``leg`` at ``fill.price``; return the realised money."""
        part = contracts if leg.qty > 0 else -contracts
        share = contracts / abs(leg.qty)
        opening_fees = leg.open_fees * share
        gross = (fill.price - leg.open_price) * part * fill.multiplier
        realised = gross - fill.fees - opening_fees
        self.fill(fill, realised)
        position.changed()
        leg.open_fees -= opening_fees
        leg.qty -= part
        if leg.qty == 0:
            position.legs.remove(leg)
        position.realised_pnl += realised
        return realised

    def retire(self, position: OpenPosition, date: dt.date, reason: str) -> None:
        """Move an emptied position out of the book into the closed list."""
        del self.positions[position.id]
        self.closed.append(summary(position, date, reason))

    def open_value(self) -> float:
        """Mark-to-market value of every open leg (money)."""
        return sum(position.value() for position in self.positions.values())

    def hedge_value(self) -> float:
        """Mid value of every hedge layer (money)."""
        return sum(layer.value * layer.qty * VIX_MULTIPLIER for layer in self.hedges)

    def margin(self) -> float:
        """Buying power tied up by all open positions (money)."""
        return sum(position.margin() for position in self.positions.values())


def summary(position: OpenPosition, closed: dt.date | None, reason: str) -> dict[str, Any]:
    """A position's row of the positions table."""
    return {
        "id": position.id,
        "structure": position.structure,
        "rule": position.rule,
        "opened": position.opened,
        "closed": closed,
        "qty": position.units_at_open,
        "credit": position.credit_at_open,
        "realised_pnl": position.realised_pnl,
        "rolls": position.rolls,
        "max_profit": position.max_profit,
        "max_loss": position.max_loss,
        "exit_reason": reason,
        "unrealised_pnl": 0.0,
    }
