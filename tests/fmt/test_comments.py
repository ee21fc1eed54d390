"""Comments in formatted output: each stays after the token it followed, in source order."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Lark

from condorrules.fmt import format_source
from condorrules.fmt.comments import align, comment_inside, source_tokens
from condorrules.fmt.layout import item_lines
from condorrules.syntax import ast, parse
from condorrules.syntax.parser import grammar_text

REPO = Path(__file__).resolve().parents[2]
SHARED_EXAMPLES = Path("/work/shared/spec/examples")
FILES = sorted((REPO / "rulesets").glob("*.condor")) + (
    sorted(SHARED_EXAMPLES.glob("*.condor")) if SHARED_EXAMPLES.is_dir() else []
)
# Whitespace between tokens (strings and comments matched first so they are skipped).
_GAP = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*|(?P<gap>[ \t]+)')


def comments_of(text: str) -> list[str]:
    return [comment.text for comment in parse(text).module.comments]


def assert_faithful(text: str) -> str:
    """Format; check idempotence, the tree, and that comments keep their order."""
    once = format_source(text)
    assert format_source(once) == once
    before, after = parse(text).module, parse(once).module
    assert ast.equal_ignoring_spans(before, after, comments=False)
    assert comments_of(once) == comments_of(text)
    return once


def test_end_of_line_comments_stay_after_the_keyword_they_followed() -> None:
    # QA: docs/language.md promises it; they moved onto `rule r:` and `when ...` instead.
    text = (
        "rule r:\n    when  # (a) about the condition\n        vix > 20\n"
        "    then  # (b) about the action\n        close\n"
    )
    assert assert_faithful(text) == text


def test_commented_argument_list_keeps_its_lines_and_order() -> None:
    # QA: `# (2)` and `# (3)` moved above the `then` line.
    text = (
        "rule r:\n    when vix > 20\n"
        "    then open iron_condor(dte: 45d,  # (1)\n"
        "                          short_delta: 0.16,  # (2)\n"
        "                          wing: 50)  # (3)\n"
    )
    assert assert_faithful(text) == text


def test_a_comment_after_an_operator_breaks_the_line_after_that_operator() -> None:
    text = "let x = vix >  # why\n    20\n"
    assert assert_faithful("let x = vix >  # why\n 20\n") == text


def test_an_own_line_comment_goes_above_the_token_it_preceded() -> None:
    text = "rule r:\n    when vix >\n    # above twenty\n    20\n    then close\n"
    assert assert_faithful(text) == (
        "rule r:\n    when vix >\n        # above twenty\n        20\n    then close\n"
    )


def test_comments_around_dropped_parentheses_keep_their_order() -> None:
    text = 'rule r:\n    when a\n    then close(  # c1\n    )  # c2\n    and alert("x")\n'
    assert assert_faithful(text) == (
        'rule r:\n    when a\n    then close  # c1\n     # c2\n     and alert("x")\n'
    )


def test_comments_after_the_last_printed_token_go_above_the_next_item() -> None:
    text = "let x = (vix\n# c1\n)  # c2\nlet y = 1\n"
    assert assert_faithful(text) == "let x = vix\n# c1\n# c2\nlet y = 1\n"


def test_a_comment_inside_an_added_parenthesis_keeps_its_place() -> None:
    # `a and b or c` prints as `(a and b) or c`: parentheses the source did not have.
    text = "let x = a and b  # one\n    or c  # two\n"
    assert assert_faithful(text) == "let x = (a and b)  # one\n     or c  # two\n"


def test_the_long_ignore_line_keeps_its_comment_at_the_end_of_the_condition() -> None:
    text = (
        "rule legacy_points:\n"
        "    when portfolio.bp_used < 80 and vix > 20 and rsi(spot, 14) > 50 and spot > "
        "sma(spot, 200) and dte > 5d  # condorrules: ignore[W502]\n"
        '    then alert("legacy rule written in points")\n'
    )
    assert assert_faithful(text) == (
        "rule legacy_points:\n"
        "    when portfolio.bp_used < 80\n"
        "     and vix > 20\n"
        "     and rsi(spot, 14) > 50\n"
        "     and spot > sma(spot, 200)\n"
        "     and dte > 5d  # condorrules: ignore[W502]\n"
        '    then alert("legacy rule written in points")\n'
    )


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_the_token_shapes_agree_with_the_grammar_lexer(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lexer = Lark(grammar_text(), parser="lalr", lexer="basic")
    expected = [
        ((token.line, token.column), str(token))
        for token in lexer.lex(text)
        if token.type not in ("COMMENT", "WS")
    ]
    positions, texts = source_tokens(text)
    assert list(zip(positions, texts, strict=True)) == expected


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_every_printed_token_is_found_in_the_source(path: Path) -> None:
    assert_every_piece_aligns(path.read_text(encoding="utf-8"))


def assert_every_piece_aligns(text: str) -> None:
    module = parse(text).module
    positions, texts = source_tokens(text)
    entries: list[ast.Header | ast.Item] = [
        *([module.header] if module.header else []),
        *module.items,
    ]
    commented = comment_inside(module.comments)
    for number, entry in enumerate(entries):
        start = positions.index((entry.span.line, entry.span.column))
        stop = (
            positions.index((entries[number + 1].span.line, entries[number + 1].span.column))
            if number + 1 < len(entries)
            else len(texts)
        )
        pieces = [part for line in item_lines(entry, commented) for part in line.pieces]
        assert align(pieces, texts, start, stop) == 0


def insert_comments(text: str, spots: list[int], own_line: list[bool]) -> str:
    gaps = [match.start() for match in _GAP.finditer(text) if match.group("gap")]
    if not gaps:
        return text
    chosen = sorted({gaps[spot % len(gaps)] for spot in spots}, reverse=True)
    for number, offset in enumerate(chosen):
        comment = f"\n# c{number}\n" if own_line[number % len(own_line)] else f"  # c{number}\n"
        text = text[:offset] + comment + text[offset:]
    return text


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(FILES) if FILES else st.nothing(),
    st.lists(st.integers(0, 10_000), min_size=1, max_size=8),
    st.lists(st.booleans(), min_size=1, max_size=8),
)
def test_comments_inserted_anywhere_keep_their_order(
    path: Path, spots: list[int], own_line: list[bool]
) -> None:
    text = insert_comments(path.read_text(encoding="utf-8"), spots, own_line)
    assert parse(text).diagnostics == ()
    assert_faithful(text)
    assert_every_piece_aligns(text)
