"""The language server: `condorrules lsp` (see docs/editors.md).

A thin shell over the library: :mod:`.analysis` runs the parser and checker on a document,
:mod:`.positions` converts spans to LSP positions, and one small module per feature
(:mod:`.hover`, :mod:`.completion` with :mod:`.context`, :mod:`.navigation`,
:mod:`.actions`) turns library results into LSP results. :mod:`.server` wires them to pygls.
"""

from __future__ import annotations

from condorrules.lsp.server import CondorLanguageServer, ServerSettings, build_server, serve

__all__ = ["CondorLanguageServer", "ServerSettings", "build_server", "serve"]
