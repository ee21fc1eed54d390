"""Conversions between our spans and LSP positions: the one place that knows both conventions.

Our spans (:class:`condorrules.diagnostics.Span`) are 1-based, end exclusive, with columns
counted in characters (code points), as lark counts them. LSP positions are 0-based lines and
0-based columns counted in the code units of the negotiated position encoding: UTF-16 unless
the client offered UTF-8 or UTF-32 (LSP 3.17 ``positionEncoding``). Lines break at ``\\n``;
a ``\\r`` before it belongs to the line break, not to the line's columns.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from condorrules.diagnostics import Span

UTF16 = "utf-16"
UTF8 = "utf-8"
UTF32 = "utf-32"


def encoding_name(encoding: object) -> str:
    """``"utf-16"`` for ``PositionEncodingKind.Utf16`` or ``"utf-16"``; UTF-16 when unset."""
    if encoding is None:
        return UTF16
    value = getattr(encoding, "value", encoding)  # lsprotocol's enums are str subclasses
    return str(value)


def _units(character: str, encoding: str) -> int:
    """How many code units one character takes in ``encoding``."""
    if encoding == UTF32:
        return 1
    if encoding == UTF8:
        # surrogatepass: an editor may send a lone surrogate mid-edit; count it, never raise.
        return len(character.encode("utf-8", "surrogatepass"))
    return 2 if ord(character) > 0xFFFF else 1


class LineIndex:
    """The lines of one text, for converting positions in both directions.

    Out-of-range input is clamped (past the end of a line to its end, past the last line to
    the end of the text), because editors and parsers sometimes point one past the end.
    """

    __slots__ = ("_encoding", "_lines", "_starts")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self._encoding = encoding
        raw_lines = text.split("\n")
        self._lines = [line.removesuffix("\r") for line in raw_lines]
        starts = [0]
        for line in raw_lines[:-1]:
            starts.append(starts[-1] + len(line) + 1)
        self._starts = starts

    @property
    def line_count(self) -> int:
        """Number of lines (a text ending in a newline has an empty last line)."""
        return len(self._lines)

    def line_text(self, line: int) -> str:
        """The text of 0-based ``line`` without its line break ('' when out of range)."""
        return self._lines[line] if 0 <= line < len(self._lines) else ""

    def to_lsp(self, line: int, column: int) -> lsp.Position:
        """LSP position of the 1-based ``line``:``column`` (column in characters)."""
        line_index = min(max(line - 1, 0), len(self._lines) - 1)
        if line - 1 >= len(self._lines):
            text = self._lines[line_index]
            return lsp.Position(line=line_index, character=self._width(text))
        text = self._lines[line_index]
        characters = min(max(column - 1, 0), len(text))
        return lsp.Position(line=line_index, character=self._width(text[:characters]))

    def range_of(self, span: Span) -> lsp.Range:
        """LSP range of a span (both ends exclusive-compatible: the end maps the same way)."""
        return lsp.Range(
            start=self.to_lsp(span.line, span.column),
            end=self.to_lsp(span.end_line, span.end_column),
        )

    def from_lsp(self, position: lsp.Position) -> tuple[int, int]:
        """1-based (line, column in characters) of an LSP position.

        A column inside a multi-unit character (half a surrogate pair) rounds down to the
        start of that character.
        """
        if position.line >= len(self._lines):
            last = len(self._lines) - 1
            return last + 1, len(self._lines[last]) + 1
        line_index = max(position.line, 0)
        text = self._lines[line_index]
        units = 0
        for characters, character in enumerate(text):
            width = _units(character, self._encoding)
            if units + width > position.character:
                return line_index + 1, characters + 1
            units += width
        return line_index + 1, len(text) + 1

    def char_offset(self, line: int, column: int) -> int:
        """Index into the text of the 1-based ``line``:``column`` (clamped to the text)."""
        line_index = min(max(line - 1, 0), len(self._lines) - 1)
        if line - 1 >= len(self._lines):
            return self._starts[line_index] + len(self._lines[line_index])
        return self._starts[line_index] + min(max(column - 1, 0), len(self._lines[line_index]))

    def slice(self, text: str, span: Span) -> str:
        """The part of ``text`` (the text this index was made from) that ``span`` covers."""
        start = self.char_offset(span.line, span.column)
        return text[start : self.char_offset(span.end_line, span.end_column)]

    def offset(self, position: lsp.Position) -> int:
        """Index into the text (in characters) of an LSP position."""
        line, column = self.from_lsp(position)
        return self._starts[line - 1] + column - 1

    def position_at(self, offset: int) -> lsp.Position:
        """LSP position of a character index into the text."""
        offset = max(offset, 0)
        line_index = 0
        low, high = 0, len(self._starts) - 1
        while low <= high:  # last line start <= offset
            middle = (low + high) // 2
            if self._starts[middle] <= offset:
                line_index = middle
                low = middle + 1
            else:
                high = middle - 1
        return self.to_lsp(line_index + 1, offset - self._starts[line_index] + 1)

    def end(self) -> lsp.Position:
        """The position just past the last character of the text."""
        last = len(self._lines) - 1
        return lsp.Position(line=last, character=self._width(self._lines[last]))

    def _width(self, text: str) -> int:
        if self._encoding == UTF32 or text.isascii():
            return len(text)
        return sum(_units(character, self._encoding) for character in text)
