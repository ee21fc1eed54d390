"""Pass 8, scenarios: E600 for an expectation naming an unknown rule or guard, a `market`
or `given` line setting an unknown field, or a position with the wrong strikes.

Pinned targets that are names (`given pnl_pct = 55%`, `given portfolio.hedge_count = 0`)
are resolved here and recorded in ``references``; a value of the wrong unit is E301.
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import pairwise

from condorrules import catalogue
from condorrules.catalogue import Type
from condorrules.check.context import Context, ExprType, Reference, RefKind, dotted
from condorrules.check.printer import show
from condorrules.check.suggest import did_you_mean
from condorrules.diagnostics import Diagnostic, Span
from condorrules.syntax import ast

STRIKE_COUNTS = {"condor": 4, "put_spread": 2, "call_spread": 2}
STRIKE_SPELLING = {"condor": "P1/P2/C1/C2", "put_spread": "P1/P2", "call_spread": "C1/C2"}


def check_scenarios(context: Context) -> None:
    """Check every scenario's steps."""
    for item in context.own_items():
        if isinstance(item, ast.Scenario):
            for step in item.steps:
                _step(context, step)


def _report(context: Context, message: str, span: Span, help: str | None) -> None:
    context.report(Diagnostic("E600", message, span, help=help))


def _step(context: Context, step: ast.Step) -> None:
    if isinstance(step, ast.MarketSet):
        for assignment in step.assignments:
            _market(context, assignment)
    elif isinstance(step, ast.Given):
        _given(context, step)
    elif isinstance(step, ast.Structure):
        _structure(context, step)
    elif isinstance(step, ast.Expect):
        _expect(context, step)


def _market(context: Context, assignment: ast.MarketAssignment) -> None:
    path = ".".join(part.name for part in assignment.path)
    inputs = [n for n, d in context.definitions.items() if isinstance(d, ast.Input)]
    field = catalogue.FIELDS.get(path)
    if path in catalogue.MARKET_FIELDS and field is not None:
        _value_unit(context, path, ExprType(field.type), assignment.value)
        return
    if path in inputs:
        return
    span = assignment.path[0].span.merge(assignment.path[-1].span)
    help = did_you_mean(path, (*catalogue.MARKET_FIELDS, *inputs))
    if help is None and field is not None:
        help = f"`{path}` is not a market field: pin it with `given {path} = ...`"
    _report(context, f"unknown market field `{path}`", span, help or _market_help())


def _market_help() -> str:
    return "`market` sets " + ", ".join(catalogue.MARKET_FIELDS) + " and declared inputs"


def _given(context: Context, step: ast.Given) -> None:
    path = dotted(step.target)
    if path is None:
        return  # a call or an index: resolved and typed with the rest
    target_type: ExprType | None = None
    field = catalogue.FIELDS.get(path)
    if field is not None:
        if isinstance(step.target, ast.Name | ast.Attribute):
            context.references[step.target] = Reference(RefKind.FIELD, path, field=field)
        target_type = ExprType(field.type)
    elif path in context.definitions:
        definition = context.definitions[path]
        kind = {ast.Param: RefKind.PARAM, ast.Let: RefKind.LET}.get(type(definition), RefKind.INPUT)
        if isinstance(step.target, ast.Name):
            context.references[step.target] = Reference(kind, path, definition=definition)
            target_type = context.types.get(step.target)
    else:
        candidates = [*catalogue.FIELDS, *context.definitions]
        _report(
            context,
            f"`given` sets an unknown field `{path}`",
            step.target.span,
            did_you_mean(path, candidates) or "pin a field, an input, a let or a function call",
        )
        return
    if target_type is not None:
        _value_unit(context, path, target_type, step.value)


def _value_unit(context: Context, path: str, wanted: ExprType, value: ast.Expr) -> None:
    found = context.types.get(value)
    if found is None or found.flexible or found.type is wanted.type:
        return
    numeric = found.type.is_numeric and wanted.type.is_numeric
    context.report(
        Diagnostic(
            "E301" if numeric else "E300",
            f"`{path}` is {_noun(wanted.type)} but `{show(value)}` is {_noun(found.type)}",
            value.span,
            help="write the value in the field's unit",
        )
    )


def _noun(kind: Type) -> str:
    words = {Type.DAYS: "in days", Type.MONEY: "money", Type.BOOL: "true/false"}
    return words.get(kind, f"{'an' if kind.value[0] in 'aeiou' else 'a'} {kind.value}")


def _structure(context: Context, step: ast.Structure) -> None:
    count = STRIKE_COUNTS[step.kind]
    strikes = [s.value for s in step.strikes]
    ascending = all(a < b for a, b in pairwise(strikes))
    if len(strikes) == count and ascending:
        return
    span = step.strikes[0].span.merge(step.strikes[-1].span) if step.strikes else step.span
    _report(
        context,
        f"a {step.kind} needs {count} strikes from low to high, found "
        + "/".join(s.text for s in step.strikes),
        span,
        f"write `{step.kind} {STRIKE_SPELLING[step.kind]} ...` with increasing strikes",
    )


def _expect(context: Context, step: ast.Expect) -> None:
    if step.rule is not None:
        _known(context, step.rule, context.rules, "rule")
    if step.by is not None:
        if step.kind == "vetoed":
            _known(context, step.by, context.guards, "guard")
        else:
            _known(context, step.by, context.rules, "rule")


def _known(context: Context, name: ast.Identifier, table: Mapping[str, object], noun: str) -> None:
    if name.name in table or context.may_be_dropped(name.name):
        return  # after a syntax error the rule or guard may be among the dropped items
    help = did_you_mean(name.name, table)
    if help is None:
        help = f"this file has no {noun}s" if not table else f"{noun}s: {', '.join(table)}"
    _report(context, f"the scenario names an unknown {noun} `{name.name}`", name.span, help)
