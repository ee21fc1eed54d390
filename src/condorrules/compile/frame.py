"""The environment one evaluation runs in: a state's fields, pins, history and let memos.

An :class:`Evaluation` is made per state (per bar) and thrown away afterwards; it owns the
portfolio scope's let memo and field cache, and makes the frames rules are evaluated in: the
portfolio frame (a view over those) and one :class:`PositionFrame` per open position. No frame
is stored in the evaluation, so nothing refers back to it and it is freed as soon as it is
dropped (no reference cycle left for the garbage collector). Nothing here is
shared between evaluations, which is what makes a compiled ruleset safe to use from several
threads.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from condorrules.catalogue import Scope, Type
from condorrules.compile.encoding import encode, encode_column
from condorrules.compile.nodes import (
    EventNode,
    FieldNode,
    IndexNode,
    InputNode,
    LetNode,
    PinKey,
    SeriesNode,
)
from condorrules.fields import StateFields
from condorrules.market import MarketModel
from condorrules.runtime import Value, unknown


class History(Protocol):
    """Past bars for series functions and ``x[n]``: the current value, or None if it has
    none for that call (then the value is unknown and says how many bars it needs)."""

    def value(self, node: SeriesNode | IndexNode, position: str | None) -> Value | None: ...

    def bars(self) -> int:
        """How many bars (this one included) the history has seen."""
        ...


class Evaluation:
    """Everything one state's evaluation needs; makes the frames rules are evaluated in."""

    __slots__ = (
        "columns",
        "date",
        "fields",
        "history",
        "let_count",
        "model",
        "pins",
        "portfolio_cache",
        "portfolio_lets",
    )

    def __init__(
        self,
        fields: StateFields,
        model: MarketModel,
        let_count: int,
        pins: dict[PinKey, Value] | None = None,
        history: History | None = None,
    ) -> None:
        self.fields = fields
        self.model = model
        self.pins = pins or None
        self.history = history
        self.let_count = let_count
        date = fields.portfolio["date"]
        assert isinstance(date, datetime.date)
        self.date = date
        self.portfolio_lets: list[Value | None] = [None] * let_count
        """The portfolio-scope let memo, shared by every frame of this evaluation."""
        self.portfolio_cache: dict[str, Value] = {}
        """Portfolio-scope field values, encoded once per evaluation."""
        self.columns: dict[str, list[Value]] = {}

    @property
    def portfolio(self) -> PortfolioFrame:
        """The portfolio-scope frame: a view over this evaluation's portfolio let memo and
        field cache, made on each access. It is not stored here on purpose: a frame kept by
        the evaluation it points back to makes every evaluation a reference cycle, which
        Python frees only in a garbage collection instead of when it is dropped (a collection
        every few per-state calls, and the slowest of them)."""
        return PortfolioFrame(self)

    def forget_lets(self) -> None:
        """Forget the portfolio-scope lets memoised so far (their inputs changed)."""
        self.portfolio_lets[:] = [None] * self.let_count

    def position_values(self, name: str, value_type: Type) -> list[Value]:
        """A position field for every position, encoded once per evaluation."""
        values = self.columns.get(name)
        if values is None:
            values = encode_column(self.fields.columns[name], value_type)
            self.columns[name] = values
        return values

    def position(self, row: int) -> PositionFrame:
        """A fresh frame for the position in ``row`` (its own let memo)."""
        return PositionFrame(self, row, self.fields.position_ids[row])

    def frame(self, position: str | None) -> PortfolioFrame:
        """The portfolio frame, or the frame of the position with that id."""
        if position is None:
            return self.portfolio
        return self.position(self.fields.row(position))


class PortfolioFrame:
    """Portfolio scope: market and ``portfolio.*`` fields, inputs, lets, series, events."""

    __slots__ = ("cache", "evaluation", "lets", "pins", "position_id", "row")

    def __init__(self, evaluation: Evaluation) -> None:
        self.evaluation = evaluation
        self.pins = evaluation.pins
        self.lets: list[Value | None] = evaluation.portfolio_lets
        self.cache: dict[str, Value] = evaluation.portfolio_cache
        self.row: int | None = None
        self.position_id: str | None = None

    def field(self, node: FieldNode) -> Value:
        if node.scope is Scope.POSITION:
            if self.row is None:  # pragma: no cover - scopes keep position fields out of here
                return unknown(f"{node.name} is a position field", boolean=node.type is Type.BOOL)
            return self.evaluation.position_values(node.name, node.type)[self.row]
        cache = self.cache
        value = cache.get(node.name)
        if value is None:
            value = encode(self.evaluation.fields.portfolio[node.name], node.type)
            cache[node.name] = value
        return value

    def input(self, node: InputNode) -> Value:
        value = encode(self.evaluation.fields.input(node.name), node.type)
        if node.type is Type.BOOL and value.known and not value.is_bool:
            return Value(float(value.value) != 0.0)  # a bool input arrives as 1/0
        return value

    def let(self, node: LetNode) -> Value:
        own = node.scope is Scope.POSITION or self.row is None
        frame = self if own else self.evaluation.portfolio
        value = frame.lets[node.index]
        if value is None:
            value = node.body.evaluate(frame)
            frame.lets[node.index] = value
        return value

    def series(self, node: SeriesNode | IndexNode) -> Value:
        history = self.evaluation.history
        position = self.position_id if node.scope is Scope.POSITION else None
        if history is not None:
            value = history.value(node, position)
            if value is not None:
                return value
        return unknown(_history_reason(node, history), boolean=node.type is Type.BOOL)

    def event(self, node: EventNode) -> Value:
        events = self.evaluation.model.events
        date = self.evaluation.date
        days = (events.days_to if node.function == "days_to" else events.days_since)(
            node.event, date
        )
        if days is None:
            direction = "on or after" if node.function == "days_to" else "on or before"
            return unknown(f"the event calendar has no {node.event} date {direction} {date}")
        return Value(float(days))


class PositionFrame(PortfolioFrame):
    """Position scope: the portfolio frame's names plus the fields of one position."""

    __slots__ = ()

    def __init__(self, evaluation: Evaluation, row: int, position_id: str) -> None:
        super().__init__(evaluation)
        self.lets = [None] * evaluation.let_count
        self.row = row
        self.position_id = position_id


def _history_reason(node: SeriesNode | IndexNode, history: History | None) -> str:
    needed = node.bars_ago + 1 if isinstance(node, IndexNode) else node.bars_needed
    have = 0 if history is None else history.bars()
    bars = "bar" if needed == 1 else "bars"
    return f"{node.text} needs {needed} {bars} of history, has {have}"
