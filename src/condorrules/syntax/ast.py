"""The abstract syntax tree of a ``.condor`` file: small frozen nodes, each with a source span.

The parser decides only the shape of the text, never what a name means: ``put``, ``mon``,
``FOMC``, ``same``, ``none`` and ``tested`` are all plain :class:`Name` nodes, resolved by the
checker from context. Literal nodes keep their original ``text`` so the formatter reproduces
them exactly (``1_000`` stays ``1_000``, ``0.30`` stays ``0.30``).

Every node has ``span`` (1-based, end exclusive). Names of things that diagnostics point at
(rule, guard, param, let, input names; argument names; action and structure names) are
:class:`Identifier` nodes with their own span.

Nodes are immutable and hashable, so later stages key side tables by node (the checker's types
and resolved names) without changing the tree. Two nodes with the same content at different
places differ only in ``span``; :func:`without_spans` and :func:`equal_ignoring_spans` compare
content alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, fields
from types import MappingProxyType
from typing import Literal, TypeAlias

from condorrules.diagnostics import Span

# ---------------------------------------------------------------------------------------------
# Names and comments


@dataclass(frozen=True, slots=True)
class Identifier:
    """The name of a thing being defined or referred to by name (rule, argument, action...)."""

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment; ``text`` includes the ``#`` and excludes the line break."""

    text: str
    span: Span


# ---------------------------------------------------------------------------------------------
# Literals


@dataclass(frozen=True, slots=True)
class Number:
    """A unitless number such as ``0.30`` or ``1_000``; a leading minus is a :class:`Unary`.

    ``value`` may be negative only where the grammar folds a sign into a number (``priority
    -5``, scenario strikes and credits); ``text`` then includes the sign.
    """

    value: float
    text: str
    span: Span

    @property
    def is_integer(self) -> bool:
        """True when written without a fractional part (``45``, ``1_000``; not ``45.0``)."""
        return "." not in self.text


@dataclass(frozen=True, slots=True)
class Percent:
    """A percent literal: ``50%`` has ``value`` 0.5 (a ratio)."""

    value: float
    text: str
    span: Span


DurationUnit: TypeAlias = Literal["d", "h", "min"]

_DAYS_PER_UNIT: dict[str, float] = {"d": 1.0, "h": 1.0 / 24.0, "min": 1.0 / 1440.0}


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration such as ``21d``, ``4h`` or ``30min``: ``amount`` in ``unit``."""

    amount: float
    unit: DurationUnit
    text: str
    span: Span

    @property
    def days(self) -> float:
        """The duration in calendar days (``4h`` is 1/6 of a day)."""
        return self.amount * _DAYS_PER_UNIT[self.unit]


@dataclass(frozen=True, slots=True)
class Money:
    """A dollar amount such as ``$1500`` or ``$1_500.50``; ``value`` in dollars."""

    value: float
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class DateLiteral:
    """A calendar date written ``YYYY-MM-DD``."""

    value: datetime.date
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class StringLiteral:
    """A double-quoted string; ``value`` has escapes resolved, ``text`` is the source spelling."""

    value: str
    text: str
    span: Span


@dataclass(frozen=True, slots=True)
class Bool:
    """``true`` or ``false``."""

    value: bool
    span: Span


# ---------------------------------------------------------------------------------------------
# Expressions


@dataclass(frozen=True, slots=True)
class Name:
    """Any bare identifier in an expression: a field, param, let, input, side, weekday, event.

    What it refers to is decided by the checker, not the parser.
    """

    name: str
    span: Span


@dataclass(frozen=True, slots=True)
class Attribute:
    """``value.name``, e.g. ``short_put.delta`` or ``macd(vix).line``."""

    value: Expr
    name: Identifier
    span: Span


@dataclass(frozen=True, slots=True)
class Index:
    """``value[bars_ago]``: a series' value ``bars_ago`` bars before the current one."""

    value: Expr
    bars_ago: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class NamedArgument:
    """``name: value`` inside a call's or an action's parentheses."""

    name: Identifier
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Call:
    """``function(args..., name: value, ...)``; positional arguments always come first."""

    function: Identifier
    args: tuple[Expr, ...]
    named: tuple[NamedArgument, ...]
    span: Span


UnaryOp: TypeAlias = Literal["-"]


@dataclass(frozen=True, slots=True)
class Unary:
    """Arithmetic negation ``-operand``."""

    op: UnaryOp
    operand: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Not:
    """Logical ``not operand`` (Kleene: ``not unknown`` is unknown)."""

    operand: Expr
    span: Span


BoolOperator: TypeAlias = Literal["and", "or"]


@dataclass(frozen=True, slots=True)
class BoolOp:
    """``a and b and c`` or ``a or b``: two or more operands joined by one operator.

    An unparenthesised chain of the same operator is one node; a parenthesised operand that
    is itself a ``BoolOp`` stays nested, so the tree records the grouping as written.
    """

    op: BoolOperator
    operands: tuple[Expr, ...]
    span: Span


BinaryOperator: TypeAlias = Literal["+", "-", "*", "/"]


@dataclass(frozen=True, slots=True)
class Binary:
    """Arithmetic ``left op right`` (left-associative)."""

    op: BinaryOperator
    left: Expr
    right: Expr
    span: Span


CompareOperator: TypeAlias = Literal["<", "<=", ">", ">=", "==", "!="]


@dataclass(frozen=True, slots=True)
class Compare:
    """``left op right``; comparisons do not chain (``a < b < c`` is a syntax error)."""

    op: CompareOperator
    left: Expr
    right: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Between:
    """``value between low and high``, inclusive at both ends."""

    value: Expr
    low: Expr
    high: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class InList:
    """``value in [option, ...]``."""

    value: Expr
    options: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class IfElse:
    """``if condition then then_value else else_value``, an expression."""

    condition: Expr
    then_value: Expr
    else_value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class AtLeast:
    """The quorum ``at least count of (c1, c2, ...)``: true when ``count`` conditions are."""

    count: Expr
    conditions: tuple[Expr, ...]
    span: Span


LiteralExpr: TypeAlias = Number | Percent | Duration | Money | DateLiteral | StringLiteral | Bool

Expr: TypeAlias = (
    Name
    | Attribute
    | Index
    | Call
    | Unary
    | Not
    | BoolOp
    | Binary
    | Compare
    | Between
    | InList
    | IfElse
    | AtLeast
    | Number
    | Percent
    | Duration
    | Money
    | DateLiteral
    | StringLiteral
    | Bool
)

# ---------------------------------------------------------------------------------------------
# Actions and modifiers


@dataclass(frozen=True, slots=True)
class Action:
    """An action: ``kind [structure] [(args)]``, e.g. ``open iron_condor(dte: 45d)``, ``close``.

    ``kind`` is the verb as written (``open``, ``close``, ``roll``, ``resize``, ``hedge``,
    ``unhedge``, ``alert``, or anything else: unknown verbs parse and the checker reports
    them). ``structure`` is the word after the verb (``iron_condor``, ``vix_call_spread``) or
    None. ``close`` and ``close()`` are the same action.
    """

    kind: Identifier
    structure: Identifier | None
    args: tuple[Expr, ...]
    named: tuple[NamedArgument, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Cooldown:
    """``cooldown DURATION``: no firing again (same position) until that much time passed."""

    duration: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Limit:
    """``limit count per per``, ``per`` one of ``position``, ``day``, ``run`` (checked later)."""

    count: Number
    per: Identifier
    span: Span


Modifier: TypeAlias = Cooldown | Limit

# ---------------------------------------------------------------------------------------------
# Items


@dataclass(frozen=True, slots=True)
class Header:
    """``ruleset NAME [version N[.M]] ["description"]``."""

    name: Identifier
    version: Number | None
    description: StringLiteral | None
    span: Span


@dataclass(frozen=True, slots=True)
class Import:
    """``import "path.condor"``: path relative to the importing file."""

    path: StringLiteral
    span: Span


@dataclass(frozen=True, slots=True)
class Param:
    """``param NAME = VALUE ["description"]``; ``value`` is a literal, a negated literal or a
    bare name (``put``, ``mon``); the checker enforces which."""

    name: Identifier
    value: Expr
    description: StringLiteral | None
    span: Span


@dataclass(frozen=True, slots=True)
class Input:
    """``input NAME [: TYPE] ["description"]``: an external series the data must carry."""

    name: Identifier
    type_name: Identifier | None
    description: StringLiteral | None
    span: Span


@dataclass(frozen=True, slots=True)
class Let:
    """``let NAME = EXPR``: a named expression."""

    name: Identifier
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class Rule:
    """``rule NAME [priority N]: when CONDITION then ACTION {and ACTION} {MODIFIER}``.

    ``priority`` is None when not written (the default, 0, is the checker's business).
    """

    name: Identifier
    priority: Number | None
    condition: Expr
    actions: tuple[Action, ...]
    modifiers: tuple[Modifier, ...]
    span: Span


@dataclass(frozen=True, slots=True)
class Guard:
    """``guard NAME: forbid KIND {, KIND} when CONDITION``."""

    name: Identifier
    kinds: tuple[Identifier, ...]
    condition: Expr
    span: Span


# ---------------------------------------------------------------------------------------------
# Scenario steps


@dataclass(frozen=True, slots=True)
class At:
    """``at DATE``: the scenario's date."""

    date: DateLiteral
    span: Span


@dataclass(frozen=True, slots=True)
class MarketAssignment:
    """``path = value`` in a ``market`` step; ``path`` is dotted (``spot``, ``spot.open``)."""

    path: tuple[Identifier, ...]
    value: Expr
    span: Span


@dataclass(frozen=True, slots=True)
class MarketSet:
    """``market NAME = VALUE {, NAME = VALUE}``."""

    assignments: tuple[MarketAssignment, ...]
    span: Span


StructureKind: TypeAlias = Literal["condor", "put_spread", "call_spread"]


@dataclass(frozen=True, slots=True)
class Structure:
    """``condor P1/P2/C1/C2 expiring DATE credit X [qty N] [opened DATE]`` (or a spread).

    ``strikes`` as written, low to high for a condor (the checker verifies order and count).
    """

    kind: StructureKind
    strikes: tuple[Number, ...]
    expiry: DateLiteral
    credit: Number
    qty: Number | None
    opened: DateLiteral | None
    span: Span


@dataclass(frozen=True, slots=True)
class Given:
    """``given TARGET = VALUE``: pins a field or an indicator call to a value."""

    target: Expr
    value: Expr
    span: Span


ExpectKind: TypeAlias = Literal["fires", "not_fires", "action", "vetoed", "suppressed", "nothing"]


@dataclass(frozen=True, slots=True)
class Expect:
    """An expectation.

    ``fires RULE`` / ``not fires RULE``: ``rule`` set. ``action ACTION``: ``action`` set.
    ``vetoed RULE by GUARD`` / ``suppressed RULE by RULE``: ``rule`` and ``by`` set.
    ``nothing``: none set.
    """

    kind: ExpectKind
    rule: Identifier | None
    by: Identifier | None
    action: Action | None
    span: Span


Step: TypeAlias = At | MarketSet | Structure | Given | Expect


@dataclass(frozen=True, slots=True)
class Scenario:
    """``scenario "title": STEP...``."""

    title: StringLiteral
    steps: tuple[Step, ...]
    span: Span


Item: TypeAlias = Import | Param | Input | Let | Rule | Guard | Scenario


@dataclass(frozen=True, slots=True)
class Module:
    """One parsed file: optional header, items in file order, every comment in file order.

    ``span.file`` is the file's name. After a syntax error, ``items`` holds every item that
    parsed; the broken ones are missing (and reported as diagnostics).
    """

    header: Header | None
    items: tuple[Item, ...]
    comments: tuple[Comment, ...]
    span: Span


Node: TypeAlias = (
    Expr
    | Identifier
    | Comment
    | NamedArgument
    | Action
    | Modifier
    | Header
    | Item
    | MarketAssignment
    | Step
    | Module
)

# ---------------------------------------------------------------------------------------------
# Traversal and comparison


def children(node: Node) -> Iterator[Node]:
    """The direct child nodes of ``node`` in field order (identifiers and literals included)."""
    for name in _content_fields(type(node)):
        value = getattr(node, name)
        if isinstance(value, tuple):
            for element in value:
                if _is_node(element):
                    yield element
        elif _is_node(value):
            yield value


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree under ``node`` (itself first), pre-order, without recursion."""
    stack: list[Node] = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(children(current))))


def without_spans(node: object, *, comments: bool = True) -> object:
    """A span-free nested-tuple image of ``node``: equal images mean equal content.

    With ``comments=False`` a module's comments are left out of the image. Images are
    hashable, so they also serve as keys for "the same expression written twice".
    """
    if isinstance(node, tuple):
        return tuple(without_spans(element, comments=comments) for element in node)
    if not _is_node(node):
        return node
    image: list[object] = [type(node).__name__]
    for name in _content_fields(type(node)):
        if comments or name != "comments":
            image.append((name, without_spans(getattr(node, name), comments=comments)))
    return tuple(image)


def equal_ignoring_spans(left: object, right: object, *, comments: bool = True) -> bool:
    """True when two nodes (or tuples of nodes) differ at most in their spans."""
    return without_spans(left, comments=comments) == without_spans(right, comments=comments)


def _content_fields(cls: type) -> tuple[str, ...]:
    """The field names of a node class, ``span`` excluded."""
    known = _CONTENT_FIELDS.get(cls)
    if known is not None:
        return known
    return tuple(field.name for field in fields(cls) if field.name != "span")


def _is_node(value: object) -> bool:
    return hasattr(value, "__dataclass_fields__") and hasattr(value, "span")


# Field names of every node class, computed once: children() and without_spans() run often.
_CONTENT_FIELDS: MappingProxyType[type, tuple[str, ...]] = MappingProxyType(
    {
        value: tuple(field.name for field in fields(value) if field.name != "span")
        for value in list(globals().values())
        if isinstance(value, type)
        and hasattr(value, "__dataclass_fields__")
        and "span" in value.__dataclass_fields__
    }
)
