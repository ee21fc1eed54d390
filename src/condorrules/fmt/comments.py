"""Where each comment goes in the formatted output: after the token it followed, in order.

The source is split into tokens again (the grammar's token shapes, see :data:`_TOKEN`), and
the pieces of each item's output are matched to them: the formatter prints the source tokens
in their order, only dropping some (redundant parentheses, trailing commas, an empty ``()``).
Then each comment, taken in source order, goes to a *slot*:

- a comment with code before it on its line goes after the piece of the last token before it
  (the rest of that output line moves to the next line);
- a comment on its own line goes above the piece of the first token after it (breaking the
  output line there if that token is in mid-line), or, when nothing of its item follows it,
  above the next item among the comments between items;
- a slot is never earlier than the previous comment's slot, so comments keep their order.

Slots depend only on the order of tokens and comments, which formatting keeps, so formatting
twice changes nothing. No comment is ever dropped: every one gets a slot.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from condorrules.diagnostics import Span
from condorrules.fmt.layout import Commented
from condorrules.fmt.lines import OutLine, Piece
from condorrules.syntax import ast

# The token shapes of the grammar (grammar/condor.*), in the order its lexer prefers them;
# tests/fmt/test_comments.py checks them against the real lexer.
_TOKEN = re.compile(
    r"""
      (?P<space>[ \t\f\r\n\ufeff]+)
    | (?P<comment>\#[^\n]*)
    | "(?:[^"\\\n]|\\.)*"?
    | [0-9]{4,}-[0-9]{1,2}-[0-9]{1,2}(?![0-9A-Za-z_.])
    | [0-9][0-9_]*(?:\.[0-9_]*)*(?:%|[A-Za-z_][A-Za-z0-9_]*)?
    | \$[0-9][0-9_]*(?:\.[0-9_]*)*
    | [A-Za-z_][A-Za-z0-9_]*
    | <= | >= | == | !=
    | .
    """,
    re.VERBOSE | re.DOTALL,
)

Position = tuple[int, int]
_BETWEEN, _BEFORE, _AFTER = 0, 1, 2  # slot kinds, in output order at one piece
_END = 1 << 60  # the piece index of the tail of the file
_DROPPABLE = frozenset({"(", ")", ","})  # source tokens the layout may leave out


@dataclass(slots=True)
class Placed:
    """Comment lines that go before each entry (``leading``) and after the last (``tail``)."""

    leading: list[list[str]]
    tail: list[str]


def source_tokens(text: str) -> tuple[list[Position], list[str]]:
    """Start positions (line, column; 1-based) and texts of the code tokens of ``text``."""
    positions: list[Position] = []
    texts: list[str] = []
    line, line_start = 1, 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            breaks = match.group().count("\n")
            if breaks:
                line += breaks
                line_start = match.group().rfind("\n") + match.start() + 1
            continue
        if kind != "comment":
            positions.append((line, match.start() - line_start + 1))
            texts.append(match.group())
    return positions, texts


def align(pieces: list[Piece], texts: list[str], start: int, stop: int) -> int:
    """Set each piece's ``source`` to the index (in ``start:stop``) of the token it prints.

    The layout drops source parentheses and commas and adds parentheses around a boolean
    operand of another boolean operator (``(a and b) or c``); an added ``(`` takes the index
    of the token after it, an added ``)`` that of the token before it, so the indices never
    decrease. Returns how many pieces matched nothing (zero unless the layout printed a token
    that is not in the source: a bug, survived by keeping the indices in order).
    """
    index, missing = start, 0
    for part in pieces:
        while index < stop and texts[index] != part.text and texts[index] in _DROPPABLE:
            index += 1
        if index < stop and texts[index] == part.text:
            part.source = index
            index += 1
        elif part.text == "(":
            part.source = min(index, stop - 1)
        elif part.text == ")":
            part.source = max(index - 1, start)
        else:
            found = texts.index(part.text, index, stop) if part.text in texts[index:stop] else -1
            missing += 1
            if found >= 0:
                part.source, index = found, found + 1
            else:
                part.source = max(index - 1, start)
    return missing


def place_comments(
    entries: list[ast.Header | ast.Item],
    blocks: list[list[OutLine]],
    comments: tuple[ast.Comment, ...],
    source: str,
) -> Placed:
    """Attach ``comments`` to the pieces of ``blocks`` (in place) or to the lists returned."""
    placed = Placed([[] for _ in entries], [])
    if not comments:
        return placed
    positions, texts = source_tokens(source)
    firsts = [bisect_left(positions, (entry.span.line, entry.span.column)) for entry in entries]
    pieces: list[Piece] = []  # every piece of the output, in order
    block_starts: list[int] = []  # index in `pieces` of each block's first piece
    for number, block in enumerate(blocks):
        block_pieces = [part for line in block for part in line.pieces]
        stop = firsts[number + 1] if number + 1 < len(entries) else len(texts)
        align(block_pieces, texts, firsts[number], stop)
        block_starts.append(len(pieces))
        pieces.extend(block_pieces)
    sources = [part.source for part in pieces]
    lines = source.split("\n")
    last: tuple[int, int] = (-1, _BETWEEN)
    groups: list[list[ast.Comment]] = [[] for _ in entries]
    block_of = {start: number for number, start in enumerate(block_starts)}
    tail: list[ast.Comment] = []
    for comment in comments:
        line, column = comment.span.line, comment.span.column
        before = bisect_left(positions, (line, column)) - 1  # the last token before it
        trailing = bool(lines[line - 1][: column - 1].strip())
        slot = _natural_slot(before, trailing, sources, block_starts, firsts, pieces)
        if slot < last:
            slot = last
        if slot == last and slot[1] == _AFTER:  # that end of line is taken: the next own line
            slot = _next_own_line(slot[0], block_of, len(pieces))
        last = slot
        where, kind = slot
        if kind == _AFTER:
            pieces[where].after = comment.text
        elif kind == _BEFORE:
            pieces[where].before.append(comment.text)
        elif where == _END:
            tail.append(comment)
        else:
            groups[block_of[where]].append(comment)
    placed.leading = [
        _comment_block(group, entry.span.line) for group, entry in zip(groups, entries, strict=True)
    ]
    placed.tail = _comment_block(tail, None)
    return placed


def _natural_slot(
    before: int,
    trailing: bool,
    sources: list[int],
    block_starts: list[int],
    firsts: list[int],
    pieces: list[Piece],
) -> tuple[int, int]:
    """The slot of a comment that follows source token ``before`` (-1: none)."""
    block = bisect_right(firsts, before) - 1  # the item holding that token
    if block < 0:
        return (block_starts[0], _BETWEEN) if block_starts else (_END, _BETWEEN)
    start = block_starts[block]
    stop = block_starts[block + 1] if block + 1 < len(block_starts) else len(pieces)
    if trailing:
        anchor = bisect_right(sources, before, start, stop) - 1
        return (max(anchor, start), _AFTER)
    following = bisect_right(sources, before, start, stop)
    if following < stop:
        return (following, _BEFORE)
    return (stop, _BETWEEN) if stop < len(pieces) else (_END, _BETWEEN)


def _next_own_line(index: int, block_of: dict[int, int], count: int) -> tuple[int, int]:
    """The first own-line slot after the end of the line of piece ``index``."""
    following = index + 1
    if following >= count:
        return (_END, _BETWEEN)
    return (following, _BETWEEN if following in block_of else _BEFORE)


def comment_inside(comments: tuple[ast.Comment, ...]) -> Commented:
    """The predicate "a comment lies strictly inside this span" for the layout."""
    starts = [(comment.span.line, comment.span.column) for comment in comments]

    def commented(span: Span) -> bool:
        first = bisect_right(starts, (span.line, span.column))
        return first < len(starts) and starts[first] < (span.end_line, span.end_column)

    return commented


def _comment_block(comments: list[ast.Comment], next_line: int | None) -> list[str]:
    """Own-line comments, with one blank line wherever the source had blank lines."""
    lines: list[str] = []
    for position, comment in enumerate(comments):
        lines.append(comment.text)
        following = comments[position + 1].span.line if position + 1 < len(comments) else next_line
        if following is not None and following - comment.span.line > 1:
            lines.append("")
    return lines
