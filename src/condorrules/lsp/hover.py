"""Hover: what the word under the cursor is, from the catalogue and the checker's side tables.

A field shows its type, unit, range (the sign convention) and meaning; a function its
signature and warm-up; an action, structure or argument its catalogue entry; a param, let or
input its definition (and type); a rule its priority, scope and actions; a guard what it
forbids and when.
"""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types as lsp

from condorrules.catalogue import (
    ACTIONS,
    FIELDS,
    FUNCTIONS,
    NAMESPACES,
    SIDE_VALUES,
    STRUCTURES,
    WEEKDAYS,
    Signature,
)
from condorrules.check.context import Reference, RefKind, dotted
from condorrules.diagnostics import Span
from condorrules.lsp import describe
from condorrules.lsp.analysis import Analysis
from condorrules.lsp.symbols import Definition
from condorrules.syntax import ast


def hover(analysis: Analysis, position: lsp.Position) -> lsp.Hover | None:
    """The hover for the word at ``position``, or None where there is nothing to say."""
    line, column = analysis.index.from_lsp(position)
    path = node_path(analysis.module, line, column)
    if not path:
        return None
    text = _describe(analysis, path)
    if text is None:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=text),
        range=analysis.index.range_of(path[-1].span),
    )


def node_path(module: ast.Module, line: int, column: int) -> list[ast.Node]:
    """The nodes whose span contains ``line``:``column``, outermost first, down to the
    innermost (a cursor just after a word still finds the word)."""
    path: list[ast.Node] = []
    candidates: Sequence[ast.Node] = module.items
    while True:
        inside = [node for node in candidates if _touches(node.span, line, column)]
        if not inside:
            return path
        # Prefer a node that starts at or before the cursor and ends after it.
        node = next((n for n in inside if n.span.covers(line, column)), inside[-1])
        path.append(node)
        candidates = list(ast.children(node))


def _touches(span: Span, line: int, column: int) -> bool:
    return (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column)


def _describe(analysis: Analysis, path: list[ast.Node]) -> str | None:
    leaf = path[-1]
    parent = path[-2] if len(path) >= 2 else None
    grandparent = path[-3] if len(path) >= 3 else None
    if isinstance(leaf, ast.Name):
        return _describe_reference(analysis, leaf, analysis.checked.references.get(leaf))
    if isinstance(leaf, ast.Identifier):
        return _describe_identifier(analysis, leaf, parent, grandparent)
    return None


def _describe_identifier(
    analysis: Analysis,
    identifier: ast.Identifier,
    parent: ast.Node | None,
    grandparent: ast.Node | None,
) -> str | None:
    name = identifier.name
    if isinstance(parent, ast.Attribute):
        return _describe_attribute(analysis, parent)
    if isinstance(parent, ast.Call) and identifier is parent.function:
        function = FUNCTIONS.get(name)
        return describe.function_markdown(function) if function is not None else None
    if isinstance(parent, ast.Action):
        return _describe_action_word(parent, identifier)
    if isinstance(parent, ast.NamedArgument) and identifier is parent.name:
        return _describe_argument(parent, grandparent)
    if isinstance(parent, ast.Guard) and identifier in parent.kinds:
        action = ACTIONS.get(name)
        return describe.action_markdown(action) if action is not None else None
    occurrence = analysis.symbols.at(identifier.span.line, identifier.span.column)
    if occurrence is not None:
        return describe_definition(analysis, occurrence.definition)
    return None


def _describe_reference(
    analysis: Analysis, name: ast.Name, reference: Reference | None
) -> str | None:
    occurrence = analysis.symbols.at(name.span.line, name.span.column)
    if occurrence is not None:
        return describe_definition(analysis, occurrence.definition)
    kind = reference.kind if reference is not None else None
    text = name.name
    if reference is not None and reference.field is not None:
        return describe.field_markdown(reference.field)
    if kind is RefKind.NAMESPACE or (kind is None and text in NAMESPACES):
        namespace = NAMESPACES[text]
        fields = [f for n, f in FIELDS.items() if n.startswith(f"{text}.")]
        return describe.namespace_markdown(namespace, fields)
    if kind is None and text in FIELDS:
        return describe.field_markdown(FIELDS[text])
    if kind is RefKind.EVENT or (kind is None and text.isupper()):
        return describe.event_markdown(text)
    if kind is RefKind.SIDE or (kind is None and text in SIDE_VALUES):
        return describe.code_block(f"{text}: side")
    if kind is RefKind.WEEKDAY or (kind is None and text in WEEKDAYS):
        return describe.code_block(f"{text}: weekday")
    return None


def _describe_attribute(analysis: Analysis, attribute: ast.Attribute) -> str | None:
    reference = analysis.checked.references.get(attribute)
    if reference is not None and reference.field is not None:
        return describe.field_markdown(reference.field)
    path = dotted(attribute)
    if path is not None and path in FIELDS:
        return describe.field_markdown(FIELDS[path])
    base = attribute.value
    if isinstance(base, ast.Call):
        function = FUNCTIONS.get(base.function.name)
        if function is not None and attribute.name.name in function.attributes:
            return describe.attribute_markdown(function, attribute.name.name)
    return None


def _describe_action_word(action: ast.Action, identifier: ast.Identifier) -> str | None:
    if identifier is action.structure:
        structure = STRUCTURES.get(identifier.name)
        return describe.structure_markdown(structure) if structure is not None else None
    definition = ACTIONS.get(identifier.name)
    return describe.action_markdown(definition) if definition is not None else None


def _describe_argument(named: ast.NamedArgument, owner: ast.Node | None) -> str | None:
    name = named.name.name
    if isinstance(owner, ast.Action):
        signature = _action_signature(owner)
        argument = signature.argument(name) if signature is not None else None
        return describe.argument_markdown(argument) if argument is not None else None
    if isinstance(owner, ast.Call):
        function = FUNCTIONS.get(owner.function.name)
        param = function.param(name) if function is not None else None
        if function is not None and param is not None:
            return describe.code_block(f"{function.name}(... {name}: {param.kind.value})")
    return None


def _action_signature(action: ast.Action) -> Signature | None:
    definition = ACTIONS.get(action.kind.name)
    if definition is None:
        return None
    if action.structure is not None:
        structure = definition.structure(action.structure.name)
        return structure.signature if structure is not None else None
    return definition.signature


def describe_definition(analysis: Analysis, definition: Definition) -> str:
    """A param's value, a let's or input's definition, a rule's priority, scope and actions,
    a guard's kinds and condition; with the type the checker found, where it found one."""
    item = definition.item
    source = analysis.source_of(item.span).strip()
    lines = [describe.code_block(source), ""]
    where = " (imported from " + definition.name_span.file + ")" if definition.imported else ""
    lines.append(f"{definition.kind.value}{where}")
    if isinstance(item, ast.Param | ast.Let):
        value_type = analysis.checked.types.get(item.value)
        if value_type is not None:
            lines.append(f"- type: {value_type.describe()}")
    if isinstance(item, ast.Param | ast.Input) and item.description is not None:
        lines.append(f"- {item.description.value}")
    if isinstance(item, ast.Let | ast.Rule | ast.Guard):
        lines.extend(_scope_lines(analysis, item))
    if isinstance(item, ast.Rule):
        lines.extend(_rule_lines(analysis, item))
    return "\n".join(lines)


def _scope_lines(analysis: Analysis, item: ast.Let | ast.Rule | ast.Guard) -> list[str]:
    scope = analysis.checked.scopes.get(item)
    if scope is None:
        return []
    reason = analysis.checked.scope_reasons.get(item)
    because = ""
    if reason is not None:
        because = f" (because of `{_one_line(analysis.source_of(reason.span))}`)"
    return [f"- scope: {scope.value}{because}"]


def _rule_lines(analysis: Analysis, rule: ast.Rule) -> list[str]:
    priority = rule.priority.text if rule.priority is not None else "0 (default)"
    lines = [f"- priority: {priority}"]
    actions = ", ".join(f"`{_one_line(analysis.source_of(a.span))}`" for a in rule.actions)
    lines.append(f"- actions: {actions}")
    if rule.modifiers:
        modifiers = ", ".join(f"`{_one_line(analysis.source_of(m.span))}`" for m in rule.modifiers)
        lines.append(f"- modifiers: {modifiers}")
    return lines


def _one_line(text: str) -> str:
    return " ".join(text.split())
