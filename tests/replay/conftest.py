"""A hand-written decision maker: the book-keeping is tested without the rule engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pytest

from condorrules.state import State


@dataclass(frozen=True)
class ScriptedAction:
    """An action as the engine reports it (the fields the replay reads)."""

    rule: str
    kind: str
    structure: str | None = None
    position: str | None = None
    arguments: tuple[tuple[str, Any], ...] = ()

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.arguments)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "structure": self.structure,
            "position": self.position,
            "arguments": dict(self.arguments),
        }


@dataclass(frozen=True)
class ScriptedDecision:
    actions: tuple[ScriptedAction, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"actions": [a.to_dict() for a in self.actions], "proposals": [], "alerts": []}


def action(rule: str, kind: str, structure: str | None = None, position: str | None = None,
           **arguments: Any) -> ScriptedAction:  # fmt: skip
    """``action("open_new", "open", "iron_condor", dte=45, short_delta=0.16, wing=50)``."""
    return ScriptedAction(rule, kind, structure, position, tuple(arguments.items()))


@dataclass
class Script:
    """Carries out a fixed plan: actions by date; keeps every state it was shown."""

    plan: Mapping[dt.date, list[ScriptedAction]]
    states: list[State] = field(default_factory=list)

    def step(self, state: State) -> ScriptedDecision:
        # The replay builds states without validation (speed): validate each one here.
        State.model_validate(state.model_dump())
        self.states.append(state)
        return ScriptedDecision(tuple(self.plan.get(state.date, [])))


@pytest.fixture
def script() -> type[Script]:
    return Script


@pytest.fixture
def make_action() -> Any:
    return action
