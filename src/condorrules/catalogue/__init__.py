"""The catalogue: every field, function, action, argument and symbol of the language.

One place in code that the checker, the docs tables (``python -m condorrules.catalogue``),
the formatter, the editor support and the evaluator all read. Look-ups:

- :data:`FIELDS` by dotted name (``"short_put.delta"``, ``"portfolio.bp_used"``, ``"spot"``),
  :data:`NAMESPACES` for names that only have fields (``portfolio``, legs, sides);
- :data:`FUNCTIONS`, :data:`ACTIONS` (with their structures) and :data:`GUARD_KINDS`;
- the symbols: :data:`SIDE_VALUES`, :data:`WEEKDAYS`, :data:`EVENTS`, :data:`STRUCTURES`.
"""

from __future__ import annotations

from dataclasses import dataclass

from condorrules.catalogue.actions import ACTION_LIST, ACTIONS, GUARD_KINDS
from condorrules.catalogue.fields import (
    FIELD_LIST,
    FIELDS,
    LEGS,
    MARKET_FIELDS,
    NAMESPACE_LIST,
    NAMESPACES,
    SIDES,
)
from condorrules.catalogue.functions import FUNCTION_LIST, FUNCTIONS
from condorrules.catalogue.model import (
    NUMERIC_TYPES,
    Action,
    Argument,
    Constraint,
    Field,
    Function,
    Group,
    Interval,
    Namespace,
    Param,
    ParamKind,
    Scope,
    Signature,
    Structure,
    Type,
)

SIDE_VALUES: tuple[str, ...] = ("put", "call", "both", "tested", "untested", "none")
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri")
# An input is a data column, and data columns are numeric (true/false as 1/0).
INPUT_TYPES: tuple[Type, ...] = (
    Type.NUMBER,
    Type.RATIO,
    Type.PRICE,
    Type.MONEY,
    Type.DAYS,
    Type.BOOL,
)


@dataclass(frozen=True, slots=True)
class Event:
    """A known event name; ``built_in`` events ship with dates, the others need user data."""

    name: str
    built_in: bool
    description: str


EVENT_LIST: tuple[Event, ...] = (
    Event("FOMC", True, "FOMC statement days (built in: condorrules/data/fomc_statements.csv)"),
    Event("CPI", False, "CPI release days (dates supplied by the user's events data)"),
    Event("PPI", False, "PPI release days (dates supplied by the user's events data)"),
)
EVENTS: dict[str, Event] = {e.name: e for e in EVENT_LIST}

STRUCTURES: dict[str, Structure] = {s.name: s for action in ACTION_LIST for s in action.structures}

# Words the language gives a meaning by context (never user-definable names).
KEYWORD_SYMBOLS: frozenset[str] = frozenset({"same", *SIDE_VALUES, *WEEKDAYS})


def field_names() -> tuple[str, ...]:
    """Every dotted field name and namespace, for did-you-mean suggestions."""
    return tuple(FIELDS) + tuple(NAMESPACES)


__all__ = [
    "ACTIONS",
    "ACTION_LIST",
    "EVENTS",
    "EVENT_LIST",
    "FIELDS",
    "FIELD_LIST",
    "FUNCTIONS",
    "FUNCTION_LIST",
    "GUARD_KINDS",
    "INPUT_TYPES",
    "KEYWORD_SYMBOLS",
    "LEGS",
    "MARKET_FIELDS",
    "NAMESPACES",
    "NAMESPACE_LIST",
    "NUMERIC_TYPES",
    "SIDES",
    "SIDE_VALUES",
    "STRUCTURES",
    "WEEKDAYS",
    "Action",
    "Argument",
    "Constraint",
    "Event",
    "Field",
    "Function",
    "Group",
    "Interval",
    "Namespace",
    "Param",
    "ParamKind",
    "Scope",
    "Signature",
    "Structure",
    "Type",
    "field_names",
]
