"""What the compiler produces: a ruleset as data over evaluator nodes, printable for debugging.

A :class:`CompiledRuleset` holds its lets, rules and guards in file order, each with its scope
(LANGUAGE.md §2), its condition as a node tree (:mod:`.nodes`) and, for rules, the actions with
their argument trees and the modifiers. It has no reference to the AST; :func:`dump` prints the
whole program with source positions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from condorrules.catalogue import Scope
from condorrules.compile.nodes import IndexNode, Node, SeriesNode, dump, walk
from condorrules.diagnostics import Span

LimitPer = Literal["position", "day", "run"]

POSITION_KINDS = frozenset({"close", "roll", "resize"})
"""Action kinds that change a position and so compete per position (LANGUAGE.md §6)."""


@dataclass(frozen=True, slots=True)
class CompiledLet:
    """``let NAME = EXPR``: ``index`` is its slot in the per-evaluation memo."""

    name: str
    index: int
    body: Node
    span: Span

    @property
    def scope(self) -> Scope:
        """Position scope when the body uses a position field."""
        return self.body.scope


@dataclass(frozen=True, slots=True)
class Argument:
    """One action argument: a node, or a symbol written in its place (``side: tested``)."""

    name: str
    node: Node | None
    symbol: str | None
    span: Span


@dataclass(frozen=True, slots=True)
class CompiledAction:
    """An action of a rule: kind (``close``), structure (``iron_condor``) and arguments."""

    kind: str
    structure: str | None
    arguments: tuple[Argument, ...]
    text: str
    span: Span

    @property
    def changes_position(self) -> bool:
        """True for close, roll and resize."""
        return self.kind in POSITION_KINDS


@dataclass(frozen=True, slots=True)
class Limit:
    """``limit count per (position|day|run)``."""

    count: int
    per: LimitPer


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule: scope, priority (default 0), file order, condition, actions, modifiers.

    ``cooldown_days`` is the cooldown in calendar days (None without one).
    """

    name: str
    order: int
    priority: int
    scope: Scope
    condition: Node
    actions: tuple[CompiledAction, ...]
    cooldown_days: float | None
    limits: tuple[Limit, ...]
    span: Span

    @property
    def sort_key(self) -> tuple[int, int]:
        """Higher priority first, then file order."""
        return (-self.priority, self.order)


@dataclass(frozen=True, slots=True)
class CompiledGuard:
    """``guard NAME: forbid KINDS when CONDITION``."""

    name: str
    order: int
    kinds: frozenset[str]
    scope: Scope
    condition: Node
    span: Span


@dataclass(frozen=True, slots=True)
class CompiledRuleset:
    """A whole compiled ruleset; immutable and shareable between threads."""

    name: str
    params: dict[str, float | bool | str] = field(hash=False)
    lets: tuple[CompiledLet, ...]
    rules: tuple[CompiledRule, ...]
    guards: tuple[CompiledGuard, ...]
    inputs: tuple[str, ...]
    field_names: frozenset[str] = frozenset()
    """Every built-in field the ruleset reads (what the state's field derivation must supply)."""
    position_rules: tuple[CompiledRule, ...] = field(init=False, repr=False, compare=False)
    """The position-scope rules in priority order (higher first, then file order)."""
    portfolio_rules: tuple[CompiledRule, ...] = field(init=False, repr=False, compare=False)
    """The portfolio-scope rules in priority order (higher first, then file order)."""

    def __post_init__(self) -> None:
        # The decision procedure walks the rules in this order on every bar: sort them once.
        ordered = sorted(self.rules, key=lambda rule: rule.sort_key)
        position = tuple(rule for rule in ordered if rule.scope is Scope.POSITION)
        portfolio = tuple(rule for rule in ordered if rule.scope is Scope.PORTFOLIO)
        object.__setattr__(self, "position_rules", position)
        object.__setattr__(self, "portfolio_rules", portfolio)

    def rule(self, name: str) -> CompiledRule | None:
        """The rule called ``name``, if any."""
        return next((rule for rule in self.rules if rule.name == name), None)

    def guard(self, name: str) -> CompiledGuard | None:
        """The guard called ``name``, if any."""
        return next((guard for guard in self.guards if guard.name == name), None)

    def series_nodes(self) -> tuple[SeriesNode | IndexNode, ...]:
        """Every distinct series call and ``x[n]`` (by pin key), inner ones before the calls
        using them."""
        seen: dict[object, SeriesNode | IndexNode] = {}
        roots = [let.body for let in self.lets]
        roots += [rule.condition for rule in self.rules]
        roots += [a.node for r in self.rules for act in r.actions for a in act.arguments if a.node]
        roots += [guard.condition for guard in self.guards]
        for root in roots:
            for node in walk(root, into_lets=False):
                if isinstance(node, IndexNode) and node.bars_ago == 0:
                    continue
                if isinstance(node, SeriesNode | IndexNode) and node.key not in seen:
                    seen[node.key] = node
        return tuple(seen.values())


def dump_ruleset(ruleset: CompiledRuleset) -> str:
    """The whole program as text: every let, rule, guard and action argument tree."""
    out: list[str] = [f"ruleset {ruleset.name}"]
    for name, value in ruleset.params.items():
        out.append(f"param {name} = {value}")
    for let in ruleset.lets:
        out.append(f"let {let.name} ({let.scope.value}) @{let.span.line}")
        out.append(dump(let.body, "  "))
    for guard in ruleset.guards:
        kinds = ", ".join(sorted(guard.kinds))
        out.append(f"guard {guard.name} ({guard.scope.value}) forbids {kinds} @{guard.span.line}")
        out.append(dump(guard.condition, "  "))
    for rule in ruleset.rules:
        out.append(
            f"rule {rule.name} priority {rule.priority} ({rule.scope.value}) @{rule.span.line}"
        )
        out.append(dump(rule.condition, "  "))
        for action in rule.actions:
            out.append(f"  then {action.text}")
            for argument in action.arguments:
                if argument.node is None:
                    out.append(f"    {argument.name}: {argument.symbol}")
                else:
                    out.append(f"    {argument.name}:")
                    out.append(dump(argument.node, "      "))
    return "\n".join(out)
