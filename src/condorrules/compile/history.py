"""Indicator history for live use: one incremental indicator per call site, O(1) per bar.

A :class:`SeriesHistory` belongs to one runner. On every bar, :meth:`SeriesHistory.advance`
feeds each series call (``rsi(spot, 14)``, ``macd(vix).line``, ``x[3]``) its argument's value
on this bar — portfolio-scope calls once, position-scope calls once per open position — and
keeps the indicator's current result, which the evaluation then reads. Calls written the same
way anywhere in the file share one indicator; ``macd(vix).line`` and ``macd(vix).signal`` share
one ``macd``. The indicators are :mod:`condorrules.runtime.incremental`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from condorrules.catalogue import Scope
from condorrules.compile.frame import Evaluation, PortfolioFrame
from condorrules.compile.nodes import IndexNode, Node, SeriesNode
from condorrules.runtime import Value, incremental

_Factory = Callable[[dict[str, float], str], Any]

_FACTORIES: dict[str, _Factory] = {
    "sma": lambda s, label: incremental.Sma(int(s["n"]), label),
    "ema": lambda s, label: incremental.Ema(int(s["n"]), label),
    "rsi": lambda s, label: incremental.Rsi(int(s["n"]), label),
    "macd": lambda s, label: incremental.Macd(
        int(s["fast"]), int(s["slow"]), int(s["signal"]), label
    ),
    "bbands": lambda s, label: incremental.Bbands(int(s["n"]), s["k"], label),
    "stdev": lambda s, label: incremental.Stdev(int(s["n"]), label),
    "hv": lambda s, label: incremental.Hv(int(s["n"]), label),
    "highest": lambda s, label: incremental.Highest(int(s["n"]), label),
    "lowest": lambda s, label: incremental.Lowest(int(s["n"]), label),
    "change": lambda s, label: incremental.Change(int(s["n"]), label),
    "pct_change": lambda s, label: incremental.PctChange(int(s["n"]), label),
    "rank": lambda s, label: incremental.Rank(int(s["n"]), label),
    "iv_rank": lambda s, label: incremental.IvRank(int(s["n"]), label),
    "crosses_above": lambda s, label: incremental.CrossesAbove(label),
    "crosses_below": lambda s, label: incremental.CrossesBelow(label),
    "held": lambda s, label: incremental.Held(int(s["n"]), label),
    "within": lambda s, label: incremental.Within(int(s["n"]), label),
    "bars_since": lambda s, label: incremental.BarsSince(label),
}

SeriesSite = SeriesNode | IndexNode


def state_key(node: SeriesSite) -> Hashable:
    """The key of the indicator a call site reads: the call without its ``.part``."""
    if isinstance(node, SeriesNode) and node.part is not None:
        call: Hashable = node.key[1]  # type: ignore[index]
        return call
    return node.key


def call_label(node: SeriesSite) -> str:
    """How reasons name the call: the source text without the ``.part``."""
    if isinstance(node, SeriesNode) and node.part is not None:
        return node.text[: -(len(node.part) + 1)]
    return node.text


class SeriesHistory:
    """Incremental indicator states and their current results, per call site and position."""

    def __init__(self, sites: tuple[SeriesSite, ...]) -> None:
        self.sites = sites
        self._states: dict[tuple[Hashable, str | None], Any] = {}
        self._current: dict[tuple[Hashable, str | None], Any] = {}
        self._bars = 0

    def bars(self) -> int:
        """Bars fed so far (this one included once :meth:`advance` ran)."""
        return self._bars

    def value(self, node: SeriesSite, position: str | None) -> Value | None:
        """This bar's value of a call site, or None if it was never advanced."""
        result = self._current.get((state_key(node), position))
        if result is None:
            return None
        if isinstance(node, SeriesNode) and node.part is not None:
            part: Value = getattr(result, node.part)
            return part
        assert isinstance(result, Value)
        return result

    def advance(self, evaluation: Evaluation) -> None:
        """Feed every call site this bar's arguments (call before deciding on the bar)."""
        self._bars += 1
        self._current.clear()
        frames: list[PortfolioFrame] = [evaluation.portfolio]
        if any(site.scope is Scope.POSITION for site in self.sites):
            rows = range(len(evaluation.fields.position_ids))
            frames += [evaluation.position(row) for row in rows]
        alive: set[str | None] = {None, *evaluation.fields.position_ids}
        for key in [k for k in self._states if k[1] not in alive]:
            del self._states[key]  # a closed position's indicators go with it
        for site in self.sites:
            targets = frames[1:] if site.scope is Scope.POSITION else frames[:1]
            for frame in targets:
                self._feed(site, frame)
        # A let read while feeding may have memoised a call site not yet fed on this bar.
        evaluation.forget_lets()

    def _feed(self, site: SeriesSite, frame: PortfolioFrame) -> None:
        key = (state_key(site), frame.position_id)
        if key in self._current:
            return  # another part of the same call (macd .line/.signal) already fed it
        state = self._states.get(key)
        if state is None:
            state = _new_state(site)
            self._states[key] = state
        arguments = _arguments(site)
        self._current[key] = state.update(*(argument.evaluate(frame) for argument in arguments))


def _arguments(site: SeriesSite) -> tuple[Node, ...]:
    return (site.operand,) if isinstance(site, IndexNode) else site.arguments


def _new_state(site: SeriesSite) -> Any:
    if isinstance(site, IndexNode):
        return incremental.Lag(site.bars_ago, site.text)
    return _FACTORIES[site.function](site.settings, call_label(site))
