"""`condorrules test PATH... [-k PATTERN] [--junit FILE]`: run the scenarios of rule files.

One line per scenario (PASS/FAIL, file:line, title); for a failure the expectation (at its
file:line), what happened instead, and the explanation of the rule involved; ERROR and the
diagnostics for a rule file with errors; a summary line. Exit status 0 when every scenario
passes, 1 when one fails or a file has errors, 2 for a usage problem (a missing path, nothing
to run).
"""

from __future__ import annotations

import os
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Annotated

import typer

from condorrules.cli._ruleset import EventsOption
from condorrules.market.events import EventCalendar, EventDataError
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
            lines.extend(_indent(run.error.rstrip(), "    "))
            continue
        for result in run.results:
            status = (
                _paint("PASS", "32", colour) if result.passed else _paint("FAIL", "1;31", colour)
            )
            lines.append(f"{status} {result.location}  {result.title}")
            lines.extend(_failure_lines(result))
    return lines


def _indent(text: str, prefix: str) -> list[str]:
    return [(prefix + line).rstrip() for line in text.splitlines()]


def _failure_lines(result: ScenarioResult) -> list[str]:
    """What went wrong, each problem headed by the ``file:line`` of its step."""
    lines: list[str] = []
    if result.error is not None:
        at = f"{result.file}:{result.error_line or result.line}"
        head, *rest = result.error.splitlines() or [""]
        lines.append(f"    {at}: cannot build the scenario: {head}")
        lines.extend("      " + line for line in rest)
    for failure in result.failures:
        lines.append(f"    {result.file}:{failure.line}: expected {failure.expected}")
        lines.append(f"    but {failure.happened}")
        if failure.explanation:
            lines.append("    explanation:")
            lines.extend(_indent(failure.explanation, "      "))
    return lines


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def summary(runs: list[FileRun], seconds: float) -> str:
    """``6 passed, 1 failed, 2 deselected, 1 file with errors, 3 files without scenarios in
    0.21s``."""
    results = [r for run in runs for r in run.results]
    passed = sum(r.passed for r in results)
    parts = [f"{passed} passed"]
    if failed := len(results) - passed:
        parts.append(f"{failed} failed")
    if deselected := sum(run.deselected for run in runs):
        parts.append(f"{deselected} deselected")
    if broken := sum(run.error is not None for run in runs):
        parts.append(_count(broken, "file") + " with errors")
    if bare := sum(run.without_scenarios for run in runs):
        parts.append(_count(bare, "file") + " without scenarios")
    return f"{', '.join(parts)} in {seconds:.2f}s"


def junit_xml(runs: list[FileRun], seconds: float) -> str:
    """JUnit XML: one ``testsuite`` per file, one ``testcase`` per scenario."""
    root = ElementTree.Element("testsuites", name="condorrules", time=f"{seconds:.3f}")
    for run in runs:
        if run.error is None and not run.results:
            continue  # nothing ran: no scenarios, or -k left them all out
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
                if result.failures:
                    message = f"expected {result.failures[0].expected}"
                else:
                    message = "cannot build the scenario"
                failure = ElementTree.SubElement(case, "failure", message=message)
                failure.text = text
    ElementTree.indent(root)
    return ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def run_test(
    paths: list[Path], pattern: str | None, junit: Path | None, events: Path | None = None
) -> int:
    """Run, print, write JUnit if asked; return the exit status."""
    missing = [p for p in paths if not p.exists()]
    if missing:
        typer.echo(f"error: `{missing[0]}` does not exist", err=True)
        return 2
    calendar = None
    if events is not None:
        try:
            calendar = EventCalendar.from_csv(events)
        except EventDataError as error:
            typer.echo(f"error: {error}", err=True)
            return 2
    start = time.perf_counter()
    runs = run_paths(paths, pattern, events=calendar)
    seconds = time.perf_counter() - start
    if not runs:
        typer.echo("error: no .condor files found in the given paths", err=True)
        return 2
    if all(run.error is None and not run.results for run in runs):
        what = f" matching -k {pattern!r}" if pattern else ""
        checked = _count(len(runs), ".condor file")
        typer.echo(f"error: no scenarios{what} found in the given paths ({checked})", err=True)
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
        events: EventsOption = None,
    ) -> None:
        """Run the scenarios in rule files and report like a test runner."""
        raise typer.Exit(run_test(paths, pattern, junit, events))
