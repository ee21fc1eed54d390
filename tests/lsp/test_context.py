"""The completion context read from the text before the cursor (no parse involved)."""

from __future__ import annotations

import pytest

from condorrules.lsp.context import ITEM_KEYWORDS, Where, completion_context

RULE = "rule r:\n    when vix > 20\n    then "


@pytest.mark.parametrize(
    ("text", "namespace", "prefix"),
    [
        ("rule r:\n    when portfolio.", "portfolio", ""),
        ("rule r:\n    when portfolio.open", "portfolio", "open"),
        ("rule r:\n    when abs(short_put.", "short_put", ""),
        ("let x = call_side.wi", "call_side", "wi"),
    ],
)
def test_after_a_dot_fields_of_the_name_before_it(text: str, namespace: str, prefix: str) -> None:
    context = completion_context(text)
    assert (context.where, context.namespace, context.prefix) == (Where.FIELD, namespace, prefix)


def test_after_a_call_and_dot_the_functions_parts() -> None:
    context = completion_context("let turn = macd(vix, fast: 8).")
    assert (context.where, context.namespace) == (Where.ATTRIBUTE, "macd")


def test_after_then_actions() -> None:
    assert completion_context(RULE).where is Where.ACTION
    assert completion_context(RULE + "clo").prefix == "clo"
    assert completion_context(RULE + 'alert("x") and ').where is Where.ACTION


def test_then_of_an_if_expression_is_not_the_rules_then() -> None:
    context = completion_context("rule r:\n    when if vix > 30 then ")
    assert context.where is Where.EXPRESSION


def test_after_open_the_structures_of_open() -> None:
    context = completion_context(RULE + "open ")
    assert (context.where, context.callee) == (Where.STRUCTURE, "open")


def test_inside_an_action_call_its_argument_names_minus_those_given() -> None:
    context = completion_context(RULE + "open iron_condor(dte: 45d, short_delta: 0.16, ")
    assert context.where is Where.ARGUMENT
    assert context.callee == "iron_condor"
    assert context.given == ("dte", "short_delta")


def test_after_an_argument_colon_its_values() -> None:
    context = completion_context(RULE + "roll(side: ")
    assert (context.where, context.callee, context.argument) == (
        Where.ARGUMENT_VALUE,
        "roll",
        "side",
    )


def test_an_argument_value_that_is_an_expression_gets_expression_completion() -> None:
    context = completion_context(RULE + "open iron_condor(short_delta: if iv_pct > ")
    assert context.where is Where.EXPRESSION


def test_after_a_complete_action_modifiers() -> None:
    assert completion_context(RULE + "close ").words == ("and", "cooldown", "limit")
    assert completion_context(RULE + "close limit 2 ").words == ("per",)
    assert completion_context(RULE + "close limit 2 per ").words == ("position", "day", "run")


def test_event_inside_days_to() -> None:
    assert completion_context("let near = days_to(").where is Where.EVENT


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("rule r:\n    when weekday in [", "weekday"),
        ("rule r:\n    when weekday in [mon, ", "weekday"),
        ("rule r:\n    when tested != ", "tested"),
        ("let deep = short_put.delta <= ", "short_put.delta"),
    ],
)
def test_comparisons_hint_at_the_other_side(text: str, hint: str) -> None:
    context = completion_context(text)
    assert (context.where, context.hint) == (Where.EXPRESSION, hint)


def test_after_a_complete_condition_operators_and_then() -> None:
    context = completion_context("rule r:\n    when vix > 20 ")
    assert context.where is Where.WORDS
    assert {"and", "or", "then"} <= set(context.words)


def test_guard_kinds_after_forbid() -> None:
    assert "roll" in completion_context("guard g:\n    forbid open, ").words
    assert completion_context("guard g:\n    forbid open when ").where is Where.EXPRESSION


def test_scenario_expectations() -> None:
    head = 'scenario "s":\n    at 2018-01-02\n    expect '
    assert "fires" in completion_context(head).words
    assert completion_context(head + "fires ").where is Where.RULE
    assert completion_context(head + "vetoed open_pool by ").where is Where.GUARD
    assert completion_context(head + "suppressed a by ").where is Where.RULE
    assert "expect" in completion_context(head + "nothing\n    ").words


def test_item_keywords_at_the_start_of_a_line() -> None:
    assert completion_context("").words == ITEM_KEYWORDS
    assert completion_context("param x = 1\nru").words == ITEM_KEYWORDS


@pytest.mark.parametrize(
    "text",
    [
        "rule r:\n    when vix > 1  # portfolio.",
        'rule r:\n    when vix > 1\n    then alert("portfolio.',
        "rule r:\n    when vix > 45",
    ],
)
def test_nothing_in_comments_strings_or_numbers(text: str) -> None:
    assert completion_context(text).where is Where.NOTHING


def test_an_earlier_broken_item_does_not_confuse_the_current_one() -> None:
    text = "rule broken:\n    when (((\n\nrule r:\n    when portfolio."
    assert completion_context(text).where is Where.FIELD
