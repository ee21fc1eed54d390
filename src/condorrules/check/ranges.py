"""Pass 5, ranges: W500 for a comparison (or a whole condition) that can never be true and
W501 for a comparison that is always true, from the catalogue's value ranges.

Only what is provable is reported: params count as their literal values; anything whose
range is unknown is silent. A never-true comparison that would hold with the sign flipped
(`short_put.delta > 0.30`: a put's delta is never positive) gets a help line and a fix.
"""

from __future__ import annotations

import math

from condorrules.check.constants import constant
from condorrules.check.context import Context, RefKind, subexpressions
from condorrules.check.logic import (
    FLIPPED,
    Range,
    closed,
    contradictory,
    disjuncts,
    satisfying,
    value_range,
)
from condorrules.check.printer import show
from condorrules.diagnostics import Diagnostic, Fix
from condorrules.syntax import ast


def check_ranges(context: Context) -> None:
    """Report never-true and always-true comparisons in lets, rules and guards."""
    for item in context.own_items():
        if isinstance(item, ast.Let):
            _comparisons(context, item.value)
        elif isinstance(item, ast.Rule | ast.Guard):
            reported = _comparisons(context, item.condition)
            for action in item.actions if isinstance(item, ast.Rule) else ():
                for argument in (*action.args, *(n.value for n in action.named)):
                    _comparisons(context, argument)
            if not reported:
                _contradiction(context, item)


def _comparisons(context: Context, expr: ast.Expr) -> bool:
    """Check every comparison in ``expr``; True if any was reported never true."""
    never = False
    for node in subexpressions(expr):
        if isinstance(node, ast.Compare):
            never |= _compare(context, node)
        elif isinstance(node, ast.Between):
            never |= _between(context, node)
        elif isinstance(node, ast.InList) and not node.options:
            _report_never(context, node, "the list is empty", "list the values it may take")
            never = True
    return never


def _is_numeric(context: Context, expr: ast.Expr) -> bool:
    found = context.types.get(expr)
    return found is not None and found.type.is_numeric


def _is_setting(context: Context, *exprs: ast.Expr) -> bool:
    """Only literals and params: a switch meant to be varied per run, not a market test."""
    return all(constant(e, context) is not None for e in exprs)


def _compare(context: Context, node: ast.Compare) -> bool:
    if not (_is_numeric(context, node.left) and _is_numeric(context, node.right)):
        return False
    if _is_setting(context, node.left, node.right):
        return False
    left, right = value_range(node.left, context), value_range(node.right, context)
    if left.is_unbounded and right.is_unbounded:
        return False
    difference = closed(left.low - right.high, left.high - right.low)
    if any(math.isnan(v) for v in (difference.low, difference.high)):
        return False
    if node.op == "!=":
        if not difference.intersect(closed(0.0, 0.0)).is_empty:
            return False
        _always(context, node, left, right)
        return False
    wanted = satisfying(node.op, 0.0)
    assert wanted is not None
    if difference.intersect(wanted).is_empty:
        _never(context, node, left, right)
        return True
    if wanted.contains(difference) and node.op != "==":
        _always(context, node, left, right)
    return False


def _between(context: Context, node: ast.Between) -> bool:
    if not all(_is_numeric(context, e) for e in (node.value, node.low, node.high)):
        return False
    low, high = constant(node.low, context), constant(node.high, context)
    if low is not None and high is not None and low > high:
        swapped = f"{show(node.value)} between {show(node.high)} and {show(node.low)}"
        _report_never(
            context,
            node,
            f"its bounds are reversed ({show(node.low)} is above {show(node.high)})",
            f"write `{swapped}`",
            Fix(f"write `{swapped}`", node.span, swapped),
        )
        return True
    if _is_setting(context, node.value):
        return False
    subject = value_range(node.value, context)
    if subject.is_unbounded or low is None or high is None:
        return False
    wanted = closed(low, high)
    if subject.intersect(wanted).is_empty:
        _report_never(context, node, f"`{show(node.value)}` is always in {subject.describe()}")
        return True
    if wanted.contains(subject):
        _report_always(context, node, f"`{show(node.value)}` is always in {subject.describe()}")
    return False


def _reason(node: ast.Compare, left: Range, right: Range) -> str:
    if right.low == right.high:
        return f"`{show(node.left)}` is always in {left.describe()}"
    if left.low == left.high:
        return f"`{show(node.right)}` is always in {right.describe()}"
    return (
        f"`{show(node.left)}` is always in {left.describe()} and "
        f"`{show(node.right)}` in {right.describe()}"
    )


def _never(context: Context, node: ast.Compare, left: Range, right: Range) -> None:
    help, fix = _mirror(context, node, left, right)
    _report_never(context, node, _reason(node, left, right), help, fix)


def _always(context: Context, node: ast.Compare, left: Range, right: Range) -> None:
    _report_always(context, node, _reason(node, left, right))


def _report_never(
    context: Context, node: ast.Expr, why: str, help: str | None = None, fix: Fix | None = None
) -> None:
    context.report(
        Diagnostic(
            "W500",
            f"`{show(node)}` can never be true: {why}",
            node.span,
            help=help or "check the sign and the unit of each side",
            fix=fix,
        )
    )


def _report_always(context: Context, node: ast.Expr, why: str) -> None:
    context.report(
        Diagnostic(
            "W501",
            f"`{show(node)}` is always true (whenever it is known): {why}",
            node.span,
            help="remove it, or compare with the value you meant",
        )
    )


def _mirror(
    context: Context, node: ast.Compare, left: Range, right: Range
) -> tuple[str | None, Fix | None]:
    """For `x > c` never true where `x < -c` could be: the sign-flipped spelling and abs()."""
    value = constant(node.right, context)
    if value is None or value == 0 or right.low != right.high or node.op in ("==", "!="):
        return None, None
    flipped = satisfying(FLIPPED[node.op], -value)
    if flipped is None or left.intersect(flipped).is_empty:
        return None, None
    subject = show(node.left)
    literal = show(node.right)
    negative = literal[1:] if literal.startswith("-") else f"-{literal}"
    mirrored = f"{subject} {FLIPPED[node.op]} {negative}"
    magnitude = f"abs({subject}) {node.op if value > 0 else FLIPPED[node.op]} "
    magnitude += literal if value > 0 else negative
    help = f"`{subject}` is never {'positive' if value > 0 else 'negative'}: did you mean "
    help += f"`{mirrored}` or `{magnitude}`?"
    return help, Fix(f"write `{mirrored}`", node.span, mirrored)


def _contradiction(context: Context, item: ast.Rule | ast.Guard) -> None:
    """A whole condition whose every branch needs one value in two disjoint ranges."""
    branches = disjuncts(item.condition, context)
    if not branches or not all(contradictory(branch) for branch in branches):
        return
    if isinstance(item.condition, ast.Bool):
        return
    what = "rule" if isinstance(item, ast.Rule) else "guard"
    never_lets = _never_true_lets(context, item.condition)
    if never_lets:
        names = ", ".join(f"`{name}`" for name in never_lets)
        noun = "let" if len(never_lets) == 1 else "lets"
        why = f"it needs {noun} {names}, which can never be true"
        help = f"fix the comparisons of {noun} {names}"
    else:
        why = "its comparisons contradict each other"
        help = "check the directions of the comparisons (`<` versus `>`)"
    context.report(
        Diagnostic(
            "W500",
            f"the condition of {what} `{item.name.name}` can never be true: {why}",
            item.condition.span,
            help=help,
        )
    )


def _never_true_lets(context: Context, condition: ast.Expr) -> list[str]:
    """The lets named in ``condition`` that are never true on their own."""
    found: list[str] = []
    for node in subexpressions(condition):
        if not isinstance(node, ast.Name):
            continue
        reference = context.references.get(node)
        if reference is None or reference.kind is not RefKind.LET or reference.name in found:
            continue
        branches = disjuncts(node, context)
        if branches is not None and all(contradictory(branch) for branch in branches):
            found.append(reference.name)
    return found
