"""Position-scope fields (LANGUAGE.md §4) for n rows at once; formulas in docs/state.md.

Conventions: the leg fields are the option's own per-share values (BS-signed delta); position
Greeks are share-equivalent (Σ signed qty × multiplier × leg Greek); credit and mark are per
structure unit (see ``LegBook.units``); money is credit/mark × multiplier × units.

Fields are computed in groups, on demand: asking only for ``dte`` and ``max_loss`` never prices
a leg.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np

from condorrules.constants import DAYS_PER_YEAR
from condorrules.fields.book import IS_CALL, ROLES, LegBook, MarketRows
from condorrules.fields.legs import PricedLegs, missing_leg_reasons, price_legs
from condorrules.fields.risk import max_loss_and_margin, probability_above
from condorrules.fields.values import (
    BoolArray,
    Column,
    FloatArray,
    ObjectArray,
    choose,
    derived,
    is_known,
    known_column,
    no_reasons,
    with_unknown,
)
from condorrules.market import MarketModel

TESTED_DELTA = 0.20
"""A side counts as tested only when its short delta magnitude reaches this (LANGUAGE.md §4)."""

LEG_STRUCTURE = ("strike", "otm", "itm")
"""Leg fields that need no pricing."""

LEG_PRICED = ("delta", "gamma", "vega", "theta", "iv", "mark", "extrinsic")
"""Leg fields that need the leg priced."""

LEG_ATTRIBUTES = LEG_STRUCTURE + LEG_PRICED
"""Fields of each leg (``short_put.delta``, ...)."""

SIDE_ATTRIBUTES = ("width", "credit", "mark")
"""Fields of each side (``put_side.width``, ...)."""

SP, LP, SC, LC = 0, 1, 2, 3
SIDES = (("put", SP, LP, (SC, LC)), ("call", SC, LC, (SP, LP)))
"""(name, short slot, long slot, the other side's slots)."""

Columns = dict[str, Column]


def position_columns(
    book: LegBook,
    market: MarketRows,
    model: MarketModel,
    names: Collection[str] | None = None,
) -> Columns:
    """Position-scope fields for every row of ``book`` evaluated on ``market``'s rows.

    ``names`` restricts the work to those fields (and what they need: legs are priced only when
    a requested field depends on a mark, an iv or a Greek); default every field. Raises KeyError
    naming a field that does not exist.
    """
    derivation = _Derivation(book, market, model)
    wanted = POSITION_FIELDS if names is None else names
    return {name: derivation.column(name) for name in wanted}


class _Derivation:
    """Computes groups of position fields on demand and remembers them."""

    def __init__(self, book: LegBook, market: MarketRows, model: MarketModel) -> None:
        self.book = book
        self.market = market
        self.model = model
        self.columns: Columns = {}
        self._legs: PricedLegs | None = None
        self.absent = missing_leg_reasons(book)
        self.per_unit = np.where(book.present, book.qty / book.units[:, None], 0.0)

    @property
    def legs(self) -> PricedLegs:
        """Every leg priced (one greeks call), on first use."""
        if self._legs is None:
            self._legs = price_legs(self.book, self.market, self.model, self.absent)
        return self._legs

    def column(self, name: str) -> Column:
        """The column of field ``name``, computing its group if needed."""
        if name not in self.columns:
            try:
                group = _GROUP_OF[name]
            except KeyError:
                raise KeyError(f"{name!r} is not a position field") from None
            self.columns.update(group(self))
        return self.columns[name]


def _row_reason(reasons: ObjectArray, mask: BoolArray) -> ObjectArray:
    """Per row, the first reason among the slots in ``mask`` (None when all are known)."""
    result = np.full(reasons.shape[0], None, dtype=object)
    if not reasons.any():  # every slot known (reasons are None or non-empty text)
        return result
    for slot in reversed(range(reasons.shape[1])):
        take = mask[:, slot] & ~is_known(reasons[:, slot])
        result = np.where(take, reasons[:, slot], result)
    return result


def _expiry(d: _Derivation) -> Columns:
    """dte and expiry: the earliest expiry among the present legs."""
    expiry = np.where(d.book.present, d.book.expiry, np.iinfo(np.int64).max).min(axis=1)
    return {
        "dte": known_column((expiry - d.market.date).astype(np.float64)),
        "expiry": known_column(expiry.astype("datetime64[D]")),
    }


def _bookkeeping(d: _Derivation) -> Columns:
    book = d.book
    return {
        "days_in_trade": known_column((d.market.date - book.opened).astype(np.float64)),
        "opened": known_column(book.opened.astype("datetime64[D]")),
        "qty": known_column(book.units),
        "rolls": known_column(book.rolls),
        "credit": known_column(book.credit),
    }


def _leg_strikes(d: _Derivation) -> Columns:
    """.strike of every leg."""
    return {
        f"{role}.strike": Column(d.book.strike[:, slot], d.absent[:, slot])
        for slot, role in enumerate(ROLES)
    }


def _leg_moneyness(d: _Derivation) -> Columns:
    """.otm, .itm of every leg: no pricing needed."""
    spot = d.market.spot[:, None]
    otm = np.where(IS_CALL, d.book.strike - spot, spot - d.book.strike) / spot
    columns: Columns = {}
    for slot, role in enumerate(ROLES):
        reasons = d.absent[:, slot]
        columns[f"{role}.otm"] = Column(otm[:, slot], reasons)
        columns[f"{role}.itm"] = Column(otm[:, slot] < 0, reasons)  # NaN (absent) < 0 is False
    return columns


def _leg_prices(attribute: str) -> Callable[[_Derivation], Columns]:
    """The group computing ``.<attribute>`` (delta, gamma, vega, theta, iv, mark or extrinsic)
    of every leg: one group per attribute, so a ruleset reading only the short deltas does not
    build the 28 columns of every priced attribute."""

    def group(d: _Derivation) -> Columns:
        legs = d.legs
        if attribute == "extrinsic":
            values, reasons = legs.mark - legs.intrinsic, legs.mark_reason
        elif attribute in ("iv", "mark"):
            values, reasons = getattr(legs, attribute), getattr(legs, f"{attribute}_reason")
        else:  # the Greeks
            values, reasons = getattr(legs, attribute), legs.greek_reason
        # Every reason array already names the absent legs, so no extra masking is needed.
        return {
            f"{role}.{attribute}": Column(values[:, slot], reasons[:, slot])
            for slot, role in enumerate(ROLES)
        }

    return group


def _max_profit(d: _Derivation) -> Columns:
    """max_profit: the credit in money (structure only)."""
    book = d.book
    max_profit = with_unknown(
        known_column(book.credit * book.multiplier * book.units),
        book.credit <= 0,
        "the position was opened for a debit (credit <= 0), so it has no maximum profit to measure",
    )
    return {"max_profit": max_profit}


def _max_loss(d: _Derivation) -> Columns:
    """max_loss, margin: structure only."""
    max_loss, margin = max_loss_and_margin(d.book, d.per_unit)
    return {"max_loss": max_loss, "margin": margin}


def _money(d: _Derivation) -> Columns:
    """mark, pnl, pnl_pct, extrinsic."""
    book, legs = d.book, d.legs
    mark_reason = _row_reason(legs.mark_reason, book.present)
    leg_marks = np.where(book.present, legs.mark, 0.0)
    mark = derived(
        -np.sum(d.per_unit * leg_marks, axis=1), Column(np.zeros(len(book)), mark_reason)
    )
    extrinsic = -np.sum(
        d.per_unit * np.where(book.present, legs.mark - legs.intrinsic, 0.0), axis=1
    )
    pnl = derived(
        (book.credit - mark.values) * book.multiplier * book.units + book.realised_pnl, mark
    )
    max_profit = d.column("max_profit")
    profit = np.where(max_profit.known, max_profit.values, 1.0)
    return {
        "mark": mark,
        "pnl": pnl,
        "pnl_pct": derived(pnl.values / profit, pnl, max_profit),
        "extrinsic": derived(extrinsic, mark),
    }


def _return_on_margin(d: _Derivation) -> Columns:
    """return_on_margin: pnl over margin."""
    pnl, margin = d.column("pnl"), d.column("margin")
    usable_margin = margin.known & (margin.values > 0)
    return_on_margin = with_unknown(
        derived(pnl.values / np.where(usable_margin, margin.values, 1.0), pnl, margin),
        margin.known & ~usable_margin,
        "the position's margin is 0",
    )
    return {"return_on_margin": return_on_margin}


def _greeks(d: _Derivation) -> Columns:
    """Share-equivalent position Greeks: Σ signed qty × multiplier × leg Greek."""
    book, legs = d.book, d.legs
    reason = Column(np.zeros(len(book)), _row_reason(legs.greek_reason, book.present))
    weight = np.where(book.present, book.qty, 0.0) * book.multiplier[:, None]
    columns: Columns = {}
    for name in ("delta", "gamma", "vega", "theta"):
        leg_values = np.where(book.present, getattr(legs, name), 0.0)
        columns[name] = derived(np.sum(weight * leg_values, axis=1), reason)
    return columns


def _breakevens(d: _Derivation) -> Columns:
    """Short put strike − credit, short call strike + credit."""
    put_strike, call_strike = d.column("short_put.strike"), d.column("short_call.strike")
    return {
        "breakeven_low": derived(put_strike.values - d.book.credit, put_strike),
        "breakeven_high": derived(call_strike.values + d.book.credit, call_strike),
    }


def _pop(d: _Derivation) -> Columns:
    """Risk-neutral probability of expiring between the breakevens (docs/state.md)."""
    market = d.market
    low, high = d.column("breakeven_low"), d.column("breakeven_high")
    t = np.maximum(d.column("dte").values, 0.0) / DAYS_PER_YEAR
    has_vix = np.isfinite(market.vix)
    tails = []
    for level, role in ((low, "short_put"), (high, "short_call")):
        vol, reason = _volatility_at(d, level.values, t, has_vix, role)
        probability = probability_above(
            level.values, market.spot, vol, t, market.rate, market.div_yield
        )
        tails.append((probability, choose(t > 0, reason, None)))
    (above_low, low_reason), (above_high, high_reason) = tails
    probability = np.where(low.known, above_low, 1.0) - np.where(high.known, above_high, 0.0)
    reasons = choose(low.known & ~is_known(low_reason), low_reason, None)
    reasons = choose(is_known(reasons) & high.known, high_reason, reasons)
    reasons = choose(
        ~low.known & ~high.known, "the position has no short legs, so it has no breakevens", reasons
    )
    return {"pop": derived(np.maximum(probability, 0.0), Column(probability, reasons))}


def _volatility_at(
    d: _Derivation, level: FloatArray, t: FloatArray,
    has_vix: BoolArray, role: str,
) -> tuple[FloatArray, ObjectArray]:  # fmt: skip
    """The model's IV at ``level`` as a strike; without VIX, the short leg's iv (priced then)."""
    market = d.market
    vol = np.full(len(t), np.nan)
    usable = has_vix & np.isfinite(level) & (level > 0)
    if usable.any():
        vol[usable] = d.model.volatility.implied_vol(
            market.spot[usable], level[usable], t[usable], market.vix[usable],
            market.rate[usable], market.div_yield[usable],
        )  # fmt: skip
    reasons = no_reasons(len(t))
    if not has_vix.all():
        leg_iv = d.column(f"{role}.iv")
        vol = np.where(has_vix, vol, leg_iv.values)
        reasons = choose(has_vix, None, leg_iv.reasons)
    return vol, reasons


def _range(d: _Derivation) -> Columns:
    """range_low/high (the short strikes), range_position, in_range."""
    low, high = d.column("short_put.strike"), d.column("short_call.strike")
    spot = d.market.spot
    both = low.known & high.known
    half = np.where(both, (high.values - low.values) / 2.0, 1.0)
    middle = (high.values + low.values) / 2.0
    position = derived((spot - middle) / np.where(half == 0, 1.0, half), low, high)
    position = with_unknown(
        position, both & (half == 0), "the short strikes are equal: the range has no width"
    )
    inside = np.where(
        both,
        (spot >= low.values) & (spot <= high.values),
        np.where(low.known, spot >= low.values, spot <= high.values),
    )
    in_range = with_unknown(
        known_column(inside.astype(np.bool_)),
        ~low.known & ~high.known,
        "the position has no short legs, so it has no range",
    )
    return {"range_low": low, "range_high": high, "range_position": position, "in_range": in_range}


def _tested(d: _Derivation) -> Columns:
    """The side whose short strike is nearer the spot; none when both short |delta| < 0.20."""
    spot = d.market.spot
    put_strike, call_strike = d.column("short_put.strike"), d.column("short_call.strike")
    put_delta, call_delta = d.column("short_put.delta"), d.column("short_call.delta")
    has_put, has_call = put_strike.known, call_strike.known
    put_size = np.where(has_put, np.abs(put_delta.values), 0.0)
    call_size = np.where(has_call, np.abs(call_delta.values), 0.0)
    put_distance = np.where(has_put, np.abs(spot - put_strike.values), np.inf)
    call_distance = np.where(has_call, np.abs(call_strike.values - spot), np.inf)
    call_nearer = (call_distance < put_distance) | (
        (call_distance == put_distance) & (call_size > put_size)
    )
    quiet = (put_size < TESTED_DELTA) & (call_size < TESTED_DELTA)
    side = np.where(quiet, "none", np.where(call_nearer, "call", "put")).astype(object)
    reasons = choose(has_put, put_delta.reasons, None)
    reasons = choose(is_known(reasons) & has_call, call_delta.reasons, reasons)
    reasons = choose(
        ~has_put & ~has_call, "the position has no short legs, so no side can be tested", reasons
    )
    return {"tested": derived(side, Column(side, reasons), filler="")}


def _side_structure(d: _Derivation) -> Columns:
    """put_side/call_side .width and .credit (the credit needs the legs' open prices)."""
    book = d.book
    columns: Columns = {}
    for name, short, long, other in SIDES:
        slots = [short, long]
        has_side = book.present[:, slots].any(axis=1)
        only_side = has_side & ~book.present[:, list(other)].any(axis=1)
        leg_reason = choose(book.present[:, short], d.absent[:, long], d.absent[:, short])
        width_reason = choose(has_side, leg_reason, f"the position has no {name} side")
        width = np.abs(book.strike[:, short] - book.strike[:, long])
        fills = -np.nansum(d.per_unit[:, slots] * book.open_price[:, slots], axis=1)
        filled = (~book.present[:, slots] | np.isfinite(book.open_price[:, slots])).all(axis=1)
        credit = with_unknown(
            Column(np.where(only_side, book.credit, fills), no_reasons(len(book))),
            ~has_side,
            f"the position has no {name} side",
        )
        credit = with_unknown(
            credit,
            ~only_side & ~filled,
            f"the state gives no open_price for the {name} legs, so the {name} side's share of "
            "the position's credit is unknown",
        )
        columns[f"{name}_side.width"] = derived(width, Column(width, width_reason))
        columns[f"{name}_side.credit"] = credit
    return columns


def _side_marks(d: _Derivation) -> Columns:
    """put_side/call_side .mark: cost to close that side per unit."""
    book, legs = d.book, d.legs
    columns: Columns = {}
    for name, short, long, _ in SIDES:
        slots = [short, long]
        present = book.present[:, slots]
        marks = np.where(present, legs.mark[:, slots], 0.0)
        reasons = choose(
            present.any(axis=1),
            _row_reason(legs.mark_reason[:, slots], present),
            f"the position has no {name} side",
        )
        values = -np.sum(d.per_unit[:, slots] * marks, axis=1)
        columns[f"{name}_side.mark"] = derived(values, Column(values, reasons))
    return columns


POSITION_FIELDS: tuple[str, ...] = (
    "dte", "days_in_trade", "opened", "expiry", "qty", "rolls", "credit", "mark", "pnl",
    "pnl_pct", "max_profit", "max_loss", "margin", "return_on_margin", "delta", "gamma", "vega",
    "theta", "breakeven_low", "breakeven_high", "pop", "extrinsic", "range_low", "range_high",
    "range_position", "in_range", "tested",
    *(f"{role}.{attribute}" for role in ROLES for attribute in LEG_ATTRIBUTES),
    *(f"{side}_side.{attribute}" for side in ("put", "call") for attribute in SIDE_ATTRIBUTES),
)  # fmt: skip
"""Every position-scope field name, as the rule language spells it."""

_GROUPS: tuple[tuple[Callable[[_Derivation], Columns], tuple[str, ...]], ...] = (
    (_expiry, ("dte", "expiry")),
    (_bookkeeping, ("days_in_trade", "opened", "qty", "rolls", "credit")),
    (_leg_strikes, tuple(f"{r}.strike" for r in ROLES)),
    (_leg_moneyness, tuple(f"{r}.{a}" for r in ROLES for a in ("otm", "itm"))),
    *((_leg_prices(a), tuple(f"{r}.{a}" for r in ROLES)) for a in LEG_PRICED),
    (_max_profit, ("max_profit",)),
    (_max_loss, ("max_loss", "margin")),
    (_money, ("mark", "pnl", "pnl_pct", "extrinsic")),
    (_return_on_margin, ("return_on_margin",)),
    (_greeks, ("delta", "gamma", "vega", "theta")),
    (_breakevens, ("breakeven_low", "breakeven_high")),
    (_pop, ("pop",)),
    (_range, ("range_low", "range_high", "range_position", "in_range")),
    (_tested, ("tested",)),
    (_side_structure, tuple(f"{s}_side.{a}" for s in ("put", "call") for a in ("width", "credit"))),
    (_side_marks, ("put_side.mark", "call_side.mark")),
)  # fmt: skip
_GROUP_OF = {name: group for group, names in _GROUPS for name in names}


__all__ = [
    "LEG_ATTRIBUTES",
    "POSITION_FIELDS",
    "SIDE_ATTRIBUTES",
    "TESTED_DELTA",
    "position_columns",
]
