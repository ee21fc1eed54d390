"""AST helpers and the parser's neutrality about names."""

from __future__ import annotations

import pytest

from condorrules.syntax import ast, parse


def only_expression(text: str) -> ast.Expr:
    result = parse(f"let x = {text}\n")
    assert result.diagnostics == (), result.diagnostics
    let = result.module.items[0]
    assert isinstance(let, ast.Let)
    return let.value


def test_equal_ignoring_spans() -> None:
    a = parse("let x = vix > 3 and dte < 21d\n").module
    b = parse("\n\nlet   x =\n  vix>3\n and dte<21d # c\n").module
    assert a != b
    assert ast.equal_ignoring_spans(a.items, b.items)
    assert not ast.equal_ignoring_spans(a, b)  # b has a comment
    assert ast.equal_ignoring_spans(a, b, comments=False)
    c = parse("let x = vix > 4 and dte < 21d\n").module
    assert not ast.equal_ignoring_spans(a, c)


def test_walk_visits_every_node_once_in_source_order() -> None:
    node = only_expression("abs(delta) > 1")
    kinds = [type(n).__name__ for n in ast.walk(node)]
    assert kinds == ["Compare", "Call", "Identifier", "Name", "Number"]


@pytest.mark.parametrize(
    "name",
    [
        "tested",
        "none",
        "put",
        "call",
        "both",
        "same",
        "qty",
        "credit",
        "expiry",
        "opened",
        "position",
        "day",
        "run",
        "limit",
        "cooldown",
        "priority",
        "version",
        "market",
        "condor",
        "given",
        "expect",
        "fires",
        "nothing",
        "least",
        "of",
        "per",
        "by",
        "forbid",
        "FOMC",
        "mon",
    ],
)
def test_soft_keywords_are_ordinary_names_in_expressions(name: str) -> None:
    assert only_expression(name) == ast.Name(name, only_expression(name).span)
    attribute = only_expression(f"portfolio.{name}")
    assert isinstance(attribute, ast.Attribute) and attribute.name.name == name


def test_soft_keywords_as_argument_values() -> None:
    result = parse(
        "rule r:\n    when tested != none\n"
        "    then roll(side: tested, dte: same) and close(side: put)\n"
        "    limit 1 per position\n"
    )
    assert result.diagnostics == ()


def test_precedence() -> None:
    node = only_expression("not a and b or c")
    assert isinstance(node, ast.BoolOp) and node.op == "or"
    first = node.operands[0]
    assert isinstance(first, ast.BoolOp) and first.op == "and"
    assert isinstance(first.operands[0], ast.Not)
    arithmetic = only_expression("-a * b + c / d - e")
    assert isinstance(arithmetic, ast.Binary) and arithmetic.op == "-"
    assert isinstance(arithmetic.left, ast.Binary) and arithmetic.left.op == "+"
    product = arithmetic.left.left
    assert isinstance(product, ast.Binary) and product.op == "*"
    assert isinstance(product.left, ast.Unary)


def test_between_binds_its_own_and() -> None:
    node = only_expression("vix between 12 and 40 and dte > 3")
    assert isinstance(node, ast.BoolOp) and len(node.operands) == 2
    between = node.operands[0]
    assert isinstance(between, ast.Between)
    assert isinstance(between.high, ast.Number) and between.high.value == 40


def test_parenthesised_bool_ops_stay_nested() -> None:
    node = only_expression("a and (b and c)")
    assert isinstance(node, ast.BoolOp) and len(node.operands) == 2
    flat = only_expression("a and b and c")
    assert isinstance(flat, ast.BoolOp) and len(flat.operands) == 3


def test_if_else_index_in_list_and_quorum() -> None:
    node = only_expression("if vix[1] > 20 then 0.12 else 0.16")
    assert isinstance(node, ast.IfElse)
    assert isinstance(node.condition, ast.Compare)
    assert isinstance(node.condition.left, ast.Index)
    in_list = only_expression("weekday in [mon, wed, fri]")
    assert isinstance(in_list, ast.InList) and len(in_list.options) == 3
    quorum = only_expression("at least 2 of (a, b, c,)")
    assert isinstance(quorum, ast.AtLeast) and len(quorum.conditions) == 3


def test_unknown_actions_and_structures_parse() -> None:
    result = parse("rule r:\n    when vix > 1\n    then teleport flux_capacitor(speed: 88)\n")
    assert result.diagnostics == ()
    rule = result.module.items[0]
    assert isinstance(rule, ast.Rule)
    (action,) = rule.actions
    assert action.kind.name == "teleport"
    assert action.structure is not None and action.structure.name == "flux_capacitor"


def test_several_actions_and_modifiers() -> None:
    result = parse(
        'rule r priority 3:\n    when vix > 1\n    then close and alert("x")\n'
        "    cooldown 5d\n    limit 2 per day\n"
    )
    rule = result.module.items[0]
    assert isinstance(rule, ast.Rule)
    assert [a.kind.name for a in rule.actions] == ["close", "alert"]
    assert [type(m).__name__ for m in rule.modifiers] == ["Cooldown", "Limit"]
    assert rule.priority is not None and rule.priority.value == 3


def test_input_with_type_and_guard_kinds() -> None:
    result = parse(
        'input breadth: number "NYSE breadth"\nguard g:\n    forbid open, roll when vix > 40\n'
    )
    assert result.diagnostics == ()
    input_, guard = result.module.items
    assert isinstance(input_, ast.Input) and input_.type_name is not None
    assert input_.type_name.name == "number"
    assert isinstance(guard, ast.Guard) and [k.name for k in guard.kinds] == ["open", "roll"]
