"""`condorrules lsp`: run the language server over stdio (see docs/editors.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer) -> None:
    """Add the ``lsp`` subcommand to ``app``."""

    @app.command("lsp")
    def lsp_command(
        docs_url: Annotated[
            str | None,
            typer.Option(
                "--docs-url",
                help="Base URL of docs/diagnostics.md that diagnostic codes link to "
                "(default: the project's docs on GitHub).",
            ),
        ] = None,
        debounce_ms: Annotated[
            int,
            typer.Option("--debounce-ms", min=0, help="Delay before checking after an edit (ms)."),
        ] = 150,
        log_file: Annotated[
            Path | None, typer.Option("--log-file", help="Write the server's log to this file.")
        ] = None,
    ) -> None:
        """Run the language server on stdin/stdout (an editor starts this, not a person)."""
        # Imported here: lsprotocol alone takes ~0.4 s to import, which no other command needs.
        from condorrules.lsp import ServerSettings, serve

        settings = ServerSettings(debounce_seconds=debounce_ms / 1000)
        if docs_url is not None:
            settings = ServerSettings(docs_url=docs_url, debounce_seconds=settings.debounce_seconds)
        serve(settings, log_file)
