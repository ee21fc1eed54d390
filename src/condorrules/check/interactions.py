"""Pass 6, interactions between rules and guards, reported only when provable:

- W503: a higher-priority rule that changes the position fires whenever this one does, so
  this one's position actions are always suppressed (LANGUAGE.md §6, step 3);
- W504: two rules of equal priority can provably fire together and propose different
  position actions (only the first in the file is carried out);
- W506: a guard forbids every action this rule can take whenever the rule fires.

Proofs use :mod:`condorrules.check.logic` (interval containment of comparisons of the same
subject with constants, syntactic equality otherwise). Each is on the rule's name, with a
label on the other rule or guard.

A proof that rule A implies rule B needs every subject B tests to appear in A, so candidate
pairs are found through an index of the subject sets instead of trying every pair: a file
of thousands of rules is checked in near-linear time.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from itertools import combinations

from condorrules import catalogue
from condorrules.catalogue import Scope
from condorrules.check.context import Context
from condorrules.check.logic import Conjunction, canonical, disjuncts, implies, jointly_satisfiable
from condorrules.check.scopes import POSITION_KINDS
from condorrules.diagnostics import Diagnostic, Label
from condorrules.syntax import ast

# Beyond this many subjects in one conjunction, subsets are not enumerated (no proof tried).
MAX_SUBJECTS = 8


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the pass needs of one rule, computed once."""

    index: int
    rule: ast.Rule
    priority: float
    condition: tuple[Conjunction, ...]
    keysets: tuple[frozenset[int], ...]  # subjects of each disjunct, interned
    position_actions: frozenset[Hashable]
    only_position_actions: bool
    closes: bool  # a plain `close`: the whole position is gone afterwards


def check_interactions(context: Context) -> None:
    """Report W503, W504 and W506 for the module's rules."""
    if context.incomplete():
        return
    facts = _facts(context)
    index = _Index(facts)
    forbidden = {kind.name for guard in context.guards.values() for kind in guard.kinds}
    conflicts_found: set[int] = set()
    for fact in facts:
        _shadowed(context, fact, index, forbidden)
    for fact in facts:
        _conflicts(context, fact, index, conflicts_found)
    guards = [(g, disjuncts(g.condition, context)) for g in context.guards.values()]
    for fact in facts:
        _vetoed(context, fact, guards)


def _facts(context: Context) -> list[_Facts]:
    interned: dict[Hashable, int] = {}
    facts = []
    rules = [item for item in context.own_items() if isinstance(item, ast.Rule)]
    for index, rule in enumerate(rules):
        condition = disjuncts(rule.condition, context)
        if condition is None:
            continue
        keysets = tuple(
            frozenset(interned.setdefault(atom.key, len(interned)) for atom in conjunction)
            for conjunction in condition
        )
        position = [a for a in rule.actions if a.kind.name in POSITION_KINDS]
        facts.append(
            _Facts(
                index=index,
                rule=rule,
                priority=rule.priority.value if rule.priority is not None else 0.0,
                condition=condition,
                keysets=keysets,
                position_actions=frozenset(_normalised(a, context) for a in position),
                closes=any(a.kind.name == "close" and not a.args and not a.named for a in position),
                only_position_actions=bool(rule.actions) and len(position) == len(rule.actions),
            )
        )
    return facts


def _normalised(action: ast.Action, context: Context) -> Hashable:
    """An action with defaults filled in and arguments in name order, so that
    `roll(side: put)` and `roll(dte: same, side: put)` are the same proposal."""
    definition = catalogue.ACTIONS.get(action.kind.name)
    arguments: dict[str, Hashable] = {}
    if definition is not None:
        for argument in definition.signature.arguments:
            if argument.default is not None:
                arguments[argument.name] = ("name", argument.default)
    for named in action.named:
        arguments[named.name.name] = canonical(named.value, context)
    structure = action.structure.name if action.structure is not None else None
    positional = tuple(canonical(a, context) for a in action.args)
    return (action.kind.name, structure, positional, tuple(sorted(arguments.items())))


def _subsets(keyset: frozenset[int]) -> Iterator[frozenset[int]]:
    if len(keyset) > MAX_SUBJECTS:
        return
    members = sorted(keyset)
    for size in range(len(members) + 1):
        for chosen in combinations(members, size):
            yield frozenset(chosen)


Bucket = tuple[float, frozenset[Hashable]]  # (priority, position actions)


class _Index:
    """Rules by the subject sets of their disjuncts; the candidates for one subject set are
    memoised and grouped by (priority, position actions), so rules made from one template
    (same priority, same actions) are skipped as a group."""

    def __init__(self, facts: list[_Facts]) -> None:
        self.by_keyset: dict[frozenset[int], list[_Facts]] = {}
        for fact in facts:
            for keyset in set(fact.keysets):
                self.by_keyset.setdefault(keyset, []).append(fact)
        self.memo: dict[frozenset[int], dict[Bucket, list[_Facts]]] = {}

    def within(self, keyset: frozenset[int]) -> dict[Bucket, list[_Facts]]:
        """Rules with a disjunct whose subjects all appear in ``keyset``, bucketed."""
        found = self.memo.get(keyset)
        if found is None:
            seen: dict[int, _Facts] = {}
            for subset in _subsets(keyset):
                for other in self.by_keyset.get(subset, ()):
                    seen.setdefault(other.index, other)
            found = {}
            for index in sorted(seen):
                other = seen[index]
                found.setdefault((other.priority, other.position_actions), []).append(other)
            self.memo[keyset] = found
        return found

    def candidates(self, fact: _Facts, wanted: Callable[[Bucket], bool]) -> list[_Facts]:
        """Other rules in buckets ``wanted`` accepts that one disjunct of ``fact`` could imply
        (or overlap with on one subject), in file order."""
        seen: dict[int, _Facts] = {}
        for keyset in set(fact.keysets):
            for bucket, others in self.within(keyset).items():
                if wanted(bucket):
                    for other in others:
                        if other.index != fact.index:
                            seen.setdefault(other.index, other)
        return [seen[i] for i in sorted(seen)]


def _shadowed(
    context: Context,
    fact: _Facts,
    index: _Index,
    forbidden: set[str],
) -> None:
    if not fact.only_position_actions:
        return  # an alert (or a portfolio action) still acts

    def higher(bucket: Bucket) -> bool:
        return bucket[0] > fact.priority and bool(bucket[1])

    for other in index.candidates(fact, higher):
        rule = other.rule
        # Only a plain `close` surely ends the position; a side close or a roll may leave
        # something this rule could act on later.
        if not other.closes or rule.modifiers:
            continue  # a cooldown or a limit could stop it from acting
        if any(a.kind.name in forbidden for a in rule.actions if a.kind.name in POSITION_KINDS):
            continue  # a guard could veto it
        if implies(fact.condition, other.condition):
            context.report(
                Diagnostic(
                    "W503",
                    f"rule `{fact.rule.name.name}` can never act: rule `{rule.name.name}` has a "
                    "higher priority and fires whenever it does",
                    fact.rule.name.span,
                    help=f"give `{fact.rule.name.name}` a priority above "
                    f"{other.priority:g}, or narrow the condition of `{rule.name.name}`",
                    labels=(Label(rule.name.span, "this rule acts on the position first"),),
                )
            )
            return


def _conflicts(
    context: Context,
    fact: _Facts,
    index: _Index,
    reported: set[int],
) -> None:
    """Pairs where one rule's subjects include the other's (the only provable overlaps);
    reported once, on the later rule of the pair."""
    if not fact.position_actions:
        return

    def rivals(bucket: Bucket) -> bool:
        priority, actions = bucket
        return priority == fact.priority and bool(actions) and actions != fact.position_actions

    for other in index.candidates(fact, rivals):
        earlier, later = sorted((fact, other), key=lambda f: f.index)
        if later.index in reported:
            continue
        if jointly_satisfiable(fact.condition, other.condition):
            reported.add(later.index)
            context.report(
                Diagnostic(
                    "W504",
                    f"rules `{earlier.rule.name.name}` and `{later.rule.name.name}` have the "
                    "same priority, can fire together and propose different position actions",
                    later.rule.name.span,
                    help=f"only `{earlier.rule.name.name}` (first in the file) will act; give "
                    "one of them a higher priority to make the choice explicit",
                    labels=(Label(earlier.rule.name.span, "this rule wins the tie"),),
                )
            )


def _vetoed(
    context: Context,
    fact: _Facts,
    guards: list[tuple[ast.Guard, tuple[Conjunction, ...] | None]],
) -> None:
    kinds = {action.kind.name for action in fact.rule.actions}
    if not kinds:
        return
    rule_scope = context.scopes.get(fact.rule)
    for guard, guard_condition in guards:
        if guard_condition is None or not kinds <= {kind.name for kind in guard.kinds}:
            continue
        if context.scopes.get(guard) is Scope.POSITION and rule_scope is not Scope.POSITION:
            continue
        if implies(fact.condition, guard_condition):
            context.report(
                Diagnostic(
                    "W506",
                    f"rule `{fact.rule.name.name}` is always vetoed: guard `{guard.name.name}` "
                    "forbids its actions whenever it fires",
                    fact.rule.name.span,
                    help=f"narrow the condition of `{guard.name.name}` or of "
                    f"`{fact.rule.name.name}`, or remove the rule",
                    labels=(Label(guard.name.span, "this guard vetoes it"),),
                )
            )
            return
