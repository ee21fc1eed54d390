"""`condorrules eval FILE --state STATE.json | --jsonl`: decisions as JSON.

With ``--state`` the ruleset is evaluated on one state (no history) and the decision printed.
With ``--jsonl`` each line of stdin is a state and each gets exactly one line on stdout,
flushed at once, in order: the decision (``{"line": N, "date": ..., "actions": ...}``), or
``{"line": N, "error": "...", "issues": [...]}`` for a line that is not a valid state — the
stream goes on. The states are bars of one stream: indicator history, cooldowns and limits
carry from line to line (a :class:`~condorrules.api.Runner`).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer

from condorrules.api import Ruleset
from condorrules.cli._ruleset import EventsOption, ParamOption, dumps, load_ruleset, read_state
from condorrules.state import StateError


def stream(ruleset: Ruleset, source: TextIO, sink: TextIO) -> int:
    """Answer every line of ``source`` with one line on ``sink``; return the count of errors."""
    runner = ruleset.runner()
    errors = 0
    number = 0
    while True:
        line = source.readline()
        if not line:
            return errors
        number += 1
        record: dict[str, Any] = {"line": number}
        try:
            if not line.strip():
                raise StateError([])
            decision = runner.step(line)
            record.update(decision.to_dict())
        except StateError as error:
            errors += 1
            record["error"] = "empty line" if not line.strip() else "invalid state"
            record["issues"] = [str(issue) for issue in error.issues]
        except RecursionError:  # the JSON parser recurses once per level of nesting
            errors += 1
            record["error"] = f"line {number}: JSON nested too deeply"
            record["issues"] = ["a state is a JSON object a few levels deep; this line is not"]
        except Exception as error:  # one bad bar must not end a live stream
            errors += 1
            record["error"] = f"internal error: {error!r}"
            record["issues"] = []
        sink.write(dumps(record, pretty=False) + "\n")
        sink.flush()


def register(app: typer.Typer) -> None:
    """Add the ``eval`` subcommand to ``app``."""

    @app.command("eval")
    def evaluate(
        file: Annotated[Path, typer.Argument(help="The rule file.")],
        state: Annotated[
            Path | None, typer.Option("--state", help="A state JSON file ('-' for stdin).")
        ] = None,
        jsonl: Annotated[
            bool, typer.Option("--jsonl", help="Read one state per line from stdin.")
        ] = False,
        param: ParamOption = None,
        events: EventsOption = None,
    ) -> None:
        """Evaluate a ruleset on a state and print the decision as JSON."""
        if (state is None) == (not jsonl):
            typer.echo("error: give exactly one of --state FILE or --jsonl", err=True)
            raise typer.Exit(2)
        ruleset = load_ruleset(file, param or [], events)
        if jsonl:
            stream(ruleset, sys.stdin, sys.stdout)
            return
        assert state is not None
        decision = ruleset.evaluate(read_state(state))
        typer.echo(dumps(decision.to_dict(), pretty=True))
