"""Spans are 1-based, end exclusive, and sit on the piece of source diagnostics point at."""

from __future__ import annotations

from pathlib import Path

from condorrules.diagnostics import Span
from condorrules.syntax import ast, parse, parse_file

TEXT = """ruleset spans
param wing = 50 "wing width"
rule roll_put priority -5:
    when short_put.delta > 0.30 and dte < 15d
    then roll(side: put, dte: same, short_delta: 0.16)
    limit 2 per position
"""


def span(line: int, column: int, end_line: int, end_column: int) -> Span:
    return Span("t.condor", line, column, end_line, end_column)


def test_item_and_name_spans() -> None:
    module = parse(TEXT, "t.condor").module
    param, rule = module.items
    assert isinstance(param, ast.Param) and isinstance(rule, ast.Rule)
    assert param.span == span(2, 1, 2, 29)
    assert param.name.span == span(2, 7, 2, 11)
    assert param.value.span == span(2, 14, 2, 16)
    assert param.description is not None and param.description.span == span(2, 17, 2, 29)
    assert rule.name.span == span(3, 6, 3, 14)
    assert rule.span == span(3, 1, 6, 25)
    assert rule.priority is not None
    assert (rule.priority.value, rule.priority.text) == (-5.0, "-5")
    assert rule.priority.span == span(3, 24, 3, 26)


def test_expression_spans() -> None:
    rule = parse(TEXT, "t.condor").module.items[1]
    assert isinstance(rule, ast.Rule)
    condition = rule.condition
    assert isinstance(condition, ast.BoolOp) and condition.span == span(4, 10, 4, 46)
    left, right = condition.operands
    assert isinstance(left, ast.Compare) and left.span == span(4, 10, 4, 32)
    assert isinstance(left.left, ast.Attribute) and left.left.span == span(4, 10, 4, 25)
    assert left.left.name.span == span(4, 20, 4, 25)
    assert isinstance(right, ast.Compare) and isinstance(right.right, ast.Duration)
    assert right.right.span == span(4, 43, 4, 46)


def test_action_and_argument_spans() -> None:
    rule = parse(TEXT, "t.condor").module.items[1]
    assert isinstance(rule, ast.Rule)
    (action,) = rule.actions
    assert action.span == span(5, 10, 5, 55)
    assert action.kind.span == span(5, 10, 5, 14)
    assert action.structure is None
    names = [
        (n.name.name, n.name.span.column, n.span.column, n.span.end_column) for n in action.named
    ]
    assert names == [("side", 15, 15, 24), ("dte", 26, 26, 35), ("short_delta", 37, 37, 54)]
    (limit,) = rule.modifiers
    assert isinstance(limit, ast.Limit) and limit.span == span(6, 5, 6, 25)
    assert limit.per.name == "position"


def test_call_span_includes_the_closing_parenthesis() -> None:
    let = parse("let x = abs( delta )", "t.condor").module.items[0]
    assert isinstance(let, ast.Let) and isinstance(let.value, ast.Call)
    assert let.value.span == span(1, 9, 1, 21)


def test_parenthesised_expression_span_is_its_content() -> None:
    let = parse("let x = (vix > 1)", "t.condor").module.items[0]
    assert isinstance(let, ast.Let) and let.value.span == span(1, 10, 1, 17)


def test_spans_of_shared_bad_examples(shared_examples: Path) -> None:
    # The places the checker's expectations point at (see examples/bad/*.condor headers).
    design = parse_file(shared_examples / "bad" / "design_card_delta.condor").module
    rule = design.items[0]
    assert isinstance(rule, ast.Rule) and isinstance(rule.condition, ast.BoolOp)
    compare = rule.condition.operands[0]
    assert (compare.span.line, compare.span.column, compare.span.end_column) == (6, 10, 32)

    selectors = parse_file(shared_examples / "bad" / "two_selectors.condor").module
    rule = selectors.items[0]
    assert isinstance(rule, ast.Rule)
    short_otm = rule.actions[0].named[2]
    assert short_otm.name.name == "short_otm"
    assert (short_otm.name.span.line, short_otm.name.span.column) == (6, 56)

    cycle = parse_file(shared_examples / "bad" / "cycle.condor").module
    first = cycle.items[0]
    assert isinstance(first, ast.Let)
    assert (first.name.span.line, first.name.span.column, first.name.span.end_column) == (4, 5, 6)


def test_comments_are_collected_with_spans() -> None:
    text = 'param a = 1  # first\n# second\nlet s = "# not a comment"\n'
    module = parse(text, "t.condor").module
    assert [(c.text, c.span) for c in module.comments] == [
        ("# first", span(1, 14, 1, 21)),
        ("# second", span(2, 1, 2, 9)),
    ]


def test_module_span_covers_the_file() -> None:
    module = parse("param a = 1\nparam b = 2\n", "t.condor").module
    assert module.span == span(1, 1, 3, 1)
