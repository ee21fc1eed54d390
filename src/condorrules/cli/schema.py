"""`condorrules schema`: print the JSON Schema of the state document (docs/state.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from condorrules.state import state_json_schema


def register(app: typer.Typer) -> None:
    """Add the ``schema`` subcommand to ``app``."""

    @app.command("schema")
    def schema(
        output: Annotated[
            Path | None,
            typer.Option("--output", "-o", help="Write the schema to this file instead of stdout."),
        ] = None,
    ) -> None:
        """Print the JSON Schema of the state that `eval`, `explain` and the API accept."""
        text = json.dumps(state_json_schema(), indent=2, sort_keys=True) + "\n"
        if output is None:
            typer.echo(text, nl=False)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            typer.echo(f"error: cannot write {output}: {error.strerror}", err=True)
            raise typer.Exit(2) from None
