"""`condorrules lsp --docs-url`: diagnostics link to a different copy of the docs."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

DOCS = "http://localhost:8000/diagnostics.md"
SERVER = [sys.executable, "-m", "condorrules", "lsp", "--docs-url", DOCS]


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    yield
    await lsp_client.shutdown_session()


@pytest.mark.asyncio
async def test_docs_url_option_changes_the_code_links(
    client: LanguageClient, tmp_path: Path
) -> None:
    uri = (tmp_path / "units.condor").as_uri()
    text = "ruleset units\n\nrule confused:\n    when dte > 50%\n    then close\n"
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="condor", version=1, text=text)
        )
    )
    await asyncio.wait_for(
        client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS), timeout=10
    )
    [e301] = [d for d in client.diagnostics[uri] if d.code == "E301"]
    assert e301.code_description is not None
    assert e301.code_description.href == f"{DOCS}#e301-unit-mismatch"
