"""Expressions and actions printed on one line, with exactly the parentheses the tree needs.

Precedence (low to high) follows docs/language.md: ``if``; ``or``; ``and``; ``not``;
comparisons; ``+ -``; ``* /``; unary ``-``; postfix; atoms. A ``BoolOp`` operand that is
itself a ``BoolOp`` is always parenthesised: the parser only nests them when the source had
parentheses, and ``a or (b and c)`` reads better than ``a or b and c`` anyway.
"""

from __future__ import annotations

from condorrules.syntax import ast

IF, OR, AND, NOT, COMPARE, SUM, PRODUCT, UNARY, POSTFIX, ATOM = range(10)

_BINARY_LEVEL = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}


def level(node: ast.Expr) -> int:
    """The precedence level of the construct at the top of ``node``."""
    if isinstance(node, ast.IfElse):
        return IF
    if isinstance(node, ast.BoolOp):
        return OR if node.op == "or" else AND
    if isinstance(node, ast.Not):
        return NOT
    if isinstance(node, ast.Compare | ast.Between | ast.InList):
        return COMPARE
    if isinstance(node, ast.Binary):
        return _BINARY_LEVEL[node.op]
    if isinstance(node, ast.Unary):
        return UNARY
    if isinstance(node, ast.Attribute | ast.Index | ast.Call):
        return POSTFIX
    return ATOM


def expression(node: ast.Expr, minimum: int = IF) -> str:
    """``node`` as source text, parenthesised if its level is below ``minimum``."""
    text = _bare(node)
    return f"({text})" if level(node) < minimum else text


def operand(node: ast.Expr, parent: ast.BoolOp) -> str:
    """An operand of ``and``/``or``: nested boolean operators keep their parentheses."""
    if isinstance(node, ast.BoolOp):
        return f"({_bare(node)})"
    return expression(node, AND if parent.op == "or" else NOT)


def _bare(node: ast.Expr) -> str:
    if isinstance(node, ast.Name):
        return node.name
    if isinstance(node, ast.Number | ast.Percent | ast.Duration | ast.Money | ast.DateLiteral):
        return node.text
    if isinstance(node, ast.StringLiteral):
        return node.text
    if isinstance(node, ast.Bool):
        return "true" if node.value else "false"
    if isinstance(node, ast.Attribute):
        base = node.value
        # `5.x` or `$5.x` would lex as one number token: a number under `.` needs parentheses.
        numeric = ast.Number | ast.Percent | ast.Duration | ast.Money | ast.DateLiteral
        minimum = ATOM + 1 if isinstance(base, numeric) else POSTFIX
        return f"{expression(base, minimum)}.{node.name.name}"
    if isinstance(node, ast.Index):
        return f"{expression(node.value, POSTFIX)}[{expression(node.bars_ago)}]"
    if isinstance(node, ast.Call):
        return f"{node.function.name}({arguments(node.args, node.named)})"
    if isinstance(node, ast.Unary):
        return f"-{expression(node.operand, UNARY)}"
    if isinstance(node, ast.Not):
        return f"not {expression(node.operand, NOT)}"
    if isinstance(node, ast.BoolOp):
        return f" {node.op} ".join(operand(part, node) for part in node.operands)
    if isinstance(node, ast.Binary):
        own = _BINARY_LEVEL[node.op]
        left = expression(node.left, own)
        right = expression(node.right, own + 1)
        return f"{left} {node.op} {right}"
    if isinstance(node, ast.Compare):
        return f"{expression(node.left, SUM)} {node.op} {expression(node.right, SUM)}"
    if isinstance(node, ast.Between):
        value, low, high = (expression(part, SUM) for part in (node.value, node.low, node.high))
        return f"{value} between {low} and {high}"
    if isinstance(node, ast.InList):
        options = ", ".join(expression(option) for option in node.options)
        return f"{expression(node.value, SUM)} in [{options}]"
    if isinstance(node, ast.IfElse):
        return (
            f"if {expression(node.condition)} then {expression(node.then_value)} "
            f"else {expression(node.else_value)}"
        )
    if isinstance(node, ast.AtLeast):
        conditions = ", ".join(expression(condition) for condition in node.conditions)
        return f"at least {expression(node.count, SUM)} of ({conditions})"
    raise TypeError(f"not an expression node: {type(node).__name__}")  # a bug


def arguments(args: tuple[ast.Expr, ...], named: tuple[ast.NamedArgument, ...]) -> str:
    """Call or action arguments without the parentheses."""
    return ", ".join(argument_texts(args, named))


def argument_texts(args: tuple[ast.Expr, ...], named: tuple[ast.NamedArgument, ...]) -> list[str]:
    """Each argument as text: positional first, then ``name: value``."""
    texts = [expression(arg) for arg in args]
    texts.extend(f"{item.name.name}: {expression(item.value)}" for item in named)
    return texts


def action_head(action: ast.Action) -> str:
    """``kind [structure]`` of an action."""
    if action.structure is None:
        return action.kind.name
    return f"{action.kind.name} {action.structure.name}"


def action(node: ast.Action) -> str:
    """An action on one line; ``close()`` is written ``close``."""
    head = action_head(node)
    if not node.args and not node.named:
        return head
    return f"{head}({arguments(node.args, node.named)})"
