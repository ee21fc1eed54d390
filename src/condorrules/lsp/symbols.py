"""The file's own names: where params, inputs, lets, rules and guards are defined and used.

Names in a ruleset are global to the file (and to the files it imports), with no local
scopes, so a use is a :class:`~condorrules.syntax.ast.Name` spelled like a defined param,
input or let, or a rule or guard name written in a scenario's ``expect``. This index serves
go to definition, find references, rename, the outline and hover; what the names *mean* (types,
scopes) stays the checker's.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from condorrules.check import CheckResult
from condorrules.diagnostics import Span
from condorrules.syntax import ast


class SymbolKind(StrEnum):
    """What kind of thing a user-defined name is."""

    PARAM = "param"
    INPUT = "input"
    LET = "let"
    RULE = "rule"
    GUARD = "guard"


Definable = ast.Param | ast.Input | ast.Let | ast.Rule | ast.Guard

KINDS: dict[type, SymbolKind] = {
    ast.Param: SymbolKind.PARAM,
    ast.Input: SymbolKind.INPUT,
    ast.Let: SymbolKind.LET,
    ast.Rule: SymbolKind.RULE,
    ast.Guard: SymbolKind.GUARD,
}
VALUE_KINDS = frozenset({SymbolKind.PARAM, SymbolKind.INPUT, SymbolKind.LET})


@dataclass(frozen=True, slots=True)
class Definition:
    """A user-defined name: its kind, the span of the name, the whole item; ``imported``
    when it comes from another file (then ``name_span.file`` is that file)."""

    name: str
    kind: SymbolKind
    name_span: Span
    item: Definable
    imported: bool = False


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a defined name is written: the definition itself or a use of it."""

    span: Span
    definition: Definition
    is_definition: bool


class SymbolTable:
    """Definitions visible in one file (its own and imported) and every occurrence of them in
    the file.

    Which definition a name refers to is the checker's decision (its ``references`` side
    table); only a scenario's ``given NAME`` (which the checker leaves to its scenario pass)
    and the rule and guard names of ``expect`` are matched by spelling.
    """

    def __init__(self, module: ast.Module, checked: CheckResult) -> None:
        own = {id(item) for item in module.items}
        self._by_item: dict[int, Definition] = {}
        self.values: dict[str, Definition] = {}
        self.actors: dict[str, Definition] = {}  # rules and guards: named in `expect`
        visible: list[tuple[str, Definable]] = [
            *checked.definitions.items(),
            *checked.rules.items(),
            *checked.guards.items(),
        ]
        for name, item in visible:
            kind = KINDS[type(item)]
            definition = Definition(name, kind, item.name.span, item, id(item) not in own)
            self._by_item[id(item)] = definition
            table = self.values if kind in VALUE_KINDS else self.actors
            table[name] = definition
        self.local = sorted(
            (d for d in self._by_item.values() if not d.imported), key=lambda d: _start(d.name_span)
        )
        self.occurrences = sorted(self._collect(module, checked), key=lambda o: _start(o.span))

    def _collect(self, module: ast.Module, checked: CheckResult) -> Iterator[Occurrence]:
        for definition in self.local:
            yield Occurrence(definition.name_span, definition, True)
        for item in module.items:
            for node in ast.walk(item):
                if isinstance(node, ast.Name):
                    used = self._resolve(node, checked)
                    if used is not None:
                        yield Occurrence(node.span, used, False)
                elif isinstance(node, ast.Expect):
                    yield from self._expect_uses(node)
                elif isinstance(node, ast.Given) and isinstance(node.target, ast.Name):
                    target = node.target
                    if target not in checked.references and target.name in self.values:
                        yield Occurrence(target.span, self.values[target.name], False)

    def _resolve(self, name: ast.Name, checked: CheckResult) -> Definition | None:
        reference = checked.references.get(name)
        if reference is not None:
            item = reference.definition
            return self._by_item.get(id(item)) if item is not None else None
        return None

    def _expect_uses(self, expect: ast.Expect) -> Iterator[Occurrence]:
        for identifier in (expect.rule, expect.by):
            if identifier is not None and identifier.name in self.actors:
                yield Occurrence(identifier.span, self.actors[identifier.name], False)

    def at(self, line: int, column: int) -> Occurrence | None:
        """The occurrence under 1-based ``line``:``column`` (touching its end counts, so a
        cursor just after a name still finds it)."""
        for occurrence in self.occurrences:
            span = occurrence.span
            if (span.line, span.column) <= (line, column) <= (span.end_line, span.end_column):
                return occurrence
        return None

    def occurrences_of(self, definition: Definition) -> list[Occurrence]:
        """Every occurrence of ``definition`` in the file, in file order."""
        return [o for o in self.occurrences if o.definition is definition]

    def value_names(self) -> list[Definition]:
        """Params, inputs and lets visible in the file."""
        return list(self.values.values())

    def of_kind(self, *kinds: SymbolKind) -> list[Definition]:
        """Visible definitions of the given kinds."""
        every = [*self.values.values(), *self.actors.values()]
        return [d for d in every if d.kind in kinds]


def _start(span: Span) -> tuple[int, int]:
    return span.line, span.column
