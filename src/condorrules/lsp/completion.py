"""Completion items for a :class:`~condorrules.lsp.context.Context`.

The context says what kind of word fits; the candidates come from the catalogue (fields,
functions, actions, arguments, events, sides, weekdays) and from the file's own definitions.
The client filters by what has been typed, so every fitting candidate is returned.
"""

from __future__ import annotations

from lsprotocol import types as lsp

from condorrules.catalogue import (
    ACTIONS,
    EVENT_LIST,
    FIELDS,
    FUNCTION_LIST,
    FUNCTIONS,
    MARKET_FIELDS,
    NAMESPACE_LIST,
    SIDE_VALUES,
    STRUCTURES,
    WEEKDAYS,
    Argument,
    Signature,
    Type,
)
from condorrules.lsp import describe
from condorrules.lsp.context import Context, Where
from condorrules.lsp.symbols import Definition, SymbolKind, SymbolTable

Kind = lsp.CompletionItemKind
_EXPRESSION_WORDS = ("not", "if", "at least", "true", "false")
_SYMBOL_KINDS = {
    SymbolKind.PARAM: Kind.Constant,
    SymbolKind.INPUT: Kind.Variable,
    SymbolKind.LET: Kind.Variable,
    SymbolKind.RULE: Kind.Function,
    SymbolKind.GUARD: Kind.Function,
}


def complete(context: Context, symbols: SymbolTable) -> list[lsp.CompletionItem]:
    """Every candidate that fits ``context``, fitting symbols first."""
    where = context.where
    if where is Where.WORDS:
        return [_item(word, Kind.Keyword) for word in context.words]
    if where is Where.FIELD:
        return _fields_of(context.namespace or "")
    if where is Where.ATTRIBUTE:
        return _attributes_of(context.namespace or "")
    if where is Where.EXPRESSION:
        return _expression(context, symbols)
    if where is Where.ACTION:
        return [
            _item(a.name, Kind.Method, a.description, describe.action_markdown(a))
            for a in ACTIONS.values()
        ]
    if where is Where.STRUCTURE:
        return _structures(context.callee or "")
    if where is Where.ARGUMENT:
        return _arguments(context)
    if where is Where.ARGUMENT_VALUE:
        return _argument_values(context, symbols)
    if where is Where.EVENT:
        return _events()
    if where is Where.RULE:
        return _definitions(symbols.of_kind(SymbolKind.RULE))
    if where is Where.GUARD:
        return _definitions(symbols.of_kind(SymbolKind.GUARD))
    if where is Where.MARKET_FIELD:
        return [_field_item(name, dotted=True) for name in MARKET_FIELDS]
    return []


def _item(
    label: str,
    kind: lsp.CompletionItemKind,
    detail: str | None = None,
    documentation: str | None = None,
    *,
    insert: str | None = None,
    sort_group: int = 5,
) -> lsp.CompletionItem:
    return lsp.CompletionItem(
        label=label,
        kind=kind,
        detail=detail,
        documentation=(
            lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=documentation)
            if documentation
            else None
        ),
        insert_text=insert,
        sort_text=f"{sort_group}{label}",
    )


def _field_item(name: str, sort_group: int = 5, *, dotted: bool = False) -> lsp.CompletionItem:
    """A field, labelled by its last part (``delta`` after ``short_put.``) unless ``dotted``."""
    field = FIELDS[name]
    detail = f"{field.type.value} · {field.scope.value}"
    return _item(
        name if dotted else name.rsplit(".", 1)[-1],
        Kind.Field,
        detail,
        describe.field_markdown(field),
        sort_group=sort_group,
    )


def _fields_of(namespace: str) -> list[lsp.CompletionItem]:
    prefix = f"{namespace}."
    return [_field_item(name) for name in FIELDS if name.startswith(prefix)]


def _attributes_of(function_name: str) -> list[lsp.CompletionItem]:
    function = FUNCTIONS.get(function_name)
    if function is None:
        return []
    return [
        _item(a, Kind.Property, function.name, describe.attribute_markdown(function, a))
        for a in function.attributes
    ]


def _expression(context: Context, symbols: SymbolTable) -> list[lsp.CompletionItem]:
    items = _symbols_for_hint(context.hint)
    items += _definitions(symbols.value_names())
    items += [_field_item(name, 6) for name in FIELDS if "." not in name]
    items += [
        _item(n.name, Kind.Module, n.description, sort_group=6)
        for n in NAMESPACE_LIST
        if n.name not in symbols.values
    ]
    items += [
        _item(
            f.name,
            Kind.Function,
            describe.function_signature(f),
            describe.function_markdown(f),
            sort_group=7,
        )
        for f in FUNCTION_LIST
    ]
    items += [_item(word, Kind.Keyword, sort_group=8) for word in _EXPRESSION_WORDS]
    return items


def _symbols_for_hint(hint: str | None) -> list[lsp.CompletionItem]:
    """Sides after `tested ==`, weekdays in `weekday in [...]`: first in the list."""
    field = FIELDS.get(hint) if hint is not None else None
    hint_type = field.type if field is not None else None
    if hint_type is Type.SIDE:
        return [_item(s, Kind.EnumMember, "side", sort_group=0) for s in SIDE_VALUES]
    if hint_type is Type.WEEKDAY:
        return [_item(d, Kind.EnumMember, "weekday", sort_group=0) for d in WEEKDAYS]
    return []


def _definitions(definitions: list[Definition]) -> list[lsp.CompletionItem]:
    return [
        _item(
            d.name,
            _SYMBOL_KINDS[d.kind],
            d.kind.value + (" (imported)" if d.imported else ""),
            sort_group=1,
        )
        for d in definitions
    ]


def _structures(action_name: str) -> list[lsp.CompletionItem]:
    action = ACTIONS.get(action_name)
    if action is None:
        return []
    return [
        _item(s.name, Kind.Struct, s.description, describe.structure_markdown(s))
        for s in action.structures
    ]


def _signature_of(callee: str) -> Signature | None:
    structure = STRUCTURES.get(callee)
    if structure is not None:
        return structure.signature
    action = ACTIONS.get(callee)
    return action.signature if action is not None else None


def _arguments(context: Context) -> list[lsp.CompletionItem]:
    signature = _signature_of(context.callee or "")
    if signature is None:
        return []
    return [
        _argument_item(a, index)
        for index, a in enumerate(signature.arguments)
        if a.name not in context.given and a.name not in signature.positional
    ]


def _argument_item(argument: Argument, order: int) -> lsp.CompletionItem:
    item = _item(
        argument.name,
        Kind.Property,
        f"{argument.type.value}: {argument.description}",
        describe.argument_markdown(argument),
        insert=f"{argument.name}: ",
    )
    item.sort_text = f"{order:02d}"  # the catalogue's order: dte, selector, wing, size
    return item


def _argument_values(context: Context, symbols: SymbolTable) -> list[lsp.CompletionItem]:
    signature = _signature_of(context.callee or "")
    argument = signature.argument(context.argument or "") if signature is not None else None
    if argument is None:
        return []
    items = [_item(s, Kind.EnumMember, argument.name, sort_group=0) for s in argument.symbols]
    if argument.type.is_numeric:  # a side or a layer is one of its symbols, never a param
        items += _definitions(symbols.of_kind(SymbolKind.PARAM, SymbolKind.LET))
    return items


def _events() -> list[lsp.CompletionItem]:
    return [
        _item(e.name, Kind.Constant, "event", describe.event_markdown(e.name)) for e in EVENT_LIST
    ]
