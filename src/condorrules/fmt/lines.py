"""Output lines made of pieces (one per source token), and how they are written out.

The layout builds each output line as a list of :class:`Piece`, one per token it prints, so
that a comment can be attached to the token it followed in the source (see
:mod:`condorrules.fmt.comments`). Writing a line breaks it where a comment must sit: after a
piece with a trailing comment, and before a piece with comments above it. The rest of the line
then continues on a new line indented one step further.
"""

from __future__ import annotations

from dataclasses import dataclass, field

INDENT = "    "


@dataclass(slots=True, eq=False)
class Piece:
    """One printed token: ``gap`` goes before it unless it starts a line."""

    text: str
    gap: str = " "
    source: int = -1
    """Index of the source token it was printed from (set by the comment placement)."""
    before: list[str] = field(default_factory=list)
    """Own-line comments written on the lines just above it."""
    after: str | None = None
    """A comment written after it, at the end of its line."""


@dataclass(slots=True)
class OutLine:
    """One line of the canonical layout, before comments may break it."""

    indent: str
    pieces: list[Piece]

    @property
    def width(self) -> int:
        """Length of the line written without breaks."""
        return len(self.indent) + len(join(self.pieces))


def piece(text: str, gap: str = " ") -> Piece:
    """A piece; ``gap=""`` glues it to the previous one (`(`, `,`, `.`...)."""
    return Piece(text, gap)


def glued(pieces: list[Piece]) -> list[Piece]:
    """``pieces`` with no gap before the first one (after an opening bracket)."""
    if pieces:
        pieces[0].gap = ""
    return pieces


def join(pieces: list[Piece]) -> str:
    """The pieces on one line."""
    if not pieces:
        return ""
    return pieces[0].text + "".join(part.gap + part.text for part in pieces[1:])


def render(lines: list[OutLine]) -> list[str]:
    """The text lines of one item, with its attached comments in place."""
    written: list[str] = []
    for line in lines:
        _render_line(line, written)
    return written


def _render_line(line: OutLine, written: list[str]) -> None:
    indent = line.indent
    current: list[str] = []  # the physical line being built
    for part in line.pieces:
        if part.before:
            if current:  # comments above a token in mid-line: the rest moves down a line
                written.append(indent + "".join(current))
                current = []
                indent = line.indent + INDENT
            written.extend(indent + comment for comment in part.before)
        current.append(part.text if not current else part.gap + part.text)
        if part.after is not None:
            written.append(indent + "".join(current) + "  " + part.after)
            current = []
            indent = line.indent + INDENT
    if current:
        written.append(indent + "".join(current))
