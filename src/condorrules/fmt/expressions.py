"""Expressions and actions as pieces (one per token), with exactly the parentheses needed.

Precedence (low to high) follows docs/language.md: ``if``; ``or``; ``and``; ``not``;
comparisons; ``+ -``; ``* /``; unary ``-``; postfix; atoms. A ``BoolOp`` operand that is
itself a ``BoolOp`` is always parenthesised: the parser only nests them when the source had
parentheses, and ``a or (b and c)`` reads better than ``a or b and c`` anyway.

Every piece printed here is a token of the source in the same order (the formatter only drops
redundant parentheses, trailing commas and empty ``()``), which is what lets comments be
placed by token.
"""

from __future__ import annotations

from condorrules.fmt.lines import Piece, glued, join, piece
from condorrules.syntax import ast

IF, OR, AND, NOT, COMPARE, SUM, PRODUCT, UNARY, POSTFIX, ATOM = range(10)

_BINARY_LEVEL = {"+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}
_NUMERIC = ast.Number | ast.Percent | ast.Duration | ast.Money | ast.DateLiteral


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


def expression(node: ast.Expr, minimum: int = IF) -> list[Piece]:
    """``node`` as pieces, parenthesised if its level is below ``minimum``."""
    pieces = _bare(node)
    if level(node) < minimum:
        return [piece("("), *glued(pieces), piece(")", "")]
    return pieces


def text(node: ast.Expr) -> str:
    """``node`` as source text on one line."""
    return join(expression(node))


def operand(node: ast.Expr, parent: ast.BoolOp) -> list[Piece]:
    """An operand of ``and``/``or``: nested boolean operators keep their parentheses."""
    if isinstance(node, ast.BoolOp):
        return [piece("("), *glued(_bare(node)), piece(")", "")]
    return expression(node, AND if parent.op == "or" else NOT)


def number(node: ast.Number) -> list[Piece]:
    """A number where the grammar folds a sign into it (``priority -5``): two tokens."""
    if node.text.startswith("-"):
        return [piece("-"), piece(node.text[1:], "")]
    return [piece(node.text)]


def _bare(node: ast.Expr) -> list[Piece]:
    if isinstance(node, ast.Name):
        return [piece(node.name)]
    if isinstance(node, ast.Number):
        return number(node)
    if isinstance(node, _NUMERIC | ast.StringLiteral):
        return [piece(node.text)]
    if isinstance(node, ast.Bool):
        return [piece("true" if node.value else "false")]
    if isinstance(node, ast.Attribute):
        # `5.x` or `$5.x` would lex as one number token: a number under `.` needs parentheses.
        minimum = ATOM + 1 if isinstance(node.value, _NUMERIC) else POSTFIX
        return [*expression(node.value, minimum), piece(".", ""), piece(node.name.name, "")]
    if isinstance(node, ast.Index):
        inner = glued(expression(node.bars_ago))
        return [*expression(node.value, POSTFIX), piece("[", ""), *inner, piece("]", "")]
    if isinstance(node, ast.Call):
        return [piece(node.function.name), *_bracketed(arguments(node.args, node.named))]
    if isinstance(node, ast.Unary):
        return [piece("-"), *glued(expression(node.operand, UNARY))]
    if isinstance(node, ast.Not):
        return [piece("not"), *expression(node.operand, NOT)]
    if isinstance(node, ast.BoolOp):
        return _joined([operand(part, node) for part in node.operands], node.op)
    return _compound(node)


def _compound(node: ast.Expr) -> list[Piece]:
    if isinstance(node, ast.Binary):
        own = _BINARY_LEVEL[node.op]
        return [*expression(node.left, own), piece(node.op), *expression(node.right, own + 1)]
    if isinstance(node, ast.Compare):
        return [*expression(node.left, SUM), piece(node.op), *expression(node.right, SUM)]
    if isinstance(node, ast.Between):
        value, low, high = (expression(part, SUM) for part in (node.value, node.low, node.high))
        return [*value, piece("between"), *low, piece("and"), *high]
    if isinstance(node, ast.InList):
        options = _listed([expression(option) for option in node.options])
        return [*expression(node.value, SUM), piece("in"), piece("["), *options, piece("]", "")]
    if isinstance(node, ast.IfElse):
        return [
            piece("if"),
            *expression(node.condition),
            piece("then"),
            *expression(node.then_value),
            piece("else"),
            *expression(node.else_value),
        ]
    if isinstance(node, ast.AtLeast):
        conditions = _listed([expression(condition) for condition in node.conditions])
        return [*quorum_head(node), *conditions, piece(")", "")]
    raise TypeError(f"not an expression node: {type(node).__name__}")  # a bug


def quorum_head(node: ast.AtLeast) -> list[Piece]:
    """``at least K of (``."""
    return [piece("at"), piece("least"), *expression(node.count, SUM), piece("of"), piece("(")]


def arguments(args: tuple[ast.Expr, ...], named: tuple[ast.NamedArgument, ...]) -> list[Piece]:
    """Call or action arguments, comma-separated, without the parentheses."""
    return _listed(argument_pieces(args, named))


def argument_pieces(
    args: tuple[ast.Expr, ...], named: tuple[ast.NamedArgument, ...]
) -> list[list[Piece]]:
    """Each argument: positional first, then ``name: value``."""
    out = [expression(arg) for arg in args]
    out.extend([piece(item.name.name), piece(":", ""), *expression(item.value)] for item in named)
    return out


def action_head(node: ast.Action) -> list[Piece]:
    """``kind [structure]`` of an action."""
    head = [piece(node.kind.name)]
    if node.structure is not None:
        head.append(piece(node.structure.name))
    return head


def action(node: ast.Action) -> list[Piece]:
    """An action on one line; ``close()`` is written ``close``."""
    if not node.args and not node.named:
        return action_head(node)
    return [*action_head(node), *_bracketed(arguments(node.args, node.named))]


def _bracketed(inner: list[Piece]) -> list[Piece]:
    return [piece("(", ""), *glued(inner), piece(")", "")]


def _listed(items: list[list[Piece]]) -> list[Piece]:
    """``a, b, c``: a comma glued after every item but the last."""
    out: list[Piece] = []
    for index, item in enumerate(items):
        if index:
            out.append(piece(",", ""))
        out.extend(item)
    return glued(out)


def _joined(items: list[list[Piece]], keyword: str) -> list[Piece]:
    out: list[Piece] = []
    for index, item in enumerate(items):
        if index:
            out.append(piece(keyword))
        out.extend(item)
    return out
