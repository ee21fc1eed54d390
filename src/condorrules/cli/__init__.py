"""The `condorrules` command: a thin shell over the library, one module per subcommand.

Each subcommand module exposes ``register(app)``; this module wires them up, prints the
version, and turns an unexpected exception into an "internal error" report with exit 2
instead of a bare traceback.
"""

from __future__ import annotations

import importlib
import os
import sys
import traceback

import typer

from condorrules import __version__

BUG_REPORT_HINT = (
    "this is a bug in condorrules, not in your input; please file an issue with the command "
    "you ran and the text above"
)

# Subcommand modules, in the order `--help` lists them.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "check",
    "schema",
    "lsp",
    "fmt",
    "test",
    "eval",
    "explain",
    "backtest",
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"condorrules {__version__}")
        raise typer.Exit()


def _requested_subcommand(argv: list[str]) -> str | None:
    """The subcommand named on the command line, if it is one of ours."""
    first = next((arg for arg in argv if not arg.startswith("-")), None)
    return first if first in SUBCOMMAND_MODULES else None


def build_app(argv: list[str] | None = None) -> typer.Typer:
    """Create the Typer application.

    With ``argv`` naming a subcommand, only that subcommand's module is imported (the
    evaluator and replay modules take a second to import; `check` and the editor should not
    wait for them); otherwise every subcommand is registered, for ``--help`` and errors.
    """
    app = typer.Typer(
        name="condorrules",
        help="Check, test, evaluate and replay rulesets that manage iron condors.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )

    @app.callback()
    def root(
        version: bool = typer.Option(
            False,
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ) -> None:
        """Check, test, evaluate and replay rulesets that manage iron condors."""

    requested = _requested_subcommand(argv or [])
    for module_name in (requested,) if requested else SUBCOMMAND_MODULES:
        module = importlib.import_module(f"condorrules.cli.{module_name}")
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; exit 2 on an internal error, never a traceback."""
    arguments = sys.argv[1:] if argv is None else argv
    try:
        build_app(arguments)(args=arguments, prog_name="condorrules")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as error:  # the last line of defence: no bare traceback for users
        sys.stderr.write(f"internal error: {error!r}\n")
        if os.environ.get("CONDORRULES_DEBUG"):
            sys.stderr.write("".join(traceback.format_exception(error)))
        else:
            sys.stderr.write("(set CONDORRULES_DEBUG=1 to see the traceback)\n")
        sys.stderr.write(f"{BUG_REPORT_HINT}\n")
        sys.exit(2)
