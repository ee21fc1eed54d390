"""The one diagnostic record every stage reports, and the source span it points at.

Spans are half-open and 1-based, like lark's tokens: ``end_column`` is the column after the
last character. Renderers (text, json, sarif, github) live in :mod:`condorrules.diagnostics.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A region of one source file: 1-based lines and columns, end exclusive."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int

    def covers(self, line: int, column: int) -> bool:
        """True when the character at ``line``:``column`` lies inside this span."""
        after_start = (line, column) >= (self.line, self.column)
        before_end = (line, column) < (self.end_line, self.end_column)
        return after_start and (before_end or (self.line, self.column) == (line, column))

    def merge(self, other: Span) -> Span:
        """The smallest span covering both (same file assumed)."""
        start = min((self.line, self.column), (other.line, other.column))
        end = max((self.end_line, self.end_column), (other.end_line, other.end_column))
        return Span(self.file, start[0], start[1], end[0], end[1])


class Severity(StrEnum):
    """How bad a diagnostic is: errors fail `condorrules check`, warnings only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Label:
    """A secondary span with a short note (\"defined here\", \"this rule closes first\")."""

    span: Span
    message: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A machine-applicable edit: replace the text of ``span`` with ``replacement``."""

    description: str
    span: Span
    replacement: str


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One finding: a stable code, a message that stands alone, where, and how to fix it.

    The severity follows from the code: ``E...`` codes are errors, ``W...`` warnings.
    """

    code: str
    message: str
    span: Span
    help: str | None = None
    labels: tuple[Label, ...] = ()
    fix: Fix | None = None

    @property
    def severity(self) -> Severity:
        """Error for ``E`` codes, warning for ``W`` codes."""
        return Severity.ERROR if self.code.startswith("E") else Severity.WARNING

    @property
    def is_error(self) -> bool:
        """True for codes that make `condorrules check` fail without --strict."""
        return self.severity is Severity.ERROR


def sort_key(diagnostic: Diagnostic) -> tuple[str, int, int, str]:
    """Order diagnostics by file, position and code, for stable output."""
    span = diagnostic.span
    return (span.file, span.line, span.column, diagnostic.code)


__all__ = ["Diagnostic", "Fix", "Label", "Severity", "Span", "sort_key"]
