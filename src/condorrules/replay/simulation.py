"""The bar loop: settle, mark, build the engine's state, decide, carry out, record.

Per bar, in this order (docs/replay.md, "Simulation"):

1. settle legs expiring on or before the bar (AM monthlies at the open, PM series at the
   close) and VIX hedge layers (at the VIX), at intrinsic value;
2. mark every open leg and its Greeks in one vectorised pricing call, and the hedges in one
   Black-76 call;
3. build the engine's :class:`~condorrules.state.State` from this bar only (market fields,
   positions with their marks, the portfolio) and ask the decision maker;
4. carry out the decision's actions exactly in its order; one that cannot be carried out is
   skipped and the reason recorded;
5. record the bar's equity, margin, Greeks and decision.

Nothing after bar t is read while bar t is processed: the history's arrays are indexed by the
current bar only.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from condorrules.api import Runner
from condorrules.chain import OptionChain
from condorrules.constants import SPX_MULTIPLIER, VIX_MULTIPLIER
from condorrules.market import MarketModel
from condorrules.replay.actions import Executor
from condorrules.replay.book import Book, Fill, OpenPosition, summary
from condorrules.replay.fills import Costs
from condorrules.replay.hedges import HedgeDesk, VixModel
from condorrules.replay.pricing import MarketBar, Pricer
from condorrules.replay.protocol import DecisionMaker, Skip
from condorrules.replay.settlement import intrinsic, settlement_level
from condorrules.state import MAX_IV, HedgeLayer, Leg, Portfolio, Position, State

Progress = Callable[[int, int], None]
"""Called after each bar with (bars done, bars in the run)."""


@dataclass(frozen=True, slots=True)
class RunRecords:
    """The raw records of a run, before they become frames."""

    trades: list[tuple[Any, ...]]
    equity: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    positions: list[dict[str, Any]]


class Simulation:
    """One replay of ``history`` with ``maker`` deciding on each bar."""

    def __init__(
        self,
        maker: DecisionMaker,
        history: pd.DataFrame,
        *,
        inputs: Sequence[str] = (),
        market: MarketModel,
        chain: OptionChain | None,
        costs: Costs,
        capital: float,
        vix_model: VixModel,
        progress: Progress | None = None,
    ) -> None:
        self.maker = maker
        self.market = market
        self.costs = costs
        self.book = Book(capital)
        self.pricer = Pricer(market, chain)
        self.hedges = HedgeDesk(self.book, costs, vix_model, market.calendar)
        self.executor = Executor(self.book, self.pricer, costs, self.hedges)
        self.progress = progress
        self.inputs = tuple(inputs)
        self._columns = _columns(history, self.inputs, market)
        self._stamps = [stamp.to_pydatetime() for stamp in pd.DatetimeIndex(history.index)]
        self._dates = [stamp.date() for stamp in self._stamps]
        self._unquoted = _unquoted_days(chain, self._dates)
        self.peak_equity = capital

    @property
    def unquoted_days(self) -> frozenset[dt.date]:
        """The run's dates on which the chain (if any) has no quote."""
        return self._unquoted

    def run(self) -> RunRecords:
        """Replay every bar; return the records."""
        equity_rows: list[dict[str, Any]] = []
        decisions: list[dict[str, Any]] = []
        last_vix = math.nan
        total = len(self._dates)
        for index in range(total):
            bar = self._bar(index, last_vix)
            last_vix = bar.pricing_vix
            stamp = self._stamps[index]
            self.book.clock = stamp
            record: dict[str, Any] = {"date": stamp_text(stamp)}
            if bar.date in self._unquoted:
                record["chain"] = "the chain has no quotes on this date: priced by the model"
            record["settlements"] = self._settle(bar)
            self._mark(bar)
            equity = self.executor.equity()
            self.peak_equity = max(self.peak_equity, equity)
            if equity <= 0:
                record.update(actions=[], proposals=[], alerts=[], skipped=[])
                record["stopped"] = f"equity ${equity:,.2f} is not positive: the run stops"
                decisions.append(record)
                equity_rows.append(self._equity_row(bar, stamp))
                break
            self._decide(self._state(bar, equity), bar, record)
            decisions.append(record)
            equity_rows.append(self._equity_row(bar, stamp))
            if self.progress is not None:
                self.progress(index + 1, total)
        positions = list(self.book.closed)
        positions += [_open_summary(p) for p in self.book.positions.values()]
        return RunRecords(self.book.trades, equity_rows, decisions, positions)

    # -- one bar -----------------------------------------------------------------------------

    def _bar(self, index: int, last_vix: float) -> MarketBar:
        columns = self._columns
        vix = columns["vix"][index]
        inputs = tuple((name, float(columns[name][index])) for name in self.inputs)
        return MarketBar(
            date=self._dates[index],
            spot=float(columns["close"][index]),
            open=float(columns["open"][index]),
            high=float(columns["high"][index]),
            low=float(columns["low"][index]),
            vix=float(vix),
            pricing_vix=float(vix) if math.isfinite(vix) else last_vix,
            rate=float(columns["rate"][index]),
            div=float(columns["div_yield"][index]),
            inputs=inputs,
        )

    def _settle(self, bar: MarketBar) -> list[dict[str, Any]]:
        settled: list[dict[str, Any]] = []
        for position in list(self.book.positions.values()):
            due = [leg for leg in position.legs if leg.expiry <= bar.date]
            for leg in due:
                level = settlement_level(leg.settlement, bar)
                value = intrinsic(leg.right, leg.strike, level)
                role = leg.role  # closing the leg zeroes its quantity, and so its role
                fill = Fill(
                    bar.date, position.id, "settlement", "settle", role, leg.right,
                    leg.strike, leg.expiry, -leg.qty, value,
                    self.costs.settlement_fee * abs(leg.qty),
                )  # fmt: skip
                self.book.close_leg(position, leg, abs(leg.qty), fill)
                settled.append(
                    {
                        "position": position.id,
                        "leg": role,
                        "strike": leg.strike,
                        "expiry": leg.expiry.isoformat(),
                        "settlement": leg.settlement,
                        "level": level,
                        "value": value,
                    }
                )
            if due and not position.legs:
                self.book.retire(position, bar.date, "settlement")
        for layer_id in self.hedges.settle(bar):
            settled.append({"hedge": layer_id, "level": bar.pricing_vix})
        return settled

    def _mark(self, bar: MarketBar) -> None:
        legs = [leg for position in self.book.positions.values() for leg in position.legs]
        if legs:
            priced = self.pricer.price(
                bar,
                np.array([leg.right == "call" for leg in legs]),
                np.array([leg.strike for leg in legs], dtype=np.float64),
                [leg.expiry for leg in legs],
            )
            for i, leg in enumerate(legs):
                if math.isnan(priced.mark[i]) and math.isfinite(leg.mark):
                    continue  # no price on this bar: the last mark and Greeks stand
                leg.mark = float(priced.mark[i])
                leg.iv = float(priced.iv[i])
                leg.delta = float(priced.delta[i])
                leg.gamma = float(priced.gamma[i])
                leg.vega = float(priced.vega[i])
                leg.theta = float(priced.theta[i])
                leg.spread = float(priced.spread[i])
        self.hedges.mark(bar)

    def _decide(self, state: State, bar: MarketBar, record: dict[str, Any]) -> None:
        """Ask the decision maker and carry its actions out in its order. A rule engine
        :class:`~condorrules.api.Runner` is handed the executor as it decides, so an action
        that cannot be carried out is ``skipped`` and does not count for its limits and
        cooldowns (LANGUAGE.md §6(5)); any other maker's actions are carried out after."""
        carried: list[dict[str, Any]] = []
        skipped: list[dict[str, Any]] = []

        def execute(action: Any) -> str | None:
            entry = action.to_dict()
            try:
                entry["traded"] = self.executor.carry_out(action, bar)
                entry["result"] = "filled"
                reason = None
            except Skip as why:
                reason = str(why)
                entry["result"] = "skipped"
                entry["reason"] = reason
                skipped.append(
                    {
                        "rule": action.rule,
                        "kind": action.kind,
                        "position": action.position,
                        "reason": reason,
                    }
                )
            carried.append(entry)
            return reason

        if isinstance(self.maker, Runner):
            document = self.maker.step(state, execute).to_dict()
        else:
            decision = self.maker.step(state)
            for action in decision.actions:
                execute(action)
            document = decision.to_dict()
        record["actions"] = carried
        record["skipped"] = skipped
        record["proposals"] = document.get("proposals", [])
        record["alerts"] = document.get("alerts", [])

    # -- the engine's state ------------------------------------------------------------------

    def _state(self, bar: MarketBar, equity: float) -> State:
        """The engine's state of this bar. Built without pydantic's validation (the book only
        holds valid values; the tests validate every state a run builds): it is the hot path."""
        positions = [_position_model(p, bar) for p in self.book.positions.values()]
        hedges = [
            HedgeLayer.model_construct(
                long_strike=layer.long_strike,
                short_strike=layer.short_strike,
                expiry=layer.expiry,
                qty=layer.qty,
                debit=max(layer.debit, 0.0),
                opened=layer.opened,
                multiplier=VIX_MULTIPLIER,
            )
            for layer in self.book.hedges
        ]
        portfolio = Portfolio.model_construct(
            equity=equity, cash=self.book.cash, peak_equity=self.peak_equity, hedges=hedges
        )
        return State.model_construct(
            date=bar.date,
            spot=bar.spot,
            open=_known(bar.open),
            high=_known(bar.high),
            low=_known(bar.low),
            vix=_known(bar.vix),
            rate=bar.rate,
            div_yield=bar.div,
            inputs={name: _known(value) for name, value in bar.inputs},
            positions=positions,
            portfolio=portfolio,
        )

    def _equity_row(self, bar: MarketBar, stamp: dt.datetime) -> dict[str, Any]:
        legs = [leg for position in self.book.positions.values() for leg in position.legs]

        def greek(name: str) -> float:
            return float(sum(leg.qty * SPX_MULTIPLIER * getattr(leg, name) for leg in legs))

        positions = list(self.book.positions.values())
        in_range = [_in_range(position, bar.spot) for position in positions]
        # A bar without a price says nothing about the range: unknown, not out of range.
        share = float(np.mean(in_range)) if in_range and math.isfinite(bar.spot) else math.nan
        return {
            "date": stamp,
            "equity": self.executor.equity(),
            "cash": self.book.cash,
            "margin": self.book.margin(),
            "open_positions": len(positions),
            "delta": greek("delta"),
            "gamma": greek("gamma"),
            "vega": greek("vega"),
            "theta": greek("theta"),
            "hedge_value": self.book.hedge_value(),
            "spot": bar.spot,
            "vix": bar.vix,
            "in_range": share,
            "position_value": self.book.open_value(),
            "hedge_layers": len(self.book.hedges),
        }


def _columns(
    history: pd.DataFrame, inputs: tuple[str, ...], market: MarketModel
) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
    """Every column the loop reads, as float arrays; absent optional columns are NaN and the
    rate and dividend yield fall back to the market model's where the data has none."""
    n = len(history)
    columns = {}
    for name in ("open", "high", "low", "close", "vix", "rate", "div_yield", *inputs):
        if name in history.columns:
            columns[name] = history[name].to_numpy(dtype=np.float64, copy=True)
        else:
            columns[name] = np.full(n, np.nan)
    index = pd.DatetimeIndex(history.index)
    for name, series in (
        ("rate", market.rates.rate_series(index)),
        ("div_yield", market.rates.div_yield_series(index)),
    ):
        column = columns[name]
        columns[name] = np.where(np.isfinite(column), column, np.asarray(series, dtype=float))
    return columns


def stamp_text(stamp: dt.datetime) -> str:
    """A bar's label in the decision log: its date, with the time of day when it has one."""
    midnight = stamp.time() == dt.time(0)
    return stamp.date().isoformat() if midnight else stamp.isoformat()


def _unquoted_days(chain: OptionChain | None, dates: Sequence[dt.date]) -> frozenset[dt.date]:
    """The run's dates on which ``chain`` quotes nothing (the model prices those bars)."""
    if chain is None:
        return frozenset()
    quoted = set(chain.dates())
    return frozenset(day for day in dates if day not in quoted)


def _known(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _position_model(position: OpenPosition, bar: MarketBar) -> Position:
    """The engine's view of ``position``. Leg marks are passed where the engine could not
    compute them itself: chain quotes, and bars without a VIX (priced at the last known VIX).
    Otherwise the engine prices the legs from the same volatility model and bar, and the
    unchanged model is reused from bar to bar."""
    quoted = math.isnan(bar.vix) or any(math.isfinite(leg.spread) for leg in position.legs)
    if not quoted and position.cached_model is not None:
        model: Position = position.cached_model
        return model
    legs = [
        Leg.model_construct(
            right="call" if leg.right == "call" else "put",
            strike=leg.strike,
            expiry=leg.expiry,
            qty=leg.qty,
            mark=_mark(leg.mark) if quoted else None,
            iv=_iv(leg.iv) if quoted else None,
            open_price=leg.open_price,
        )
        for leg in position.legs
    ]
    model = Position.model_construct(
        id=position.id,
        legs=legs,
        opened=position.opened,
        credit=position.credit,
        realised_pnl=position.realised_pnl,
        rolls=position.rolls,
        multiplier=SPX_MULTIPLIER,
    )
    if not quoted:
        position.cached_model = model
    return model


def _mark(value: float) -> float | None:
    return value if math.isfinite(value) and value >= 0 else None


def _iv(value: float) -> float | None:
    return value if math.isfinite(value) and 0 < value <= MAX_IV else None


def _in_range(position: OpenPosition, spot: float) -> bool:
    shorts = {leg.right: leg.strike for leg in position.legs if leg.qty < 0}
    low, high = shorts.get("put", -math.inf), shorts.get("call", math.inf)
    return low <= spot <= high


def _open_summary(position: OpenPosition) -> dict[str, Any]:
    row = summary(position, None, "open")
    row["unrealised_pnl"] = sum(
        leg.qty * SPX_MULTIPLIER * (leg.mark - leg.open_price) - leg.open_fees
        for leg in position.legs
    )
    return row
