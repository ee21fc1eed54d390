"""Pass 4, scopes (LANGUAGE.md §2): which lets, rules and guards are position-scoped, and
why (``scopes``, ``scope_reasons``); E400 when a portfolio action (`open`, `hedge`,
`unhedge`) meets a position field or a position action, on the first name that did it.
"""

from __future__ import annotations

from collections.abc import Iterable

from condorrules import catalogue
from condorrules.catalogue import Scope
from condorrules.check.context import Context, action_expressions, subexpressions
from condorrules.diagnostics import Diagnostic
from condorrules.syntax import ast

PORTFOLIO_KINDS = frozenset(a.name for a in catalogue.ACTION_LIST if a.scope is Scope.PORTFOLIO)
POSITION_KINDS = frozenset(a.name for a in catalogue.ACTION_LIST if a.scope is Scope.POSITION)


def infer_scopes(context: Context) -> None:
    """Record the scope of every let, rule and guard; report E400."""
    finder = _Finder(context)
    for let in context.let_order:  # dependencies first: finding a reason never recurses far
        finder.let(let)
    for item in context.visible_items():
        if isinstance(item, ast.Let):
            finder.let(item)
        elif isinstance(item, ast.Rule):
            _rule(context, finder, item)
        elif isinstance(item, ast.Guard):
            _guard(context, finder, item)


class _Finder:
    """Finds the first name (in source order) that makes an expression position-scoped."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.active: set[str] = set()

    def let(self, let: ast.Let) -> ast.Node | None:
        if let in self.context.scopes:
            return self.context.scope_reasons.get(let)
        name = let.name.name
        if name in self.active or (name in self.context.cyclic and self.active):
            return None  # a cycle (E203): each let of it is scoped on its own
        self.active.add(name)
        reason = self.first(let.value)
        self.active.discard(name)
        self.record(let, reason)
        return reason

    def first(self, expr: ast.Expr) -> ast.Node | None:
        for node in subexpressions(expr):
            if not isinstance(node, ast.Name | ast.Attribute):
                continue
            reference = self.context.references.get(node)
            if reference is None:
                continue
            scope = None
            if reference.field is not None:
                scope = reference.field.scope
            elif reference.namespace is not None:
                scope = reference.namespace.scope
            elif isinstance(reference.definition, ast.Let):
                scope = Scope.POSITION if self.let(reference.definition) else Scope.PORTFOLIO
            if scope is Scope.POSITION:
                return node
        return None

    def first_of(self, exprs: Iterable[ast.Expr]) -> ast.Node | None:
        return next((r for r in (self.first(e) for e in exprs) if r is not None), None)

    def record(self, item: ast.Let | ast.Rule | ast.Guard, reason: ast.Node | None) -> None:
        self.context.scopes[item] = Scope.POSITION if reason is not None else Scope.PORTFOLIO
        if reason is not None:
            self.context.scope_reasons[item] = reason


def _describe(context: Context, node: ast.Node) -> str:
    """``position field `pnl_pct``` or ``let `a` (position-scoped through let `b`, then
    position field `dte`)``: followed iteratively, a chain of lets may be long."""
    steps: list[str] = []
    seen: set[int] = set()
    current: ast.Node | None = node
    end = "a position field"
    while current is not None:
        if isinstance(current, ast.Action):
            end = f"position action `{current.kind.name}`"
            break
        if not isinstance(current, ast.Name | ast.Attribute):
            break
        reference = context.references.get(current)
        if reference is None:
            break
        definition = reference.definition
        if not isinstance(definition, ast.Let) or id(definition) in seen:
            end = f"position field `{reference.name}`"
            break
        seen.add(id(definition))
        steps.append(f"let `{reference.name}`")
        current = context.scope_reasons.get(definition)
    if not steps:
        return end
    if len(steps) > 4:
        steps = [*steps[:2], "...", steps[-1]]
    through = ", then ".join([*steps[1:], end])
    return f"{steps[0]} (position-scoped through {through})"


def _rule(context: Context, finder: _Finder, rule: ast.Rule) -> None:
    reason = finder.first(rule.condition)
    arguments = [e for action in rule.actions for e in action_expressions(action)]
    reason = reason or finder.first_of(arguments)
    position_action = next((a for a in rule.actions if a.kind.name in POSITION_KINDS), None)
    reason = reason or position_action
    finder.record(rule, reason)
    portfolio_action = next((a for a in rule.actions if a.kind.name in PORTFOLIO_KINDS), None)
    if reason is None or portfolio_action is None:
        return
    kind = portfolio_action.kind.name
    span = reason.kind.span if isinstance(reason, ast.Action) else reason.span
    context.report(
        Diagnostic(
            "E400",
            f"rule `{rule.name.name}` uses `{kind}`, a portfolio action, but "
            f"{_describe(context, reason)} makes it position-scoped",
            span,
            help=f"`{kind}` runs once per bar, not per position: use portfolio fields such as "
            "`portfolio.open_positions`, or split it into two rules",
        )
    )


def _guard(context: Context, finder: _Finder, guard: ast.Guard) -> None:
    reason = finder.first(guard.condition)
    finder.record(guard, reason)
    portfolio_kinds = [k.name for k in guard.kinds if k.name in PORTFOLIO_KINDS]
    if reason is None or not portfolio_kinds:
        return
    context.report(
        Diagnostic(
            "E400",
            f"guard `{guard.name.name}` forbids `{portfolio_kinds[0]}`, a portfolio action, "
            f"but {_describe(context, reason)} makes it position-scoped",
            reason.span,
            help="a new position has no position fields yet: use portfolio fields here, or "
            "forbid only close, roll and resize",
        )
    )
