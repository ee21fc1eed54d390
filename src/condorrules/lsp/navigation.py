"""Go to definition, find references, rename and the outline, over the symbol table."""

from __future__ import annotations

import re

from lsprotocol import types as lsp

from condorrules.catalogue import ACTIONS, FIELDS, FUNCTIONS, KEYWORD_SYMBOLS, NAMESPACES
from condorrules.diagnostics import Span
from condorrules.lsp.analysis import Analysis
from condorrules.lsp.context import EXPECT_WORDS, ITEM_KEYWORDS, STEP_KEYWORDS
from condorrules.lsp.symbols import KINDS, Definable, Definition, Occurrence, SymbolKind
from condorrules.syntax import ast

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = frozenset(
    {
        *ITEM_KEYWORDS,
        *STEP_KEYWORDS,
        *EXPECT_WORDS,
        "when",
        "then",
        "and",
        "or",
        "not",
        "if",
        "else",
        "between",
        "in",
        "at",
        "least",
        "of",
        "priority",
        "forbid",
        "cooldown",
        "limit",
        "per",
        "version",
        "true",
        "false",
        "by",
        "expiring",
        "credit",
        "qty",
        "opened",
    }
)
_SYMBOL_KINDS = {
    SymbolKind.PARAM: lsp.SymbolKind.Constant,
    SymbolKind.INPUT: lsp.SymbolKind.Variable,
    SymbolKind.LET: lsp.SymbolKind.Variable,
    SymbolKind.RULE: lsp.SymbolKind.Function,
    SymbolKind.GUARD: lsp.SymbolKind.Event,
}


class RenameRefused(Exception):
    """The new name cannot be used; the message says why (shown to the user)."""


def occurrence_at(analysis: Analysis, position: lsp.Position) -> Occurrence | None:
    """The defined name under the cursor, if any."""
    line, column = analysis.index.from_lsp(position)
    return analysis.symbols.at(line, column)


def definition(analysis: Analysis, position: lsp.Position) -> lsp.Location | None:
    """Where the name under the cursor is defined (possibly in an imported file)."""
    occurrence = occurrence_at(analysis, position)
    if occurrence is None:
        return None
    return analysis.location(occurrence.definition.name_span)


def references(
    analysis: Analysis, position: lsp.Position, include_declaration: bool
) -> list[lsp.Location]:
    """Every place in this file the name under the cursor is written."""
    occurrence = occurrence_at(analysis, position)
    if occurrence is None:
        return []
    found = analysis.symbols.occurrences_of(occurrence.definition)
    return [analysis.location(o.span) for o in found if include_declaration or not o.is_definition]


def prepare_rename(analysis: Analysis, position: lsp.Position) -> lsp.Range | None:
    """The range of the renamable name under the cursor, or None (not renamable here)."""
    occurrence = occurrence_at(analysis, position)
    if occurrence is None or occurrence.definition.imported:
        return None
    return analysis.index.range_of(occurrence.span)


def rename(analysis: Analysis, position: lsp.Position, new_name: str) -> lsp.WorkspaceEdit | None:
    """Edits that rename the name under the cursor everywhere in this file.

    Raises :class:`RenameRefused` when the new name is not an identifier, is a keyword or a
    built-in name, or is already defined; a name defined in an imported file is renamed
    there, not here.
    """
    occurrence = occurrence_at(analysis, position)
    if occurrence is None:
        return None
    target = occurrence.definition
    if target.imported:
        raise RenameRefused(
            f"`{target.name}` is defined in {target.name_span.file}: rename it there"
        )
    _check_new_name(analysis, target, new_name)
    edits = [
        lsp.TextEdit(range=analysis.index.range_of(o.span), new_text=new_name)
        for o in analysis.symbols.occurrences_of(target)
    ]
    return lsp.WorkspaceEdit(changes={analysis.uri: edits})


def _check_new_name(analysis: Analysis, target: Definition, new_name: str) -> None:
    if not _IDENTIFIER.fullmatch(new_name):
        raise RenameRefused(f"`{new_name}` is not a name: use letters, digits and `_`")
    if new_name in _RESERVED or new_name in KEYWORD_SYMBOLS:
        raise RenameRefused(f"`{new_name}` is a keyword of the language")
    built_in = FIELDS.keys() | NAMESPACES.keys() | FUNCTIONS.keys() | ACTIONS.keys()
    if new_name in built_in:
        raise RenameRefused(f"`{new_name}` is a built-in name")
    if new_name.isupper():
        raise RenameRefused(f"`{new_name}` would read as an event name (all capitals)")
    symbols = analysis.symbols
    taken = symbols.values if target.name in symbols.values else symbols.actors
    if new_name in taken and new_name != target.name:
        raise RenameRefused(f"`{new_name}` is already defined")


def document_symbols(analysis: Analysis) -> list[lsp.DocumentSymbol]:
    """The outline: the header, then every item in file order (scenarios included)."""
    module = analysis.module
    symbols: list[lsp.DocumentSymbol] = []
    if module.header is not None:
        symbols.append(
            _symbol(
                analysis,
                module.header.name.name,
                lsp.SymbolKind.Module,
                module.header.span,
                module.header.name.span,
                "ruleset",
            )
        )
    for item in module.items:
        symbol = _item_symbol(analysis, item)
        if symbol is not None:
            symbols.append(symbol)
    return symbols


def _item_symbol(analysis: Analysis, item: ast.Item) -> lsp.DocumentSymbol | None:
    if isinstance(item, ast.Scenario):
        return _symbol(
            analysis,
            item.title.value or "scenario",
            lsp.SymbolKind.Object,
            item.span,
            item.title.span,
            "scenario",
        )
    if isinstance(item, ast.Import):
        return _symbol(
            analysis, item.path.value, lsp.SymbolKind.File, item.span, item.path.span, "import"
        )
    kind = KINDS.get(type(item))
    if kind is None or not isinstance(item, Definable):
        return None
    detail = kind.value
    if isinstance(item, ast.Rule) and item.priority is not None:
        detail = f"rule, priority {item.priority.text}"
    return _symbol(analysis, item.name.name, _SYMBOL_KINDS[kind], item.span, item.name.span, detail)


def _symbol(
    analysis: Analysis,
    name: str,
    kind: lsp.SymbolKind,
    span: Span,
    name_span: Span,
    detail: str,
) -> lsp.DocumentSymbol:
    return lsp.DocumentSymbol(
        name=name,
        kind=kind,
        range=analysis.index.range_of(span),
        selection_range=analysis.index.range_of(name_span),
        detail=detail,
    )
