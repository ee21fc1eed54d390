"""`condorrules test PATH... [-k PATTERN] [--junit FILE]`: run the scenarios of rule files.

One line per scenario (PASS/FAIL, file:line, title); for a failure the expectation, what
happened instead, and the explanation of the rule involved; a summary line. Exit status 0
when every scenario passes, 1 when one fails (or a file with scenarios has errors), 2 for a
usage problem (a missing path, nothing to run).
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Annotated

import typer

from condorrules.scenarios import FileRun, ScenarioResult, run_paths


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def report_lines(runs: list[FileRun], colour: bool = False) -> list[str]:
    """The test-runner report, without the summary line."""
    lines: list[str] = []
    for run in runs:
        if run.error is not None:
            lines.append(f"{_paint('ERROR', '1;31', colour)} {run.file}: the ruleset does not load")
            lines.extend("    " + line for line in run.error.rstrip().splitlines())
            continue
        for result in run.results:
            status = (
                _paint("PASS", "32", colour) if result.passed else _paint("FAIL", "1;31", colour)
            )
            lines.append(f"{status} {result.location}  {result.title}")
            lines.extend(_failure_lines(result))
    return lines


def _failure_lines(result: ScenarioResult) -> list[str]:
    lines: list[str] = []
    if result.error is not None:
        lines.append(f"    cannot build the scenario: {result.error}")
    for failure in result.failures:
        lines.append(f"    line {failure.line}: expected {failure.expected}")
        lines.append(f"    but {failure.happened}")
        if failure.explanation:
            lines.append("    explanation:")
            lines.extend("      " + line for line in failure.explanation.splitlines())
    return lines


def summary(runs: list[FileRun], seconds: float) -> str:
    """``6 passed, 1 failed, 1 file with errors in 0.21s``."""
    results = [r for run in runs for r in run.results]
    passed = sum(r.passed for r in results)
    failed = len(results) - passed
    parts = [f"{passed} passed"]
    if failed:
        parts.append(f"{failed} failed")
    broken = sum(run.error is not None for run in runs)
    if broken:
        parts.append(f"{broken} file{'s' if broken != 1 else ''} with errors")
    return f"{', '.join(parts)} in {seconds:.2f}s"


def junit_xml(runs: list[FileRun], seconds: float) -> str:
    """JUnit XML: one ``testsuite`` per file, one ``testcase`` per scenario."""
    root = ElementTree.Element("testsuites", name="condorrules", time=f"{seconds:.3f}")
    for run in runs:
        failures = sum(not r.passed for r in run.results)
        suite = ElementTree.SubElement(
            root,
            "testsuite",
            name=run.file,
            tests=str(len(run.results) or 1),
            failures=str(failures),
            errors="1" if run.error else "0",
        )
        if run.error is not None:
            case = ElementTree.SubElement(suite, "testcase", classname=run.file, name="load")
            error = ElementTree.SubElement(case, "error", message="the ruleset does not load")
            error.text = run.error
        for result in run.results:
            case = ElementTree.SubElement(
                suite, "testcase", classname=run.file, name=result.title, line=str(result.line)
            )
            if not result.passed:
                text = "\n".join(_failure_lines(result))
                first = result.failures[0].expected if result.failures else "scenario error"
                failure = ElementTree.SubElement(case, "failure", message=f"expected {first}")
                failure.text = text
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def run_test(paths: list[Path], pattern: str | None, junit: Path | None) -> int:
    """Run, print, write JUnit if asked; return the exit status."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: `{missing[0]}` does not exist", err=True)
        return 2
    start = time.perf_counter()
    runs = run_paths(paths, pattern)
    seconds = time.perf_counter() - start
    if not runs:
        what = f" matching -k {pattern!r}" if pattern else ""
        typer.echo(f"error: no scenarios{what} found in the given paths", err=True)
        return 2
    colour = _colour()
    for line in report_lines(runs, colour):
        typer.echo(line)
    typer.echo(summary(runs, seconds))
    if junit is not None:
        try:
            junit.write_text(junit_xml(runs, seconds), encoding="utf-8")
        except OSError as error:
            typer.echo(f"error: cannot write {junit}: {error.strerror}", err=True)
            return 2
    ok = all(run.error is None and all(r.passed for r in run.results) for run in runs)
    return 0 if ok else 1


def register(app: typer.Typer) -> None:
    """Add the ``test`` subcommand to ``app``."""

    @app.command("test")
    def test(
        paths: Annotated[
            list[Path], typer.Argument(help="Rule files or folders (searched for *.condor).")
        ],
        pattern: Annotated[
            str | None,
            typer.Option(
                "-k", help="Only scenarios whose title contains this (or matches this glob)."
            ),
        ] = None,
        junit: Annotated[
            Path | None, typer.Option("--junit", help="Also write JUnit XML to this file.")
        ] = None,
    ) -> None:
        """Run the scenarios in rule files and report like a test runner."""
        raise typer.Exit(run_test(paths, pattern, junit))
