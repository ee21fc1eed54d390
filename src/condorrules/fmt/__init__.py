"""The formatter: any valid ``.condor`` text → the same program in the canonical layout.

    format_source(text, file) -> str     raises FormatError on a file with syntax problems

The layout is documented in docs/language.md ("Formatting"). Formatting is idempotent
(``format_source(format_source(x)) == format_source(x)``), keeps the meaning (the AST of the
output equals the AST of the input, spans aside) and keeps every comment, in order, after the
token it followed (:mod:`condorrules.fmt.comments`). A file with any
parse diagnostic (E100-E102) is refused rather than formatted: an item that did not parse
would otherwise be lost.
"""

from __future__ import annotations

from condorrules.diagnostics import Diagnostic
from condorrules.fmt.comments import comment_inside, place_comments
from condorrules.fmt.layout import item_lines
from condorrules.fmt.lines import render
from condorrules.syntax import ast, parse


class FormatError(ValueError):
    """The text could not be formatted because it does not parse; see ``diagnostics``."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        first = diagnostics[0]
        location = f"{first.span.file}:{first.span.line}:{first.span.column}"
        super().__init__(f"{location}: {first.message}")
        self.diagnostics = diagnostics


def format_source(text: str, file: str = "<string>") -> str:
    """``text`` in the canonical layout; raises :class:`FormatError` if it does not parse."""
    result = parse(text, file)
    if result.diagnostics:
        raise FormatError(result.diagnostics)
    return format_module(result.module, text)


def format_module(module: ast.Module, source: str) -> str:
    """Lay out a parsed module; ``source`` is its text (where its comments sit among tokens)."""
    entries: list[ast.Header | ast.Item] = []
    if module.header is not None:
        entries.append(module.header)
    entries.extend(module.items)
    widths = _alignments(entries)
    commented = comment_inside(module.comments)
    blocks = [
        item_lines(entry, commented, width) for entry, width in zip(entries, widths, strict=True)
    ]
    placed = place_comments(entries, blocks, module.comments, source)
    out: list[str] = []
    for index, block in enumerate(blocks):
        if index > 0 and not _same_group(entries[index - 1], entries[index]):
            out.append("")
        out.extend(placed.leading[index])
        out.extend(render(block))
    if placed.tail:
        if out:
            out.append("")
        out.extend(placed.tail)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n" if out else ""


_GROUPED = (ast.Import, ast.Param, ast.Input, ast.Let)


def _same_group(previous: ast.Header | ast.Item, current: ast.Header | ast.Item) -> bool:
    """Consecutive imports, params, inputs or lets form a block without blank lines."""
    return isinstance(current, _GROUPED) and type(previous) is type(current)


def _alignments(entries: list[ast.Header | ast.Item]) -> list[int]:
    """The width each param or let name is padded to: the longest name in its block."""
    widths = [0] * len(entries)
    start = 0
    while start < len(entries):
        end = start
        kind = type(entries[start])
        while end + 1 < len(entries) and type(entries[end + 1]) is kind:
            end += 1
        if kind in (ast.Param, ast.Let):
            names = [entry.name.name for entry in entries[start : end + 1]]  # type: ignore[union-attr]
            widest = max(len(name) for name in names)
            widths[start : end + 1] = [widest] * (end + 1 - start)
        start = end + 1
    return widths


__all__ = ["FormatError", "format_module", "format_source"]
