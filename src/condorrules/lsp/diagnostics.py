"""Our :class:`~condorrules.diagnostics.Diagnostic` records as LSP diagnostics.

The same code, message and help as ``condorrules check``: the help line is appended to the
message as ``help: ...`` on its own line (every client shows the message; not every client
shows related information), labels become ``relatedInformation``, the code links to its
section of ``docs/diagnostics.md`` through ``codeDescription``, and a machine-applicable fix
travels in ``data`` so a code action can offer it without re-checking the file.
"""

from __future__ import annotations

from typing import Any

from lsprotocol import types as lsp

from condorrules.diagnostics import Diagnostic, Fix, Severity
from condorrules.diagnostics.codes import CODES
from condorrules.lsp.positions import LineIndex

SOURCE = "condorrules"
DEFAULT_DOCS_URL = "https://github.com/condorrules/condorrules/blob/main/docs/diagnostics.md"


def code_href(code: str, docs_url: str = DEFAULT_DOCS_URL) -> str:
    """The URL of a code's section of docs/diagnostics.md, whose headings read
    ``## E200: unknown name`` (titles from :data:`condorrules.diagnostics.codes.CODES`): the
    anchor is the heading's GitHub slug, ``#e200-unknown-name``."""
    if code not in CODES:
        return f"{docs_url}#codes"
    return f"{docs_url}#{heading_slug(f'{code}: {CODES[code]}')}"


def heading_slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to
    hyphens (``W502: ... above 1.5`` -> ``w502-...-above-15``)."""
    kept = "".join(c for c in heading.lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def message_with_help(diagnostic: Diagnostic) -> str:
    """The message, then ``help: ...`` on a new line when the diagnostic has help."""
    if diagnostic.help:
        return f"{diagnostic.message}\nhelp: {diagnostic.help}"
    return diagnostic.message


def to_lsp(
    diagnostic: Diagnostic, index: LineIndex, uri: str, docs_url: str = DEFAULT_DOCS_URL
) -> lsp.Diagnostic:
    """One LSP diagnostic for ``diagnostic`` in the document ``uri`` whose lines ``index`` has.

    Labels in other files than the diagnostic's own are left out: their positions would be
    computed against the wrong text.
    """
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(uri=uri, range=index.range_of(label.span)),
            message=label.message,
        )
        for label in diagnostic.labels
        if label.span.file == diagnostic.span.file
    ]
    severity = (
        lsp.DiagnosticSeverity.Error
        if diagnostic.severity is Severity.ERROR
        else lsp.DiagnosticSeverity.Warning
    )
    return lsp.Diagnostic(
        range=index.range_of(diagnostic.span),
        message=message_with_help(diagnostic),
        severity=severity,
        code=diagnostic.code,
        code_description=lsp.CodeDescription(href=code_href(diagnostic.code, docs_url)),
        source=SOURCE,
        related_information=related or None,
        data=fix_data(diagnostic.fix, index) if diagnostic.fix else None,
    )


def fix_data(fix: Fix, index: LineIndex) -> dict[str, Any]:
    """A fix as JSON-able data: its title, the LSP range to replace, the new text."""
    edit_range = index.range_of(fix.span)
    return {
        "fix": {
            "title": fix.description,
            "newText": fix.replacement,
            "range": {
                "start": {"line": edit_range.start.line, "character": edit_range.start.character},
                "end": {"line": edit_range.end.line, "character": edit_range.end.character},
            },
        }
    }


def fix_from_data(data: object) -> tuple[str, lsp.TextEdit] | None:
    """The (title, edit) that :func:`fix_data` stored, or None for anything else."""
    if not isinstance(data, dict) or not isinstance(data.get("fix"), dict):
        return None
    fix = data["fix"]
    try:
        edit_range = fix["range"]
        start = lsp.Position(
            line=int(edit_range["start"]["line"]),
            character=int(edit_range["start"]["character"]),
        )
        end = lsp.Position(
            line=int(edit_range["end"]["line"]), character=int(edit_range["end"]["character"])
        )
        return str(fix["title"]), lsp.TextEdit(
            range=lsp.Range(start=start, end=end), new_text=str(fix["newText"])
        )
    except (KeyError, TypeError, ValueError):
        return None
