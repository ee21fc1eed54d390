"""`condorrules fmt`: rewrite `.condor` files in the canonical layout (docs/language.md).

Exit status: 0 when every file is (or now is) formatted; 1 when ``--check`` finds a file that
would change or a file cannot be formatted (syntax errors: reported, file left untouched);
2 for a usage error: a path that does not exist, or directories without any ``.condor`` file.
"""

from __future__ import annotations

import difflib
import sys
from pathlib import Path
from typing import Annotated

import typer

from condorrules.diagnostics import Diagnostic
from condorrules.fmt import FormatError, format_source
from condorrules.syntax import read_source


def condor_files(paths: list[Path]) -> list[Path]:
    """The files named, with directories expanded to their ``*.condor`` files (sorted)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.condor") if p.is_file()))
        else:
            found.append(path)
    return found


def unified_diff(path: Path, before: str, after: str) -> str:
    """A unified diff from ``before`` to ``after`` labelled with ``path``."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"{path} (original)",
        tofile=f"{path} (formatted)",
    )
    return "".join(lines)


def register(app: typer.Typer) -> None:
    """Add the ``fmt`` subcommand to ``app``."""

    @app.command("fmt")
    def fmt(
        paths: Annotated[
            list[Path], typer.Argument(help="Files or directories (searched for *.condor).")
        ],
        check: Annotated[
            bool,
            typer.Option(
                "--check", help="Write nothing; exit 1 and show a diff if a file would change."
            ),
        ] = False,
        diff: Annotated[
            bool, typer.Option("--diff", help="Print the changes as a diff instead of writing.")
        ] = False,
    ) -> None:
        """Format rule files in place in the canonical layout."""
        missing = [path for path in paths if not path.exists()]
        if missing:
            for path in missing:
                typer.echo(f"error: no such file or directory: {path}", err=True)
            raise typer.Exit(2)
        failed = False
        changed = 0
        files = condor_files(paths)
        if not files:
            typer.echo("error: no .condor files found in the given directories", err=True)
            raise typer.Exit(2)
        for path in files:
            outcome = _format_one(path, write=not (check or diff), show_diff=check or diff)
            failed |= outcome == "error" or (check and outcome == "changed")
            changed += outcome == "changed"
        verb = "would be reformatted" if (check or diff) else "reformatted"
        typer.echo(f"{changed} of {len(files)} file(s) {verb}", err=True)
        if failed:
            raise typer.Exit(1)


def _format_one(path: Path, *, write: bool, show_diff: bool) -> str:
    """Format one file: "unchanged", "changed" or "error" (reported on stderr)."""
    try:
        before, problem = read_source(path)
    except OSError as error:
        typer.echo(f"{path}: error: cannot read the file: {error}", err=True)
        return "error"
    try:
        if problem is not None:
            raise FormatError((problem,))
        after = format_source(before, str(path))
    except FormatError as error:
        for diagnostic in error.diagnostics:
            _report(diagnostic)
        typer.echo(f"{path}: not formatted (fix the errors above first)", err=True)
        return "error"
    if after == before:
        return "unchanged"
    if show_diff:
        sys.stdout.write(unified_diff(path, before, after))
        sys.stdout.flush()
    if write:
        try:
            path.write_text(after, encoding="utf-8")
        except OSError as error:
            typer.echo(f"{path}: error: cannot write the file: {error}", err=True)
            return "error"
        typer.echo(f"reformatted {path}", err=True)
    return "changed"


def _report(diagnostic: Diagnostic) -> None:
    span = diagnostic.span
    typer.echo(
        f"{span.file}:{span.line}:{span.column}: error[{diagnostic.code}]: {diagnostic.message}",
        err=True,
    )
    if diagnostic.help:
        typer.echo(f"  help: {diagnostic.help}", err=True)
