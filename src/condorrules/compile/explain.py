"""Explanations: every rule's condition as a tree with the value of each sub-expression.

``explain`` re-evaluates each sub-tree of a condition in the same frame the decision used
(evaluation is pure, so the values are the ones the decision saw), names the reason of every
unknown, and pairs each rule with what became of its proposals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from condorrules.catalogue import Scope, Type
from condorrules.compile.encoding import JSONValue, decode
from condorrules.compile.frame import Evaluation, PortfolioFrame
from condorrules.compile.nodes import Constant, LetNode, Node
from condorrules.compile.program import CompiledRuleset
from condorrules.engine import Decision, Proposal


@dataclass(frozen=True, slots=True)
class ExplainedValue:
    """One sub-expression: its source text, where it is, its value and why it is unknown."""

    text: str
    line: int
    column: int
    type: str
    value: JSONValue
    shown: str
    known: bool
    reason: str | None
    children: tuple[ExplainedValue, ...]

    @property
    def truth(self) -> str | None:
        """``true``/``false``/``unknown`` for a condition, None for a number."""
        if self.type != Type.BOOL.value:
            return None
        return self.shown if self.known else "unknown"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, stable key order."""
        return {
            "text": self.text,
            "line": self.line,
            "column": self.column,
            "type": self.type,
            "value": self.value,
            "known": self.known,
            "reason": self.reason,
            "children": [child.to_dict() for child in self.children],
        }

    def lines(self, indent: str = "") -> list[str]:
        """Indented text: ``text = value`` or ``text = unknown: reason``."""
        value = self.shown if self.known else "unknown"
        if not self.known and self.reason:
            value += f": {self.reason}"
        out = [f"{indent}{self.text} = {value}"]
        for child in self.children:
            out.extend(child.lines(indent + "    "))
        return out


@dataclass(frozen=True, slots=True)
class RuleExplanation:
    """One rule (or guard) in one scope: its condition tree, whether it fired, and outcomes."""

    kind: str
    name: str
    position: str | None
    priority: int
    condition: ExplainedValue
    fired: bool
    outcomes: tuple[Proposal, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, stable key order."""
        return {
            "kind": self.kind,
            "name": self.name,
            "position": self.position,
            "priority": self.priority,
            "fired": self.fired,
            "condition": self.condition.to_dict(),
            "outcomes": [outcome.to_dict() for outcome in self.outcomes],
        }

    def lines(self) -> list[str]:
        """The rule as indented text: header, condition tree, outcomes."""
        where = f" on position {self.position}" if self.position else ""
        if self.kind == "guard":
            state = "ACTIVE (vetoes)" if self.fired else "inactive"
        else:
            state = "FIRES" if self.fired else "does not fire"
        head = f"{self.kind} {self.name}"
        if self.kind == "rule":
            head += f" (priority {self.priority})"
        out = [f"{head}{where}: {state}"]
        out.extend(self.condition.lines("    "))
        for outcome in self.outcomes:
            out.append(f"    -> {_outcome(outcome)}")
        return out


@dataclass(frozen=True, slots=True)
class Explanation:
    """Every rule and guard of a ruleset on one state, and the decision taken."""

    entries: tuple[RuleExplanation, ...]
    decision: Decision

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, stable key order."""
        return {
            "date": self.decision.date.isoformat(),
            "rules": [entry.to_dict() for entry in self.entries],
            "decision": self.decision.to_dict(),
        }

    def text(self) -> str:
        """The explanation for people."""
        blocks = ["\n".join(entry.lines()) for entry in self.entries]
        return "\n\n".join(blocks) + "\n"


def explain_node(node: Node, frame: PortfolioFrame) -> ExplainedValue:
    """``node``'s value in ``frame`` with its sub-expressions (literals left out)."""
    value = node.evaluate(frame)
    children: list[ExplainedValue] = []
    for child in node.children():
        if isinstance(child, Constant) and not child.name:
            continue  # a literal's text is its value
        child_frame = frame
        if isinstance(node, LetNode) and node.scope is Scope.PORTFOLIO:
            child_frame = frame.evaluation.portfolio
        children.append(explain_node(child, child_frame))
    return ExplainedValue(
        text=node.text,
        line=node.span.line,
        column=node.span.column,
        type=node.type.value,
        value=decode(value, node.type),
        shown=node.show(value),
        known=value.known,
        reason=value.reason if not value.known else None,
        children=tuple(children),
    )


def explain(
    ruleset: CompiledRuleset,
    evaluation: Evaluation,
    decision: Decision,
    rule: str | None = None,
) -> Explanation:
    """Explain every rule and guard (or only those called ``rule``) on an evaluated state."""
    entries: list[RuleExplanation] = []
    positions = evaluation.fields.position_ids
    scopes: list[tuple[PortfolioFrame, str | None]] = [(evaluation.portfolio, None)]
    scopes += [(evaluation.position(row), pid) for row, pid in enumerate(positions)]
    for item in ruleset.rules:
        if rule is not None and item.name != rule:
            continue
        for frame, position in _frames(item.scope, scopes):
            tree = explain_node(item.condition, frame)
            outcomes = tuple(
                p
                for p in decision.proposals
                if p.rule == item.name and p.action.position == position
            )
            fired = tree.known and tree.value is True
            entries.append(
                RuleExplanation("rule", item.name, position, item.priority, tree, fired, outcomes)
            )
    for guard in ruleset.guards:
        if rule is not None and guard.name != rule:
            continue
        for frame, position in _frames(guard.scope, scopes):
            tree = explain_node(guard.condition, frame)
            active = tree.known and tree.value is True
            entries.append(RuleExplanation("guard", guard.name, position, 0, tree, active, ()))
    return Explanation(tuple(entries), decision)


def _frames(
    scope: Scope, scopes: list[tuple[PortfolioFrame, str | None]]
) -> list[tuple[PortfolioFrame, str | None]]:
    return scopes[1:] if scope is Scope.POSITION else scopes[:1]


def _outcome(proposal: Proposal) -> str:
    action = proposal.action
    arguments = ", ".join(f"{k}: {v}" for k, v in action.arguments.items())
    what = action.kind + (f" {action.structure}" if action.structure else "")
    what += f"({arguments})" if arguments else ""
    status = {
        "carried_out": "carried out",
        "vetoed": f"vetoed by guard {proposal.by}",
        "suppressed": f"suppressed by rule {proposal.by}",
    }.get(proposal.status, proposal.status.replace("_", " "))
    detail = f" ({proposal.detail})" if proposal.detail and proposal.status != "vetoed" else ""
    return f"{what}: {status}{detail}"
