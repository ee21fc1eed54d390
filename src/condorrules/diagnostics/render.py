"""Renderers of :class:`~condorrules.diagnostics.Diagnostic` lists: text, json, sarif, github.

Each renderer is a pure function from diagnostics (already sorted by the caller) to a string,
so the output is deterministic and snapshot-tested. Only the text renderer needs the source
(to show the offending line); it takes a mapping from file name to text.
"""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Literal
from urllib.parse import quote

from condorrules import __version__
from condorrules.diagnostics import Diagnostic, Span
from condorrules.diagnostics.codes import CODES

Format = Literal["text", "json", "sarif", "github"]
FORMATS: tuple[Format, ...] = ("text", "json", "sarif", "github")

_RESET = "\x1b[0m"
_STYLES = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "gutter": "\x1b[1;34m",
    "bold": "\x1b[1m",
    "help": "\x1b[1;36m",
}


@dataclass(frozen=True, slots=True)
class _Paint:
    enabled: bool

    def __call__(self, style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if self.enabled and text else text


@dataclass(frozen=True, slots=True)
class _Mark:
    span: Span
    primary: bool
    message: str


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary(diagnostics: Sequence[Diagnostic], files_checked: int) -> str:
    """``Found 2 errors and 1 warning in 3 files.`` or ``No problems found in 3 files.``"""
    errors = sum(1 for d in diagnostics if d.is_error)
    warnings = len(diagnostics) - errors
    where = _plural(files_checked, "file")
    if not diagnostics:
        return f"No problems found in {where}."
    parts = [_plural(errors, "error")] if errors else []
    if warnings:
        parts.append(_plural(warnings, "warning"))
    return f"Found {' and '.join(parts)} in {where}."


def _expand(line: str) -> str:
    return line.replace("\t", "    ")


def _width(text: str) -> int:
    """Terminal columns ``text`` takes: wide (CJK, most emoji) characters take two,
    combining marks none, tabs are expanded to four spaces."""
    total = 0
    for char in _expand(text):
        if unicodedata.combining(char):
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return total


def _display_column(line: str, column: int) -> int:
    """0-based display offset of 1-based ``column`` (tabs expanded, wide characters)."""
    return _width(line[: max(column - 1, 0)])


def _lines_of(mark: _Mark) -> tuple[int, ...]:
    """The lines a mark is drawn on: its first, and its last when it spans several."""
    span = mark.span
    if span.end_line > span.line and span.end_column > 1:
        return (span.line, span.end_line)
    return (span.line,)


def _underline(line: str, mark: _Mark, line_number: int) -> tuple[int, int]:
    span = mark.span
    if span.line == line_number:
        start = _display_column(line, span.column)
    else:  # the last line of a multi-line span: from its indentation
        start = _width(line[: len(line) - len(line.lstrip())])
    last = span.end_line == line_number
    end = _display_column(line, span.end_column) if last else _width(line)
    return start, max(end, start + 1)


def _snippet(
    marks: list[_Mark], lines: list[str], width: int, paint: _Paint, severity: str
) -> list[str]:
    gutter = paint("gutter", " " * width + " |")
    out = [gutter]
    previous: int | None = None
    for line_number in sorted({n for m in marks for n in _lines_of(m)}):
        if line_number - 1 >= len(lines):
            continue
        if previous is not None and line_number > previous + 1:
            out.append(paint("gutter", "..."))
        previous = line_number
        source = lines[line_number - 1]
        number = paint("gutter", f"{line_number:>{width}} |")
        out.append(f"{number} {_expand(source)}".rstrip())
        for mark in sorted(
            (m for m in marks if line_number in _lines_of(m)), key=lambda m: not m.primary
        ):
            start, end = _underline(source, mark, line_number)
            glyph = "^" if mark.primary else "-"
            style = severity if mark.primary else "gutter"
            last = line_number == _lines_of(mark)[-1]
            note = f" {mark.message}" if mark.message and last else ""
            text = paint(style, glyph * (end - start) + note)
            out.append(f"{gutter} {' ' * start}{text}")
    return out


def _text_one(diagnostic: Diagnostic, sources: Mapping[str, str], paint: _Paint) -> list[str]:
    severity = diagnostic.severity.value
    span = diagnostic.span
    head = paint(severity, f"{severity}[{diagnostic.code}]")
    out = [f"{head}{paint('bold', ': ' + diagnostic.message)}"]
    marks = [_Mark(span, True, "")]
    # A label is drawn on one line, after its underline: fold any line break in its note.
    marks += [_Mark(lab.span, False, " ".join(lab.message.split())) for lab in diagnostic.labels]
    files = [span.file, *sorted({m.span.file for m in marks} - {span.file})]
    width = len(str(max(n for m in marks for n in _lines_of(m))))
    arrow = paint("gutter", " " * width + "-->")
    out.append(f"{arrow} {span.file}:{span.line}:{span.column}")
    for index, file in enumerate(files):
        file_marks = [m for m in marks if m.span.file == file]
        if index > 0:
            first = min(m.span for m in file_marks)
            out.append(f"{paint('gutter', ' ' * width + ':::')} {file}:{first.line}:{first.column}")
        text = sources.get(file)
        if text is not None:
            out += _snippet(file_marks, text.splitlines(), width, paint, severity)
    notes = []
    if diagnostic.help:
        notes.append(f"{paint('help', 'help')}: {diagnostic.help}")
    if diagnostic.fix is not None and diagnostic.fix.description != diagnostic.help:
        notes.append(f"{paint('help', 'fix')}: {diagnostic.fix.description}")
    if notes:
        out.append(paint("gutter", " " * width + " |"))
        out += [f"{paint('gutter', ' ' * width + ' =')} {note}" for note in notes]
    return out


def render_text(
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    files_checked: int,
    color: bool = False,
) -> str:
    """rustc/ruff-style report: each diagnostic with its source line and carets, then a summary.

    ``sources`` maps file names to their text (a missing file just loses its snippet);
    ``color`` adds ANSI colours (the CLI enables it only on a terminal).
    """
    paint = _Paint(color)
    blocks = ["\n".join(_text_one(d, sources, paint)) for d in diagnostics]
    blocks.append(paint("bold", summary(diagnostics, files_checked)))
    return "\n\n".join(blocks) + "\n"


def _record(diagnostic: Diagnostic) -> dict[str, object]:
    span = diagnostic.span
    return {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "message": diagnostic.message,
        "help": diagnostic.help,
        "file": span.file,
        "line": span.line,
        "column": span.column,
        "end_line": span.end_line,
        "end_column": span.end_column,
    }


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    """A JSON array of flat objects: code, severity, message, help (or null), file, line,
    column, end_line, end_column (1-based, end exclusive)."""
    return json.dumps([_record(d) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


SRCROOT = "%SRCROOT%"


def _artifact(file: str, root: Path) -> dict[str, str]:
    """A SARIF artifactLocation: a percent-encoded URI relative to ``root`` (the current
    directory by default) with ``uriBaseId`` %SRCROOT%, or an absolute ``file://`` URI for
    a file outside it."""
    path = Path(os.path.normpath(root / file))  # an absolute path stays as it is
    try:
        relative = path.relative_to(root)
    except ValueError:
        return {"uri": path.as_uri()}
    posix = PurePosixPath(*relative.parts).as_posix()
    return {"uri": quote(posix, safe="/"), "uriBaseId": SRCROOT}


def _location(span: Span, root: Path, message: str | None = None) -> dict[str, object]:
    location: dict[str, object] = {
        "physicalLocation": {
            "artifactLocation": _artifact(span.file, root),
            "region": {
                "startLine": span.line,
                "startColumn": span.column,
                "endLine": span.end_line,
                "endColumn": span.end_column,
            },
        }
    }
    if message is not None:
        location["message"] = {"text": message}
    return location


def render_sarif(diagnostics: Sequence[Diagnostic], root: str | Path | None = None) -> str:
    """A SARIF 2.1.0 log with one run; every known code is listed as a rule of the driver.

    File locations are relative to ``root`` (default: the current directory), under the
    ``%SRCROOT%`` base id that code-scanning tools map to the checkout; labels become
    ``relatedLocations``. Columns count Unicode code points (``columnKind``); ``endColumn``
    is exclusive, as SARIF defines it.
    """
    base = Path(root) if root is not None else Path(os.getcwd())
    codes = sorted(set(CODES) | {d.code for d in diagnostics})
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODES.get(code, "diagnostic")},
            "help": {"text": f"See docs/diagnostics.md, section {code}."},
            "defaultConfiguration": {"level": "error" if code.startswith("E") else "warning"},
        }
        for code in codes
    ]
    index = {code: position for position, code in enumerate(codes)}
    results = []
    for diagnostic in diagnostics:
        text = diagnostic.message
        if diagnostic.help:
            text += f"\nhelp: {diagnostic.help}"
        result: dict[str, object] = {
            "ruleId": diagnostic.code,
            "ruleIndex": index[diagnostic.code],
            "level": diagnostic.severity.value,
            "message": {"text": text},
            "locations": [_location(diagnostic.span, base)],
        }
        if diagnostic.labels:
            result["relatedLocations"] = [
                {"id": number, **_location(label.span, base, label.message)}
                for number, label in enumerate(diagnostic.labels)
            ]
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "condorrules",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": base.as_uri().rstrip("/") + "/"}},
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub Actions workflow commands, one line per diagnostic (annotations on the diff)."""
    lines = []
    for diagnostic in diagnostics:
        span = diagnostic.span
        properties = ",".join(
            [
                f"file={_escape_property(span.file)}",
                f"line={span.line}",
                f"col={span.column}",
                f"endLine={span.end_line}",
                f"endColumn={span.end_column}",
                f"title={_escape_property(diagnostic.code)}",
            ]
        )
        message = diagnostic.message
        if diagnostic.help:
            message += f"\nhelp: {diagnostic.help}"
        lines.append(f"::{diagnostic.severity.value} {properties}::{_escape_data(message)}")
    return "".join(line + "\n" for line in lines)


def render(
    format: Format,
    diagnostics: Sequence[Diagnostic],
    sources: Mapping[str, str],
    *,
    files_checked: int,
    color: bool = False,
) -> str:
    """Render in the named format (see :data:`FORMATS`)."""
    if format == "text":
        return render_text(diagnostics, sources, files_checked=files_checked, color=color)
    plain: dict[str, Callable[[Sequence[Diagnostic]], str]] = {
        "json": render_json,
        "sarif": render_sarif,
        "github": render_github,
    }
    return plain[format](diagnostics)


__all__ = [
    "FORMATS",
    "Format",
    "render",
    "render_github",
    "render_json",
    "render_sarif",
    "render_text",
    "summary",
]
