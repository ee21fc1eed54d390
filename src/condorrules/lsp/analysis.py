"""One document, parsed and checked: what every request handler reads.

An :class:`Analysis` is immutable and made from the document's text alone (plus the files it
imports), so the server caches one per open document and rebuilds it when the text changes.
Parsing and checking are the library's: :func:`condorrules.syntax.load_source` and
:func:`condorrules.check.check_program`, exactly what ``condorrules check`` runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import from_fs_path, to_fs_path

from condorrules.check import CheckResult, check_program
from condorrules.diagnostics import Diagnostic, Span, sort_key
from condorrules.lsp.positions import UTF16, LineIndex
from condorrules.lsp.symbols import SymbolTable
from condorrules.syntax import Program, ast, load_source

Reader = Callable[[Path], str]


@dataclass(frozen=True, slots=True)
class Analysis:
    """A document's text, its parse and check results, and the index of its names.

    ``texts`` maps every file name that appears in spans (this document's and each imported
    file's) to its text, so spans in any of them convert to LSP positions.
    """

    uri: str
    file: str
    text: str
    encoding: str
    index: LineIndex
    program: Program
    checked: CheckResult
    symbols: SymbolTable
    texts: Mapping[str, str]
    _indexes: dict[str, LineIndex] = field(default_factory=dict)

    @property
    def module(self) -> ast.Module:
        """The document's own module (every item that parsed)."""
        return self.program.main

    @property
    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Diagnostics for this document, in file order.

        An error inside an imported file (a syntax error there) is shown on the `import`
        that brings the file in, with the file and line in the message: the editor shows
        this document, and the user must learn that the import is broken.
        """
        own = [d for d in self.checked.diagnostics if d.span.file == self.file]
        imports = [item for item in self.module.items if isinstance(item, ast.Import)]
        for diagnostic in self.checked.diagnostics:
            if diagnostic.span.file != self.file and imports:
                own.append(self._on_import(diagnostic, imports))
        return tuple(sorted(own, key=sort_key))

    def _on_import(self, diagnostic: Diagnostic, imports: list[ast.Import]) -> Diagnostic:
        folder = Path(self.file).parent
        statement = next(
            (i for i in imports if os.path.normpath(folder / i.path.value) == diagnostic.span.file),
            imports[0],  # imported through another file
        )
        where = os.path.relpath(diagnostic.span.file, folder)
        return replace(
            diagnostic,
            message=f"in `{where}` line {diagnostic.span.line}: {diagnostic.message}",
            span=statement.path.span,
            labels=(),
            fix=None,
        )

    def index_of(self, file: str) -> LineIndex:
        """The line index of ``file`` (this document or an imported file)."""
        if file == self.file:
            return self.index
        if file not in self._indexes:
            self._indexes[file] = LineIndex(self.texts.get(file, ""), self.encoding)
        return self._indexes[file]

    def location(self, span: Span) -> lsp.Location:
        """The LSP location of a span in this document or an imported file."""
        uri = self.uri if span.file == self.file else from_fs_path(span.file) or span.file
        return lsp.Location(uri=uri, range=self.index_of(span.file).range_of(span))

    def source_of(self, span: Span) -> str:
        """The source text a span covers, in whichever file it is."""
        return self.index_of(span.file).slice(self.texts.get(span.file, ""), span)


def file_name(uri: str) -> str:
    """The file name spans use for a document: its path, or the URI when it has none."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return os.path.normpath(path) if path else uri


def analyze(text: str, uri: str, encoding: str = UTF16, read: Reader | None = None) -> Analysis:
    """Parse and check ``text`` (the document at ``uri``), resolving its imports with ``read``
    (by default from disk)."""
    file = file_name(uri)
    texts: dict[str, str] = {file: text}

    def recording_read(path: Path) -> str:
        content = read(path) if read is not None else path.read_bytes().decode("utf-8")
        texts[os.path.normpath(path)] = content
        return content

    base_dir = Path(file).parent if uri.startswith("file:") else Path.cwd()
    program = load_source(text, file, base_dir, read=recording_read)
    checked = check_program(program, source=text)
    symbols = SymbolTable(program.main, checked)
    return Analysis(
        uri=uri,
        file=file,
        text=text,
        encoding=encoding,
        index=LineIndex(text, encoding),
        program=program,
        checked=checked,
        symbols=symbols,
        texts=texts,
    )
