"""Every field of LANGUAGE.md §4, derived from a :class:`~condorrules.state.State`.

    fields = derive_fields(state)                 # State or plain dict; default MarketModel
    fields.get("vix")                             # portfolio scope: a value or Unknown(reason)
    fields.get("short_put.delta", position="ic1") # position scope, by id or index
    fields.columns["pnl_pct"]                     # a Column over the state's positions

For replay, :func:`position_columns` derives the position fields for any rows of a
:class:`LegBook` (positions, or one position repeated over a history) against
:class:`MarketRows` in one vectorised pass. Formulas, units and unknown reasons:
docs/state.md.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from condorrules.fields.book import ROLES, LegBook, MarketRows
from condorrules.fields.portfolio import (
    PORTFOLIO_FIELDS,
    PORTFOLIO_NEEDS,
    WEEKDAYS,
    market_columns,
    market_fields,
    portfolio_fields,
)
from condorrules.fields.position import (
    LEG_ATTRIBUTES,
    POSITION_FIELDS,
    SIDE_ATTRIBUTES,
    TESTED_DELTA,
    position_columns,
)
from condorrules.fields.values import Column, FieldValue, Unknown
from condorrules.market import MarketModel
from condorrules.state import State, parse_state


@dataclass(frozen=True, slots=True)
class StateFields:
    """The fields of one state: portfolio scope as scalars, position scope as columns (one row
    per position, in the state's order)."""

    portfolio: Mapping[str, FieldValue]
    """Portfolio-scope fields: market fields and ``portfolio.*``."""
    inputs: Mapping[str, FieldValue]
    """Values of the inputs the state carries (null/NaN → Unknown)."""
    position_ids: tuple[str, ...]
    columns: Mapping[str, Column]
    """Position-scope fields, a :class:`Column` each."""

    def row(self, position: str | int) -> int:
        """The row index of a position given by id or index; KeyError if there is none."""
        if isinstance(position, int):
            if not 0 <= position < len(self.position_ids):
                raise KeyError(f"no position at index {position}")
            return position
        try:
            return self.position_ids.index(position)
        except ValueError:
            raise KeyError(f"no position with id {position!r}") from None

    def position(self, position: str | int) -> dict[str, FieldValue]:
        """Every position-scope field of one position."""
        row = self.row(position)
        return {name: column.at(row) for name, column in self.columns.items()}

    def get(self, name: str, position: str | int | None = None) -> FieldValue:
        """One field's value. With ``position`` (id or index) a position field of that position;
        portfolio fields and the state's inputs are visible in both scopes.

        Raises KeyError for a name that is none of these (or was not requested in ``names``).
        """
        if position is not None and name in self.columns:
            return self.columns[name].at(self.row(position))
        if name in self.portfolio:
            return self.portfolio[name]
        if name in self.inputs:
            return self.inputs[name]
        scope = "portfolio" if position is None else "position or portfolio"
        raise KeyError(f"{name!r} is not a {scope} field here")

    def input(self, name: str) -> FieldValue:
        """A declared input's value on this bar, or Unknown when the state does not carry it."""
        return self.inputs.get(name, Unknown(f"the state's inputs have no value for {name}"))


def derive_fields(
    state: State | Mapping[str, Any],
    model: MarketModel | None = None,
    names: Collection[str] | None = None,
) -> StateFields:
    """Derive the fields of one state (a dict is validated first; raises StateError if bad).

    ``names`` limits the work to those fields (of either scope) plus the cheap market fields
    (all but ``atm_iv``); default every field. A name that is no field raises KeyError.
    """
    if not isinstance(state, State):
        state = parse_state(state)
    model = MarketModel.default() if model is None else model
    book = LegBook.from_positions(state.positions)
    rows = MarketRows.from_bar(state, model, len(book))
    columns = position_columns(book, rows, model, _position_names(names))
    portfolio = market_fields(state, model, atm_iv=names is None or "atm_iv" in names)
    portfolio.update(portfolio_fields(state, book.ids, columns))
    return StateFields(
        portfolio=portfolio,
        inputs={name: _input_value(name, value) for name, value in state.inputs.items()},
        position_ids=book.ids,
        columns=columns,
    )


def _position_names(names: Collection[str] | None) -> list[str] | None:
    """The position columns needed for ``names`` (None: all)."""
    if names is None:
        return None
    wanted: dict[str, None] = {}
    for name in names:
        if name in _POSITION_NAMES:
            wanted[name] = None
        elif name in PORTFOLIO_NEEDS:
            wanted[PORTFOLIO_NEEDS[name]] = None
        elif name not in PORTFOLIO_FIELDS:
            raise KeyError(f"{name!r} is not a field")
    return list(wanted)


_POSITION_NAMES = frozenset(POSITION_FIELDS)


def _input_value(name: str, value: float | None) -> FieldValue:
    if value is None or math.isnan(value):
        return Unknown(f"the data has no value for input {name} on this bar")
    return value


__all__ = [
    "LEG_ATTRIBUTES",
    "PORTFOLIO_FIELDS",
    "POSITION_FIELDS",
    "ROLES",
    "SIDE_ATTRIBUTES",
    "TESTED_DELTA",
    "WEEKDAYS",
    "Column",
    "FieldValue",
    "LegBook",
    "MarketRows",
    "StateFields",
    "Unknown",
    "derive_fields",
    "market_columns",
    "position_columns",
]
