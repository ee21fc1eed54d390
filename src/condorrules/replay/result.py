"""The result of a replay: trade ledger, daily equity, decision log, positions, metrics."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from condorrules.replay.book import TRADE_COLUMNS

EQUITY_COLUMNS: tuple[str, ...] = (
    "equity",
    "cash",
    "margin",
    "open_positions",
    "delta",
    "gamma",
    "vega",
    "theta",
    "hedge_value",
    "spot",
    "vix",
    "in_range",
    "position_value",
    "hedge_layers",
)
"""Columns of :attr:`Result.equity`, in order (money in account currency)."""

POSITION_COLUMNS: tuple[str, ...] = (
    "id",
    "opened",
    "closed",
    "credit",
    "realised_pnl",
    "rolls",
    "max_profit",
    "max_loss",
    "exit_reason",
    "structure",
    "rule",
    "qty",
    "unrealised_pnl",
)
"""Columns of :attr:`Result.positions`, in order."""


@dataclass(frozen=True, slots=True)
class Result:
    """What a replay produced. Money is in account currency, credits positive.

    ``trades``: one row per fill (:data:`~condorrules.replay.book.TRADE_COLUMNS`); ``equity``:
    one row per bar, indexed by ``date``, after that bar's trades (:data:`EQUITY_COLUMNS`);
    ``decisions``: one JSON-ready record per bar (actions carried out or skipped with the
    reason, proposals with their status, settlements, alerts); ``positions``: one row per
    position ever opened (:data:`POSITION_COLUMNS`); ``parameters``: what the run used;
    ``metrics``: from :func:`condorrules.report.compute_metrics` (empty without the report).
    """

    trades: pd.DataFrame
    equity: pd.DataFrame
    decisions: list[dict[str, Any]]
    positions: pd.DataFrame
    parameters: dict[str, Any]
    metrics: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        """Headline numbers of the run (for a terminal table)."""
        equity = self.equity["equity"]
        start_capital = float(self.parameters.get("capital", equity.iloc[0]))
        end = float(equity.iloc[-1]) if len(equity) else start_capital
        return {
            "bars": len(self.equity),
            "positions": len(self.positions),
            "fills": len(self.trades),
            "final_equity": end,
            "total_pnl": end - start_capital,
            "fees": float(self.trades["fees"].sum()) if len(self.trades) else 0.0,
            "rolls": int(self.positions["rolls"].sum()) if len(self.positions) else 0,
            "skipped_actions": sum(len(record["skipped"]) for record in self.decisions),
        }


def trades_frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """The ledger rows as a frame with stable dtypes (dates as datetime64)."""
    frame = pd.DataFrame(rows, columns=list(TRADE_COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"])
    frame["expiry"] = pd.to_datetime(frame["expiry"])
    for column in ("strike", "price", "fees", "cash_flow", "realised_pnl"):
        frame[column] = frame[column].astype("float64")
    frame["qty"] = frame["qty"].astype("int64")
    for column in ("position", "rule", "action", "leg", "right"):
        frame[column] = frame[column].astype(object)
    return frame


def equity_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Daily rows as a frame indexed by ``date`` (a DatetimeIndex)."""
    frame = pd.DataFrame(rows, columns=["date", *EQUITY_COLUMNS])
    frame.index = pd.DatetimeIndex(pd.to_datetime(frame.pop("date")), name="date")
    for column in EQUITY_COLUMNS:
        if column in ("open_positions", "hedge_layers"):
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype("float64")
    return frame


def positions_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Position rows, ordered by id number (opening order)."""
    ordered = sorted(rows, key=lambda row: int(str(row["id"])[1:]))
    frame = pd.DataFrame(ordered, columns=list(POSITION_COLUMNS))
    frame["opened"] = pd.to_datetime(frame["opened"])
    frame["closed"] = pd.to_datetime(frame["closed"])
    for column in ("credit", "realised_pnl", "max_profit", "max_loss", "unrealised_pnl"):
        frame[column] = frame[column].astype("float64")
    for column in ("rolls", "qty"):
        frame[column] = frame[column].astype("int64")
    return frame


def with_metrics(result: Result) -> Result:
    """``result`` with ``metrics`` from the report package, when it is installed."""
    compute = _metrics_function()
    if compute is None:
        return result
    return replace(result, metrics=dict(compute(result)))


def _metrics_function() -> Callable[[Result], dict[str, Any]] | None:
    for module_name in ("condorrules.report.metrics", "condorrules.report"):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        function = getattr(module, "compute_metrics", None)
        if callable(function):
            return function  # type: ignore[no-any-return]
    return None
