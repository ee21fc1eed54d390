"""`condorrules explain FILE --state STATE.json [--rule NAME] [--format text|json]`.

For each rule (and guard) in each scope it applies to: the condition as a tree with the value
of every sub-expression, why each unknown is unknown, and what became of each proposal.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from condorrules.cli._ruleset import EventsOption, ParamOption, dumps, load_ruleset, read_state
from condorrules.engine import UnknownRuleError


class ExplainFormat(StrEnum):
    """Output formats of `explain`."""

    TEXT = "text"
    JSON = "json"


def register(app: typer.Typer) -> None:
    """Add the ``explain`` subcommand to ``app``."""

    @app.command("explain")
    def explain(
        file: Annotated[Path, typer.Argument(help="The rule file.")],
        state: Annotated[Path, typer.Option("--state", help="A state JSON file ('-': stdin).")],
        rule: Annotated[str | None, typer.Option("--rule", help="Only this rule or guard.")] = None,
        output: Annotated[
            ExplainFormat, typer.Option("--format", help="text or json.", case_sensitive=False)
        ] = ExplainFormat.TEXT,
        param: ParamOption = None,
        events: EventsOption = None,
    ) -> None:
        """Show why each rule fires or not on a state, and what became of its proposals."""
        ruleset = load_ruleset(file, param or [], events)
        try:
            ruleset.check_rule(rule)
        except UnknownRuleError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(2) from None
        explanation = ruleset.explain(read_state(state), rule)
        if output is ExplainFormat.JSON:
            typer.echo(dumps(explanation.to_dict(), pretty=True))
        else:
            typer.echo(explanation.text(), nl=False)
