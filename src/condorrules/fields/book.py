"""Positions and bars as arrays: the input of the vectorised field derivation.

A *row* is one position on one bar. Positions of one state are n rows on the same bar; one
position over a history is n rows with the same legs and different bars. Legs sit in four fixed
role slots (:data:`ROLES`), so every leg array has shape (n, 4) and an absent leg is a slot with
``present`` False, NaN strike and quantity 0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace

import numpy as np
import numpy.typing as npt

from condorrules.fields.values import EPOCH, BoolArray, FloatArray, day_number
from condorrules.market import MarketModel
from condorrules.state import Bar, Position

IntArray = npt.NDArray[np.int64]

ROLES: tuple[str, ...] = ("short_put", "long_put", "short_call", "long_call")
"""Leg slots in the order of the second axis of every leg array."""

IS_CALL: BoolArray = np.array([False, False, True, True])
"""Right of each slot (True = call)."""

IS_SHORT: BoolArray = np.array([True, False, True, False])
"""Sign of each slot's quantity (True = sold)."""

_EPOCH_ORDINAL = EPOCH.toordinal()

# Keys hold Python bools: looking up numpy bools is ten times slower, once per leg.
_SLOT = {
    (("call" if is_call else "put"), bool(short)): slot
    for slot, (is_call, short) in enumerate(zip(IS_CALL, IS_SHORT, strict=True))
}

PUT_SLOTS = (0, 1)
CALL_SLOTS = (2, 3)


@dataclass(frozen=True, slots=True)
class LegBook:
    """The legs and bookkeeping of n position rows; leg arrays are (n, 4) in :data:`ROLES` order.

    Prices are per share, dates are day numbers (days since 1970-01-01), ``qty`` is signed.
    ``mark``, ``iv`` and ``open_price`` are NaN where the state gives no quote.
    """

    ids: tuple[str, ...]
    present: BoolArray
    strike: FloatArray
    expiry: IntArray
    qty: FloatArray
    mark: FloatArray
    iv: FloatArray
    open_price: FloatArray
    opened: IntArray
    credit: FloatArray
    realised_pnl: FloatArray
    rolls: FloatArray
    multiplier: FloatArray
    units: FloatArray
    """Structure units: the greatest common divisor of the legs' absolute quantities (an iron
    condor of 3 contracts a leg is 3 units); credit and mark are per unit."""

    @classmethod
    def from_positions(cls, positions: Sequence[Position]) -> LegBook:
        """One row per position."""
        n = len(positions)
        nan = math.nan
        # Flat (n * 4) lists indexed row * 4 + slot, filled leg by leg: one conversion to an
        # array per field afterwards (much cheaper than converting a list of per-leg tuples).
        present = [False] * (4 * n)
        strike = [nan] * (4 * n)
        expiry = [0] * (4 * n)
        qty = [0] * (4 * n)
        mark = [nan] * (4 * n)
        iv = [nan] * (4 * n)
        open_price = [nan] * (4 * n)
        for row, position in enumerate(positions):
            for leg in position.legs:
                i = 4 * row + _SLOT[leg.right, leg.qty < 0]
                present[i] = True
                strike[i] = leg.strike
                expiry[i] = leg.expiry.toordinal() - _EPOCH_ORDINAL
                qty[i] = leg.qty
                if leg.mark is not None:
                    mark[i] = leg.mark
                if leg.iv is not None:
                    iv[i] = leg.iv
                if leg.open_price is not None:
                    open_price[i] = leg.open_price
        quantities = np.array(qty, dtype=np.int64).reshape(n, 4)
        return cls(
            ids=tuple(position.id for position in positions),
            present=np.array(present, dtype=np.bool_).reshape(n, 4),
            strike=_legs(strike),
            expiry=np.array(expiry, dtype=np.int64).reshape(n, 4),
            qty=quantities.astype(np.float64),
            mark=_legs(mark),
            iv=_legs(iv),
            open_price=_legs(open_price),
            opened=np.array(
                [p.opened.toordinal() - _EPOCH_ORDINAL for p in positions], dtype=np.int64
            ),
            credit=np.array([p.credit for p in positions], dtype=np.float64),
            realised_pnl=np.array([p.realised_pnl for p in positions], dtype=np.float64),
            rolls=np.array([p.rolls for p in positions], dtype=np.float64),
            multiplier=np.array([p.multiplier for p in positions], dtype=np.float64),
            # gcd(x, 0) = x, so the empty slots (quantity 0) do not change the units.
            units=np.gcd.reduce(np.abs(quantities), axis=1).astype(np.float64),
        )

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: npt.ArrayLike) -> LegBook:
        """A book of the given rows (repeat one position over many bars with ``take([0] * n)``)."""
        index = np.asarray(rows, dtype=np.int64)
        arrays = {
            item.name: getattr(self, item.name)[index]
            for item in fields(self)
            if item.name != "ids"
        }
        return LegBook(ids=tuple(self.ids[i] for i in index), **arrays)

    def with_quotes(self, mark: FloatArray | None = None, iv: FloatArray | None = None) -> LegBook:
        """The same rows with (n, 4) quoted marks and/or IVs (NaN = no quote)."""
        book = self
        if mark is not None:
            book = replace(book, mark=np.asarray(mark, dtype=np.float64))
        if iv is not None:
            book = replace(book, iv=np.asarray(iv, dtype=np.float64))
        return book


def intrinsic_value(is_call: BoolArray, level: FloatArray, strike: FloatArray) -> FloatArray:
    """Expiry value per share of options at underlying ``level`` (arguments broadcast):
    ``max(level - strike, 0)`` for a call, ``max(strike - level, 0)`` for a put."""
    return np.where(is_call, np.maximum(level - strike, 0.0), np.maximum(strike - level, 0.0))


def _legs(values: list[float]) -> FloatArray:
    """A flat per-slot list as an (n, 4) float array."""
    return np.array(values, dtype=np.float64).reshape(-1, 4)


@dataclass(frozen=True, slots=True)
class MarketRows:
    """The bar each row is evaluated on: arrays of shape (n,).

    ``vix`` is NaN where the bar has none; ``rate``/``div_yield`` are already resolved (the bar's
    value, else the market model's default for the date).
    """

    date: IntArray
    spot: FloatArray
    vix: FloatArray
    rate: FloatArray
    div_yield: FloatArray

    @classmethod
    def from_bar(cls, bar: Bar, model: MarketModel, n: int) -> MarketRows:
        """The same bar for n rows."""
        rate = model.rates.rate(bar.date) if bar.rate is None else bar.rate
        div = model.rates.div_yield(bar.date) if bar.div_yield is None else bar.div_yield
        return cls(
            date=np.full(n, day_number(bar.date), dtype=np.int64),
            spot=np.full(n, bar.spot),
            vix=np.full(n, np.nan if bar.vix is None else bar.vix),
            rate=np.full(n, rate),
            div_yield=np.full(n, div),
        )

    @classmethod
    def from_series(
        cls,
        dates: npt.ArrayLike,
        spot: npt.ArrayLike,
        vix: npt.ArrayLike,
        model: MarketModel,
        rate: npt.ArrayLike | None = None,
        div_yield: npt.ArrayLike | None = None,
    ) -> MarketRows:
        """Rows from a history of bars (dates as datetime64[D] or ``datetime.date``; NaN VIX =
        none); rate and dividend yield default to the market model's schedule."""
        days = np.asarray(dates, dtype="datetime64[D]")
        return cls(
            date=days.astype(np.int64),
            spot=np.asarray(spot, dtype=np.float64),
            vix=np.asarray(vix, dtype=np.float64),
            rate=model.rates.rate_series(days) if rate is None else np.asarray(rate, np.float64),
            div_yield=(
                model.rates.div_yield_series(days)
                if div_yield is None
                else np.asarray(div_yield, dtype=np.float64)
            ),
        )

    def __len__(self) -> int:
        return len(self.spot)


__all__ = [
    "CALL_SLOTS",
    "IS_CALL",
    "IS_SHORT",
    "PUT_SLOTS",
    "ROLES",
    "LegBook",
    "MarketRows",
    "intrinsic_value",
]
