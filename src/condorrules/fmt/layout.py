"""Items → output lines in the canonical layout (docs/language.md, "Formatting").

Each :class:`OutLine` remembers the first source line of the code printed on it; comments are
attached to output lines by that number (see :mod:`condorrules.fmt.comments`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from condorrules.fmt import expressions as ex
from condorrules.syntax import ast

WIDTH = 100
INDENT = "    "
CONTINUATION = INDENT * 2


@dataclass(slots=True)
class OutLine:
    """One line of output and the comments attached to it."""

    text: str
    source_line: int
    leading: list[str] = field(default_factory=list)
    trailing: list[str] = field(default_factory=list)

    @property
    def indent(self) -> str:
        return self.text[: len(self.text) - len(self.text.lstrip(" "))]


def item_lines(item: ast.Item | ast.Header, align: int = 0) -> list[OutLine]:
    """The output lines of one item; ``align`` pads param and let names to that width."""
    if isinstance(item, ast.Header):
        return [OutLine(_header(item), item.span.line)]
    if isinstance(item, ast.Import):
        return [OutLine(f"import {item.path.text}", item.span.line)]
    if isinstance(item, ast.Param):
        text = f"param {item.name.name.ljust(align)} = {ex.expression(item.value)}"
        if item.description is not None:
            text += f" {item.description.text}"
        return [OutLine(text, item.span.line)]
    if isinstance(item, ast.Input):
        text = f"input {item.name.name}"
        if item.type_name is not None:
            text += f": {item.type_name.name}"
        if item.description is not None:
            text += f" {item.description.text}"
        return [OutLine(text, item.span.line)]
    if isinstance(item, ast.Let):
        head = f"let {item.name.name.ljust(align)} = "
        return _expression_lines(head, item.value, item.span.line, "")
    if isinstance(item, ast.Rule):
        return _rule(item)
    if isinstance(item, ast.Guard):
        return _guard(item)
    return _scenario(item)


def _header(header: ast.Header) -> str:
    text = f"ruleset {header.name.name}"
    if header.version is not None:
        text += f" version {header.version.text}"
    if header.description is not None:
        text += f" {header.description.text}"
    return text


def _rule(rule: ast.Rule) -> list[OutLine]:
    head = f"rule {rule.name.name}"
    if rule.priority is not None:
        head += f" priority {rule.priority.text}"
    lines = [OutLine(head + ":", rule.span.line)]
    lines += _expression_lines(f"{INDENT}when ", rule.condition, rule.condition.span.line, INDENT)
    lines += _actions(rule.actions)
    for modifier in rule.modifiers:
        if isinstance(modifier, ast.Cooldown):
            text = f"{INDENT}cooldown {ex.expression(modifier.duration)}"
        else:
            text = f"{INDENT}limit {modifier.count.text} per {modifier.per.name}"
        lines.append(OutLine(text, modifier.span.line))
    return lines


def _guard(guard: ast.Guard) -> list[OutLine]:
    kinds = ", ".join(kind.name for kind in guard.kinds)
    head = f"{INDENT}forbid {kinds} when "
    lines = [OutLine(f"guard {guard.name.name}:", guard.span.line)]
    first_line = guard.kinds[0].span.line if guard.kinds else guard.condition.span.line
    return lines + _expression_lines(head, guard.condition, first_line, INDENT)


def _actions(actions: tuple[ast.Action, ...]) -> list[OutLine]:
    head = f"{INDENT}then "
    texts = [ex.action(action) for action in actions]
    one_line = head + " and ".join(texts)
    if len(one_line) <= WIDTH:
        return [OutLine(one_line, actions[0].span.line)]
    lines: list[OutLine] = []
    for index, action in enumerate(actions):
        prefix = head if index == 0 else " " * (len(head) - 4) + "and "
        lines += _action_lines(prefix, action)
    return lines


def _action_lines(prefix: str, action: ast.Action) -> list[OutLine]:
    """An action, its arguments one per line under the opening parenthesis if too long."""
    text = prefix + ex.action(action)
    if len(text) <= WIDTH or not (action.args or action.named):
        return [OutLine(text, action.span.line)]
    opening = f"{prefix}{ex.action_head(action)}("
    pad = " " * len(opening)
    parts = list(action.args) + list(action.named)
    texts = ex.argument_texts(action.args, action.named)
    lines: list[OutLine] = []
    for index, (part, part_text) in enumerate(zip(parts, texts, strict=True)):
        start = opening if index == 0 else pad
        end = ")" if index == len(parts) - 1 else ","
        source_line = action.span.line if index == 0 else part.span.line
        lines.append(OutLine(start + part_text + end, source_line))
    return lines


def _expression_lines(head: str, node: ast.Expr, first_line: int, indent: str) -> list[OutLine]:
    """``head`` + expression; a long ``and``/``or`` chain gets one operand per line, aligned
    under the first, and a long ``at least`` one condition per line."""
    one_line = head + ex.expression(node)
    if len(one_line) <= WIDTH:
        return [OutLine(one_line, first_line)]
    if isinstance(node, ast.BoolOp):
        column = len(head)
        keyword = " " * max(column - len(node.op) - 1, 0) + node.op + " "
        lines = [OutLine(head + ex.operand(node.operands[0], node), first_line)]
        for part in node.operands[1:]:
            lines.append(OutLine(keyword + ex.operand(part, node), part.span.line))
        return lines
    if isinstance(node, ast.AtLeast) and node.conditions:
        opening = f"{head}at least {ex.expression(node.count, ex.SUM)} of ("
        lines = [OutLine(opening, first_line)]
        last = len(node.conditions) - 1
        for index, condition in enumerate(node.conditions):
            end = ")" if index == last else ","
            text = indent + CONTINUATION + ex.expression(condition) + end
            lines.append(OutLine(text, condition.span.line))
        return lines
    return [OutLine(one_line, first_line)]


def _scenario(scenario: ast.Scenario) -> list[OutLine]:
    lines = [OutLine(f"scenario {scenario.title.text}:", scenario.span.line)]
    for step in scenario.steps:
        lines.append(OutLine(INDENT + _step(step), step.span.line))
    return lines


def _step(step: ast.Step) -> str:
    if isinstance(step, ast.At):
        return f"at {step.date.text}"
    if isinstance(step, ast.MarketSet):
        assignments = ", ".join(
            ".".join(part.name for part in item.path) + " = " + ex.expression(item.value)
            for item in step.assignments
        )
        return f"market {assignments}"
    if isinstance(step, ast.Structure):
        strikes = "/".join(strike.text for strike in step.strikes)
        text = f"{step.kind} {strikes} expiring {step.expiry.text} credit {step.credit.text}"
        if step.qty is not None:
            text += f" qty {step.qty.text}"
        if step.opened is not None:
            text += f" opened {step.opened.text}"
        return text
    if isinstance(step, ast.Given):
        return f"given {ex.expression(step.target, ex.POSTFIX)} = {ex.expression(step.value)}"
    return _expect(step)


def _expect(step: ast.Expect) -> str:
    rule = step.rule.name if step.rule is not None else ""
    by = step.by.name if step.by is not None else ""
    if step.kind == "fires":
        return f"expect fires {rule}"
    if step.kind == "not_fires":
        return f"expect not fires {rule}"
    if step.kind == "action":
        assert step.action is not None
        return f"expect action {ex.action(step.action)}"
    if step.kind in ("vetoed", "suppressed"):
        return f"expect {step.kind} {rule} by {by}"
    return "expect nothing"
