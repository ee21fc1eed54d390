"""The series functions as data: what the compiler needs to call either implementation.

``SERIES_FUNCTIONS[name]`` gives a function's parameters and defaults (LANGUAGE.md §5), its
fields (``macd.line``...), the batch function (:mod:`.indicators`), the incremental factory
(:mod:`.incremental`) and its warm-up (bars before the first known value), so a compiler
can bind named arguments, a replay can preload enough history, and ``explain`` can say how
much history a call needs. Types and units belong to the checker's catalogue, not here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from condorrules.runtime import incremental as inc
from condorrules.runtime import indicators as ind


@dataclass(frozen=True, slots=True)
class SeriesFunction:
    """One series function of §5.

    ``series`` names the series arguments (columns / per-bar values), ``parameters`` the
    integer or number arguments after them, in call order, with ``defaults``. ``batch`` is
    called as ``batch(*series_columns, *parameter_values, label=...)``; ``incremental`` as
    ``incremental(*parameter_values, label=...)`` and then ``.update(*series_values)``.
    ``warmup(*parameter_values)`` is the number of bars before the first known value.
    """

    name: str
    series: tuple[str, ...]
    parameters: tuple[str, ...]
    batch: Callable[..., Any]
    incremental: Callable[..., Any]
    warmup: Callable[..., int]
    defaults: Mapping[str, float] = field(default_factory=dict)
    fields: tuple[str, ...] = ()


def _function(
    name: str,
    series: tuple[str, ...],
    parameters: tuple[str, ...],
    batch: Callable[..., Any],
    incremental: Callable[..., Any],
    warmup: Callable[..., int],
    defaults: Mapping[str, float] | None = None,
    fields: tuple[str, ...] = (),
) -> SeriesFunction:
    frozen = MappingProxyType(dict(defaults or {}))
    return SeriesFunction(name, series, parameters, batch, incremental, warmup, frozen, fields)


def _window(n: int, *_: float) -> int:
    return n - 1


def _after_window(n: int, *_: float) -> int:
    return n


def _macd_signal(fast: int, slow: int, signal: int) -> int:
    return max(fast, slow) + signal - 2


_LIST = [
    _function("sma", ("x",), ("n",), ind.sma, inc.Sma, _window),
    _function("ema", ("x",), ("n",), ind.ema, inc.Ema, _window),
    _function("rsi", ("x",), ("n",), ind.rsi, inc.Rsi, _after_window, {"n": 14}),
    _function(
        "macd",
        ("x",),
        ("fast", "slow", "signal"),
        ind.macd,
        inc.Macd,
        _macd_signal,
        {"fast": 12, "slow": 26, "signal": 9},
        ("line", "signal", "hist"),
    ),
    _function(
        "bbands",
        ("x",),
        ("n", "k"),
        ind.bbands,
        inc.Bbands,
        _window,
        {"n": 20, "k": 2.0},
        ("upper", "mid", "lower"),
    ),
    _function("stdev", ("x",), ("n",), ind.stdev, inc.Stdev, _window),
    _function("hv", ("x",), ("n",), ind.hv, inc.Hv, _after_window, {"n": 20}),
    _function("highest", ("x",), ("n",), ind.highest, inc.Highest, _window),
    _function("lowest", ("x",), ("n",), ind.lowest, inc.Lowest, _window),
    _function("change", ("x",), ("n",), ind.change, inc.Change, _after_window, {"n": 1}),
    _function("pct_change", ("x",), ("n",), ind.pct_change, inc.PctChange, _after_window, {"n": 1}),
    _function("rank", ("x",), ("n",), ind.rank, inc.Rank, _window),
    _function("iv_rank", ("x",), ("n",), ind.iv_rank, inc.IvRank, _window),
    _function("crosses_above", ("a", "b"), (), ind.crosses_above, inc.CrossesAbove, lambda: 1),
    _function("crosses_below", ("a", "b"), (), ind.crosses_below, inc.CrossesBelow, lambda: 1),
    _function("held", ("c",), ("n",), ind.held, inc.Held, _window),
    _function("within", ("c",), ("n",), ind.within, inc.Within, _window),
    _function("bars_since", ("c",), (), ind.bars_since, inc.BarsSince, lambda: 0),
]

SERIES_FUNCTIONS: Mapping[str, SeriesFunction] = MappingProxyType({f.name: f for f in _LIST})
"""Every series function of LANGUAGE.md §5 by name."""
