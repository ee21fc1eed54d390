"""Carrying out the engine's actions on the book: open, close, roll, resize, hedge, unhedge.

Each action fills at the model (or chain) mid of the bar it is decided on, moved against the
trader by :class:`~condorrules.replay.fills.Costs`, and pays fees per contract. An action that
cannot be carried out (it does not fit the margin, no strike satisfies it, the bar has no
price) is *skipped*: nothing trades and the reason is returned for the decision log.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from condorrules.constants import SPX_MULTIPLIER
from condorrules.fields import TESTED_DELTA
from condorrules.replay.book import Book, Fill, OpenLeg, OpenPosition
from condorrules.replay.fills import Costs
from condorrules.replay.hedges import HedgeDesk
from condorrules.replay.margin import LegTerms, margin
from condorrules.replay.pricing import MarketBar, Pricer
from condorrules.replay.protocol import ActionLike, ArgumentValue, Skip, number_argument
from condorrules.replay.selection import (
    SELECTOR_NAMES,
    WING_NAMES,
    Expiry,
    SelectionError,
    SideStrikes,
    StrikeSelector,
    choose_expiry,
)

STRUCTURE_SIDES: Mapping[str, tuple[str, ...]] = {
    "iron_condor": ("put", "call"),
    "put_spread": ("put",),
    "call_spread": ("call",),
}

MARGIN_TOLERANCE = 1e-6
"""Money below which a margin shortfall is rounding, not a shortfall."""


@dataclass(frozen=True, slots=True)
class NewLeg:
    """A leg about to be opened: right, strike, expiry, signed contracts, and its pricing."""

    right: str
    strike: float
    expiry: Expiry
    qty: int
    mid: float
    spread: float
    iv: float
    delta: float
    gamma: float
    vega: float
    theta: float


class Executor:
    """Carries out actions on ``book`` for one run."""

    def __init__(self, book: Book, pricer: Pricer, costs: Costs, hedges: HedgeDesk) -> None:
        self.book = book
        self.pricer = pricer
        self.costs = costs
        self.hedges = hedges

    def carry_out(self, action: ActionLike, bar: MarketBar) -> str:
        """Carry out ``action``; return the id of the position or hedge layer it traded.

        Raises :class:`Skip` with the reason when it cannot be carried out.
        """
        kind = action.kind
        if kind == "open":
            return self.open(action, bar)
        if kind == "hedge":
            return self.hedges.hedge(action, bar, self.book.margin())
        if kind == "unhedge":
            return self.hedges.unhedge(action, bar)
        position = self.book.positions.get(action.position or "")
        if position is None:
            raise Skip(f"position {action.position} is not open")
        if kind == "close":
            self.close(position, action, bar)
        elif kind == "roll":
            self.roll(position, action, bar)
        elif kind == "resize":
            self.resize(position, action, bar)
        else:
            raise Skip(f"replay does not carry out `{kind}` actions")
        return position.id

    # -- open ------------------------------------------------------------------------------

    def open(self, action: ActionLike, bar: MarketBar) -> str:
        """Open a new structure chosen by the action's selectors; return its id."""
        args = action.args
        structure = action.structure or "iron_condor"
        sides = STRUCTURE_SIDES.get(structure)
        if sides is None:
            raise Skip(f"replay cannot open a {structure}")
        dte = number_argument(args, "dte")
        expiry = self._expiry(bar, dte)
        selector = _pick(args, SELECTOR_NAMES)
        wing = _pick(args, WING_NAMES)
        strikes = self._sides(bar, expiry, sides, selector, wing)
        if len(sides) == 2 and strikes["put"].short >= strikes["call"].short:
            raise Skip(
                f"the short put {strikes['put'].short:g} is not below the short call "
                f"{strikes['call'].short:g}"
            )
        unit_legs = self._price_new(bar, expiry, strikes, 1)
        credit = self._credit(unit_legs)
        unit_loss = margin([_terms(leg) for leg in unit_legs], credit, SPX_MULTIPLIER)
        qty = self._size(args, unit_loss)
        needed = unit_loss * qty
        self._check_margin(needed, 0.0, "open")
        position = OpenPosition(
            id=self.book.next_position_id(),
            structure=structure,
            opened=bar.date,
            rule=action.rule,
            legs=[],
            selection={**selector, **wing},
            credit_at_open=credit,
            units_at_open=qty,
            max_profit=max(credit, 0.0) * SPX_MULTIPLIER * qty,
            max_loss=needed,
        )
        self.book.positions[position.id] = position
        for leg in unit_legs:
            self._open_leg(position, leg, leg.qty * qty, bar.date, action.rule, "open")
        return position.id

    def _size(self, args: Mapping[str, ArgumentValue], unit_loss: float) -> int:
        if "risk" in args and args["risk"] is not None:
            risk = number_argument(args, "risk")
            if unit_loss <= 0:
                raise Skip("risk sizing needs a structure that can lose money")
            budget = risk * self.equity()
            qty = math.floor(budget / unit_loss + 1e-9)
            if qty < 1:
                raise Skip(
                    f"risk {risk:.2%} of equity is ${budget:,.2f}, less than one contract's "
                    f"max loss ${unit_loss:,.2f}"
                )
            return qty
        qty_value = args.get("qty", 1.0)
        qty = 1 if qty_value is None else round(float(qty_value))
        if qty < 1:
            raise Skip(f"qty {qty_value} is not a positive number of contracts")
        return qty

    # -- close, resize ---------------------------------------------------------------------

    def close(self, position: OpenPosition, action: ActionLike, bar: MarketBar) -> None:
        """Buy back the whole position, or one side (``side: put|call``)."""
        side = action.args.get("side")
        legs = list(position.legs)
        if side in ("put", "call"):
            legs = position.side_legs(str(side))
            if not legs:
                raise Skip(f"position {position.id} has no {side} side")
        self._need_marks(legs, position.id)
        for leg in legs:
            self._close_leg(position, leg, abs(leg.qty), bar.date, action.rule, "close")
        if not position.legs:
            self.book.retire(position, bar.date, action.rule)

    def resize(self, position: OpenPosition, action: ActionLike, bar: MarketBar) -> None:
        """Change the position to ``qty`` structure units, every leg in proportion."""
        target = round(number_argument(action.args, "qty"))
        units = position.units
        if target < 1:
            raise Skip(f"qty {target} is not a positive number of contracts")
        if target == units:
            raise Skip(f"position {position.id} already holds {units} units")
        self._need_marks(position.legs, position.id)
        ratio = target / units
        if target > units:
            extra = position.margin() * (ratio - 1)
            self._check_margin(extra, 0.0, "resize")
        for leg in list(position.legs):
            change = round(leg.qty * ratio) - leg.qty
            if change * leg.qty < 0:
                self._close_leg(position, leg, abs(change), bar.date, action.rule, "resize")
            else:
                new = _existing(leg)
                self._open_leg(position, new, change, bar.date, action.rule, "resize")

    # -- roll ------------------------------------------------------------------------------

    def roll(self, position: OpenPosition, action: ActionLike, bar: MarketBar) -> None:
        """Close the named legs and reopen them by the selection rules; same position id."""
        args = action.args
        sides = self._roll_sides(position, str(args.get("side") or "both"), bar)
        self._need_marks(position.legs, position.id)
        selector = merge_selection(
            _pick(position.selection, SELECTOR_NAMES), _pick(args, SELECTOR_NAMES)
        )
        new_legs: list[NewLeg] = []
        old_legs: list[OpenLeg] = []
        units = position.units
        for side in sides:
            legs = position.side_legs(side)
            expiry = self._roll_expiry(legs, args.get("dte"), bar)
            wing = _pick(args, WING_NAMES)
            if not any(name in wing for name in ("wing", f"{side}_wing", "wing_delta")):
                wing = {"wing": _width(legs)}  # wing: same
            strikes = self._sides(bar, expiry, (side,), selector, wing)
            priced = self._price_new(bar, expiry, strikes, units)
            if _same_strikes(legs, priced):
                continue
            old_legs += legs
            new_legs += priced
        if not new_legs:
            raise Skip(f"the roll would reopen position {position.id}'s legs unchanged")
        self._check_roll_margin(position, old_legs, new_legs)
        for leg in old_legs:
            self._close_leg(position, leg, abs(leg.qty), bar.date, action.rule, "roll")
        for new in new_legs:
            self._open_leg(position, new, new.qty, bar.date, action.rule, "roll")
        position.rolls += 1
        position.changed()
        position.selection = {**selector, **_pick(position.selection, WING_NAMES)}

    def _roll_sides(self, position: OpenPosition, side: str, bar: MarketBar) -> list[str]:
        held = [s for s in ("put", "call") if position.side_legs(s)]
        if side == "both":
            return held
        if side in ("tested", "untested"):
            tested = tested_side(position, bar.spot)
            if tested == "none":
                raise Skip(f"position {position.id} has no tested side")
            side = tested if side == "tested" else ("call" if tested == "put" else "put")
        if side not in held:
            raise Skip(f"position {position.id} has no {side} side to roll")
        return [side]

    def _roll_expiry(self, legs: list[OpenLeg], dte: ArgumentValue, bar: MarketBar) -> Expiry:
        if dte is None or dte == "same":
            short = next((leg for leg in legs if leg.qty < 0), legs[0])
            return Expiry(short.expiry, short.settlement)
        return self._expiry(bar, float(dte))

    def _check_roll_margin(
        self, position: OpenPosition, old_legs: list[OpenLeg], new_legs: list[NewLeg]
    ) -> None:
        kept = [leg for leg in position.legs if all(leg is not old for old in old_legs)]
        terms = [leg.terms() for leg in kept] + [_terms(leg) for leg in new_legs]
        credit = -sum(leg.qty * leg.open_price for leg in kept)
        credit -= sum(leg.qty * self._fill_price(leg.mid, leg.qty, leg.spread) for leg in new_legs)
        after = margin(terms, credit, SPX_MULTIPLIER)
        self._check_margin(after, position.margin(), "roll")

    # -- shared pieces ---------------------------------------------------------------------

    def equity(self) -> float:
        """Cash plus the marked value of every leg and hedge layer (money)."""
        return self.book.cash + self.book.open_value() + self.book.hedge_value()

    def _check_margin(self, needed: float, released: float, what: str) -> None:
        in_use = self.book.margin()
        available = self.equity() - in_use + released
        if needed > available + MARGIN_TOLERANCE:
            raise Skip(
                f"margin: the {what} needs ${needed:,.2f} of buying power, "
                f"${available:,.2f} is available (equity ${self.equity():,.2f}, "
                f"margin in use ${in_use:,.2f})"
            )

    def _expiry(self, bar: MarketBar, dte: float) -> Expiry:
        try:
            return choose_expiry(bar, dte, self.pricer.market, self.pricer.chain)
        except SelectionError as error:
            raise Skip(str(error)) from None

    def _sides(
        self,
        bar: MarketBar,
        expiry: Expiry,
        sides: tuple[str, ...],
        selector: Mapping[str, float],
        wing: Mapping[str, float],
    ) -> dict[str, SideStrikes]:
        try:
            return StrikeSelector(self.pricer, bar, expiry).sides(sides, selector, wing)
        except SelectionError as error:
            raise Skip(str(error)) from None

    def _price_new(
        self, bar: MarketBar, expiry: Expiry, strikes: Mapping[str, SideStrikes], units: int
    ) -> list[NewLeg]:
        """The legs of ``strikes`` (short then long, puts first) priced in one call."""
        specs: list[tuple[str, float, int]] = []
        for side in ("put", "call"):
            if side in strikes:
                specs += [(side, strikes[side].short, -units), (side, strikes[side].long, units)]
        is_call = np.array([right == "call" for right, _, _ in specs])
        levels = np.array([strike for _, strike, _ in specs], dtype=np.float64)
        priced = self.pricer.price(bar, is_call, levels, [expiry.date] * len(specs))
        if not np.isfinite(priced.mark).all():
            raise Skip("the bar has no VIX and no quote to price the new legs")
        return [
            NewLeg(
                right,
                strike,
                expiry,
                qty,
                float(priced.mark[i]),
                float(priced.spread[i]),
                float(priced.iv[i]),
                float(priced.delta[i]),
                float(priced.gamma[i]),
                float(priced.vega[i]),
                float(priced.theta[i]),
            )
            for i, (right, strike, qty) in enumerate(specs)
        ]

    def _credit(self, legs: list[NewLeg]) -> float:
        return -sum(leg.qty * self._fill_price(leg.mid, leg.qty, leg.spread) for leg in legs)

    def _fill_price(self, mid: float, qty: float, spread: float) -> float:
        return self.costs.fill_price(mid, qty, spread)

    def _open_leg(
        self,
        position: OpenPosition,
        new: NewLeg,
        contracts: int,
        date: dt.date,
        rule: str,
        action: str,
    ) -> None:
        price = self._fill_price(new.mid, contracts, new.spread)
        leg = OpenLeg(
            new.right,
            new.strike,
            new.expiry.date,
            new.expiry.settlement,
            contracts,
            price,
            0.0,
            new.mid,
            new.iv,
            new.delta,
            new.gamma,
            new.vega,
            new.theta,
            new.spread,
        )
        fill = Fill(
            date,
            position.id,
            rule,
            action,
            leg.role,
            leg.right,
            leg.strike,
            leg.expiry,
            contracts,
            price,
            self.costs.fees(contracts),
        )
        self.book.open_leg(position, leg, fill)

    def _close_leg(
        self,
        position: OpenPosition,
        leg: OpenLeg,
        contracts: int,
        date: dt.date,
        rule: str,
        action: str,
    ) -> None:
        qty = -contracts if leg.qty > 0 else contracts
        price = self._fill_price(leg.mark, qty, leg.spread)
        fill = Fill(
            date,
            position.id,
            rule,
            action,
            leg.role,
            leg.right,
            leg.strike,
            leg.expiry,
            qty,
            price,
            self.costs.fees(contracts),
        )
        self.book.close_leg(position, leg, contracts, fill)

    @staticmethod
    def _need_marks(legs: list[OpenLeg], position: str) -> None:
        if not all(math.isfinite(leg.mark) for leg in legs):
            raise Skip(f"position {position} has a leg without a price on this bar (no VIX)")


def tested_side(position: OpenPosition, spot: float) -> str:
    """The ``tested`` field: ``none`` when every short delta is below 0.20 in magnitude, else
    the side whose short strike is nearer the spot (ties: the larger delta, then put)."""
    shorts = [leg for leg in position.legs if leg.qty < 0]
    if not shorts or all(abs(leg.delta) < TESTED_DELTA for leg in shorts):
        return "none"
    if len(shorts) == 1:
        return shorts[0].right
    ranked = sorted(
        shorts,
        key=lambda leg: (abs(leg.strike - spot), -abs(leg.delta), leg.right != "put"),
    )
    return ranked[0].right


def merge_selection(old: Mapping[str, float], new: Mapping[str, float]) -> dict[str, float]:
    """The strike selection after a roll: a selector for both sides (``short_delta``,
    ``short_otm``, ``short_em``) replaces the old one; ``put_delta``/``call_delta`` replace
    only their side's, the other side keeps its old selector."""
    if any(name in new for name in ("short_delta", "short_otm", "short_em")):
        return dict(new)
    return {**old, **new}


def _existing(leg: OpenLeg) -> NewLeg:
    """A held leg as a :class:`NewLeg` (to add contracts to it at its current mark)."""
    return NewLeg(
        leg.right,
        leg.strike,
        Expiry(leg.expiry, leg.settlement),
        leg.qty,
        leg.mark,
        leg.spread,
        leg.iv,
        leg.delta,
        leg.gamma,
        leg.vega,
        leg.theta,
    )


def _terms(leg: NewLeg) -> LegTerms:
    return LegTerms(leg.right, leg.strike, leg.expiry.date, float(leg.qty))


def _width(legs: list[OpenLeg]) -> float:
    strikes = [leg.strike for leg in legs]
    return max(strikes) - min(strikes) if len(strikes) == 2 else math.nan


def _same_strikes(legs: list[OpenLeg], new: list[NewLeg]) -> bool:
    old = sorted((leg.strike, leg.expiry, leg.qty) for leg in legs)
    return old == sorted((leg.strike, leg.expiry.date, leg.qty) for leg in new)


def _pick(args: Mapping[str, object], names: tuple[str, ...]) -> dict[str, float]:
    """The numeric arguments among ``names`` (symbols such as ``same`` and unknowns dropped)."""
    return {
        name: float(value)
        for name in names
        if isinstance(value := args.get(name), int | float) and not isinstance(value, bool)
    }
