"""Text → :class:`~condorrules.syntax.ast.Module`, with every syntax error reported.

The grammar (``grammar/condor.lark``) is parsed with Lark's LALR(1) parser; the AST is built
during the parse by the callbacks in :mod:`condorrules.syntax.transform`. A file with a syntax
error is parsed again in item chunks, split at every line that starts with an item keyword
(``rule``, ``guard``, ``let``, ``param``, ``input``, ``scenario``, ``import``, ``ruleset``;
all reserved words, so valid code never continues on such a line): each chunk is parsed alone,
so every broken item gets its own E100 and every good item is kept. A chunk that ends too soon
was stuck at the keyword of the next chunk, and its E100 says so.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from lark import Lark
from lark.exceptions import UnexpectedInput, VisitError

from condorrules.diagnostics import Diagnostic, Span, sort_key
from condorrules.resources import grammar_path
from condorrules.syntax import ast
from condorrules.syntax.errors import NextItem, syntax_diagnostic
from condorrules.syntax.limits import DEFAULT_LIMITS, Limits
from condorrules.syntax.source import read_source
from condorrules.syntax.transform import AstBuilder

_ITEM_START = re.compile(
    r"^[ \t]*(?:ruleset|import|param|input|let|rule|guard|scenario)\b", re.MULTILINE
)
_ITEM_KEYWORD = re.compile(r"([ \t]*)([a-z]+)")
# Strings first, so that a `#` inside a string is not taken for a comment.
_COMMENT_OR_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"?|#[^\n]*')


@dataclass(frozen=True, slots=True)
class ParseResult:
    """A parsed file: the module (every item that parsed) and the syntax diagnostics."""

    module: ast.Module
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """True when the file parsed without any error."""
        return not any(diagnostic.is_error for diagnostic in self.diagnostics)


def grammar_text() -> str:
    """The grammar's source text."""
    return grammar_path().read_text(encoding="utf-8")


class Parser:
    """Parses ``.condor`` text into modules under the given limits.

    Holds a Lark LALR parser whose embedded callbacks build the AST. The callbacks keep
    per-parse scratch state, so :meth:`parse` holds a lock: a Parser is safe to share between
    threads (parses then run one at a time).
    """

    def __init__(self, limits: Limits = DEFAULT_LIMITS) -> None:
        self.limits = limits
        self._builder = AstBuilder(limits)
        self._lock = threading.Lock()
        self._lark = Lark(
            grammar_text(),
            parser="lalr",
            lexer="contextual",
            keep_all_tokens=True,
            maybe_placeholders=True,
            transformer=self._builder,
            # Lark caches the grammar analysis in the temp folder, keyed by lark version,
            # grammar and options: 6 ms instead of 60 ms to build a parser after the first run.
            cache=True,
        )

    def parse(self, text: str, file: str = "<string>") -> ParseResult:
        """Parse one file's text; never raises on bad input."""
        file = str(file)  # a Path would otherwise end up in every span
        span = _whole_text_span(text, file)
        size = len(text.encode("utf-8", errors="surrogatepass"))
        if size > self.limits.max_file_bytes:
            problem = Diagnostic(
                "E102",
                f"file is {size} bytes, more than the limit of {self.limits.max_file_bytes}",
                Span(file, 1, 1, 1, 2),
                "split it into several files joined with `import`",
            )
            return ParseResult(ast.Module(None, (), (), span), (problem,))
        comments = _comments(text, file)
        with self._lock:
            header, items, diagnostics = self._parse_whole(text, file)
        items, diagnostics = self._limit_items(items, diagnostics)
        module = ast.Module(header, tuple(items), comments, span)
        return ParseResult(module, tuple(sorted(diagnostics, key=sort_key)))

    # -- parsing -----------------------------------------------------------------------------

    def _parse_whole(
        self, text: str, file: str
    ) -> tuple[ast.Header | None, list[ast.Item], list[Diagnostic]]:
        self._builder.reset(file)
        try:
            header, items = self._run(text)
        except UnexpectedInput:
            return self._recover(text, file)
        return header, list(items), self._builder.diagnostics

    def _run(self, text: str) -> tuple[ast.Header | None, tuple[ast.Item, ...]]:
        # The embedded AstBuilder turns the `start` reduction into (header, items).
        try:
            result: tuple[ast.Header | None, tuple[ast.Item, ...]] = self._lark.parse(text)  # type: ignore[assignment]
        except VisitError as error:  # never let a lark wrapper reach the caller
            raise error.orig_exc from None
        return result

    def _recover(
        self, text: str, file: str
    ) -> tuple[ast.Header | None, list[ast.Item], list[Diagnostic]]:
        header: ast.Header | None = None
        items: list[ast.Item] = []
        diagnostics: list[Diagnostic] = []
        chunks = _chunks(text)
        for index, (line_offset, chunk) in enumerate(chunks):
            self._builder.reset(file, line_offset)
            try:
                chunk_header, chunk_items = self._run(chunk)
            except UnexpectedInput as error:
                following = chunks[index + 1] if index + 1 < len(chunks) else None
                diagnostics.append(
                    syntax_diagnostic(error, self._lark, file, line_offset, _next_item(following))
                )
                continue
            diagnostics.extend(self._builder.diagnostics)
            if chunk_header is not None:
                if header is None and not items:
                    header = chunk_header
                else:
                    diagnostics.append(
                        Diagnostic(
                            "E100",
                            "the `ruleset` header must come before every item",
                            chunk_header.span,
                            "move the `ruleset` line to the top of the file",
                        )
                    )
            items.extend(chunk_items)
        return header, items, diagnostics

    def _limit_items(
        self, items: list[ast.Item], diagnostics: list[Diagnostic]
    ) -> tuple[list[ast.Item], list[Diagnostic]]:
        limit = self.limits.max_items
        if len(items) <= limit:
            return items, diagnostics
        problem = Diagnostic(
            "E102",
            f"more than {limit} items in one file",
            items[limit].span,
            "split the file into several files joined with `import`",
        )
        return items[:limit], [*diagnostics, problem]


@lru_cache(maxsize=8)
def _parser_for(limits: Limits) -> Parser:
    return Parser(limits)


def parse(text: str, file: str = "<string>", limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Parse ``.condor`` source text; ``file`` is the name spans carry."""
    return _parser_for(limits).parse(text, file)


def parse_file(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> ParseResult:
    """Read (UTF-8) and parse one file; spans carry ``str(path)``. Raises OSError if unreadable.

    A file that is not valid UTF-8 gives an E100 at its first bad byte and an empty module.
    """
    file = str(path)
    text, problem = read_source(path)
    if problem is not None:
        return ParseResult(empty_module(file), (problem,))
    return parse(text, file, limits)


def empty_module(file: str) -> ast.Module:
    """The module of a file that could not be parsed at all."""
    return ast.Module(None, (), (), Span(file, 1, 1, 1, 1))


# -- helpers -----------------------------------------------------------------------------------


def _chunks(text: str) -> list[tuple[int, str]]:
    """(line offset, text) pieces of ``text``, each starting at a line with an item keyword."""
    starts = [match.start() for match in _ITEM_START.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    starts.append(len(text))
    pieces: list[tuple[int, str]] = []
    line_offset = 0
    for begin, end in pairwise(starts):
        piece = text[begin:end]
        pieces.append((line_offset, piece))
        line_offset += piece.count("\n")
    return pieces


def _next_item(chunk: tuple[int, str] | None) -> NextItem | None:
    """Where the item keyword that starts ``chunk`` is (None after the last chunk)."""
    if chunk is None:
        return None
    line_offset, text = chunk
    match = _ITEM_KEYWORD.match(text)
    assert match is not None  # every chunk but the first starts with an item keyword
    return NextItem(line_offset + 1, len(match.group(1)) + 1, match.group(2))


def _comments(text: str, file: str) -> tuple[ast.Comment, ...]:
    comments: list[ast.Comment] = []
    line = 1
    scanned = 0
    for match in _COMMENT_OR_STRING.finditer(text):
        found = match.group()
        if not found.startswith("#"):
            continue
        start = match.start()
        line += text.count("\n", scanned, start)
        scanned = start
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        body = found.rstrip()  # trailing blanks (and a \r) are not part of the comment
        comments.append(ast.Comment(body, Span(file, line, column, line, column + len(body))))
    return tuple(comments)


def _whole_text_span(text: str, file: str) -> Span:
    last_line = text.count("\n") + 1
    last_column = len(text) - (text.rfind("\n") + 1) + 1
    return Span(file, 1, 1, last_line, last_column)
