"""The vectorised backend: a ruleset's portfolio-scope conditions over a whole history of bars.

    bars = Bars.from_arrays(dates, spot, vix=vix, inputs={"ad_line": ad}, model=model)
    result = evaluate_columns(compiled, bars)
    result.rules["open_new"]          # a runtime Column: one truth value per bar, with a mask

It interprets the same node trees as the scalar backend (:mod:`.nodes`), with the column
operators of :mod:`condorrules.runtime.vector` and the batch indicators of
:mod:`condorrules.runtime.indicators` in place of the scalar ones. Unknown is the ``known``
mask travelling beside each value array, with its reasons. ``tests/compile`` runs one corpus
through both backends and requires identical results, unknowns and reasons included.

Scope: market fields, inputs, events, lets, indicators and arithmetic — the portfolio-scope
part of a ruleset, what replay evaluates once per bar. ``portfolio.*`` fields come only from
columns the caller passes (they depend on the simulated book); position-scope rules are
evaluated per bar by the scalar backend.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from condorrules import catalogue
from condorrules.catalogue import Scope, Type
from condorrules.compile.encoding import WEEKDAY_NAMES
from condorrules.compile.history import call_label
from condorrules.compile.nodes import (
    AtLeast,
    Between,
    Constant,
    EventNode,
    ExpectedMove,
    FieldNode,
    IfElse,
    IndexNode,
    InList,
    InputNode,
    LetNode,
    Logic,
    Node,
    Operator,
    Round,
    SeriesNode,
)
from condorrules.compile.program import CompiledRuleset
from condorrules.constants import DAYS_PER_YEAR
from condorrules.fields.book import LegBook, MarketRows
from condorrules.fields.portfolio import market_columns
from condorrules.fields.position import position_columns
from condorrules.fields.values import day_from_number
from condorrules.market import MarketModel
from condorrules.runtime import Column, Value, column, constant, indicators, scalar, vector
from condorrules.runtime.values import NO_REASON, Reasons
from condorrules.state import Position

Operand = Column | Value

_VECTOR_OPERATORS: dict[tuple[str, int], Callable[..., Column]] = {
    ("+", 2): vector.add,
    ("-", 2): vector.sub,
    ("*", 2): vector.mul,
    ("/", 2): vector.div,
    ("-", 1): vector.neg,
    ("not", 1): vector.not_,
    ("<", 2): vector.lt,
    ("<=", 2): vector.le,
    (">", 2): vector.gt,
    (">=", 2): vector.ge,
    ("==", 2): vector.eq,
    ("!=", 2): vector.ne,
    ("abs", 1): vector.abs_,
}


@dataclass(frozen=True, slots=True)
class Bars:
    """A history of bars as columns: field and input names → runtime columns, all one length.

    ``position`` is the id of the position whose fields the columns carry (one position over
    its life, :meth:`for_position`), or None for market bars only.
    """

    length: int
    columns: Mapping[str, Column]
    dates: NDArray[np.int64] = field(repr=False)
    position: str | None = None

    @classmethod
    def from_arrays(
        cls,
        dates: ArrayLike,
        spot: ArrayLike,
        *,
        vix: ArrayLike | None = None,
        inputs: Mapping[str, ArrayLike] | None = None,
        extra: Mapping[str, Column] | None = None,
        model: MarketModel | None = None,
    ) -> Bars:
        """Market fields derived as for one state (docs/state.md), per bar; NaN is unknown.

        ``extra`` adds columns by field name (``portfolio.bp_used`` from a simulated book).
        """
        model = model or MarketModel.default()
        rows = _market_rows(dates, spot, vix, model)
        columns = _market(rows, model)
        columns.update(_inputs(inputs))
        columns.update(extra or {})
        return cls(len(rows), columns, rows.date)

    @classmethod
    def for_position(
        cls,
        position: Position,
        dates: ArrayLike,
        spot: ArrayLike,
        *,
        names: Collection[str],
        vix: ArrayLike | None = None,
        inputs: Mapping[str, ArrayLike] | None = None,
        model: MarketModel | None = None,
    ) -> Bars:
        """One position held over these bars: market fields plus its position fields
        ``names`` (those a ruleset reads: ``CompiledRuleset.field_names``), derived per bar
        exactly as for one state."""
        model = model or MarketModel.default()
        rows = _market_rows(dates, spot, vix, model)
        columns = _market(rows, model)
        columns.update(_inputs(inputs))
        wanted = [name for name in names if catalogue.FIELDS[name].scope is Scope.POSITION]
        book = LegBook.from_positions([position]).take(np.zeros(len(rows), dtype=np.int64))
        for name, derived in position_columns(book, rows, model, wanted).items():
            columns[name] = _runtime_column(name, derived.values, derived.reasons)
        return cls(len(rows), columns, rows.date, position.id)


def _market_rows(
    dates: ArrayLike, spot: ArrayLike, vix: ArrayLike | None, model: MarketModel
) -> MarketRows:
    spot_array = np.asarray(spot, dtype=np.float64)
    vix_array = np.full(spot_array.shape, np.nan) if vix is None else np.asarray(vix, np.float64)
    return MarketRows.from_series(dates, spot_array, vix_array, model)


def _market(rows: MarketRows, model: MarketModel) -> dict[str, Column]:
    return {
        name: _runtime_column(name, derived.values, derived.reasons)
        for name, derived in market_columns(rows, model).items()
    }


def _inputs(inputs: Mapping[str, ArrayLike] | None) -> dict[str, Column]:
    columns = {}
    for name, values in (inputs or {}).items():
        reason = f"the data has no value for input {name} on this bar"
        columns[name] = column(np.asarray(values, dtype=np.float64), reason=reason)
    return columns


def _runtime_column(name: str, values: NDArray[Any], reasons: NDArray[np.object_]) -> Column:
    """A field column (Python values, reasons per row) as a runtime column, encoded as the
    scalar backend encodes single values (:mod:`.encoding`)."""
    none: Any = None
    known: NDArray[np.bool_] = np.asarray(np.equal(reasons, none), dtype=np.bool_)
    value_type = catalogue.FIELDS[name].type
    data: NDArray[Any]
    if value_type is Type.BOOL:
        data = np.asarray(values, dtype=np.bool_) & known
    elif value_type is Type.DATE:
        days = np.asarray(values).astype("datetime64[D]").astype(np.int64).astype(np.float64)
        data = np.where(known, days, np.nan)
    elif value_type in (Type.SIDE, Type.WEEKDAY):
        names = catalogue.SIDE_VALUES if value_type is Type.SIDE else WEEKDAY_NAMES
        lookup = {symbol: float(code) for code, symbol in enumerate(names)}
        symbols = np.array([lookup.get(v, math.nan) for v in values], dtype=np.float64)
        data = np.where(known, symbols, np.nan)
    else:
        data = np.where(known, np.asarray(values, dtype=np.float64), np.nan)
    if known.all():
        return Column(data, known)
    table = tuple(sorted({str(r) for r in reasons[~known]}))
    index = {text: code for code, text in enumerate(table)}
    codes = np.array([NO_REASON if r is None else index[str(r)] for r in reasons], dtype=np.int32)
    return Column(data, known, Reasons(codes, table))


@dataclass(frozen=True, slots=True)
class ColumnResults:
    """Per-bar values of every portfolio-scope let, rule condition and guard condition."""

    lets: dict[str, Column]
    rules: dict[str, Column]
    guards: dict[str, Column]


def evaluate_columns(
    ruleset: CompiledRuleset,
    bars: Bars,
    model: MarketModel | None = None,
    *,
    reasons: bool = True,
) -> ColumnResults:
    """Evaluate the portfolio-scope part of ``ruleset`` over ``bars`` (and the position-scope
    part too when ``bars`` carry one position, :meth:`Bars.for_position`).

    ``reasons=False`` drops the why of unknown bars as soon as each column is made (values
    and masks are the same): the fast path for replay, which needs reasons only to explain.
    """
    evaluator = VectorEvaluator(
        bars, model or MarketModel.default(), len(ruleset.lets), reasons=reasons
    )
    scopes = {Scope.PORTFOLIO} if bars.position is None else {Scope.PORTFOLIO, Scope.POSITION}
    lets = {let.name: evaluator.column(let.body) for let in ruleset.lets if let.scope in scopes}
    rules = {r.name: evaluator.column(r.condition) for r in ruleset.rules if r.scope in scopes}
    guards = {g.name: evaluator.column(g.condition) for g in ruleset.guards if g.scope in scopes}
    return ColumnResults(lets, rules, guards)


class VectorEvaluator:
    """Evaluates node trees over :class:`Bars`; lets are memoised by slot."""

    def __init__(
        self, bars: Bars, model: MarketModel, let_count: int, *, reasons: bool = True
    ) -> None:
        self.bars = bars
        self.model = model
        self.reasons = reasons
        self.lets: list[Column | None] = [None] * let_count
        self.series: dict[object, Any] = {}

    def column(self, node: Node) -> Column:
        """``node`` over every bar, as a column (constants are broadcast)."""
        result = self.evaluate(node)
        return result if isinstance(result, Column) else constant(result, self.bars.length)

    def evaluate(self, node: Node) -> Operand:
        """``node`` over every bar: a column, or one value when it is the same on every bar."""
        result = self._evaluate(node)
        if not self.reasons and isinstance(result, Column):
            return result.without_reasons()
        return result

    def _evaluate(self, node: Node) -> Operand:
        if node.scope is Scope.POSITION and self.bars.position is None:
            raise ValueError(f"`{node.text}` is position-scoped: give Bars.for_position(...)")
        if isinstance(node, Constant):
            return node.value
        if isinstance(node, FieldNode | InputNode):
            return self._named(node)
        if isinstance(node, LetNode):
            memo = self.lets[node.index]
            if memo is None:
                memo = self.column(node.body)
                self.lets[node.index] = memo
            return memo
        if isinstance(node, SeriesNode):
            return self._series(node)
        if isinstance(node, IndexNode):
            if node.bars_ago == 0:
                return self.evaluate(node.operand)
            return indicators.lag(self.column(node.operand), node.bars_ago, node.text)
        if isinstance(node, EventNode):
            return self._event(node)
        if isinstance(node, Operator):
            return self._operator(node)
        raise TypeError(f"no vectorised form for {type(node).__name__}")  # pragma: no cover

    def _named(self, node: FieldNode | InputNode) -> Column:
        found = self.bars.columns.get(node.name)
        if found is not None:
            if node.type is Type.BOOL and not found.is_bool:  # a bool input given as 1/0
                truth = (found.values != 0.0) & found.known
                return Column(truth, found.known, found.reasons)
            return found
        reason = f"{node.name} is not in the bars given"
        missing = Value(False if node.type is Type.BOOL else math.nan, False, reason)
        return constant(missing, self.bars.length)

    def _event(self, node: EventNode) -> Column:
        events = self.model.events
        days = self.bars.dates.astype("datetime64[D]")
        if node.function == "days_to":
            values = events.days_to_series(node.event, days)
            direction = "on or after"
        else:
            values = events.days_since_series(node.event, days)
            direction = "on or before"
        known = ~np.isnan(values)
        if known.all():
            return Column(values, known)
        # The scalar backend names the bar's date in the reason: one reason per distinct date.
        table: dict[str, int] = {}
        codes = np.full(len(values), NO_REASON, dtype=np.int32)
        for index in np.flatnonzero(~known):
            day = day_from_number(int(self.bars.dates[index]))
            text = f"the event calendar has no {node.event} date {direction} {day}"
            codes[index] = table.setdefault(text, len(table))
        return Column(values, known, Reasons(codes, tuple(table)))

    def _series(self, node: SeriesNode) -> Column:
        key = node.key if node.part is None else node.key[1]  # type: ignore[index]
        result = self.series.get(key)
        if result is None:
            arguments = [self.column(argument) for argument in node.arguments]
            result = _batch(node, arguments)
            self.series[key] = result
        if node.part is not None:
            part: Column = getattr(result, node.part)
            return part
        assert isinstance(result, Column)
        return result

    def _operator(self, node: Operator) -> Operand:
        if isinstance(node, IfElse):
            return self._if_else(node)
        operands = [self.evaluate(operand) for operand in node.operands]
        if not any(isinstance(operand, Column) for operand in operands):
            return _scalar(node, operands)  # type: ignore[arg-type]
        columns = operands
        if isinstance(node, Logic):
            return (vector.and_ if node.symbol == "and" else vector.or_)(*columns)
        if isinstance(node, Between):
            return vector.between(*columns)
        if isinstance(node, InList):
            value, *options = columns
            return vector.in_(self._as_column(value), options)
        if isinstance(node, AtLeast):
            count, *conditions = columns
            return self._at_least(count, conditions)
        if isinstance(node, Round):
            return vector.round_(self._as_column(columns[0]), node.digits)
        if isinstance(node, ExpectedMove):
            return _expected_move(*(self._as_column(c) for c in columns))
        if node.symbol in ("min", "max"):
            return (vector.min_ if node.symbol == "min" else vector.max_)(*columns)
        function = _VECTOR_OPERATORS[node.symbol, len(columns)]
        if len(columns) == 1:
            return function(self._as_column(columns[0]))
        return function(*columns)

    def _if_else(self, node: IfElse) -> Operand:
        condition, then, otherwise = node.operands
        chosen = self.evaluate(condition)
        if isinstance(chosen, Value):
            if not chosen.known:
                return Value(False if node.type is Type.BOOL else math.nan, False, chosen.reason)
            return self.evaluate(then if chosen.value else otherwise)
        return vector.if_else(chosen, self.evaluate(then), self.evaluate(otherwise))

    def _at_least(self, count: Operand, conditions: list[Operand]) -> Column:
        if isinstance(count, Value) and count.known:
            return vector.at_least(math.ceil(float(count.value)), *conditions)
        raise ValueError("at least K of (...) needs a constant K in the vectorised backend")

    def _as_column(self, operand: Operand) -> Column:
        if isinstance(operand, Column):
            return operand
        return constant(operand, self.bars.length)


def _scalar(node: Operator, operands: list[Value]) -> Value:
    """An operator whose operands are the same on every bar: computed once, by the scalar
    backend's own functions (so both backends agree by construction)."""
    if isinstance(node, Round):
        return scalar.round_(operands[0], node.digits)
    return node.function(*operands)


def _expected_move(spot: Column, atm_iv: Column, days: Column) -> Column:
    with np.errstate(invalid="ignore"):
        root = np.sqrt(days.values / DAYS_PER_YEAR)
    negative = days.known & (days.values < 0)
    root_column = Column(root, days.known & ~negative, days.reasons)
    result = vector.mul(vector.mul(spot, atm_iv), root_column)
    if not negative.any():
        return result
    reason = "expected_move of a negative duration"
    fresh = ~result.known & negative & spot.known & atm_iv.known
    codes = result.reasons.codes.copy() if result.reasons is not None else None
    table = list(result.reasons.table) if result.reasons is not None else []
    if codes is None:
        codes = np.full(len(result), NO_REASON, dtype=np.int32)
    if reason not in table:
        table.append(reason)
    codes[fresh] = table.index(reason)
    return Column(result.values, result.known, Reasons(codes, tuple(table)))


_BATCH: dict[str, Callable[[list[Column], dict[str, float], str], Any]] = {
    "sma": lambda a, s, label: indicators.sma(a[0], int(s["n"]), label),
    "ema": lambda a, s, label: indicators.ema(a[0], int(s["n"]), label),
    "rsi": lambda a, s, label: indicators.rsi(a[0], int(s["n"]), label),
    "macd": lambda a, s, label: indicators.macd(
        a[0], int(s["fast"]), int(s["slow"]), int(s["signal"]), label
    ),
    "bbands": lambda a, s, label: indicators.bbands(a[0], int(s["n"]), s["k"], label),
    "stdev": lambda a, s, label: indicators.stdev(a[0], int(s["n"]), label),
    "hv": lambda a, s, label: indicators.hv(a[0], int(s["n"]), label),
    "highest": lambda a, s, label: indicators.highest(a[0], int(s["n"]), label),
    "lowest": lambda a, s, label: indicators.lowest(a[0], int(s["n"]), label),
    "change": lambda a, s, label: indicators.change(a[0], int(s["n"]), label),
    "pct_change": lambda a, s, label: indicators.pct_change(a[0], int(s["n"]), label),
    "rank": lambda a, s, label: indicators.rank(a[0], int(s["n"]), label),
    "iv_rank": lambda a, s, label: indicators.iv_rank(a[0], int(s["n"]), label),
    "crosses_above": lambda a, s, label: indicators.crosses_above(a[0], a[1], label),
    "crosses_below": lambda a, s, label: indicators.crosses_below(a[0], a[1], label),
    "held": lambda a, s, label: indicators.held(a[0], int(s["n"]), label),
    "within": lambda a, s, label: indicators.within(a[0], int(s["n"]), label),
    "bars_since": lambda a, s, label: indicators.bars_since(a[0], label),
}


def _batch(node: SeriesNode, arguments: list[Column]) -> Any:
    return _BATCH[node.function](arguments, node.settings, call_label(node))


__all__ = ["Bars", "ColumnResults", "VectorEvaluator", "evaluate_columns"]
