"""Syntax errors: E100 in a trader's words, at the stuck token, every one of them reported."""

from __future__ import annotations

import pytest

from condorrules.syntax import ast, parse


def e100(text: str) -> list[tuple[int, int, str]]:
    result = parse(text, "t.condor")
    return [(d.span.line, d.span.column, d.message) for d in result.diagnostics if d.code == "E100"]


def test_missing_operand_names_the_operator_and_what_was_found() -> None:
    assert e100("rule r:\n    when vix > then close\n") == [
        (2, 16, "expected an expression after `>`, found `then`")
    ]


def test_missing_then_before_action() -> None:
    assert e100("rule r:\n    when vix > 30\n    close\n") == [
        (3, 5, "expected `then` before the action, found `close`")
    ]


def test_missing_when() -> None:
    assert e100("rule r:\n    vix > 30 then close\n") == [
        (2, 5, "expected `when` before the condition, found `vix`")
    ]


def test_missing_colon_after_rule_name() -> None:
    ((line, column, message),) = e100("rule r\n    when vix > 30 then close\n")
    assert (line, column) == (2, 5)
    assert message.startswith("expected `:`")
    assert message.endswith("found `when`")


def test_unclosed_parenthesis_at_end_of_file_points_after_the_last_token() -> None:
    ((line, column, message),) = e100("let x = abs(vix")
    assert (line, column) == (1, 16)
    assert message == "expected `)` or `,` after `vix`, found the end of the file"


def test_unexpected_character() -> None:
    ((line, column, message),) = e100("let x = vix @ 3")
    assert (line, column) == (1, 13)
    assert message == "unexpected character `@`"


def test_chained_comparison_is_a_syntax_error() -> None:
    assert e100("let x = 1 < vix < 3")[0][:2] == (1, 17)


def test_three_broken_rules_give_three_errors_and_keep_the_good_items() -> None:
    text = """ruleset r
param a = 1

rule broken_one:
    when vix > then close

rule good_one:
    when vix > 20
    then close

rule broken_two:
    when vix > 20
    close

let fine = vix > 3

rule broken_three
    when vix > 20 then close

guard g:
    forbid open when vix > 40
"""
    result = parse(text, "t.condor")
    assert [(d.code, d.span.line) for d in result.diagnostics] == [
        ("E100", 5),
        ("E100", 13),
        ("E100", 18),
    ]
    names = [
        item.name.name
        for item in result.module.items
        if isinstance(item, ast.Param | ast.Rule | ast.Let | ast.Guard)
    ]
    assert names == ["a", "good_one", "fine", "g"]
    assert result.module.header is not None and result.module.header.name.name == "r"


def test_header_after_an_item_is_an_error() -> None:
    result = parse("param a = 1\nruleset late\n", "t.condor")
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("E100", 2)]
    assert result.module.header is None
    assert len(result.module.items) == 1


def test_positional_argument_after_named_is_e100_and_drops_the_item() -> None:
    result = parse("let x = rsi(n: 14, spot)\nlet y = 1\n", "t.condor")
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("E100", 1, 20)]
    assert [item.name.name for item in result.module.items] == ["y"]  # type: ignore[union-attr]


@pytest.mark.parametrize("word", ["then", "and", "rule", "when", "else"])
def test_reserved_words_are_not_names(word: str) -> None:
    assert e100(f"let x = {word}\n")


def test_parse_never_raises_on_garbage() -> None:
    for text in [
        "",
        "\n\n",
        "rule",
        "rule :",
        "(((",
        ")))",
        '"',
        "#",
        "let = 3",
        "\x00",
        "scenario",
        'scenario "s": at',
        "param x = -",
        "rule r: when then",
    ]:
        result = parse(text)
        assert isinstance(result.module, ast.Module)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "rule r:\n    when vix > 20\n    then\n",
            "expected an action after `then`, found the end",
        ),
        (
            "rule r: when a then close limit 2 per",
            "expected `position`, `day` or `run` after `per`",
        ),
        ("rule r priority high: when a then close", "expected a number after `priority`, found"),
        ("param x 5", "expected `=` after `x`, found `5`"),
        ("guard g: when vix > 3", "expected `forbid` after `:`, found `when`"),
        ("scenario s: at 2018-01-01", 'expected a string ("...") after `scenario`, found `s`'),
    ],
)
def test_messages_for_common_mistakes(text: str, message: str) -> None:
    ((_, _, found),) = e100(text)
    assert found.startswith(message)


def e100_spans(text: str) -> list[tuple[int, int, int, int, str]]:
    result = parse(text, "t.condor")
    return [
        (d.span.line, d.span.column, d.span.end_line, d.span.end_column, d.message)
        for d in result.diagnostics
        if d.code == "E100"
    ]


def test_an_item_cut_short_by_the_next_item_points_at_that_item() -> None:
    # QA: reported "found the end of the file" after `>`, though the file goes on.
    text = "rule broken:\n    when vix >\n\nrule fine:\n    when vix > 30\n    then close\n"
    result = parse(text, "t.condor")
    (problem,) = result.diagnostics
    assert (problem.span.line, problem.span.column) == (4, 1)
    assert (problem.span.end_line, problem.span.end_column) == (4, 5)
    assert problem.message == (
        "expected an expression after `>`, found `rule`, the start of the next item"
    )
    assert [item.name.name for item in result.module.items] == ["fine"]  # type: ignore[union-attr]
    (stop,) = problem.labels
    assert (stop.span.line, stop.span.column, stop.span.end_column) == (2, 15, 15)


def test_a_param_cut_short_by_the_next_item_points_at_that_item() -> None:
    text = "ruleset r\n\nparam level =\n  rule fine:\n    when vix > 30\n    then close\n"
    ((line, column, end_line, end_column, message),) = e100_spans(text)
    assert (line, column, end_line, end_column) == (4, 3, 4, 7)
    assert message == "expected a value after `=`, found `rule`, the start of the next item"


def test_the_end_of_the_file_is_an_empty_span_just_after_the_last_token() -> None:
    text = 'rule r:\n    when vix > 20\n    then alert("x"\n\n'
    assert e100_spans(text) == [(3, 19, 3, 19, "expected `)` or `,`, found the end of the file")]


def test_the_last_item_of_a_file_cut_short_is_at_the_end_of_the_file() -> None:
    text = "rule fine:\n    when a\n    then close\n\nrule broken:\n    when vix >  # why\n"
    assert e100_spans(text) == [
        (6, 15, 6, 15, "expected an expression after `>`, found the end of the file")
    ]


@pytest.mark.parametrize(
    ("text", "shown"),
    [("rule r:\x00 when vix > 20", "\\x00"), ("let x\u202e = 1", "\\u202e")],
)
def test_control_characters_are_escaped_in_messages(text: str, shown: str) -> None:
    ((_, _, message),) = e100(text)
    assert message == f"unexpected character `{shown}`"
