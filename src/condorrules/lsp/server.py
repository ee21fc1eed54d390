"""The pygls wiring: LSP requests in, library calls, LSP results out.

Every handler is wrapped so that an unexpected exception is logged (to the client's log and
the server's) and answered with an empty result: a bug in one feature never takes the server,
or the editor's other features, down. Diagnostics are published when a document opens and,
debounced, after it changes; requests always work on the document's current text.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar, cast

from lsprotocol import types as lsp
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer

from condorrules import __version__
from condorrules.lsp import completion, hover, navigation
from condorrules.lsp.actions import code_actions, format_document
from condorrules.lsp.analysis import Analysis, analyze, file_name
from condorrules.lsp.context import completion_context
from condorrules.lsp.diagnostics import DEFAULT_DOCS_URL, to_lsp
from condorrules.lsp.positions import encoding_name

logger = logging.getLogger("condorrules.lsp")
Handler = TypeVar("Handler", bound=Callable[[Any], Any])


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """How the server behaves: where diagnostic codes link to, how long to wait after an edit
    before checking (seconds)."""

    docs_url: str = DEFAULT_DOCS_URL
    debounce_seconds: float = 0.15


class CondorLanguageServer(LanguageServer):
    """The condorrules language server: open documents' analyses and pending checks."""

    def __init__(self, settings: ServerSettings) -> None:
        super().__init__("condorrules", __version__)
        self.settings = settings
        self.docs_url = settings.docs_url
        self.analyses: dict[str, Analysis] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}

    def current(self, uri: str) -> Analysis:
        """The analysis of the document's current text (cached while neither its text nor
        the text of an open document it imports has changed)."""
        document = self.workspace.get_text_document(uri)
        cached = self.analyses.get(uri)
        if cached is not None and cached.text == document.source and self._fresh(cached):
            return cached
        encoding = encoding_name(self.workspace.position_encoding)
        analysis = analyze(document.source, uri, encoding, read=self._read)
        self.analyses[uri] = analysis
        return analysis

    def _open_texts(self) -> dict[str, str]:
        """The unsaved text of every open document, by file name."""
        documents = self.workspace.text_documents
        return {file_name(uri): document.source for uri, document in documents.items()}

    def _fresh(self, analysis: Analysis) -> bool:
        open_texts = self._open_texts()
        return all(
            open_texts.get(file, text) == text
            for file, text in analysis.texts.items()
            if file != analysis.file
        )

    def _read(self, path: Path) -> str:
        """Imports read an open document's unsaved text in preference to the file on disk."""
        text = self._open_texts().get(os.path.normpath(path))
        return text if text is not None else path.read_bytes().decode("utf-8")

    def dependents(self, uri: str) -> list[str]:
        """Open documents (other than ``uri``) that import the document ``uri``."""
        file = file_name(uri)
        return [
            other
            for other, analysis in self.analyses.items()
            if other != uri and file in analysis.texts
        ]

    def publish(self, uri: str) -> None:
        """Check the document now and send its diagnostics."""
        analysis = self.current(uri)
        diagnostics = [to_lsp(d, analysis.index, uri, self.docs_url) for d in analysis.diagnostics]
        version = self.workspace.get_text_document(uri).version
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=version)
        )

    def schedule(self, uri: str) -> None:
        """Publish diagnostics once no change has arrived for the debounce delay."""
        self.cancel(uri)
        self.pending[uri] = asyncio.get_running_loop().create_task(self._publish_later(uri))

    def cancel(self, uri: str) -> None:
        """Forget a pending check of ``uri``."""
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()

    async def _publish_later(self, uri: str) -> None:
        await asyncio.sleep(self.settings.debounce_seconds)
        self.pending.pop(uri, None)
        for target in (uri, *self.dependents(uri)):
            try:
                self.publish(target)
            except Exception:
                self.log_exception(f"checking {target}")

    def log_exception(self, what: str) -> None:
        """Log the exception being handled, here and in the client's log."""
        logger.exception("condorrules lsp: error while %s", what)
        self.window_log_message(
            lsp.LogMessageParams(
                type=lsp.MessageType.Error,
                message=f"condorrules: internal error while {what} (see the server log)",
            )
        )


def build_server(settings: ServerSettings | None = None) -> CondorLanguageServer:
    """A server with every feature registered (not started)."""
    server = CondorLanguageServer(settings or ServerSettings())
    _register_document_sync(server)
    _register_features(server)
    return server


def serve(settings: ServerSettings | None = None, log_file: Path | None = None) -> None:
    """Run the server on stdin/stdout until the client exits."""
    logging.basicConfig(
        filename=str(log_file) if log_file else None,
        level=logging.INFO if log_file else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    server = build_server(settings)
    # Load the grammar and the catalogue before the first document arrives, then move every
    # long-lived object out of the garbage collector's sight: without this a full collection
    # walks them all every few edits and a check that takes 30 ms now and then takes 150 ms.
    analyze("rule warm_up:\n    when vix > 20\n    then close\n", "untitled:warm-up")
    gc.collect()
    gc.freeze()
    server.start_io()


def _safe(
    server: CondorLanguageServer, what: str, empty: Callable[[], object]
) -> Callable[[Handler], Handler]:
    """Wrap a handler: log any exception and return ``empty()`` instead. A refused rename
    and pygls' own protocol errors still go back to the client as errors."""

    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def wrapped(params: Any) -> Any:
            try:
                return handler(params)
            except navigation.RenameRefused as refused:
                raise JsonRpcInvalidParams(str(refused)) from refused
            except JsonRpcException:
                raise
            except Exception:
                server.log_exception(what)
                return empty()

        return cast(Handler, wrapped)

    return decorate


def _none() -> None:
    return None


def _register_document_sync(server: CondorLanguageServer) -> None:
    @server.feature(lsp.INITIALIZE)
    @_safe(server, "initializing", _none)
    def initialize(params: lsp.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict) and isinstance(options.get("docsUrl"), str):
            server.docs_url = options["docsUrl"]

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    @_safe(server, "opening a document", _none)
    def did_open(params: lsp.DidOpenTextDocumentParams) -> None:
        server.publish(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    @_safe(server, "scheduling a check", _none)
    def did_change(params: lsp.DidChangeTextDocumentParams) -> None:
        server.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    @_safe(server, "closing a document", _none)
    def did_close(params: lsp.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        server.cancel(uri)
        server.analyses.pop(uri, None)
        server.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def _register_features(server: CondorLanguageServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    @_safe(server, "hovering", _none)
    def on_hover(params: lsp.HoverParams) -> lsp.Hover | None:
        return hover.hover(server.current(params.text_document.uri), params.position)

    @server.feature(
        lsp.TEXT_DOCUMENT_COMPLETION,
        lsp.CompletionOptions(trigger_characters=[".", "(", ",", ":", "["]),
    )
    @_safe(server, "completing", list)
    def on_completion(params: lsp.CompletionParams) -> list[lsp.CompletionItem]:
        analysis = server.current(params.text_document.uri)
        before = analysis.text[: analysis.index.offset(params.position)]
        return completion.complete(completion_context(before), analysis.symbols)

    @server.feature(lsp.TEXT_DOCUMENT_DEFINITION)
    @_safe(server, "finding a definition", _none)
    def on_definition(params: lsp.DefinitionParams) -> lsp.Location | None:
        return navigation.definition(server.current(params.text_document.uri), params.position)

    @server.feature(lsp.TEXT_DOCUMENT_REFERENCES)
    @_safe(server, "finding references", list)
    def on_references(params: lsp.ReferenceParams) -> list[lsp.Location]:
        analysis = server.current(params.text_document.uri)
        return navigation.references(analysis, params.position, params.context.include_declaration)

    @server.feature(lsp.TEXT_DOCUMENT_PREPARE_RENAME)
    @_safe(server, "preparing a rename", _none)
    def on_prepare_rename(params: lsp.PrepareRenameParams) -> lsp.Range | None:
        analysis = server.current(params.text_document.uri)
        return navigation.prepare_rename(analysis, params.position)

    @server.feature(lsp.TEXT_DOCUMENT_RENAME, lsp.RenameOptions(prepare_provider=True))
    @_safe(server, "renaming", _none)
    def on_rename(params: lsp.RenameParams) -> lsp.WorkspaceEdit | None:
        analysis = server.current(params.text_document.uri)
        return navigation.rename(analysis, params.position, params.new_name)

    @server.feature(lsp.TEXT_DOCUMENT_DOCUMENT_SYMBOL)
    @_safe(server, "listing symbols", list)
    def on_symbols(params: lsp.DocumentSymbolParams) -> list[lsp.DocumentSymbol]:
        return navigation.document_symbols(server.current(params.text_document.uri))

    @server.feature(lsp.TEXT_DOCUMENT_FORMATTING)
    @_safe(server, "formatting", list)
    def on_formatting(params: lsp.DocumentFormattingParams) -> list[lsp.TextEdit]:
        return format_document(server.current(params.text_document.uri))

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    @_safe(server, "listing code actions", list)
    def on_code_action(params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        return code_actions(params.text_document.uri, params.context.diagnostics)
