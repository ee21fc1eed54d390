"""Where each comment goes in the formatted output, so that none is lost or moved far.

A comment inside an item's lines stays with the code it was next to: a trailing comment
(code before it on its line) goes at the end of the last output line whose code starts on or
before its line; an own-line comment goes just above the first output line whose code starts
after it. Comments between items lead the next item (blank lines inside such a block are kept,
at most one in a row); comments after the last item end the file. The rules only look at
source line numbers, which formatting keeps in order, so formatting twice changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from condorrules.fmt.layout import OutLine
from condorrules.syntax import ast


@dataclass(slots=True)
class Placed:
    """Comment lines that go before each entry (``leading``) and after the last (``tail``)."""

    leading: list[list[str]]
    tail: list[str]


def place_comments(
    entries: list[ast.Header | ast.Item],
    blocks: list[list[OutLine]],
    comments: tuple[ast.Comment, ...],
    source: str,
) -> Placed:
    """Attach ``comments`` to ``blocks`` (in place) or to the returned leading/tail lists."""
    source_lines = source.split("\n")
    between: list[list[ast.Comment]] = [[] for _ in entries]
    tail: list[ast.Comment] = []
    index = 0
    for comment in comments:
        line = comment.span.line
        while index < len(entries) and entries[index].span.end_line < line:
            index += 1
        if index == len(entries):
            tail.append(comment)
        elif entries[index].span.line <= line:
            code_before = source_lines[line - 1][: comment.span.column - 1].strip()
            _attach_inside(blocks[index], comment, trailing=bool(code_before))
        else:
            between[index].append(comment)
    leading = [
        _comment_block(group, entry.span.line)
        for group, entry in zip(between, entries, strict=True)
    ]
    return Placed(leading, _comment_block(tail, None))


def _attach_inside(block: list[OutLine], comment: ast.Comment, *, trailing: bool) -> None:
    line = comment.span.line
    if trailing:
        target = block[0]
        for candidate in block:
            if candidate.source_line <= line:
                target = candidate
        target.trailing.append(comment.text)
        return
    for candidate in block:
        if candidate.source_line > line:
            candidate.leading.append(comment.text)
            return
    block[-1].leading.append(comment.text)


def _comment_block(comments: list[ast.Comment], next_line: int | None) -> list[str]:
    """Own-line comments, with one blank line wherever the source had blank lines."""
    lines: list[str] = []
    for position, comment in enumerate(comments):
        lines.append(comment.text)
        following = comments[position + 1].span.line if position + 1 < len(comments) else next_line
        if following is not None and following - comment.span.line > 1:
            lines.append("")
    return lines
