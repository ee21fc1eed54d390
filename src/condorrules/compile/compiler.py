"""A parsed program → :class:`~.program.CompiledRuleset`: params, lets, rules, guards.

    compiled = compile_program(program, params={"profit_take": 0.6})

Params become constants (overrides applied and type-checked against the written literal);
lets are compiled once each, in dependency order, and referenced through memoised
:class:`~.nodes.LetNode`; every rule and guard gets its scope (LANGUAGE.md §2). The checker
reports problems with rich diagnostics first; what still reaches here and cannot be compiled
raises :class:`~.expressions.CompileError`.
"""

from __future__ import annotations

from collections.abc import Mapping

from condorrules import catalogue
from condorrules.catalogue import Scope, Type
from condorrules.check.printer import show as source_text
from condorrules.check.printer import show_action
from condorrules.compile import nodes
from condorrules.compile.encoding import decode, symbol_code
from condorrules.compile.expressions import (
    CompileError,
    ExpressionCompiler,
    evaluate_constant,
    fail,
    pin_key,
)
from condorrules.compile.overrides import (
    Origin,
    OverrideProblem,
    OverrideSource,
    ParamOverride,
    override_diagnostic,
    override_value,
    range_diagnostic,
    unknown_param_diagnostic,
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
from condorrules.diagnostics import Diagnostic, Span
from condorrules.fields.values import day_number
from condorrules.market import MarketModel
from condorrules.runtime import Value
from condorrules.syntax import Program, ast


def compile_program(
    program: Program,
    params: Mapping[str, ParamOverride] | None = None,
    market: MarketModel | None = None,
    *,
    origin: Origin = "api",
) -> CompiledRuleset:
    """Compile the main module of ``program`` (with what its imports make visible).

    ``params`` override params by name (:mod:`.overrides` says what each type takes);
    ``origin`` says how messages quote them (``params={...}`` or ``--param NAME=VALUE``).
    A bad override raises :class:`CompileError` whose ``sources`` hold the overrides'
    pseudo-source, so a renderer can show the value with a caret.
    """
    events = frozenset(catalogue.EVENTS) | frozenset(
        (market or MarketModel.default()).events.names()
    )
    source = OverrideSource(origin, dict(params or {}))
    return _RulesetCompiler(program, source, events).run()


class _RulesetCompiler:
    def __init__(self, program: Program, overrides: OverrideSource, events: frozenset[str]) -> None:
        self.program = program
        self.source = overrides
        self.overrides = overrides.overrides
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
        self._raise_override_problems(self.override_problems)
        for definition in self.definitions.values():
            if isinstance(definition, ast.Let):
                self._let(definition)
        rules = [
            self._rule(item, order)
            for order, item in enumerate(
                i for i in self.program.main.items if isinstance(i, ast.Rule)
            )
        ]
        self._raise_override_problems(self._override_ranges(rules))
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
        problems: list[Diagnostic] = []
        for name, definition in self.definitions.items():
            if not isinstance(definition, ast.Param):
                continue
            written = _param_literal(definition.value)
            values[name] = written
            if name in self.overrides:
                try:
                    value = override_value(definition, written[1], self.overrides[name])
                except OverrideProblem as problem:
                    problems.append(
                        override_diagnostic(self.source, definition, written[1], problem)
                    )
                    continue
                values[name] = (value, written[1])
        known = tuple(n for n, d in self.definitions.items() if isinstance(d, ast.Param))
        for name in self.overrides:
            if name not in values:
                problems.append(unknown_param_diagnostic(self.source, name, known))
        self.override_problems = sorted(problems, key=lambda d: d.span.line)
        return values

    def _raise_override_problems(self, problems: list[Diagnostic]) -> None:
        if problems:
            raise CompileError(tuple(problems), {self.source.file: self.source.text()})

    def _override_ranges(self, rules: list[CompiledRule]) -> list[Diagnostic]:
        """E302 where an overridden param makes an action argument leave its range."""
        problems = (
            self._argument_range(rule, action, argument)
            for rule in rules
            for action in rule.actions
            for argument in action.arguments
        )
        return [problem for problem in problems if problem is not None]

    def _argument_range(
        self, rule: CompiledRule, action: CompiledAction, argument: Argument
    ) -> Diagnostic | None:
        signature = _signature(action)
        spec = signature.argument(argument.name) if signature is not None else None
        if argument.node is None or spec is None or spec.constraint is None:
            return None
        overridden = [
            node.name
            for node in nodes.walk(argument.node)
            if isinstance(node, nodes.Constant) and node.name in self.overrides
        ]
        if not overridden:
            return None
        for value in _constant_values(argument.node):
            if not spec.constraint.allows(value):
                where = (action, rule.name, spec.constraint, argument)
                return range_diagnostic(self.source, overridden[0], value, *_described(*where))
        return None

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

    def _text(self, value: ast.Expr) -> str | None:
        """A string argument: a string literal, or a param whose value is one."""
        if isinstance(value, ast.StringLiteral):
            return value.value
        definition = self.definitions.get(value.name) if isinstance(value, ast.Name) else None
        if isinstance(definition, ast.Param) and isinstance(definition.value, ast.StringLiteral):
            return definition.value.value  # text params cannot be overridden (overrides.py)
        return None

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
            text = self._text(value)
            if text is not None:
                arguments.append(Argument(name, None, text, value.span))
            else:
                arguments.append(Argument(name, self.expressions.compile(value), None, value.span))
        for named in action.named:
            spec = signature.argument(named.name.name)
            value = named.value
            symbols = spec.symbols if spec is not None else ()
            if isinstance(value, ast.Name) and value.name in symbols:
                arguments.append(Argument(named.name.name, None, value.name, value.span))
            elif (text := self._text(value)) is not None:
                arguments.append(Argument(named.name.name, None, text, value.span))
            else:
                node = self.expressions.compile(value)
                arguments.append(Argument(named.name.name, node, None, value.span))
        return CompiledAction(kind, structure, tuple(arguments), show_action(action), action.span)


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
            return Value(float(day_number(expr.value))), Type.DATE
        case ast.Bool():
            return Value(expr.value), Type.BOOL
        case ast.Unary():
            value, kind = _param_literal(expr.operand)
            return Value(-float(value.value)), kind
        case ast.Name() if expr.name in catalogue.SIDE_VALUES:
            return Value(float(symbol_code(expr.name, Type.SIDE))), Type.SIDE
        case ast.Name() if expr.name in catalogue.WEEKDAYS:
            return Value(float(symbol_code(expr.name, Type.WEEKDAY))), Type.WEEKDAY
        # Texts and event names have no runtime value: an alert reads the text and
        # days_to/days_since the event name from the param's definition where they are used.
        case ast.StringLiteral():
            return Value(0.0), Type.STRING
        case ast.Name():
            return Value(0.0), Type.EVENT
    raise fail("E300", f"a param's value must be a literal, not `{source_text(expr)}`", expr.span)


def _plain(value: Value, value_type: Type) -> float | bool | str:
    plain = decode(value, value_type)
    return 0.0 if plain is None else plain


def _described(
    action: CompiledAction, rule: str, constraint: catalogue.Constraint, argument: Argument
) -> tuple[str, str, str, catalogue.Constraint, Span]:
    """(argument, action, rule, constraint, span) for :func:`range_diagnostic`."""
    name = f"{action.kind} {action.structure}" if action.structure else action.kind
    return argument.name, name, rule, constraint, argument.span


def _signature(action: CompiledAction) -> catalogue.Signature | None:
    definition = catalogue.ACTIONS.get(action.kind)
    if definition is None:
        return None
    if action.structure is not None:
        structure = definition.structure(action.structure)
        return structure.signature if structure is not None else None
    return definition.signature


def _constant_values(node: nodes.Node) -> list[float]:
    """The values ``node`` can take that are known before any bar: the node's own, or those
    of the branches of an ``if`` whose condition depends on the market."""
    value = evaluate_constant(node)
    if value is not None:
        return [float(value.value)] if value.known and not isinstance(value.value, bool) else []
    if isinstance(node, nodes.IfElse):
        return [v for branch in node.operands[1:] for v in _constant_values(branch)]
    return []


def _file_stem(module: ast.Module) -> str:
    file = module.span.file
    stem = file.rsplit("/", 1)[-1]
    return stem[: -len(".condor")] if stem.endswith(".condor") else stem


__all__ = ["CompileError", "ParamOverride", "compile_program", "evaluate_constant"]
