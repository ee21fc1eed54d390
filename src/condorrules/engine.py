"""The decision procedure of LANGUAGE.md §6: from a compiled ruleset and one bar to a Decision.

Per bar:

1. every rule in scope is evaluated: portfolio rules once, position rules once per open
   position (in the state's order); a rule fires only when its condition is true, and then
   proposes each of its actions;
2. a proposal is *vetoed* while a guard forbidding its kind is true — a portfolio guard always,
   a position guard for proposals on its own position (and, for portfolio actions, on any
   position); the first such guard in file order is recorded;
3. per position, of the proposals that change it (close, roll, resize) only the one of the
   highest priority (ties: file order, then action order) is carried out; the others are
   *suppressed by* it. Alerts always pass;
4. portfolio actions (open, hedge, unhedge) come after position actions, in priority order;
5. cooldowns and limits count executed rules only (an :class:`ExecutionLog` kept by the
   runner): a rule past its limit is *limited*, one in its cooldown is *cooling*; both are
   recorded as fired but do not compete in step 3. When the caller carries the actions out
   itself (``execute``, the replay), an action it could not carry out is *skipped* with its
   reason and does not count; without ``execute`` every decided action counts as executed.

A proposal whose argument is unknown (``short_delta: if iv_pct > 60% ...`` with ``iv_pct``
unknown) cannot be carried out: its status is ``unknown_argument``, with the reason.
Everything is ordered deterministically, so identical input gives a bit-identical Decision.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from condorrules.catalogue import Scope
from condorrules.check.suggest import did_you_mean
from condorrules.compile.encoding import JSONValue, decode
from condorrules.compile.frame import Evaluation, PortfolioFrame
from condorrules.compile.program import CompiledAction, CompiledRule, CompiledRuleset
from condorrules.runtime import Value

Status = Literal[
    "carried_out", "skipped", "vetoed", "suppressed", "limited", "cooling", "unknown_argument"
]

PORTFOLIO_KINDS = frozenset({"open", "hedge", "unhedge"})

FORGET_AFTER_DAYS = 30
"""A runner keeps a position's limit and cooldown counters while the position is missing from
the states it is given (a live feed may omit it for a while), and drops them once it has been
missing for more than this many calendar days, or at once when told the position is closed."""


class UnknownRuleError(LookupError):
    """A rule (or guard) name that the ruleset does not define; the message lists them."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        names = tuple(known)
        hint = did_you_mean(name, names)
        listing = ", ".join(f"`{n}`" for n in names) or "none"
        suggestion = f"{hint} " if hint else ""
        super().__init__(f"no rule `{name}` in this ruleset: {suggestion}the rules are {listing}")
        self.name = name
        self.known = names


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """An action: which rule, what kind (``close``), structure, position id, arguments."""

    rule: str
    kind: str
    structure: str | None
    position: str | None
    arguments: dict[str, JSONValue] = field(hash=False)
    """By name in written order, as evaluated: durations in days, percents as ratios,
    symbols (``side: tested``, ``dte: same``) as text, alert text as text."""
    priority: int = 0

    @property
    def args(self) -> dict[str, JSONValue]:
        """The same as :attr:`arguments` (a copy)."""
        return dict(self.arguments)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a stable key order."""
        return {
            "rule": self.rule,
            "kind": self.kind,
            "structure": self.structure,
            "position": self.position,
            "arguments": dict(self.arguments),
            "priority": self.priority,
        }


@dataclass(frozen=True, slots=True)
class Proposal:
    """A fired rule's action and what became of it; ``by`` names the vetoing guard or the
    suppressing rule, ``detail`` says why in words."""

    action: ActionRecord
    status: Status
    by: str | None = None
    detail: str | None = None

    @property
    def rule(self) -> str:
        """The proposing rule."""
        return self.action.rule

    @property
    def kind(self) -> str:
        """The proposed action's kind (``close``, ``open``, ...)."""
        return self.action.kind

    @property
    def position(self) -> str | None:
        """The position the proposal is about (None for portfolio actions)."""
        return self.action.position

    @property
    def vetoed_by(self) -> str | None:
        """The guard that vetoed the proposal, if one did."""
        return self.by if self.status == "vetoed" else None

    @property
    def suppressed_by(self) -> str | None:
        """The rule whose proposal won this position, if this one lost."""
        return self.by if self.status == "suppressed" else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a stable key order."""
        out = self.action.to_dict()
        out["status"] = self.status
        out["by"] = self.by
        out["detail"] = self.detail
        return out


@dataclass(frozen=True, slots=True)
class Alert:
    """An ``alert("text")`` carried out: reported to the caller, trades nothing."""

    rule: str
    position: str | None
    text: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict with a stable key order."""
        return {"rule": self.rule, "position": self.position, "text": self.text}


@dataclass(frozen=True, slots=True)
class Decision:
    """What the ruleset decided on one bar.

    ``actions``: trades carried out (position actions by position then priority, then
    portfolio actions by priority); ``proposals``: every fired rule's actions with their
    status; ``alerts``: alerts carried out.
    """

    date: datetime.date
    actions: tuple[ActionRecord, ...]
    proposals: tuple[Proposal, ...]
    alerts: tuple[Alert, ...]
    rules: tuple[str, ...] = field(default=(), compare=False, repr=False)
    """The ruleset's rule names (empty for a hand-made Decision: no name is checked)."""

    def fired(self, rule: str) -> bool:
        """True when ``rule``'s condition was true somewhere (whatever became of it).

        Raises :class:`UnknownRuleError` for a name the ruleset does not define.
        """
        if self.rules and rule not in self.rules:
            raise UnknownRuleError(rule, self.rules)
        return any(proposal.rule == rule for proposal in self.proposals)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict with a stable key order."""
        return {
            "date": self.date.isoformat(),
            "actions": [action.to_dict() for action in self.actions],
            "proposals": [proposal.to_dict() for proposal in self.proposals],
            "alerts": [alert.to_dict() for alert in self.alerts],
        }


@dataclass(slots=True)
class ExecutionLog:
    """Executed rules, for cooldowns and limits: kept by a runner across bars."""

    by_position: dict[tuple[str, str | None], int] = field(default_factory=dict)
    by_day: dict[tuple[str, datetime.date], int] = field(default_factory=dict)
    by_run: dict[str, int] = field(default_factory=dict)
    last: dict[tuple[str, str | None], datetime.date] = field(default_factory=dict)
    seen: dict[str, datetime.date] = field(default_factory=dict)
    """The last date each position with counters was in a state."""

    def record(self, rule: str, position: str | None, date: datetime.date) -> None:
        """Count one execution of ``rule`` (on ``position``) on ``date``."""
        key = (rule, position)
        self.by_position[key] = self.by_position.get(key, 0) + 1
        if any(day != date for _, day in self.by_day):
            self.by_day = {k: v for k, v in self.by_day.items() if k[1] == date}  # bounded
        self.by_day[rule, date] = self.by_day.get((rule, date), 0) + 1
        self.by_run[rule] = self.by_run.get(rule, 0) + 1
        self.last[key] = date

    def blocked(
        self, rule: CompiledRule, position: str | None, date: datetime.date
    ) -> tuple[Status, str] | None:
        """Why ``rule`` may not execute now (limited or cooling), or None."""
        for limit in rule.limits:
            if limit.per == "position":
                used = self.by_position.get((rule.name, position), 0)
            elif limit.per == "day":
                used = self.by_day.get((rule.name, date), 0)
            else:
                used = self.by_run.get(rule.name, 0)
            if used >= limit.count:
                return "limited", f"limit {limit.count} per {limit.per} reached ({used} executed)"
        if rule.cooldown_days is not None:
            last = self.last.get((rule.name, position))
            if last is not None and (date - last).days < rule.cooldown_days:
                waited = (date - last).days
                return "cooling", (
                    f"cooldown {rule.cooldown_days:g}d: last executed {last} ({waited}d ago)"
                )
        return None

    def forget_positions(self, open_ids: Sequence[str], date: datetime.date) -> None:
        """Note the positions in this bar's state; drop the counters of positions missing for
        more than :data:`FORGET_AFTER_DAYS` days (a position missing from one state keeps its
        limits and cooldowns, so a feed that omits it for a bar cannot trade it twice)."""
        for position in open_ids:
            self.seen[position] = date
        gone = [p for p, day in self.seen.items() if (date - day).days > FORGET_AFTER_DAYS]
        for position in gone:
            self.close_position(position)

    def close_position(self, position: str) -> None:
        """Drop the limit and cooldown counters of ``position`` (it was closed)."""
        self.seen.pop(position, None)
        for table in (self.by_position, self.last):
            for key in [k for k in table if k[1] == position]:
                del table[key]


Execute = Callable[[ActionRecord], str | None]
"""Carries out one decided action (in the decision's order): None when done, else the reason
it could not be (the proposal is then ``skipped`` and does not count for limits/cooldowns)."""


def decide(
    ruleset: CompiledRuleset,
    evaluation: Evaluation,
    log: ExecutionLog,
    execute: Execute | None = None,
) -> Decision:
    """Run the decision procedure on one evaluated bar; ``log`` is updated with executions.

    With ``execute``, each action the procedure decides on is handed to it at once, and only
    those it carries out count as executed; without it, every decided action counts.
    """
    procedure = _Procedure(ruleset, evaluation, log, execute)
    procedure.run()
    return Decision(
        evaluation.date,
        tuple(procedure.actions),
        tuple(procedure.proposals),
        tuple(procedure.alerts),
        tuple(rule.name for rule in ruleset.rules),
    )


_Vetoes = dict[str, tuple[int, str]]
"""Action kind → (file order, name) of the guard vetoing it."""


@dataclass(slots=True)
class _Candidate:
    rule: CompiledRule
    action: CompiledAction
    record: ActionRecord
    unknown_argument: str | None


class _Procedure:
    def __init__(
        self,
        ruleset: CompiledRuleset,
        evaluation: Evaluation,
        log: ExecutionLog,
        execute: Execute | None,
    ):
        self.ruleset = ruleset
        self.evaluation = evaluation
        self.log = log
        self.execute = execute
        self.actions: list[ActionRecord] = []
        self.proposals: list[Proposal] = []
        self.alerts: list[Alert] = []

    def run(self) -> None:
        evaluation = self.evaluation
        portfolio_guards = self._true_guards(evaluation.portfolio, Scope.PORTFOLIO)
        position_rules = self.ruleset.position_rules
        any_position_guards: _Vetoes = {}
        for row, position_id in enumerate(evaluation.fields.position_ids):
            frame = evaluation.position(row)
            guards = self._true_guards(frame, Scope.POSITION)
            vetoes = portfolio_guards
            if guards:
                any_position_guards = _merge(any_position_guards, guards)
                vetoes = _merge(portfolio_guards, guards)
            candidates = self._fire(position_rules, frame, position_id)
            if candidates:
                self._settle(candidates, vetoes, position_id)
        vetoes = _merge(portfolio_guards, any_position_guards)
        portfolio_rules = self.ruleset.portfolio_rules
        self._settle(self._fire(portfolio_rules, evaluation.portfolio, None), vetoes, None)

    def _true_guards(self, frame: PortfolioFrame, scope: Scope) -> _Vetoes:
        """Kind → (file order, name) of the first guard of ``scope`` that is true here."""
        vetoes: _Vetoes = {}
        for guard in self.ruleset.guards:
            if guard.scope is not scope:
                continue
            value = guard.condition.evaluate(frame)
            if value.known and value.value is True:
                for kind in guard.kinds:
                    vetoes.setdefault(kind, (guard.order, guard.name))
        return vetoes

    def _fire(
        self, rules: Sequence[CompiledRule], frame: PortfolioFrame, position: str | None
    ) -> list[_Candidate]:
        """The proposals of the rules (given in priority order) that are true in ``frame``."""
        candidates: list[_Candidate] = []
        for rule in rules:  # already in priority order
            condition = rule.condition.evaluate(frame)
            if not (condition.known and condition.value is True):
                continue
            for action in rule.actions:
                candidates.append(_candidate(rule, action, frame, position))
        return candidates

    def _settle(self, candidates: list[_Candidate], vetoes: _Vetoes, position: str | None) -> None:
        date = self.evaluation.date
        winner: _Candidate | None = None
        blocked: dict[str, tuple[Status, str] | None] = {}
        executed: dict[str, bool] = defaultdict(bool)
        for candidate in candidates:
            rule, record = candidate.rule, candidate.record
            if rule.name not in blocked:
                blocked[rule.name] = self.log.blocked(rule, position, date)
            veto = vetoes.get(record.kind)
            if veto is not None:
                guard = veto[1]
                detail = f"guard {guard} forbids {record.kind}"
                self.proposals.append(Proposal(record, "vetoed", guard, detail))
            elif candidate.unknown_argument is not None:
                detail = candidate.unknown_argument
                self.proposals.append(Proposal(record, "unknown_argument", None, detail))
            elif blocked[rule.name] is not None:
                status, detail = blocked[rule.name]  # type: ignore[misc]
                self.proposals.append(Proposal(record, status, None, detail))
            elif candidate.action.changes_position and winner is not None:
                detail = f"{winner.rule.name} (priority {winner.rule.priority}) wins"
                self.proposals.append(Proposal(record, "suppressed", winner.rule.name, detail))
            else:
                if candidate.action.changes_position:
                    winner = candidate  # it wins the position even if it cannot be carried out
                if self._carry_out(candidate):
                    executed[rule.name] = True
        for name in executed:
            self.log.record(name, position, date)

    def _carry_out(self, candidate: _Candidate) -> bool:
        """Carry the proposal out (or hand it to ``execute``); True when it was."""
        record = candidate.record
        if record.kind == "alert":
            self.proposals.append(Proposal(record, "carried_out"))
            text = record.args.get("text")
            self.alerts.append(Alert(record.rule, record.position, str(text)))
            return True
        reason = self.execute(record) if self.execute is not None else None
        if reason is not None:
            self.proposals.append(Proposal(record, "skipped", None, reason))
            return False
        self.proposals.append(Proposal(record, "carried_out"))
        self.actions.append(record)
        return True


def _candidate(
    rule: CompiledRule, action: CompiledAction, frame: PortfolioFrame, position: str | None
) -> _Candidate:
    arguments: list[tuple[str, JSONValue]] = []
    problem: str | None = None
    for argument in action.arguments:
        if argument.node is None:
            arguments.append((argument.name, argument.symbol))
            continue
        value: Value = argument.node.evaluate(frame)
        if not value.known and problem is None:
            why = f" ({value.reason})" if value.reason else ""
            problem = f"argument {argument.name} = {argument.node.text} is unknown{why}"
        arguments.append((argument.name, decode(value, argument.node.type)))
    record = ActionRecord(
        rule.name, action.kind, action.structure, position, dict(arguments), rule.priority
    )
    return _Candidate(rule, action, record, problem)


def _merge(first: _Vetoes, second: _Vetoes) -> _Vetoes:
    """Both sets of true guards; per kind the one first in file order."""
    merged = dict(first)
    for kind, veto in second.items():
        if kind not in merged or veto < merged[kind]:
            merged[kind] = veto
    return merged
