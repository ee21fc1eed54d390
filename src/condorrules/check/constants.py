"""Compile-time values: literals, params (their literal values) and arithmetic of them.

Used for action argument values (E302), the range analysis (params count as constants: a run
may override them, but a check is of the file as written) and the percent pitfall (W502).
"""

from __future__ import annotations

from condorrules.check.context import Context, RefKind
from condorrules.syntax import ast

_MAX_CHOICES = 16


def constant(expr: ast.Expr, context: Context) -> float | None:
    """The numeric value of ``expr`` if it is known when checking, else None.

    Durations are in days, percents are ratios (``50%`` is 0.5), money in dollars.
    """
    choices = constant_choices(expr, context)
    return choices[0] if choices is not None and len(choices) == 1 else None


def constant_choices(expr: ast.Expr, context: Context) -> tuple[float, ...] | None:
    """Every value ``expr`` can take if they are all known (``if c then 0.12 else 0.16``)."""
    match expr:
        case ast.Number() | ast.Percent() | ast.Money():
            return (expr.value,)
        case ast.Duration():
            return (expr.days,)
        case ast.Unary():
            inner = constant_choices(expr.operand, context)
            return None if inner is None else tuple(-v for v in inner)
        case ast.Name():
            reference = context.references.get(expr)
            if reference is None or reference.kind is not RefKind.PARAM:
                return None
            definition = reference.definition
            if not isinstance(definition, ast.Param) or isinstance(definition.value, ast.Name):
                return None
            return constant_choices(definition.value, context)
        case ast.IfElse():
            then = constant_choices(expr.then_value, context)
            other = constant_choices(expr.else_value, context)
            if then is None or other is None:
                return None
            return tuple(dict.fromkeys((*then, *other)))[:_MAX_CHOICES]
        case ast.Binary():
            left = constant_choices(expr.left, context)
            right = constant_choices(expr.right, context)
            if left is None or right is None or len(left) * len(right) > _MAX_CHOICES:
                return None
            values = [_arithmetic(expr.op, a, b) for a in left for b in right]
            if any(v is None for v in values):
                return None
            return tuple(dict.fromkeys(v for v in values if v is not None))
    return None


def _arithmetic(op: str, left: float, right: float) -> float | None:
    if op == "+":
        return left + right
    if op == "-":
        return left - right
    if op == "*":
        return left * right
    return None if right == 0 else left / right


def literal_of(expr: ast.Expr, context: Context) -> ast.Number | None:
    """The bare number literal behind ``expr`` (itself, under a minus, or a param's value)."""
    if isinstance(expr, ast.Number):
        return expr
    if isinstance(expr, ast.Unary):
        return literal_of(expr.operand, context)
    if isinstance(expr, ast.Name):
        reference = context.references.get(expr)
        if reference is not None and isinstance(reference.definition, ast.Param):
            return literal_of(reference.definition.value, context)
    return None
