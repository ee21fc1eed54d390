"""The scalar evaluator program: a small tree of nodes over the runtime's values.

The compiler (:mod:`condorrules.compile.compiler`) turns each expression into a tree of these
nodes; evaluating a node asks a :class:`Frame` for what the state supplies (fields, inputs,
lets, series) and applies the operators of :mod:`condorrules.runtime.scalar`. Nodes never see
the AST (jinja's wall between compiler and runtime): they keep only the source ``text`` and
``span`` of the expression they came from, for ``explain`` and for :func:`dump`.

Every node is immutable after compilation and evaluation has no side effects except the
frame's let memo, so one compiled ruleset serves many threads.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from typing import Protocol

from condorrules.catalogue import Scope, Type
from condorrules.compile.encoding import show
from condorrules.constants import DAYS_PER_YEAR
from condorrules.diagnostics import Span
from condorrules.runtime import Value, scalar, unknown

PinKey = Hashable
"""A structural key of a pinnable expression (its span-free image, calls normalised)."""


class Frame(Protocol):
    """What a node may ask of the evaluation it runs in (see :mod:`.frame`)."""

    pins: dict[PinKey, Value] | None

    def field(self, node: FieldNode) -> Value: ...

    def input(self, node: InputNode) -> Value: ...

    def let(self, node: LetNode) -> Value: ...

    def series(self, node: SeriesNode | IndexNode) -> Value: ...

    def event(self, node: EventNode) -> Value: ...


class Node:
    """Base of every node: the source ``text`` and ``span``, the value ``type`` and ``scope``."""

    __slots__ = ("scope", "span", "text", "type")

    def __init__(self, text: str, span: Span, value_type: Type, scope: Scope) -> None:
        self.text = text
        self.span = span
        self.type = value_type
        self.scope = scope

    def evaluate(self, frame: Frame) -> Value:
        """This node's value in ``frame``."""
        raise NotImplementedError

    def children(self) -> Sequence[Node]:
        """The sub-expressions whose values explain this one."""
        return ()

    def label(self) -> str:
        """A short name of the operation, for :func:`dump`."""
        return type(self).__name__

    def show(self, value: Value) -> str:
        """``value`` spelled in this node's type."""
        return show(value, self.type)


class Constant(Node):
    """A literal or a param (params are constants of one compiled ruleset)."""

    __slots__ = ("name", "value")

    def __init__(self, text: str, span: Span, value_type: Type, value: Value, name: str = ""):
        super().__init__(text, span, value_type, Scope.PORTFOLIO)
        self.value = value
        self.name = name

    def evaluate(self, frame: Frame) -> Value:
        return self.value

    def label(self) -> str:
        what = f"param {self.name}" if self.name else "constant"
        return f"{what} = {self.show(self.value)}"


class _Pinnable(Node):
    """A node a scenario's ``given`` may pin: fields, inputs, lets, series and event calls."""

    __slots__ = ("key",)

    def __init__(self, text: str, span: Span, value_type: Type, scope: Scope, key: PinKey):
        super().__init__(text, span, value_type, scope)
        self.key = key


class FieldNode(_Pinnable):
    """A built-in field (LANGUAGE.md §4), e.g. ``vix`` or ``short_put.delta``."""

    __slots__ = ("name",)

    def __init__(self, text: str, span: Span, value_type: Type, scope: Scope, key: PinKey):
        super().__init__(text, span, value_type, scope, key)
        self.name = text

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        return frame.field(self)

    def label(self) -> str:
        return f"field {self.name}"


class InputNode(_Pinnable):
    """A declared ``input``: a series the state's ``inputs`` supply."""

    __slots__ = ("name",)

    def __init__(self, name: str, span: Span, value_type: Type, key: PinKey):
        super().__init__(name, span, value_type, Scope.PORTFOLIO, key)
        self.name = name

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        return frame.input(self)

    def label(self) -> str:
        return f"input {self.name}"


class LetNode(_Pinnable):
    """A reference to a ``let``; its value is memoised per evaluation (and per position)."""

    __slots__ = ("body", "index", "name")

    def __init__(self, name: str, span: Span, index: int, body: Node, key: PinKey):
        super().__init__(name, span, body.type, body.scope, key)
        self.name = name
        self.index = index
        self.body = body

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        return frame.let(self)

    def children(self) -> Sequence[Node]:
        return (self.body,)

    def label(self) -> str:
        return f"let {self.name}"


class Operator(Node):
    """An operator of :mod:`condorrules.runtime.scalar` applied to evaluated operands."""

    __slots__ = ("function", "operands", "symbol")

    def __init__(
        self,
        text: str,
        span: Span,
        value_type: Type,
        symbol: str,
        function: Callable[..., Value],
        operands: Sequence[Node],
    ):
        super().__init__(text, span, value_type, _widest(operands))
        self.symbol = symbol
        self.function = function
        self.operands = tuple(operands)

    def evaluate(self, frame: Frame) -> Value:
        operands = self.operands
        if len(operands) == 2:  # the common case, without building a generator
            return self.function(operands[0].evaluate(frame), operands[1].evaluate(frame))
        return self.function(*(operand.evaluate(frame) for operand in operands))

    def children(self) -> Sequence[Node]:
        return self.operands

    def label(self) -> str:
        return self.symbol


class Logic(Operator):
    """``and``/``or`` with short-circuit on the deciding value (false for and, true for or).

    Skipping the rest gives the same result as :func:`runtime.scalar.and_`: a known deciding
    operand decides whatever the others are.
    """

    __slots__ = ("decider",)

    def __init__(self, text: str, span: Span, symbol: str, operands: Sequence[Node]):
        function = scalar.and_ if symbol == "and" else scalar.or_
        super().__init__(text, span, Type.BOOL, symbol, function, operands)
        self.decider = symbol == "or"

    def evaluate(self, frame: Frame) -> Value:
        values = []
        for operand in self.operands:
            value = operand.evaluate(frame)
            if value.known and value.value is self.decider:
                return value
            values.append(value)
        return self.function(*values)


class Between(Operator):
    """``x between low and high`` (inclusive)."""

    __slots__ = ()

    def __init__(self, text: str, span: Span, operands: Sequence[Node]):
        super().__init__(text, span, Type.BOOL, "between", scalar.between, operands)


class InList(Operator):
    """``x in [a, b, ...]``."""

    __slots__ = ()

    def __init__(self, text: str, span: Span, operands: Sequence[Node]):
        super().__init__(text, span, Type.BOOL, "in", _in_list, operands)


def _in_list(value: Value, *options: Value) -> Value:
    return scalar.in_(value, options)


class IfElse(Operator):
    """``if c then a else b``: only the chosen branch is evaluated."""

    __slots__ = ()

    def __init__(self, text: str, span: Span, operands: Sequence[Node]):
        super().__init__(text, span, operands[1].type, "if", scalar.if_else, operands)

    def evaluate(self, frame: Frame) -> Value:
        condition, then, otherwise = self.operands
        chosen = condition.evaluate(frame)
        if not chosen.known:
            return unknown(chosen.reason, boolean=self.type is Type.BOOL)
        return (then if chosen.value else otherwise).evaluate(frame)


class AtLeast(Operator):
    """``at least K of (c1, c2, ...)``; the first operand is K."""

    __slots__ = ()

    def __init__(self, text: str, span: Span, operands: Sequence[Node]):
        super().__init__(text, span, Type.BOOL, "at least", _at_least, operands)


def _at_least(count: Value, *conditions: Value) -> Value:
    if not count.known:
        return unknown(count.reason, boolean=True)
    return scalar.at_least(math.ceil(float(count.value)), *conditions)


class Round(Operator):
    """``round(x, digits)``; ``digits`` is a compile-time whole number."""

    __slots__ = ("digits",)

    def __init__(self, text: str, span: Span, operand: Node, digits: int):
        super().__init__(text, span, operand.type, "round", scalar.round_, (operand,))
        self.digits = digits

    def evaluate(self, frame: Frame) -> Value:
        return scalar.round_(self.operands[0].evaluate(frame), self.digits)


class ExpectedMove(Operator):
    """``expected_move(d)`` = spot × atm_iv × sqrt(d / 365), in price."""

    __slots__ = ()

    def __init__(self, text: str, span: Span, operands: Sequence[Node]):
        super().__init__(text, span, Type.PRICE, "expected_move", _expected_move, operands)


def _expected_move(spot: Value, atm_iv: Value, days: Value) -> Value:
    for operand in (spot, atm_iv, days):
        if not operand.known:
            return unknown(operand.reason)
    if float(days.value) < 0:
        return unknown("expected_move of a negative duration")
    return Value(
        float(spot.value) * float(atm_iv.value) * math.sqrt(float(days.value) / DAYS_PER_YEAR)
    )


class SeriesNode(_Pinnable):
    """A series function (``rsi(spot, 14)``, ``macd(vix).line``): needs history.

    ``arguments`` are the series operands; ``settings`` the constant window lengths and
    factors by parameter name; ``part`` the attribute of a multi-valued result (``line``);
    ``bars_needed`` the warm-up, named in the unknown reason when there is no history.
    """

    __slots__ = ("arguments", "bars_needed", "function", "part", "settings")

    def __init__(
        self,
        text: str,
        span: Span,
        value_type: Type,
        key: PinKey,
        function: str,
        arguments: Sequence[Node],
        settings: dict[str, float],
        part: str | None,
        bars_needed: int,
    ):
        super().__init__(text, span, value_type, _widest(arguments), key)
        self.function = function
        self.arguments = tuple(arguments)
        self.settings = settings
        self.part = part
        self.bars_needed = bars_needed

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        return frame.series(self)

    def children(self) -> Sequence[Node]:
        return self.arguments

    def label(self) -> str:
        return f"series {self.function}{'.' + self.part if self.part else ''}"


class IndexNode(_Pinnable):
    """``x[n]``: the value of ``x`` ``n`` bars ago (``x[0]`` is ``x``)."""

    __slots__ = ("bars_ago", "operand")

    def __init__(self, text: str, span: Span, key: PinKey, operand: Node, bars_ago: int):
        super().__init__(text, span, operand.type, operand.scope, key)
        self.operand = operand
        self.bars_ago = bars_ago

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        if self.bars_ago == 0:
            return self.operand.evaluate(frame)
        return frame.series(self)

    def children(self) -> Sequence[Node]:
        return (self.operand,)

    def label(self) -> str:
        return f"{self.bars_ago} bars ago"


class EventNode(_Pinnable):
    """``days_to(EVENT)`` or ``days_since(EVENT)`` from the market model's event calendar."""

    __slots__ = ("event", "function")

    def __init__(self, text: str, span: Span, key: PinKey, function: str, event: str):
        super().__init__(text, span, Type.DAYS, Scope.PORTFOLIO, key)
        self.function = function
        self.event = event

    def evaluate(self, frame: Frame) -> Value:
        pins = frame.pins
        if pins is not None and self.key in pins:
            return pins[self.key]
        return frame.event(self)

    def label(self) -> str:
        return f"{self.function}({self.event})"


def _widest(nodes: Sequence[Node]) -> Scope:
    if any(node.scope is Scope.POSITION for node in nodes):
        return Scope.POSITION
    return Scope.PORTFOLIO


def walk(node: Node, *, into_lets: bool = True) -> list[Node]:
    """Every node under ``node`` in post-order (children before parents)."""
    order: list[Node] = []
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        current, expanded = stack.pop()
        if expanded:
            order.append(current)
            continue
        stack.append((current, True))
        if isinstance(current, LetNode) and not into_lets:
            continue
        for child in reversed(current.children()):
            stack.append((child, False))
    return order


def dump(node: Node, indent: str = "") -> str:
    """The node tree as indented text, each line with the node's source line:column."""
    lines: list[str] = []
    stack: list[tuple[Node, str]] = [(node, indent)]
    while stack:
        current, prefix = stack.pop()
        where = f"{current.span.line}:{current.span.column}"
        lines.append(f"{prefix}{current.label()} [{current.type.value}] `{current.text}` @{where}")
        if isinstance(current, LetNode):
            continue  # a let's body is printed once, with the let
        for child in reversed(current.children()):
            stack.append((child, prefix + "  "))
    return "\n".join(lines)
