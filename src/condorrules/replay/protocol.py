"""What the simulation needs of a decision maker: ``step(state) -> decision`` with ``.actions``.

The rule engine's :class:`condorrules.api.Runner` satisfies it (and is driven through
``step(state, execute)``, so that actions the replay skips do not count for limits and
cooldowns); so does any hand-written object with the same shape, which is how the
book-keeping is tested without a ruleset (its actions are carried out after it decides).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from condorrules.state import State

ArgumentValue = float | bool | str | None
"""An evaluated action argument: numbers (durations in days, percents as ratios), symbols
(``"untested"``, ``"same"``), or None when unknown."""


class Skip(Exception):
    """An action that cannot be carried out; the message is the reason the log records."""


def number_argument(args: Mapping[str, ArgumentValue], name: str) -> float:
    """The number argument ``name``; raises :class:`Skip` when it is missing or unknown."""
    value = args.get(name)
    if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value):
        raise Skip(f"argument {name} is missing or not a number ({value!r})")
    return float(value)


class ActionLike(Protocol):
    """One action to carry out: the rule, the kind (``open``, ``close``, ...), the structure
    opened (``iron_condor``), the position it applies to, its arguments by name."""

    @property
    def rule(self) -> str: ...

    @property
    def kind(self) -> str: ...

    @property
    def structure(self) -> str | None: ...

    @property
    def position(self) -> str | None: ...

    @property
    def args(self) -> Mapping[str, ArgumentValue]: ...

    def to_dict(self) -> dict[str, Any]: ...


class DecisionLike(Protocol):
    """A bar's decision: the actions to carry out, in order, and a JSON-ready record."""

    @property
    def actions(self) -> Sequence[ActionLike]: ...

    def to_dict(self) -> dict[str, Any]: ...


class DecisionMaker(Protocol):
    """Decides on one bar after another (it may keep history between calls)."""

    def step(self, state: State) -> DecisionLike: ...
