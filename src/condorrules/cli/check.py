"""`condorrules check PATH...`: check rule files and report diagnostics.

Exit status: 0 when there is no error (warnings allowed), 1 when there is one (or, with
``--strict``, any warning), 2 for a usage problem (a path that does not exist, no ``*.condor``
file found, an unreadable file, a bad ``--events`` file).
"""

from __future__ import annotations

import os
import sys
from enum import StrEnum
from pathlib import Path

import typer

from condorrules.check import check_paths, condor_files
from condorrules.diagnostics import Diagnostic, sort_key
from condorrules.diagnostics.render import render


class OutputFormat(StrEnum):
    """The renderers `--format` chooses between."""

    TEXT = "text"
    JSON = "json"
    SARIF = "sarif"
    GITHUB = "github"


def _usage_error(message: str) -> typer.Exit:
    sys.stderr.write(f"error: {message}\n")
    return typer.Exit(2)


def _sources(files: set[str]) -> dict[str, str]:
    sources = {}
    for file in sorted(files):
        try:
            sources[file] = Path(file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # the report just loses that file's source lines
    return sources


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def event_names(path: Path | None) -> tuple[str, ...]:
    """The event names an events CSV (``date,event[,note]``, like the shipped FOMC file)
    defines, for ``--events``; raises a usage error (exit 2) naming the problem."""
    if path is None:
        return ()
    from condorrules.market.events import EventCalendar, EventDataError  # numpy: only if asked

    try:
        return EventCalendar.from_csv(path).names()
    except (OSError, UnicodeDecodeError) as problem:
        raise _usage_error(f"cannot read the events file `{path}`: {problem}") from None
    except EventDataError as problem:
        raise _usage_error(f"bad events file: {problem}") from None


def run_check(
    paths: list[Path],
    *,
    strict: bool,
    output: OutputFormat,
    events: Path | None = None,
) -> int:
    """Check ``paths``, print the report to stdout, and return the exit status."""
    names = event_names(events)
    try:
        files = condor_files(paths)
    except FileNotFoundError as missing:
        raise _usage_error(f"`{missing}` does not exist") from None
    if not files:
        shown = ", ".join(f"`{p}`" for p in paths)
        raise _usage_error(f"no .condor files found in {shown}")
    try:
        results = check_paths(files, events=names)
    except (OSError, UnicodeDecodeError) as problem:
        raise _usage_error(f"cannot read a file: {problem}") from None
    diagnostics: list[Diagnostic] = sorted(
        (d for found in results.values() for d in found), key=sort_key
    )
    sources = _sources({d.span.file for d in diagnostics}) if output is OutputFormat.TEXT else {}
    report = render(
        output.value, diagnostics, sources, files_checked=len(results), color=_use_colour()
    )
    sys.stdout.write(report)
    failing = [d for d in diagnostics if d.is_error or strict]
    return 1 if failing else 0


def register(app: typer.Typer) -> None:
    """Add the `check` subcommand to ``app``."""

    @app.command("check")
    def check(
        paths: list[Path] = typer.Argument(  # noqa: B008 - typer's declaration style
            ...,
            metavar="PATH",
            help="Files or folders to check (folders are searched for *.condor).",
        ),
        strict: bool = typer.Option(False, "--strict", help="Fail on warnings too."),
        output: OutputFormat = typer.Option(  # noqa: B008
            OutputFormat.TEXT, "--format", help="Output format.", case_sensitive=False
        ),
        events: Path | None = typer.Option(  # noqa: B008
            None,
            "--events",
            metavar="CSV",
            help="Events data (date,event[,note]): its event names are known to days_to().",
        ),
    ) -> None:
        """Check rule files: names, types and units, scopes, actions, ranges, interactions."""
        raise typer.Exit(run_check(paths, strict=strict, output=output, events=events))
