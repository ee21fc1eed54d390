"""Expressions (AST) → scalar evaluator nodes, resolving every name on the way.

Names resolve as the checker resolves them (LANGUAGE.md §2-§5): user definitions first, then
fields, then sides, weekdays and events; beside a side or weekday field in a comparison a bare
name is that kind of symbol (``tested != none``, ``weekday in [mon, fri]``); inside
``days_to(...)`` it is an event. Params become constants (with the run's overrides), lets
become memoised references, series functions become :class:`~.nodes.SeriesNode` with their
warm-up. Anything the checker would reject and that reaches here raises :class:`CompileError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from condorrules import catalogue
from condorrules.catalogue import ParamKind, Type
from condorrules.check.context import dotted
from condorrules.check.printer import show as source_text
from condorrules.compile import nodes
from condorrules.compile.encoding import WEEKDAY_NAMES, symbol_code
from condorrules.compile.nodes import Node, PinKey
from condorrules.diagnostics import Diagnostic, Span
from condorrules.fields.values import day_number
from condorrules.runtime import Value, scalar
from condorrules.syntax import ast


class CompileError(Exception):
    """The program cannot be compiled; ``diagnostics`` say where and why. ``sources`` holds
    the text of pseudo-files the diagnostics point into (the run's param overrides)."""

    def __init__(
        self, diagnostics: tuple[Diagnostic, ...], sources: Mapping[str, str] | None = None
    ) -> None:
        self.diagnostics = diagnostics
        self.sources = dict(sources or {})
        super().__init__(
            "\n".join(f"{d.span.file}:{d.span.line}: {d.message}" for d in diagnostics)
        )


def fail(code: str, message: str, span: Span, help: str | None = None) -> CompileError:
    """A one-diagnostic :class:`CompileError`."""
    return CompileError((Diagnostic(code, message, span, help=help),))


# Warm-up in bars (catalogue ``warmup``), from the call's window settings.
_BARS_NEEDED: dict[str, Callable[[dict[str, float]], float]] = {
    "sma": lambda s: s["n"],
    "ema": lambda s: s["n"],
    "rsi": lambda s: s["n"] + 1,
    "macd": lambda s: s["slow"] + s["signal"] - 1,
    "bbands": lambda s: s["n"],
    "stdev": lambda s: s["n"],
    "hv": lambda s: s["n"] + 1,
    "highest": lambda s: s["n"],
    "lowest": lambda s: s["n"],
    "change": lambda s: s["n"] + 1,
    "pct_change": lambda s: s["n"] + 1,
    "rank": lambda s: s["n"],
    "iv_rank": lambda s: s["n"],
    "crosses_above": lambda s: 2,
    "crosses_below": lambda s: 2,
    "held": lambda s: s["n"],
    "within": lambda s: s["n"],
    "bars_since": lambda s: 1,
}

_COMPARE: dict[str, Callable[[Value, Value], Value]] = {
    "<": scalar.lt,
    "<=": scalar.le,
    ">": scalar.gt,
    ">=": scalar.ge,
    "==": scalar.eq,
    "!=": scalar.ne,
}
_ARITHMETIC: dict[str, Callable[[Value, Value], Value]] = {
    "+": scalar.add,
    "-": scalar.sub,
    "*": scalar.mul,
    "/": scalar.div,
}
_MATH: dict[str, Callable[..., Value]] = {
    "abs": scalar.abs_,
    "min": scalar.min_,
    "max": scalar.max_,
}
_LITERAL_TYPES: dict[type, Type] = {
    ast.Number: Type.NUMBER,
    ast.Percent: Type.RATIO,
    ast.Duration: Type.DAYS,
    ast.Money: Type.MONEY,
    ast.DateLiteral: Type.DATE,
    ast.Bool: Type.BOOL,
}


def pin_key(expr: ast.Expr) -> PinKey:
    """A structural key: equal for the same expression written anywhere, however its numbers
    are spelt and whether call arguments are positional, named or defaulted."""
    match expr:
        case ast.Number() | ast.Percent() | ast.Money():
            return ("num", expr.value)
        case ast.Duration():
            return ("num", expr.days)
        case ast.Name():
            return ("name", expr.name)
        case ast.Attribute():
            return ("attr", pin_key(expr.value), expr.name.name)
        case ast.Index():
            return ("index", pin_key(expr.value), pin_key(expr.bars_ago))
        case ast.Unary() if isinstance(expr.operand, ast.Number | ast.Percent | ast.Money):
            return ("num", -expr.operand.value)
        case ast.Call():
            return _call_key(expr)
    return ast.without_spans(expr)


def _call_key(call: ast.Call) -> PinKey:
    function = catalogue.FUNCTIONS.get(call.function.name)
    if function is None:
        return ast.without_spans(call)
    given: dict[str, PinKey] = {}
    for param, arg in zip(function.params, call.args, strict=False):
        given[param.name] = pin_key(arg)
    extra = tuple(pin_key(arg) for arg in call.args[len(function.params) :])
    for named in call.named:
        given[named.name.name] = pin_key(named.value)
    parts: list[PinKey] = []
    for param in function.params:
        if param.name in given:
            parts.append(given[param.name])
        elif param.default is not None:
            parts.append(("num", param.default))
    return ("call", call.function.name, tuple(parts), extra)


class ExpressionCompiler:
    """Compiles expressions of one program; ``definitions`` are the visible params, inputs
    and lets by name, ``param_values`` the params' values after overrides."""

    def __init__(
        self,
        definitions: Mapping[str, ast.Param | ast.Input | ast.Let],
        param_values: Mapping[str, tuple[Value, Type]],
        events: frozenset[str],
        let_node: Callable[[ast.Let, ast.Name], Node],
    ) -> None:
        self.definitions = definitions
        self.param_values = param_values
        self.events = events
        self.let_node = let_node

    # -- entry --------------------------------------------------------------------------

    def compile(self, expr: ast.Expr, expect: Type | None = None) -> Node:
        """The node tree of ``expr``; ``expect`` (SIDE, WEEKDAY, EVENT) reads a bare name as
        that kind of symbol first."""
        text, span = source_text(expr), expr.span
        match expr:
            case ast.Number() | ast.Percent() | ast.Money() | ast.Bool():
                return self._literal(
                    expr, float(expr.value) if not isinstance(expr, ast.Bool) else expr.value
                )
            case ast.Duration():
                return self._literal(expr, expr.days)
            case ast.DateLiteral():
                return self._literal(expr, float(day_number(expr.value)))
            case ast.StringLiteral():
                raise fail("E300", "a string can only be an alert's text", span)
            case ast.Name():
                return self._name(expr, expect)
            case ast.Attribute():
                return self._attribute(expr)
            case ast.Index():
                return self._index(expr)
            case ast.Call():
                return self._call(expr, None)
            case ast.Unary():
                operand = self.compile(expr.operand)
                return nodes.Operator(text, span, operand.type, "-", scalar.neg, (operand,))
            case ast.Not():
                operand = self.compile(expr.operand)
                return nodes.Operator(text, span, Type.BOOL, "not", scalar.not_, (operand,))
            case ast.BoolOp():
                return nodes.Logic(text, span, expr.op, [self.compile(o) for o in expr.operands])
            case ast.Binary():
                return self._binary(expr)
            case ast.Compare():
                left, (right,) = self._with_symbols(expr.left, (expr.right,))
                operator = _COMPARE[expr.op]
                return nodes.Operator(text, span, Type.BOOL, expr.op, operator, (left, right))
            case ast.Between():
                value, bounds = self._with_symbols(expr.value, (expr.low, expr.high))
                return nodes.Between(text, span, (value, *bounds))
            case ast.InList():
                value, options = self._with_symbols(expr.value, expr.options)
                return nodes.InList(text, span, (value, *options))
            case ast.IfElse():
                parts = (expr.condition, expr.then_value, expr.else_value)
                return nodes.IfElse(text, span, [self.compile(p) for p in parts])
            case ast.AtLeast():
                operands = [self.compile(expr.count), *map(self.compile, expr.conditions)]
                return nodes.AtLeast(text, span, operands)
        raise fail("E300", f"`{text}` is not an expression", span)  # pragma: no cover

    def constant(self, expr: ast.Expr, what: str) -> float:
        """The value of an expression that must be known when compiling (a window length)."""
        node = self.compile(expr)
        value = evaluate_constant(node)
        if value is None or not value.known or isinstance(value.value, bool):
            raise fail("E302", f"{what} must be a number fixed in the file", expr.span)
        return float(value.value)

    # -- names --------------------------------------------------------------------------

    def _literal(self, expr: ast.Expr, value: float | bool) -> Node:
        value_type = _LITERAL_TYPES[type(expr)]
        return nodes.Constant(source_text(expr), expr.span, value_type, Value(value))

    def _name(self, name: ast.Name, expect: Type | None) -> Node:
        text, span = name.name, name.span
        symbol = self._symbol(name, expect) if expect is not None else None
        if symbol is not None:
            return symbol
        definition = self.definitions.get(text)
        if isinstance(definition, ast.Param):
            value, value_type = self.param_values[text]
            return nodes.Constant(text, span, value_type, value, name=text)
        if isinstance(definition, ast.Let):
            return self.let_node(definition, name)
        if isinstance(definition, ast.Input):
            input_type = Type.NUMBER
            if definition.type_name is not None and definition.type_name.name == "bool":
                input_type = Type.BOOL
            return nodes.InputNode(text, span, input_type, pin_key(name))
        field = catalogue.FIELDS.get(text)
        if field is not None:
            return nodes.FieldNode(text, span, field.type, field.scope, pin_key(name))
        symbol = self._symbol(name, None)
        if symbol is not None:
            return symbol
        if text in catalogue.NAMESPACES:
            raise fail("E200", f"`{text}` has fields but no value of its own", span)
        raise fail("E200", f"unknown name `{text}`", span)

    def _event_name(self, event: ast.Expr) -> str | None:
        """The event an argument names: written (``FOMC``) or a param holding it."""
        if not isinstance(event, ast.Name):
            return None
        definition = self.definitions.get(event.name)
        if isinstance(definition, ast.Param) and isinstance(definition.value, ast.Name):
            event = definition.value
        return event.name if event.name in self.events else None

    def _symbol(self, name: ast.Name, expect: Type | None) -> Node | None:
        """A side or weekday written as a bare name (``none``, ``mon``), if it is one."""
        text, span = name.name, name.span
        for kind, names in ((Type.SIDE, catalogue.SIDE_VALUES), (Type.WEEKDAY, WEEKDAY_NAMES)):
            if (expect is None or expect is kind) and text in names:
                value = Value(float(symbol_code(text, kind)))
                return nodes.Constant(text, span, kind, value)
        return None

    def _with_symbols(
        self, subject: ast.Expr, others: tuple[ast.Expr, ...]
    ) -> tuple[Node, tuple[Node, ...]]:
        """Compile a comparison's operands; beside a side or weekday, names are symbols."""
        written_symbol = isinstance(subject, ast.Name) and subject.name in _SYMBOL_NAMES
        if written_symbol and not self._defined(subject):
            # `none == tested`: the symbol comes first and takes the other side's kind.
            compiled = tuple(self.compile(other) for other in others)
            kind = next((n.type for n in compiled if n.type in _SYMBOL_TYPES), None)
            return self.compile(subject, kind), compiled
        node = self.compile(subject)
        expect = node.type if node.type in _SYMBOL_TYPES else None
        return node, tuple(self.compile(other, expect) for other in others)

    def _defined(self, expr: ast.Expr) -> bool:
        """True for a name the user defined or a field (not a bare symbol)."""
        assert isinstance(expr, ast.Name)
        return expr.name in self.definitions or expr.name in catalogue.FIELDS

    def _attribute(self, expr: ast.Attribute) -> Node:
        path = dotted(expr)
        if path is not None and "." in path:
            field = catalogue.FIELDS.get(path)
            if field is not None:
                key = pin_key(expr)
                return nodes.FieldNode(path, expr.span, field.type, field.scope, key)
            raise fail("E200", f"unknown field `{path}`", expr.name.span)
        if isinstance(expr.value, ast.Call):
            return self._call(expr.value, expr)
        raise fail("E200", f"`{source_text(expr.value)}` has no fields", expr.name.span)

    def _index(self, expr: ast.Index) -> Node:
        operand = self.compile(expr.value)
        bars = self.constant(expr.bars_ago, "the number of bars ago")
        if bars < 0 or bars != int(bars):
            raise fail("E302", "bars ago must be a whole number >= 0", expr.bars_ago.span)
        return nodes.IndexNode(source_text(expr), expr.span, pin_key(expr), operand, int(bars))

    # -- calls and arithmetic -----------------------------------------------------------

    def _call(self, call: ast.Call, attribute: ast.Attribute | None) -> Node:
        name = call.function.name
        function = catalogue.FUNCTIONS.get(name)
        if function is None:
            raise fail("E201", f"unknown function `{name}`", call.function.span)
        arguments = self._bind(function, call)
        outer = attribute if attribute is not None else call
        text, span = source_text(outer), outer.span
        part = attribute.name.name if attribute is not None else None
        if function.attributes and part not in function.attributes:
            parts = ", ".join(f".{a}" for a in function.attributes)
            raise fail("E201", f"`{name}` has no single value: use one of {parts}", span)
        if attribute is not None and not function.attributes:
            raise fail("E200", f"`{name}` has no part `.{part}`", attribute.name.span)
        if name in ("days_to", "days_since"):
            event = arguments["event"]
            event_name = self._event_name(event)
            if event_name is None:
                raise fail("E204", f"unknown event `{source_text(event)}`", event.span)
            return nodes.EventNode(text, span, pin_key(call), name, event_name)
        if name == "expected_move":
            days = self.compile(arguments["d"])
            spot = self._field("spot", span)
            return nodes.ExpectedMove(text, span, (spot, self._field("atm_iv", span), days))
        if name in ("abs", "min", "max"):
            operands = [self.compile(arg) for arg in call.args]
            math_function: Callable[..., Value] = _MATH[name]
            return nodes.Operator(text, span, operands[0].type, name, math_function, operands)
        if name == "round":
            digits = arguments.get("digits")
            places = 0 if digits is None else self.constant(digits, "round's digits")
            return nodes.Round(text, span, self.compile(arguments["x"]), int(places))
        return self._series(function, arguments, text, span, pin_key(call), part)

    def _series(
        self,
        function: catalogue.Function,
        arguments: dict[str, ast.Expr],
        text: str,
        span: Span,
        key: PinKey,
        part: str | None,
    ) -> Node:
        operands: list[Node] = []
        settings: dict[str, float] = {}
        for param in function.params:
            given = arguments.get(param.name)
            if param.kind in (ParamKind.SERIES, ParamKind.CONDITION):
                assert given is not None  # _bind checked required parameters
                operands.append(self.compile(given))
            elif given is not None:
                settings[param.name] = self.constant(given, f"{function.name}'s `{param.name}`")
            else:
                settings[param.name] = float(param.default or 0.0)
            if param.kind is ParamKind.BARS:
                bars = settings[param.name]
                if bars < 1 or bars != int(bars):
                    where = given.span if given is not None else span
                    raise fail("E302", f"`{param.name}` must be a whole number of bars >= 1", where)
        if function.result is not None:
            value_type = function.result
        else:
            value_type = operands[0].type if operands else Type.NUMBER
        if part is not None:
            key = ("attr", key, part)
        needed = int(_BARS_NEEDED[function.name](settings))
        if function.name == "macd" and part == "line":
            needed = int(max(settings["fast"], settings["slow"]))
        return nodes.SeriesNode(
            text, span, value_type, key, function.name, operands, settings, part, needed
        )

    def _bind(self, function: catalogue.Function, call: ast.Call) -> dict[str, ast.Expr]:
        bound: dict[str, ast.Expr] = {}
        if not function.variadic and len(call.args) > len(function.params):
            raise fail(
                "E201",
                f"`{function.name}` takes at most {len(function.params)} arguments",
                call.span,
            )
        for param, arg in zip(function.params, call.args, strict=False):
            bound[param.name] = arg
        for named in call.named:
            if function.param(named.name.name) is None:
                raise fail(
                    "E201",
                    f"`{function.name}` has no argument `{named.name.name}`",
                    named.name.span,
                )
            bound[named.name.name] = named.value
        for param in function.params:
            if param.default is None and param.name not in bound:
                raise fail("E201", f"`{function.name}` needs `{param.name}`", call.span)
        return bound

    def _field(self, name: str, span: Span) -> Node:
        field = catalogue.FIELDS[name]
        return nodes.FieldNode(name, span, field.type, field.scope, ("name", name))

    def _binary(self, expr: ast.Binary) -> Node:
        left, right = self.compile(expr.left), self.compile(expr.right)
        value_type = _arithmetic_type(expr.op, left, right)
        function = _ARITHMETIC[expr.op]
        return nodes.Operator(
            source_text(expr), expr.span, value_type, expr.op, function, (left, right)
        )


def _arithmetic_type(op: str, left: Node, right: Node) -> Type:
    """The unit of ``left op right`` (LANGUAGE.md §3); a bare number takes the other's unit."""
    if op == "-" and left.type is Type.DATE and right.type is Type.DATE:
        return Type.DAYS
    if op in "+-" and Type.DATE in (left.type, right.type):
        return Type.DATE
    if op == "/":
        return Type.NUMBER if left.type is right.type else left.type
    return right.type if left.type is Type.NUMBER else left.type


class _NeedsState(LookupError):
    """Raised when a node asked to be constant reads something only a state supplies."""


class _ConstantFrame:
    """A frame with nothing in it: evaluating a node that needs the state raises."""

    pins: dict[PinKey, Value] | None = None

    def field(self, node: nodes.FieldNode) -> Value:
        raise _NeedsState(node.text)

    def input(self, node: nodes.InputNode) -> Value:
        raise _NeedsState(node.text)

    def let(self, node: nodes.LetNode) -> Value:
        raise _NeedsState(node.text)

    def series(self, node: nodes.SeriesNode | nodes.IndexNode) -> Value:
        raise _NeedsState(node.text)

    def event(self, node: nodes.EventNode) -> Value:
        raise _NeedsState(node.text)


def evaluate_constant(node: Node) -> Value | None:
    """The value of a node built from literals and params only, else None."""
    try:
        return node.evaluate(_ConstantFrame())
    except _NeedsState:
        return None


_SYMBOL_NAMES = frozenset({*catalogue.SIDE_VALUES, *WEEKDAY_NAMES})
_SYMBOL_TYPES = (Type.SIDE, Type.WEEKDAY)
