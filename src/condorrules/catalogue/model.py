"""The record types of the catalogue: value types, scopes, ranges, fields, functions, actions.

These are plain frozen data; the entries themselves live in :mod:`.fields`, :mod:`.functions`
and :mod:`.actions`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum


class Type(StrEnum):
    """The value types of the language (LANGUAGE.md §3); numeric types double as units."""

    BOOL = "bool"
    NUMBER = "number"
    RATIO = "ratio"
    DAYS = "days"
    PRICE = "price"
    MONEY = "money"
    DATE = "date"
    WEEKDAY = "weekday"
    SIDE = "side"
    EVENT = "event"
    STRING = "string"

    @property
    def is_numeric(self) -> bool:
        """True for the types that carry a unit and take part in arithmetic."""
        return self in NUMERIC_TYPES

    @property
    def unit(self) -> str:
        """The unit in words, for docs and messages."""
        return UNIT_WORDS[self]


NUMERIC_TYPES = frozenset({Type.NUMBER, Type.RATIO, Type.DAYS, Type.PRICE, Type.MONEY})

UNIT_WORDS: dict[Type, str] = {
    Type.BOOL: "true/false",
    Type.NUMBER: "unitless",
    Type.RATIO: "fraction (0.5 = 50%)",
    Type.DAYS: "calendar days",
    Type.PRICE: "index points per share",
    Type.MONEY: "dollars",
    Type.DATE: "calendar date",
    Type.WEEKDAY: "mon..fri",
    Type.SIDE: "put/call/both/tested/untested/none",
    Type.EVENT: "event name",
    Type.STRING: "text",
}


class Scope(StrEnum):
    """Where a name is defined: once per bar, or once per open position (LANGUAGE.md §2)."""

    PORTFOLIO = "portfolio"
    POSITION = "position"


@dataclass(frozen=True, slots=True)
class Interval:
    """A closed range of real values, possibly unbounded (``-inf``/``inf``).

    Closed bounds over-approximate the possible values, which keeps range proofs sound.
    """

    low: float = -math.inf
    high: float = math.inf

    @property
    def is_empty(self) -> bool:
        """True when no value lies in the range."""
        return self.low > self.high

    @property
    def is_unbounded(self) -> bool:
        """True for (-inf, inf): nothing is known."""
        return self.low == -math.inf and self.high == math.inf

    def intersect(self, other: Interval) -> Interval:
        """Values in both ranges (may be empty)."""
        return Interval(max(self.low, other.low), min(self.high, other.high))

    def contains(self, other: Interval) -> bool:
        """True when every value of ``other`` lies in this range."""
        return other.is_empty or (self.low <= other.low and other.high <= self.high)

    def describe(self) -> str:
        """``[0, 1]``, ``[0, inf)``, ``(-inf, inf)``: the notation the docs use."""
        left = "(-inf" if self.low == -math.inf else f"[{_number(self.low)}"
        right = "inf)" if self.high == math.inf else f"{_number(self.high)}]"
        return f"{left}, {right}"


ANY = Interval()
NON_NEGATIVE = Interval(0.0, math.inf)
NON_POSITIVE = Interval(-math.inf, 0.0)
UNIT_INTERVAL = Interval(0.0, 1.0)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


@dataclass(frozen=True, slots=True)
class Field:
    """A built-in field: its dotted name, type (= unit), scope, value range and meaning.

    ``range`` is ``None`` for non-numeric fields (booleans, dates, sides).
    """

    name: str
    type: Type
    scope: Scope
    range: Interval | None
    description: str


@dataclass(frozen=True, slots=True)
class Namespace:
    """A name that is not a value but has fields: ``portfolio``, a leg, a side."""

    name: str
    scope: Scope
    description: str


class ParamKind(StrEnum):
    """What a function parameter accepts."""

    SERIES = "series"  # a numeric series (field, input, indicator, arithmetic)
    BARS = "bars"  # a constant whole number of bars >= 1
    NUMBER = "number"  # a constant number
    CONDITION = "condition"  # a bool series
    EVENT = "event"  # an event name: FOMC, CPI, ...
    DURATION = "duration"  # a number of days (`30d`)


@dataclass(frozen=True, slots=True)
class Param:
    """One function parameter: positional or named; ``default`` None means required."""

    name: str
    kind: ParamKind
    default: float | None = None


@dataclass(frozen=True, slots=True)
class Function:
    """A built-in function.

    The result is either a fixed ``result`` type, or (``result`` None) the unit of the
    parameter named by ``keeps_unit_of``. ``attributes`` name the parts of a multi-valued
    result (``macd(x).signal``); such a function has no value of its own. ``variadic``
    functions take two or more arguments of the first parameter's kind.
    """

    name: str
    params: tuple[Param, ...]
    description: str
    warmup: str
    result: Type | None = None
    keeps_unit_of: str | None = None
    result_range: Interval | None = None
    attributes: tuple[str, ...] = ()
    variadic: bool = False

    def param(self, name: str) -> Param | None:
        """The parameter called ``name``, if any."""
        return next((p for p in self.params if p.name == name), None)

    def call_text(self) -> str:
        """How a call is written, defaults shown: ``rsi(x, n = 14)``; ``...`` when variadic."""
        params = []
        for param in self.params:
            default = "" if param.default is None else f" = {param.default:g}"
            params.append(f"{param.name}{default}")
        if self.variadic:
            params.append("...")
        return f"{self.name}({', '.join(params)})"


@dataclass(frozen=True, slots=True)
class Constraint:
    """The values an action argument may take: a range with open/closed ends, maybe whole."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    integer: bool = False

    def allows(self, value: float) -> bool:
        """True when ``value`` satisfies the constraint."""
        if self.integer and value != int(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def describe(self) -> str:
        """A phrase for messages: ``a whole number >= 1``, ``between 0 and 1 (exclusive)``."""
        what = "a whole number" if self.integer else "a value"
        if self.high == math.inf:
            return f"{what} {'>' if self.low_open else '>='} {_number(self.low)}"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{what} in {left}{_number(self.low)}, {_number(self.high)}{right}"


@dataclass(frozen=True, slots=True)
class Argument:
    """A named action argument: its type (unit), allowed values, and symbolic choices.

    ``symbols`` are bare words accepted instead of a value (`dte: same`, `side: tested`);
    for a side argument they are the only values.
    """

    name: str
    type: Type
    description: str
    constraint: Constraint | None = None
    symbols: tuple[str, ...] = ()
    default: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Arguments that choose one thing several ways.

    A ``required`` group needs exactly one alternative, complete (``put_delta`` with
    ``call_delta``). An optional group allows at most one alternative, possibly in part (a
    roll of the put side may give ``put_delta`` alone).
    """

    name: str
    alternatives: tuple[tuple[str, ...], ...]
    required: bool

    @property
    def members(self) -> tuple[str, ...]:
        """Every argument name in the group."""
        return tuple(name for alternative in self.alternatives for name in alternative)


@dataclass(frozen=True, slots=True)
class Signature:
    """What an action or structure accepts: named arguments, groups, positional ones."""

    arguments: tuple[Argument, ...] = ()
    groups: tuple[Group, ...] = ()
    required: tuple[str, ...] = ()
    positional: tuple[str, ...] = ()

    def argument(self, name: str) -> Argument | None:
        """The argument called ``name``, if any."""
        return next((a for a in self.arguments if a.name == name), None)


@dataclass(frozen=True, slots=True)
class Structure:
    """A structure an action trades: `iron_condor`, `put_spread`, `vix_call_spread`."""

    name: str
    signature: Signature
    description: str


@dataclass(frozen=True, slots=True)
class Action:
    """A rule action. ``scope`` None means either scope (alert). ``structures`` is non-empty
    for actions written `ACTION STRUCTURE(...)` (open, hedge); otherwise ``signature`` applies
    and the parentheses are optional when nothing is required."""

    name: str
    scope: Scope | None
    description: str
    signature: Signature = Signature()
    structures: tuple[Structure, ...] = ()

    @property
    def changes_position(self) -> bool:
        """True for close, roll and resize: the proposals that compete per position."""
        return self.scope is Scope.POSITION

    def structure(self, name: str) -> Structure | None:
        """The structure called ``name``, if this action trades it."""
        return next((s for s in self.structures if s.name == name), None)
