"""`condorrules backtest FILE`: replay a ruleset over market history and write a report.

    condorrules backtest rulesets/tasty_45dte.condor --from 2016-01-01 --to 2017-12-31

Writes trades.csv, equity.csv, decisions.jsonl, metrics.json, the charts and report.html into
``--out`` (default ``runs/<ruleset>-<first date>-<last date>``, with ``-2``, ``-3``, ... added
when that folder exists), shows a progress bar on stderr for runs longer than a moment, and
prints a summary table. Exit status: 0 ok, 1 the ruleset has errors, 2 a usage problem (bad
data, a missing input, a bad ``--param`` or other option value).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from rich.table import Table

from condorrules.chain import ChainError
from condorrules.cli._ruleset import EventsOption, ParamOption, load_ruleset
from condorrules.history import HistoryError
from condorrules.replay import Result, backtest
from condorrules.replay.run import parse_capital as parse_money

PROGRESS_AFTER_SECONDS = 0.5
"""A run shows its progress bar once it has taken this long (short runs stay quiet)."""


def parse_capital(text: str) -> float:
    """``100000``, ``$100,000``, ``100k``, ``1.5m`` → dollars; ValueError for anything else
    (the API's parser: :func:`condorrules.replay.run.parse_capital`)."""
    return parse_money(text)


def default_out_dir(result: Result, base: Path = Path("runs")) -> Path:
    """``runs/<ruleset>-<start>-<end>``, or the first of ``-2``, ``-3``, ... that is free."""
    parameters = result.parameters
    stem = f"{parameters['ruleset']}-{parameters['start']}-{parameters['end']}"
    candidate = base / stem
    number = 2
    while candidate.exists():
        candidate = base / f"{stem}-{number}"
        number += 1
    return candidate


class _LazyProgress:
    """A rich progress bar on stderr that appears only once a run has taken a moment."""

    def __init__(self, console: Console, label: str) -> None:
        self.console = console
        self.label = label
        self.started = time.monotonic()
        self.bar: Progress | None = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < PROGRESS_AFTER_SECONDS or done >= total:
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TextColumn("{task.completed}/{task.total} bars"),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _fail(message: str, code: int = 2) -> typer.Exit:
    sys.stderr.write(message.rstrip() + "\n")
    return typer.Exit(code)


def _has_files(folder: Path) -> bool:
    """True when ``folder`` exists and is not an empty folder (a file counts too)."""
    if not folder.exists():
        return False
    return not folder.is_dir() or any(folder.iterdir())


def _warn_chain_gaps(result: Result, console: Console) -> None:
    """One warning when a chain was given but quotes nothing on some of the run's bars."""
    gaps = result.parameters.get("chain_gaps") or {}
    if gaps.get("bars"):
        console.print(
            f"warning: the chain has no quotes on {gaps['bars']} of the run's bars "
            f"({gaps['first']} to {gaps['last']}): those bars are priced by the volatility "
            "model (marked `chain` in decisions.jsonl)",
            markup=False,
            highlight=False,
        )


def _write_outputs(result: Result, out_dir: Path) -> list[Path]:
    """The report package's outputs (imported here: matplotlib loads only for a backtest)."""
    from condorrules.report import write_outputs

    return list(write_outputs(result, out_dir))


def _summary_rows(result: Result) -> list[tuple[str, str]]:
    from condorrules.report import summary_rows

    rows = list(summary_rows(result))
    summary = result.summary()
    rows += [
        ("Positions opened", str(summary["positions"])),
        ("Fills", str(summary["fills"])),
        ("Fees", f"${summary['fees']:,.2f}"),
        ("Actions skipped", str(summary["skipped_actions"])),
    ]
    return rows


def _print_summary(result: Result, out_dir: Path, console: Console) -> None:
    table = Table(title=f"backtest {result.parameters['ruleset']}", show_header=False)
    table.add_column("metric")
    table.add_column("value", justify="right")
    for label, value in _summary_rows(result):
        table.add_row(label, value)
    console.print(table)
    console.print(f"outputs in {out_dir}")


def register(app: typer.Typer) -> None:
    """Add the ``backtest`` subcommand to ``app``."""

    @app.command("backtest")
    def backtest_command(
        file: Annotated[Path, typer.Argument(help="The rule file.")],
        data: Annotated[
            Path | None,
            typer.Option("--data", help="Your own history (CSV or Parquet); default built in."),
        ] = None,
        chain: Annotated[
            Path | None, typer.Option("--chain", help="A real option chain (CSV or Parquet).")
        ] = None,
        start: Annotated[
            str | None, typer.Option("--from", help="First date, YYYY-MM-DD (inclusive).")
        ] = None,
        end: Annotated[
            str | None, typer.Option("--to", help="Last date, YYYY-MM-DD (inclusive).")
        ] = None,
        param: ParamOption = None,
        capital: Annotated[
            str, typer.Option("--capital", help="Starting equity, e.g. 100000 or $250k.")
        ] = "100000",
        out: Annotated[
            Path | None,
            typer.Option("--out", help="Output folder; default runs/<ruleset>-<from>-<to>."),
        ] = None,
        force: Annotated[
            bool,
            typer.Option("--force", help="Write into an --out folder that already has files."),
        ] = False,
        events: EventsOption = None,
    ) -> None:
        """Replay a ruleset over market history; write trades, equity, decisions and a report."""
        try:
            money = parse_capital(capital)
        except ValueError as error:
            raise _fail(f"error: --capital: {error}") from None
        if out is not None and not force and _has_files(out):
            raise _fail(
                f"error: --out {out} already has files: a run would mix with them\n"
                "help: give an empty or new folder, or --force to replace this run's files there"
            )
        ruleset = load_ruleset(file, param or [], events)
        console = Console(stderr=True)
        progress = _LazyProgress(console, f"replaying {ruleset.name}")
        try:
            result = backtest(
                ruleset,
                data=data,
                start=start,
                end=end,
                capital=money,
                chain=chain,
                progress=progress,
            )
        except (HistoryError, ChainError) as error:
            raise _fail(f"error: {error}") from None
        except OSError as error:
            raise _fail(f"error: cannot read {error.filename}: {error.strerror}") from None
        finally:
            progress.close()
        _warn_chain_gaps(result, console)
        out_dir = out if out is not None else default_out_dir(result)
        try:
            _write_outputs(result, out_dir)
        except OSError as error:
            raise _fail(f"error: cannot write {out_dir}: {error.strerror}") from None
        _print_summary(result, out_dir, Console())
