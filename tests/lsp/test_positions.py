"""Span <-> LSP position conversion, checked against Python's own encoders."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from condorrules.diagnostics import Span
from condorrules.lsp.positions import UTF8, UTF16, UTF32, LineIndex, encoding_name

TEXT = 'param note = "café ☕ 😀 ok"\nlet x = 1\r\nrule r:\n'


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def test_ascii_column_is_column_minus_one() -> None:
    index = LineIndex("let x = 1\n")
    assert index.to_lsp(1, 5) == lsp.Position(line=0, character=4)


def test_astral_character_counts_two_utf16_units() -> None:
    index = LineIndex(TEXT)
    column = TEXT.index("ok") + 1  # characters, 1-based
    expected = utf16_units(TEXT[: column - 1])
    assert index.to_lsp(1, column) == lsp.Position(line=0, character=expected)
    # é and ☕ are one UTF-16 unit each, 😀 is two: the LSP column is one more than ours - 1.
    assert expected == column - 1 + 1


def test_utf8_and_utf32_encodings() -> None:
    column = TEXT.index("ok") + 1
    assert LineIndex(TEXT, UTF8).to_lsp(1, column).character == len(
        TEXT[: column - 1].encode("utf-8", "surrogatepass")
    )
    assert LineIndex(TEXT, UTF32).to_lsp(1, column).character == column - 1


def test_span_end_exclusive_maps_to_lsp_end_exclusive() -> None:
    start = TEXT.index("😀")
    span = Span("f", 1, start + 1, 1, start + 2)  # exactly the emoji
    result = LineIndex(TEXT).range_of(span)
    assert result.end.character - result.start.character == 2


def test_carriage_return_is_not_part_of_the_line() -> None:
    index = LineIndex(TEXT)
    assert index.line_text(1) == "let x = 1"
    assert index.to_lsp(2, 100) == lsp.Position(line=1, character=9)


def test_from_lsp_inside_surrogate_pair_rounds_down() -> None:
    index = LineIndex(TEXT)
    emoji = TEXT.index("😀")
    units_before = utf16_units(TEXT[:emoji])
    assert index.from_lsp(lsp.Position(line=0, character=units_before + 1)) == (1, emoji + 1)
    assert index.from_lsp(lsp.Position(line=0, character=units_before + 2)) == (1, emoji + 2)


def test_out_of_range_positions_are_clamped() -> None:
    index = LineIndex("ab\ncd")
    assert index.to_lsp(9, 1) == lsp.Position(line=1, character=2)
    assert index.from_lsp(lsp.Position(line=7, character=0)) == (2, 3)
    assert index.end() == lsp.Position(line=1, character=2)


def test_offset_and_position_at_agree_on_lines() -> None:
    index = LineIndex(TEXT)
    offset = TEXT.index("rule")
    assert index.position_at(offset) == lsp.Position(line=2, character=0)
    assert index.offset(lsp.Position(line=2, character=0)) == offset


lines = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\r\n"), max_size=12),
    min_size=1,
    max_size=5,
)


@settings(max_examples=200, deadline=None)
@given(lines, st.data())
def test_round_trip_through_lsp(text_lines: list[str], data: st.DataObject) -> None:
    text = "\n".join(text_lines)
    line = data.draw(st.integers(1, len(text_lines)))
    column = data.draw(st.integers(1, len(text_lines[line - 1]) + 1))
    for encoding in (UTF8, UTF16, UTF32):
        index = LineIndex(text, encoding)
        position = index.to_lsp(line, column)
        assert index.from_lsp(position) == (line, column)
    expected = utf16_units(text_lines[line - 1][: column - 1])
    assert LineIndex(text).to_lsp(line, column).character == expected


def test_encoding_names_from_lsprotocol_enums() -> None:
    assert encoding_name(lsp.PositionEncodingKind.Utf8) == UTF8
    assert encoding_name("utf-32") == UTF32
    assert encoding_name(None) == UTF16
