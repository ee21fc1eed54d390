"""Shared by `eval`, `explain` and `backtest`: load a ruleset with `--param` overrides and
`--events`, read a state.

Problems a user causes end the command with a message and exit status 1 (the ruleset has
errors) or 2 (a usage problem: a bad `--param`, an unreadable or invalid state file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from condorrules.api import Ruleset, RulesetError, load
from condorrules.compile.overrides import CLI_FILE
from condorrules.market.events import EventDataError
from condorrules.state import StateError, parse_state

ParamOption = Annotated[
    list[str] | None, typer.Option("--param", help="Override a param: NAME=VALUE.")
]
"""The ``--param NAME=VALUE`` option of `eval`, `explain` and `backtest` (repeatable)."""

EventsOption = Annotated[
    Path | None,
    typer.Option("--events", help="Events CSV (date,event,note) added to FOMC."),
]
"""The ``--events FILE`` option of `test`, `eval`, `explain` and `backtest`."""


def parse_params(raw: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs (values as written in a file: ``50%``, ``21d``, ``0.16``)."""
    params: dict[str, str] = {}
    for item in raw:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            typer.echo(
                f"error: --param {item!r}: expected NAME=VALUE, e.g. profit_take=60%", err=True
            )
            raise typer.Exit(2)
        params[name.strip()] = value.strip()
    return params


def load_ruleset(path: Path, params: list[str], events: Path | None = None) -> Ruleset:
    """Load ``path`` (with ``events`` merged into the FOMC calendar) or exit: 1 with the
    diagnostics if the file has errors, 2 if a ``--param`` is wrong or a file is unreadable."""
    overrides = parse_params(params)
    try:
        return load(path, overrides, events=events, origin="cli")
    except RulesetError as error:
        sys.stderr.write(error.report)
        about_params = all(d.span.file == CLI_FILE for d in error.diagnostics)
        raise typer.Exit(2 if about_params else 1) from None
    except EventDataError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    except (OSError, UnicodeDecodeError) as error:
        name = getattr(error, "filename", None) or path
        typer.echo(f"error: cannot read {name}: {error}", err=True)
        raise typer.Exit(2) from None


def read_state(path: Path) -> Any:
    """The validated state in a JSON file, or exit 2 naming every problem."""
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        return parse_state(text)
    except OSError as error:
        typer.echo(f"error: cannot read {path}: {error.strerror}", err=True)
    except StateError as error:
        typer.echo(f"error: {path}: {error}", err=True)
    raise typer.Exit(2)


def dumps(document: Any, pretty: bool) -> str:
    """JSON text with the documents' own key order (stable), no NaN."""
    return json.dumps(document, indent=2 if pretty else None, allow_nan=False)
