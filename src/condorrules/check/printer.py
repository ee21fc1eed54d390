"""Expressions back to source text, for messages and machine-applicable fixes.

Literals keep their written spelling; operators get single spaces; parentheses are added only
where precedence needs them. (The formatter owns file layout; this is for one expression.)
"""

from __future__ import annotations

from condorrules.syntax import ast

# Binding strength, low to high (LANGUAGE.md §3).
_OR, _AND, _NOT, _COMPARE, _SUM, _PRODUCT, _UNARY, _POSTFIX = range(1, 9)


def show(expr: ast.Expr) -> str:
    """The expression as source text."""
    return _show(expr)[0]


def show_action(action: ast.Action) -> str:
    """An action as source text: ``close``, ``open iron_condor(qty: 2)``."""
    head = action.kind.name + (f" {action.structure.name}" if action.structure else "")
    parts = [show(a) for a in action.args]
    parts += [f"{n.name.name}: {show(n.value)}" for n in action.named]
    return f"{head}({', '.join(parts)})" if parts else head


def _wrap(expr: ast.Expr, strength: int) -> str:
    text, own = _show(expr)
    return f"({text})" if own < strength else text


def _show(expr: ast.Expr) -> tuple[str, int]:
    match expr:
        case ast.Number() | ast.Percent() | ast.Duration() | ast.Money():
            return expr.text, _POSTFIX
        case ast.DateLiteral() | ast.StringLiteral():
            return expr.text, _POSTFIX
        case ast.Bool():
            return ("true" if expr.value else "false"), _POSTFIX
        case ast.Name():
            return expr.name, _POSTFIX
        case ast.Attribute():
            return f"{_wrap(expr.value, _POSTFIX)}.{expr.name.name}", _POSTFIX
        case ast.Index():
            return f"{_wrap(expr.value, _POSTFIX)}[{show(expr.bars_ago)}]", _POSTFIX
        case ast.Call():
            args = [show(a) for a in expr.args]
            args += [f"{n.name.name}: {show(n.value)}" for n in expr.named]
            return f"{expr.function.name}({', '.join(args)})", _POSTFIX
        case ast.Unary():
            return f"-{_wrap(expr.operand, _UNARY)}", _UNARY
        case ast.Not():
            return f"not {_wrap(expr.operand, _NOT)}", _NOT
        case ast.BoolOp():
            strength = _OR if expr.op == "or" else _AND
            parts = [_wrap(o, strength + 1) for o in expr.operands]
            return f" {expr.op} ".join(parts), strength
        case ast.Binary():
            strength = _SUM if expr.op in "+-" else _PRODUCT
            left = _wrap(expr.left, strength)
            return f"{left} {expr.op} {_wrap(expr.right, strength + 1)}", strength
        case ast.Compare():
            left = _wrap(expr.left, _COMPARE + 1)
            return f"{left} {expr.op} {_wrap(expr.right, _COMPARE + 1)}", _COMPARE
        case ast.Between():
            parts = [_wrap(e, _COMPARE + 1) for e in (expr.value, expr.low, expr.high)]
            return f"{parts[0]} between {parts[1]} and {parts[2]}", _COMPARE
        case ast.InList():
            options = ", ".join(show(o) for o in expr.options)
            return f"{_wrap(expr.value, _COMPARE + 1)} in [{options}]", _COMPARE
        case ast.IfElse():
            text = f"if {show(expr.condition)} then {show(expr.then_value)} else "
            return text + show(expr.else_value), 0
        case ast.AtLeast():
            conditions = ", ".join(show(c) for c in expr.conditions)
            return f"at least {show(expr.count)} of ({conditions})", _POSTFIX
    raise TypeError(f"not an expression: {expr!r}")  # pragma: no cover - exhaustive above
