"""Items → output lines in the canonical layout (docs/language.md, "Formatting").

The multi-line forms (an ``and``/``or`` chain one operand per line, a quorum one condition per
line, an action one argument per line) are used when the one-line form is too wide, and also
when the construct holds a comment: a comment written between two operands or arguments then
keeps a line of its own design instead of breaking a joined line in the middle.
"""

from __future__ import annotations

from collections.abc import Callable

from condorrules.diagnostics import Span
from condorrules.fmt import expressions as ex
from condorrules.fmt.lines import INDENT, OutLine, Piece, join, piece
from condorrules.syntax import ast

WIDTH = 100
CONTINUATION = INDENT * 2

Commented = Callable[[Span], bool]
"""Whether a comment lies strictly inside a span."""


def item_lines(item: ast.Item | ast.Header, commented: Commented, align: int = 0) -> list[OutLine]:
    """The output lines of one item; ``align`` pads param and let names to that width."""
    if isinstance(item, ast.Header):
        return [OutLine("", _header(item))]
    if isinstance(item, ast.Import):
        return [OutLine("", [piece("import"), piece(item.path.text)])]
    if isinstance(item, ast.Param):
        pieces = [piece("param"), *_aligned_name(item.name, align), *ex.expression(item.value)]
        if item.description is not None:
            pieces.append(piece(item.description.text))
        return [OutLine("", pieces)]
    if isinstance(item, ast.Input):
        pieces = [piece("input"), piece(item.name.name)]
        if item.type_name is not None:
            pieces += [piece(":", ""), piece(item.type_name.name)]
        if item.description is not None:
            pieces.append(piece(item.description.text))
        return [OutLine("", pieces)]
    if isinstance(item, ast.Let):
        head = [piece("let"), *_aligned_name(item.name, align)]
        return _expression_lines("", head, item.value, commented)
    if isinstance(item, ast.Rule):
        return _rule(item, commented)
    if isinstance(item, ast.Guard):
        return _guard(item, commented)
    return _scenario(item)


def _aligned_name(name: ast.Identifier, align: int) -> list[Piece]:
    return [piece(name.name), piece("=", " " * (max(align - len(name.name), 0) + 1))]


def _header(header: ast.Header) -> list[Piece]:
    pieces = [piece("ruleset"), piece(header.name.name)]
    if header.version is not None:
        pieces += [piece("version"), *ex.number(header.version)]
    if header.description is not None:
        pieces.append(piece(header.description.text))
    return pieces


def _rule(rule: ast.Rule, commented: Commented) -> list[OutLine]:
    head = [piece("rule"), piece(rule.name.name)]
    if rule.priority is not None:
        head += [piece("priority"), *ex.number(rule.priority)]
    lines = [OutLine("", [*head, piece(":", "")])]
    lines += _expression_lines(INDENT, [piece("when")], rule.condition, commented)
    lines += _actions(rule.actions, commented)
    for modifier in rule.modifiers:
        if isinstance(modifier, ast.Cooldown):
            pieces = [piece("cooldown"), *ex.expression(modifier.duration)]
        else:
            count = ex.number(modifier.count)
            pieces = [piece("limit"), *count, piece("per"), piece(modifier.per.name)]
        lines.append(OutLine(INDENT, pieces))
    return lines


def _guard(guard: ast.Guard, commented: Commented) -> list[OutLine]:
    head = [piece("forbid")]
    for index, kind in enumerate(guard.kinds):
        if index:
            head.append(piece(",", ""))
        head.append(piece(kind.name))
    head.append(piece("when"))
    lines = [OutLine("", [piece("guard"), piece(guard.name.name), piece(":", "")])]
    return lines + _expression_lines(INDENT, head, guard.condition, commented)


def _actions(actions: tuple[ast.Action, ...], commented: Commented) -> list[OutLine]:
    span = actions[0].span.merge(actions[-1].span)
    pieces = [piece("then")]
    for index, action in enumerate(actions):
        if index:
            pieces.append(piece("and"))
        pieces += ex.action(action)
    one_line = OutLine(INDENT, pieces)
    if one_line.width <= WIDTH and not commented(span):
        return [one_line]
    lines: list[OutLine] = []
    for index, action in enumerate(actions):
        # `then` and the `and`s line up so that the actions start in one column.
        indent, keyword = (INDENT, "then") if index == 0 else (INDENT + " ", "and")
        lines += _action_lines(indent, [piece(keyword)], action, commented)
    return lines


def _action_lines(
    indent: str, head: list[Piece], action: ast.Action, commented: Commented
) -> list[OutLine]:
    """An action, its arguments one per line under the opening parenthesis if too long."""
    one_line = OutLine(indent, [*head, *ex.action(action)])
    has_arguments = bool(action.args or action.named)
    if not has_arguments or (one_line.width <= WIDTH and not commented(action.span)):
        return [one_line]
    opening = [*head, *ex.action_head(action), piece("(", "")]
    pad = " " * (len(indent) + len(join(opening)))
    parts = ex.argument_pieces(action.args, action.named)
    lines: list[OutLine] = []
    for index, part in enumerate(parts):
        end = piece(")" if index == len(parts) - 1 else ",", "")
        if index == 0:
            part[0].gap = ""
            lines.append(OutLine(indent, [*opening, *part, end]))
        else:
            lines.append(OutLine(pad, [*part, end]))
    return lines


def _expression_lines(
    indent: str, head: list[Piece], node: ast.Expr, commented: Commented
) -> list[OutLine]:
    """``head`` + expression; a long (or commented) ``and``/``or`` chain gets one operand per
    line, aligned under the first, and a long ``at least`` one condition per line."""
    one_line = OutLine(indent, [*head, *ex.expression(node)])
    if one_line.width <= WIDTH and not commented(node.span):
        return [one_line]
    if isinstance(node, ast.BoolOp):
        column = len(indent) + len(join(head)) + 1  # where the first operand starts
        keyword_indent = " " * max(column - len(node.op) - 1, 0)
        lines = [OutLine(indent, [*head, *ex.operand(node.operands[0], node)])]
        for part in node.operands[1:]:
            lines.append(OutLine(keyword_indent, [piece(node.op), *ex.operand(part, node)]))
        return lines
    if isinstance(node, ast.AtLeast) and node.conditions:
        lines = [OutLine(indent, [*head, *ex.quorum_head(node)])]
        last = len(node.conditions) - 1
        for index, condition in enumerate(node.conditions):
            end = piece(")" if index == last else ",", "")
            lines.append(OutLine(indent + CONTINUATION, [*ex.expression(condition), end]))
        return lines
    return [one_line]


def _scenario(scenario: ast.Scenario) -> list[OutLine]:
    title = [piece("scenario"), piece(scenario.title.text), piece(":", "")]
    lines = [OutLine("", title)]
    lines.extend(OutLine(INDENT, _step(step)) for step in scenario.steps)
    return lines


def _step(step: ast.Step) -> list[Piece]:
    if isinstance(step, ast.At):
        return [piece("at"), piece(step.date.text)]
    if isinstance(step, ast.MarketSet):
        pieces = [piece("market")]
        for index, assignment in enumerate(step.assignments):
            if index:
                pieces.append(piece(",", ""))
            for position, part in enumerate(assignment.path):
                pieces.append(piece(part.name, "" if position else " "))
                if position < len(assignment.path) - 1:
                    pieces.append(piece(".", ""))
            pieces += [piece("="), *ex.expression(assignment.value)]
        return pieces
    if isinstance(step, ast.Structure):
        return _structure(step)
    if isinstance(step, ast.Given):
        return [
            piece("given"),
            *ex.expression(step.target, ex.POSTFIX),
            piece("="),
            *ex.expression(step.value),
        ]
    return _expect(step)


def _structure(step: ast.Structure) -> list[Piece]:
    pieces = [piece(step.kind)]
    for index, strike in enumerate(step.strikes):
        strike_pieces = ex.number(strike)
        if index:
            pieces.append(piece("/", ""))
            strike_pieces[0].gap = ""
        pieces += strike_pieces
    pieces += [piece("expiring"), piece(step.expiry.text), piece("credit")]
    pieces += ex.number(step.credit)
    if step.qty is not None:
        pieces += [piece("qty"), *ex.number(step.qty)]
    if step.opened is not None:
        pieces += [piece("opened"), piece(step.opened.text)]
    return pieces


def _expect(step: ast.Expect) -> list[Piece]:
    rule = step.rule.name if step.rule is not None else ""
    by = step.by.name if step.by is not None else ""
    if step.kind == "fires":
        return [piece("expect"), piece("fires"), piece(rule)]
    if step.kind == "not_fires":
        return [piece("expect"), piece("not"), piece("fires"), piece(rule)]
    if step.kind == "action":
        assert step.action is not None
        return [piece("expect"), piece("action"), *ex.action(step.action)]
    if step.kind in ("vetoed", "suppressed"):
        return [piece("expect"), piece(step.kind), piece(rule), piece("by"), piece(by)]
    return [piece("expect"), piece("nothing")]
