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
    "fmt",
    "test",
    "eval",
    "explain",
    "schema",
    "lsp",
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"condorrules {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    """Create the Typer application with every subcommand registered."""
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

    for module_name in SUBCOMMAND_MODULES:
        module = importlib.import_module(f"condorrules.cli.{module_name}")
        module.register(app)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script; exit 2 on an internal error, never a traceback."""
    app = build_app()
    try:
        app(args=argv, prog_name="condorrules")
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
