"""Keywords match whole words only: a keyword is never read as the prefix of a longer name."""

from __future__ import annotations

import pytest

from condorrules.syntax import ast, parse


def e100(text: str) -> list[tuple[int, int, str]]:
    result = parse(text, "t.condor")
    return [(d.span.line, d.span.column, d.message) for d in result.diagnostics if d.code == "E100"]


def test_then_glued_to_the_action_is_one_name_and_a_syntax_error() -> None:
    # QA: `then close` written `thenclose` used to check clean (read as `then` + `close`).
    assert e100("rule r:\n    when vix > 3\n    thenclose\n") == [
        (3, 5, "expected `then` before the action, found `thenclose`")
    ]


def test_a_name_after_then_may_start_with_a_keyword() -> None:
    result = parse("rule r:\n    when vix > 3\n    then thenclose\n")
    assert result.diagnostics == ()
    (rule,) = result.module.items
    assert isinstance(rule, ast.Rule) and rule.actions[0].kind.name == "thenclose"


def test_whenever_is_not_when_followed_by_ever() -> None:
    assert e100("rule r:\n    whenever > 3\n    then close\n") == [
        (2, 5, "expected `when` before the condition, found `whenever`")
    ]


def test_a_misspelt_item_keyword_is_reported_as_the_whole_word() -> None:
    ((line, column, message),) = e100("rulee q:\n    when vix > 3\n    then close\n")
    assert (line, column) == (1, 1)
    assert message.endswith("found `rulee`")
    assert "after" not in message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("rule r priority5:\n    when a\n    then close\n", "`priority5`"),
        ('scenario "s":\n    at2018\n', "`at2018`"),
        ("guard g:\n    forbidopen when a\n", "`forbidopen`"),
        ("rule r:\n    when a\n    then close(side: put)\n    cooldown5d\n", "`cooldown5d`"),
    ],
)
def test_soft_keywords_are_whole_words_too(text: str, found: str) -> None:
    ((_, _, message),) = e100(text)
    assert message.endswith(f"found {found}")


def test_names_that_start_with_keywords_are_names() -> None:
    text = (
        "let android = 1\nlet notable = 2\nlet index = android + notable\n"
        "let orbit = index\nlet ifs = orbit\nlet truest = ifs\nlet atleast = truest\n"
        "let bystander = atleast\nlet x = notable and orbit or (android between index and ifs)\n"
    )
    result = parse(text)
    assert result.diagnostics == ()
    names = [item.name.name for item in result.module.items]  # type: ignore[union-attr]
    assert names[:8] == [
        "android",
        "notable",
        "index",
        "orbit",
        "ifs",
        "truest",
        "atleast",
        "bystander",
    ]


def test_soft_keywords_stay_names_where_no_keyword_is_expected() -> None:
    text = (
        "rule r:\n    when tested != none and qty > 1 and credit > 0 and limit > priority\n"
        "    then roll(side: put, dte: same)\n"
    )
    assert parse(text).diagnostics == ()


def test_at_least_is_still_a_keyword_pair_in_expressions() -> None:
    result = parse("let x = at least 2 of (a, b, c)\n")
    assert result.diagnostics == ()
    assert isinstance(result.module.items[0].value, ast.AtLeast)  # type: ignore[union-attr]


def test_a_reserved_word_is_reported_as_itself() -> None:
    ((_, _, message),) = e100("let x = vix > then\n")
    assert message == "expected an expression after `>`, found `then`"
