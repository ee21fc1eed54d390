"""``backtest(ruleset, ...)``: load everything a run needs, replay it, return a Result.

    import condorrules
    result = condorrules.backtest("rulesets/tasty_45dte.condor", start="2016-01-01")
    result.equity["equity"].iloc[-1], result.trades, result.metrics

Problems a user can cause stop the run before its first bar with an exception that says what
and how to fix it: :class:`~condorrules.api.RulesetError` (the ruleset has errors, or a param
override is wrong), :class:`~condorrules.history.HistoryError` (bad data, a missing input, a
date outside the data), :class:`~condorrules.chain.ChainError` (bad chain), ``ValueError``
(bad costs or capital).
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from condorrules.api import EventsLike, Ruleset, RulesetError, load, with_events
from condorrules.chain import OptionChain, load_chain
from condorrules.compile import CompileError, ParamOverride, compile_program
from condorrules.compile.overrides import Origin
from condorrules.history import DateLike, check_inputs, resolve_history, slice_dates
from condorrules.market import MarketModel
from condorrules.replay.fills import Costs
from condorrules.replay.hedges import VixModel
from condorrules.replay.protocol import DecisionMaker
from condorrules.replay.result import (
    Result,
    equity_frame,
    positions_frame,
    trades_frame,
    with_metrics,
)
from condorrules.replay.simulation import Progress, Simulation

DEFAULT_CAPITAL = 100_000.0
"""Starting equity of a run (money) unless told otherwise."""


def backtest(
    ruleset: str | Path | Ruleset,
    data: str | Path | pd.DataFrame | None = None,
    start: DateLike | None = None,
    end: DateLike | None = None,
    params: Mapping[str, ParamOverride] | None = None,
    capital: float | str = DEFAULT_CAPITAL,
    chain: str | Path | OptionChain | None = None,
    costs: Costs | Mapping[str, float] | None = None,
    market: MarketModel | None = None,
    progress: Progress | None = None,
    *,
    vix_model: VixModel | None = None,
    events: EventsLike | None = None,
    origin: Origin = "api",
) -> Result:
    """Replay ``ruleset`` (a path, its text, or a loaded :class:`Ruleset`) over ``data``
    (``None``: the built-in S&P 500/VIX history; a CSV/Parquet path; or a data frame) from
    ``start`` to ``end`` (inclusive), with ``params`` overriding its params.

    ``chain`` (a path or an :class:`OptionChain`) replaces the volatility model's prices
    where it quotes an option. ``costs`` overrides fills and fees (:class:`Costs` or a dict of
    its fields). ``progress(done, total)`` is called after each bar. ``capital`` is a number
    or money text (``"$50,000"``, ``"250k"``: :func:`parse_capital`). ``events`` (a CSV path
    or an :class:`~condorrules.market.events.EventCalendar`) adds events to the FOMC calendar.
    A chain that quotes nothing on some of the run's dates is recorded in
    ``parameters["chain_gaps"]`` and on those bars' decision records (key ``chain``).
    """
    capital = parse_capital(capital)
    loaded = _ruleset(ruleset, params, market, events, origin)
    model = market or loaded.market
    inputs = loaded.compiled.inputs
    history = resolve_history(data, inputs)
    check_inputs(history, inputs)
    history = slice_dates(history, start, end)
    option_chain = load_chain(chain) if isinstance(chain, str | Path) else chain
    settings = Costs.from_value(costs)
    vix = vix_model or VixModel()
    parameters = {
        "ruleset": loaded.name,
        "params": {name: _plain(value) for name, value in loaded.params.items()},
        "data": str(history.attrs.get("source", "<data frame>")),
        "chain": _chain_name(chain),
        "start": _day(history.index[0]),
        "end": _day(history.index[-1]),
        "capital": float(capital),
        "costs": settings.as_dict(),
        "vix_model": vix.as_dict(),
        "inputs": list(inputs),
    }
    if events is not None:
        parameters["events"] = str(events) if isinstance(events, str | Path) else "<events>"
    if option_chain is not None:
        parameters["chain_gaps"] = _chain_gaps(option_chain, history)
    return simulate(
        loaded.runner(),
        history,
        parameters,
        inputs=inputs,
        market=model,
        chain=option_chain,
        costs=settings,
        vix_model=vix,
        progress=progress,
    )


def simulate(
    maker: DecisionMaker,
    history: pd.DataFrame,
    parameters: dict[str, Any],
    *,
    inputs: tuple[str, ...] = (),
    market: MarketModel | None = None,
    chain: OptionChain | None = None,
    costs: Costs | None = None,
    vix_model: VixModel | None = None,
    progress: Progress | None = None,
) -> Result:
    """Replay ``history`` (a checked frame, see :func:`condorrules.history.resolve_history`)
    with any decision maker; ``parameters['capital']`` is the starting equity."""
    capital = parse_capital(parameters.get("capital", DEFAULT_CAPITAL))
    simulation = Simulation(
        maker,
        history,
        inputs=inputs,
        market=market or MarketModel.default(),
        chain=chain,
        costs=costs or Costs(),
        capital=capital,
        vix_model=vix_model or VixModel(),
        progress=progress,
    )
    records = simulation.run()
    result = Result(
        trades=trades_frame(records.trades),
        equity=equity_frame(records.equity),
        decisions=records.decisions,
        positions=positions_frame(records.positions),
        parameters=dict(parameters),
        metrics={},
    )
    return with_metrics(result)


def _ruleset(
    ruleset: str | Path | Ruleset,
    params: Mapping[str, ParamOverride] | None,
    market: MarketModel | None,
    events: EventsLike | None,
    origin: Origin,
) -> Ruleset:
    if not isinstance(ruleset, Ruleset):
        return load(ruleset, params, market=market, events=events, origin=origin)
    if not params and market is None and events is None:
        return ruleset
    model = with_events(market or ruleset.market, events)
    try:
        compiled = compile_program(ruleset.program, params, model, origin=origin)
    except CompileError as error:
        raise RulesetError(error.diagnostics, error.sources) from None
    return Ruleset(compiled, ruleset.program, model, ruleset.warnings)


_MONEY = re.compile(r"^(-?)\$?\s*([0-9][0-9_,]*(?:\.[0-9]+)?)\s*([kKmM]?)$")


def parse_capital(value: float | str) -> float:
    """Starting equity from a number or money text: ``100000``, ``"$100,000"``, ``"100k"``,
    ``"1.5m"`` → dollars. Raises ValueError unless it is a positive amount of money."""
    problem = f"capital {value!r} is not valid: must be a positive amount of money"
    example = " (e.g. 100000, $250,000 or 250k)"
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(problem + example)
    if isinstance(value, str):
        match = _MONEY.match(value.strip())
        if not match:
            raise ValueError(problem + example)
        amount = float(match.group(2).replace(",", "").replace("_", ""))
        amount *= {"": 1.0, "k": 1e3, "m": 1e6}[match.group(3).lower()]
        value_number = -amount if match.group(1) else amount
    else:
        value_number = float(value)
    if not math.isfinite(value_number) or value_number <= 0:
        raise ValueError(problem + example)
    return value_number


def _chain_gaps(chain: OptionChain, history: pd.DataFrame) -> dict[str, Any]:
    """How many of the run's bars the chain quotes nothing on, and the first and last."""
    quoted = set(chain.dates())
    missing = [day for day in _days(history) if day not in quoted]
    return {
        "bars": len(missing),
        "first": missing[0].isoformat() if missing else None,
        "last": missing[-1].isoformat() if missing else None,
    }


def _days(history: pd.DataFrame) -> list[datetime.date]:
    return [stamp.date() for stamp in pd.DatetimeIndex(history.index)]


def _plain(value: object) -> Any:
    return value if isinstance(value, bool | int | float | str) else str(value)


def _day(stamp: object) -> str:
    return pd.Timestamp(stamp).date().isoformat()  # type: ignore[arg-type]


def _chain_name(chain: str | Path | OptionChain | None) -> str | None:
    if chain is None:
        return None
    if isinstance(chain, OptionChain):
        return "<option chain>"
    return str(chain)


__all__ = ["DEFAULT_CAPITAL", "backtest", "parse_capital", "simulate"]
