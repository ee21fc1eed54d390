"""Edits the server proposes: quick fixes carried by diagnostics, and whole-file formatting."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from condorrules.fmt import FormatError, format_source
from condorrules.lsp.analysis import Analysis
from condorrules.lsp.diagnostics import SOURCE, fix_from_data


def code_actions(uri: str, diagnostics: Sequence[lsp.Diagnostic]) -> list[lsp.CodeAction]:
    """A quick fix for every diagnostic in the request that carries a fix.

    The fix travels in the diagnostic's ``data`` (see :mod:`condorrules.lsp.diagnostics`), so
    the edit matches the diagnostic the user sees even if the text changed since.
    """
    actions = []
    for diagnostic in diagnostics:
        if diagnostic.source != SOURCE:
            continue
        fix = fix_from_data(diagnostic.data)
        if fix is None:
            continue
        title, edit = fix
        actions.append(
            lsp.CodeAction(
                title=title,
                kind=lsp.CodeActionKind.QuickFix,
                diagnostics=[diagnostic],
                edit=lsp.WorkspaceEdit(changes={uri: [edit]}),
                is_preferred=True,
            )
        )
    return actions


def format_document(analysis: Analysis) -> list[lsp.TextEdit]:
    """One edit replacing the whole text with the formatter's output; none when the text is
    already formatted or cannot be formatted (a syntax error: the formatter never guesses)."""
    try:
        formatted = format_source(analysis.text, analysis.file)
    except FormatError:
        return []
    if formatted == analysis.text:
        return []
    whole = lsp.Range(start=lsp.Position(line=0, character=0), end=analysis.index.end())
    return [lsp.TextEdit(range=whole, new_text=formatted)]
