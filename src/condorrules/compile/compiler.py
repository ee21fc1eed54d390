"""A parsed program → :class:`~.program.CompiledRuleset`: params, lets, rules, guards.

    compiled = compile_program(program, params={"profit_take": 0.6})

Params become constants (overrides applied and type-checked against the written literal);
lets are compiled once each, in dependency order, and referenced through memoised
:class:`~.nodes.LetNode`; every rule and guard gets its scope (LANGUAGE.md §2). The checker
reports problems with rich diagnostics first; what still reaches here and cannot be compiled
raises :class:`~.expressions.CompileError`.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Mapping

from condorrules import catalogue
from condorrules.catalogue import Scope, Type
from condorrules.check.printer import show as source_text
from condorrules.compile import nodes
from condorrules.compile.encoding import decode, symbol_code
from condorrules.compile.expressions import (
    CompileError,
    ExpressionCompiler,
    evaluate_constant,
    fail,
    pin_key,
)
from condorrules.compile.program import (
    Argument,
    CompiledAction,
    CompiledGuard,
    CompiledLet,
    CompiledRule,
    CompiledRuleset,
    Limit,
    LimitPer,
)
from condorrules.market import MarketModel
from condorrules.runtime import Value
from condorrules.syntax import Program, ast
from condorrules.syntax.literals import LiteralError, decode_date, decode_numeric

ParamOverride = float | int | bool | str
"""A param's value given by a run: a number, a bool, or text as written in a file
(``"50%"``, ``"21d"``, ``"put"``, ``"2018-01-02"``)."""


def compile_program(
    program: Program,
    params: Mapping[str, ParamOverride] | None = None,
    market: MarketModel | None = None,
) -> CompiledRuleset:
    """Compile the main module of ``program`` (with what its imports make visible)."""
    events = frozenset(catalogue.EVENTS) | frozenset(
        (market or MarketModel.default()).events.names()
    )
    return _RulesetCompiler(program, dict(params or {}), events).run()


class _RulesetCompiler:
    def __init__(
        self, program: Program, overrides: dict[str, ParamOverride], events: frozenset[str]
    ) -> None:
        self.program = program
        self.overrides = overrides
        self.definitions: dict[str, ast.Param | ast.Input | ast.Let] = {}
        self.guard_items: list[ast.Guard] = []
        for module in program.imported:
            for item in module.items:
                self._visible(item)
        for item in program.main.items:
            self._visible(item)
        self.param_values = self._params()
        self.lets: dict[str, CompiledLet] = {}
        self.compiling: list[str] = []
        self.expressions = ExpressionCompiler(
            self.definitions, self.param_values, events, self._let_reference
        )

    def _visible(self, item: ast.Item) -> None:
        if isinstance(item, ast.Param | ast.Input | ast.Let):
            self.definitions.setdefault(item.name.name, item)
        elif isinstance(item, ast.Guard):
            self.guard_items.append(item)

    def run(self) -> CompiledRuleset:
        unknown = sorted(set(self.overrides) - set(self.param_values))
        if unknown:
            span = self.program.main.span
            known = ", ".join(sorted(self.param_values)) or "none"
            raise fail(
                "E200",
                f"no param `{unknown[0]}` to override",
                span,
                f"the ruleset's params are: {known}",
            )
        for definition in self.definitions.values():
            if isinstance(definition, ast.Let):
                self._let(definition)
        rules = [
            self._rule(item, order)
            for order, item in enumerate(
                i for i in self.program.main.items if isinstance(i, ast.Rule)
            )
        ]
        guards = [self._guard(item, order) for order, item in enumerate(self.guard_items)]
        header = self.program.main.header
        name = header.name.name if header is not None else _file_stem(self.program.main)
        params = {n: _plain(v, t) for n, (v, t) in self.param_values.items()}
        inputs = tuple(n for n, d in self.definitions.items() if isinstance(d, ast.Input))
        lets = tuple(sorted(self.lets.values(), key=lambda let: let.index))
        roots = [let.body for let in lets] + [r.condition for r in rules]
        roots += [g.condition for g in guards]
        roots += [a.node for r in rules for act in r.actions for a in act.arguments if a.node]
        read = frozenset(
            node.name
            for root in roots
            for node in nodes.walk(root, into_lets=False)
            if isinstance(node, nodes.FieldNode)
        )
        return CompiledRuleset(name, params, lets, tuple(rules), tuple(guards), inputs, read)

    # -- params -------------------------------------------------------------------------

    def _params(self) -> dict[str, tuple[Value, Type]]:
        values: dict[str, tuple[Value, Type]] = {}
        for name, definition in self.definitions.items():
            if not isinstance(definition, ast.Param):
                continue
            written = _param_literal(definition.value)
            if name in self.overrides:
                values[name] = _override(definition, written[1], self.overrides[name])
            else:
                values[name] = written
        return values

    # -- lets ---------------------------------------------------------------------------

    def _let(self, let: ast.Let) -> CompiledLet:
        name = let.name.name
        compiled = self.lets.get(name)
        if compiled is not None:
            return compiled
        if name in self.compiling:
            cycle = " -> ".join([*self.compiling[self.compiling.index(name) :], name])
            raise fail("E203", f"let `{name}` depends on itself: {cycle}", let.name.span)
        self.compiling.append(name)
        body = self.expressions.compile(let.value)
        self.compiling.pop()
        compiled = CompiledLet(name, len(self.lets), body, let.span)
        self.lets[name] = compiled
        return compiled

    def _let_reference(self, let: ast.Let, name: ast.Name) -> nodes.Node:
        compiled = self._let(let)
        return nodes.LetNode(name.name, name.span, compiled.index, compiled.body, pin_key(name))

    # -- rules and guards -----------------------------------------------------------------

    def _rule(self, rule: ast.Rule, order: int) -> CompiledRule:
        condition = self.expressions.compile(rule.condition)
        actions = tuple(self._action(action) for action in rule.actions)
        scope, why = _rule_scope(condition, actions)
        if scope is Scope.POSITION:
            for action in actions:
                if action.kind in ("open", "hedge", "unhedge"):
                    raise fail(
                        "E400",
                        f"rule `{rule.name.name}` mixes `{action.kind}` with {why}",
                        action.span,
                    )
        priority = 0 if rule.priority is None else int(rule.priority.value)
        cooldown: float | None = None
        limits: list[Limit] = []
        for modifier in rule.modifiers:
            if isinstance(modifier, ast.Cooldown):
                cooldown = self.expressions.constant(modifier.duration, "a cooldown")
            else:
                per = modifier.per.name
                if per not in ("position", "day", "run"):
                    raise fail(
                        "E204",
                        f"`limit ... per {per}`: expected position, day or run",
                        modifier.per.span,
                    )
                limit_per: LimitPer = per  # type: ignore[assignment]
                limits.append(Limit(int(modifier.count.value), limit_per))
        return CompiledRule(
            rule.name.name,
            order,
            priority,
            scope,
            condition,
            actions,
            cooldown,
            tuple(limits),
            rule.span,
        )

    def _guard(self, guard: ast.Guard, order: int) -> CompiledGuard:
        condition = self.expressions.compile(guard.condition)
        kinds = frozenset(kind.name for kind in guard.kinds)
        for kind in guard.kinds:
            if kind.name not in catalogue.GUARD_KINDS:
                raise fail("E201", f"unknown action kind `{kind.name}`", kind.span)
        return CompiledGuard(guard.name.name, order, kinds, condition.scope, condition, guard.span)

    def _action(self, action: ast.Action) -> CompiledAction:
        kind = action.kind.name
        definition = catalogue.ACTIONS.get(kind)
        if definition is None:
            raise fail("E201", f"unknown action `{kind}`", action.kind.span)
        signature = definition.signature
        structure = action.structure.name if action.structure is not None else None
        if structure is not None:
            found = definition.structure(structure)
            if found is None:
                raise fail("E204", f"`{kind}` cannot trade `{structure}`", action.span)
            signature = found.signature
        arguments: list[Argument] = []
        for index, value in enumerate(action.args):
            name = signature.positional[index] if index < len(signature.positional) else "text"
            if isinstance(value, ast.StringLiteral):
                arguments.append(Argument(name, None, value.value, value.span))
            else:
                arguments.append(Argument(name, self.expressions.compile(value), None, value.span))
        for named in action.named:
            spec = signature.argument(named.name.name)
            value = named.value
            symbols = spec.symbols if spec is not None else ()
            if isinstance(value, ast.Name) and value.name in symbols:
                arguments.append(Argument(named.name.name, None, value.name, value.span))
            elif isinstance(value, ast.StringLiteral):
                arguments.append(Argument(named.name.name, None, value.value, value.span))
            else:
                node = self.expressions.compile(value)
                arguments.append(Argument(named.name.name, node, None, value.span))
        return CompiledAction(kind, structure, tuple(arguments), _action_text(action), action.span)


def _rule_scope(condition: nodes.Node, actions: tuple[CompiledAction, ...]) -> tuple[Scope, str]:
    """The rule's scope and, when position, what made it so (for E400's message)."""
    for node in nodes.walk(condition):
        if isinstance(node, nodes.FieldNode) and node.scope is Scope.POSITION:
            return Scope.POSITION, f"the position field `{node.name}`"
        if isinstance(node, nodes.LetNode) and node.scope is Scope.POSITION:
            return Scope.POSITION, f"the position-scoped let `{node.name}`"
    for action in actions:
        if action.changes_position:
            return Scope.POSITION, f"the position action `{action.kind}`"
        for argument in action.arguments:
            if argument.node is not None and argument.node.scope is Scope.POSITION:
                return Scope.POSITION, f"the position value `{argument.node.text}`"
    return Scope.PORTFOLIO, ""


_NUMERIC_LITERALS: dict[type, Type] = {
    ast.Number: Type.NUMBER,
    ast.Percent: Type.RATIO,
    ast.Money: Type.MONEY,
}


def _param_literal(expr: ast.Expr) -> tuple[Value, Type]:
    match expr:
        case ast.Number() | ast.Percent() | ast.Money():
            return Value(float(expr.value)), _NUMERIC_LITERALS[type(expr)]
        case ast.Duration():
            return Value(expr.days), Type.DAYS
        case ast.DateLiteral():
            return Value(float((expr.value - datetime.date(1970, 1, 1)).days)), Type.DATE
        case ast.Bool():
            return Value(expr.value), Type.BOOL
        case ast.Unary():
            value, kind = _param_literal(expr.operand)
            return Value(-float(value.value)), kind
        case ast.Name() if expr.name in catalogue.SIDE_VALUES:
            return Value(float(symbol_code(expr.name, Type.SIDE))), Type.SIDE
        case ast.Name() if expr.name in catalogue.WEEKDAYS:
            return Value(float(symbol_code(expr.name, Type.WEEKDAY))), Type.WEEKDAY
    raise fail("E300", f"a param's value must be a literal, not `{source_text(expr)}`", expr.span)


def _override(param: ast.Param, written: Type, given: ParamOverride) -> tuple[Value, Type]:
    """A run's value for a param, checked against the type of the written literal."""
    name, span = param.name.name, param.name.span

    def wrong(why: str) -> CompileError:
        help = f"`{name}` is written as {source_text(param.value)} ({written.value})"
        return fail("E300", f"param `{name}` override {given!r}: {why}", span, help)

    if isinstance(given, bool):
        if written is not Type.BOOL:
            raise wrong("expected a number")
        return Value(given), Type.BOOL
    if isinstance(given, int | float):
        if written in (Type.BOOL, Type.SIDE, Type.WEEKDAY, Type.DATE) or math.isnan(given):
            raise wrong(f"expected a {written.value}")
        return Value(float(given)), written
    text = given.strip()
    if written is Type.BOOL and text in ("true", "false"):
        return Value(text == "true"), Type.BOOL
    if written in (Type.SIDE, Type.WEEKDAY):
        names = catalogue.SIDE_VALUES if written is Type.SIDE else catalogue.WEEKDAYS
        if text not in names:
            raise wrong(f"expected one of {', '.join(names)}")
        return Value(float(symbol_code(text, written))), written
    try:
        if written is Type.DATE:
            day = decode_date(text)
            return Value(float((day - datetime.date(1970, 1, 1)).days)), Type.DATE
        negative = text.startswith("-")
        decoded = decode_numeric(text.lstrip("-").lstrip("$"))
    except LiteralError as error:
        raise wrong(error.message) from None
    value = decoded.value
    if decoded.kind == "duration" and decoded.unit is not None:
        value = ast.Duration(decoded.value, decoded.unit, text, span).days
    return Value(-value if negative else value), written


def _plain(value: Value, value_type: Type) -> float | bool | str:
    plain = decode(value, value_type)
    return 0.0 if plain is None else plain


def _action_text(action: ast.Action) -> str:
    head = action.kind.name + (f" {action.structure.name}" if action.structure else "")
    parts = [source_text(a) for a in action.args]
    parts += [f"{n.name.name}: {source_text(n.value)}" for n in action.named]
    return f"{head}({', '.join(parts)})" if parts else head


def _file_stem(module: ast.Module) -> str:
    file = module.span.file
    stem = file.rsplit("/", 1)[-1]
    return stem[: -len(".condor")] if stem.endswith(".condor") else stem


__all__ = ["CompileError", "ParamOverride", "compile_program", "evaluate_constant"]
