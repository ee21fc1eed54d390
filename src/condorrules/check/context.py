"""The state one run of the checker shares between passes, and the side tables it produces.

Nothing here is global: a :class:`Context` is made per check and dropped afterwards. Passes
fill the side tables (keyed by AST node, never mutating it) and append diagnostics; a later
pass reads what earlier ones recorded and skips nodes they could not type or resolve.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar, overload

from condorrules.catalogue import Field, Namespace, Scope, Type
from condorrules.diagnostics import Diagnostic
from condorrules.syntax import ast

_DEFINES = re.compile(r"\b(?:param|let|input|rule|guard)\s+([A-Za-z_][A-Za-z0-9_]*)")


class RefKind(StrEnum):
    """What a name in an expression turned out to be."""

    FIELD = "field"  # a catalogue field: `dte`, `short_put.delta`, `spot.open`
    NAMESPACE = "namespace"  # `portfolio`, a leg, a side: only has fields
    PARAM = "param"
    LET = "let"
    INPUT = "input"
    SIDE = "side"  # put, call, both, tested, untested, none
    WEEKDAY = "weekday"
    EVENT = "event"
    SYMBOL = "symbol"  # a bare word an action argument accepts: `same`, `oldest`, `all`


@dataclass(frozen=True, slots=True)
class Reference:
    """The resolution of a :class:`ast.Name` or :class:`ast.Attribute` node.

    ``field`` is set for FIELD, ``namespace`` for NAMESPACE, ``definition`` for PARAM, LET and
    INPUT (the defining item, possibly in an imported module).
    """

    kind: RefKind
    name: str
    field: Field | None = None
    namespace: Namespace | None = None
    definition: ast.Param | ast.Let | ast.Input | None = None


@dataclass(frozen=True, slots=True)
class ExprType:
    """The type (and so unit) of an expression.

    ``flexible`` marks a bare number (a plain literal, a param written as one, or arithmetic of
    only such): it takes the unit of the other operand (LANGUAGE.md §3).
    """

    type: Type
    flexible: bool = False

    def describe(self) -> str:
        """``ratio``, ``days``, or ``bare number`` for a flexible one."""
        return "a bare number" if self.flexible else self.type.value


Definition = ast.Param | ast.Let | ast.Input

K = TypeVar("K")
V = TypeVar("V")
D = TypeVar("D")


class NodeMap(MutableMapping[K, V], Generic[K, V]):
    """A side table keyed by node *identity*: look nodes up with the objects of the checked
    tree (``result.program``). Hashing a frozen node hashes its whole subtree; identity is
    O(1), which keeps checking a large file linear. Iterates in insertion order."""

    __slots__ = ("_items",)

    def __init__(self) -> None:
        self._items: dict[int, tuple[K, V]] = {}

    def __getitem__(self, node: K) -> V:
        return self._items[id(node)][1]

    @overload
    def get(self, node: K, /) -> V | None: ...
    @overload
    def get(self, node: K, default: V | D, /) -> V | D: ...
    def get(self, node: K, default: object = None, /) -> object:
        found = self._items.get(id(node))
        return default if found is None else found[1]

    def __setitem__(self, node: K, value: V) -> None:
        self._items[id(node)] = (node, value)  # the node is kept so its id stays unique

    def __delitem__(self, node: K) -> None:
        del self._items[id(node)]

    def __contains__(self, node: object) -> bool:
        return id(node) in self._items

    def __iter__(self) -> Iterator[K]:
        return (node for node, _ in self._items.values())

    def __len__(self) -> int:
        return len(self._items)


@dataclass(slots=True)
class Context:
    """Everything the passes share for one program.

    ``module`` is the file being checked; ``imported`` the modules its imports pulled in
    (their params, inputs, lets and guards are visible, their diagnostics are not repeated).
    """

    module: ast.Module
    imported: tuple[ast.Module, ...] = ()
    events: frozenset[str] = frozenset()
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Symbol tables, filled by the names pass.
    definitions: dict[str, Definition] = field(default_factory=dict)
    rules: dict[str, ast.Rule] = field(default_factory=dict)
    guards: dict[str, ast.Guard] = field(default_factory=dict)
    # Side tables keyed by node.
    references: NodeMap[ast.Name | ast.Attribute, Reference] = field(default_factory=NodeMap)
    types: NodeMap[ast.Expr, ExprType] = field(default_factory=NodeMap)
    scopes: NodeMap[ast.Let | ast.Rule | ast.Guard, Scope] = field(default_factory=NodeMap)
    scope_reasons: NodeMap[ast.Let | ast.Rule | ast.Guard, ast.Node] = field(
        default_factory=NodeMap
    )
    constants: dict[str, float] = field(default_factory=dict)
    cyclic: set[str] = field(default_factory=set)
    # Every let, dependencies before dependents (cycles in any order): passes that reason
    # about a let's value walk them in this order once, so no let chain recurses.
    let_order: list[ast.Let] = field(default_factory=list)
    # The checked file's text when the caller has it: after a syntax error it tells which
    # names a dropped item may have defined (see :meth:`may_be_dropped`).
    source: str | None = None
    # Per-check memo for derived facts (e.g. a condition's normal form), keyed by (what,
    # id(node)); the nodes outlive the check, so ids are stable while it runs.
    memo: dict[tuple[str, int], object] = field(default_factory=dict)

    def report(self, diagnostic: Diagnostic) -> None:
        """Record a diagnostic."""
        self.diagnostics.append(diagnostic)

    @property
    def file(self) -> str:
        """The checked file's name."""
        return self.module.span.file

    def own_items(self) -> Iterator[ast.Item]:
        """Items of the checked module."""
        return iter(self.module.items)

    def visible_items(self) -> Iterator[ast.Item]:
        """Items of imported modules that an import makes visible, then the module's own."""
        for module in self.imported:
            for item in module.items:
                if isinstance(item, ast.Param | ast.Input | ast.Let | ast.Guard):
                    yield item
        yield from self.module.items

    def incomplete(self) -> bool:
        """True when the module had syntax errors: items may be missing, so warnings that
        reason about the whole file (unused names, interactions) would be guesses."""
        return any(d.code.startswith("E1") and d.span.file == self.file for d in self.diagnostics)

    def may_be_dropped(self, name: str) -> bool:
        """True when the checked file has syntax errors and ``name`` may be defined by an
        item the parser dropped: the source spells ``param|let|input|rule|guard NAME`` for a
        name that is not defined. Without the source, every name may be."""
        if not self.incomplete():
            return False
        if self.source is None:
            return True
        key = ("dropped", 0)
        if key not in self.memo:
            written = {m.group(1) for m in _DEFINES.finditer(self.source)}
            defined = {*self.definitions, *self.rules, *self.guards}
            self.memo[key] = frozenset(written - defined)
        dropped = self.memo[key]
        assert isinstance(dropped, frozenset)
        return name in dropped

    def has_errors(self) -> bool:
        """True once any error has been reported."""
        return any(d.is_error for d in self.diagnostics)


def item_expressions(item: ast.Item) -> Iterator[ast.Expr]:
    """The top-level expressions of an item (not scenario steps), in source order."""
    if isinstance(item, ast.Param | ast.Let):
        yield item.value
    elif isinstance(item, ast.Rule):
        yield item.condition
        for action in item.actions:
            yield from action_expressions(action)
        for modifier in item.modifiers:
            if isinstance(modifier, ast.Cooldown):
                yield modifier.duration
    elif isinstance(item, ast.Guard):
        yield item.condition


def action_expressions(action: ast.Action) -> Iterator[ast.Expr]:
    """The argument expressions of an action, positional then named."""
    yield from action.args
    for argument in action.named:
        yield argument.value


def expression_children(expr: ast.Expr) -> tuple[ast.Expr, ...]:
    """The direct sub-expressions of ``expr`` in source order (faster than ``ast.children``,
    which inspects dataclass fields: the checker walks every expression several times)."""
    match expr:
        case ast.Compare() | ast.Binary():
            return (expr.left, expr.right)
        case ast.BoolOp():
            return expr.operands
        case ast.Attribute():
            return (expr.value,)
        case ast.Call():
            return (*expr.args, *(named.value for named in expr.named))
        case ast.Not() | ast.Unary():
            return (expr.operand,)
        case ast.Between():
            return (expr.value, expr.low, expr.high)
        case ast.InList():
            return (expr.value, *expr.options)
        case ast.Index():
            return (expr.value, expr.bars_ago)
        case ast.IfElse():
            return (expr.condition, expr.then_value, expr.else_value)
        case ast.AtLeast():
            return (expr.count, *expr.conditions)
    return ()


def subexpressions(expr: ast.Expr) -> Iterator[ast.Expr]:
    """``expr`` and every expression inside it, pre-order (source order)."""
    stack = [expr]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(expression_children(current)))


def dotted(expr: ast.Expr) -> str | None:
    """``short_put.delta`` for a chain of names, None for anything else."""
    if isinstance(expr, ast.Name):
        return expr.name
    if isinstance(expr, ast.Attribute):
        base = dotted(expr.value)
        return None if base is None else f"{base}.{expr.name.name}"
    return None
