"""Synthetic replay results with exactly the columns of the replay's ``Result`` contract."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest

TRADE_COLUMNS = [
    "date",
    "position",
    "rule",
    "action",
    "leg",
    "right",
    "strike",
    "expiry",
    "qty",
    "price",
    "fees",
    "cash_flow",
    "realised_pnl",
]
EQUITY_COLUMNS = [
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
]
POSITION_COLUMNS = [
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
]


@dataclass(frozen=True)
class FakeResult:
    """Stands in for ``condorrules.replay.Result`` (same fields)."""

    trades: pd.DataFrame
    equity: pd.DataFrame
    positions: pd.DataFrame
    parameters: dict[str, Any]
    decisions: list[dict[str, Any]] = field(default_factory=list)
    metrics: dict[str, Any] = field(default_factory=dict)


class Frames:
    """Builders for the result's frames; unspecified columns get neutral values."""

    @staticmethod
    def equity(dates: Sequence[str], equity: Sequence[float], **columns: Any) -> pd.DataFrame:
        count = len(dates)
        data: dict[str, Any] = {
            "equity": list(equity),
            "cash": list(equity),
            "margin": [0.0] * count,
            "open_positions": [0] * count,
            "delta": [0.0] * count,
            "gamma": [0.0] * count,
            "vega": [0.0] * count,
            "theta": [0.0] * count,
            "hedge_value": [0.0] * count,
            "spot": np.linspace(2700.0, 2750.0, count),
            "vix": np.linspace(12.0, 18.0, count),
            "in_range": [float("nan")] * count,
        }
        data.update(columns)
        index = pd.DatetimeIndex(pd.to_datetime(list(dates)), name="date")
        return pd.DataFrame({name: data[name] for name in EQUITY_COLUMNS}, index=index)

    @staticmethod
    def trades(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
        defaults: dict[str, Any] = {
            "rule": "enter",
            "leg": "short_put",
            "right": "put",
            "strike": 2500.0,
            "expiry": "2018-03-16",
            "qty": -1,
            "price": 1.0,
            "fees": 0.0,
            "cash_flow": 0.0,
            "realised_pnl": 0.0,
        }
        records = [{**defaults, **row} for row in rows]
        frame = pd.DataFrame(records, columns=TRADE_COLUMNS)
        frame["date"] = pd.to_datetime(frame["date"])
        frame["expiry"] = pd.to_datetime(frame["expiry"])
        return frame

    @staticmethod
    def positions(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
        defaults: dict[str, Any] = {
            "closed": None,
            "credit": 0.0,
            "realised_pnl": 0.0,
            "rolls": 0,
            "max_profit": 0.0,
            "max_loss": 0.0,
            "exit_reason": None,
            "structure": "iron_condor",
            "rule": "enter",
            "qty": 1,
            "unrealised_pnl": 0.0,
        }
        records = [{**defaults, **row} for row in rows]
        frame = pd.DataFrame(records, columns=POSITION_COLUMNS)
        frame["opened"] = pd.to_datetime(frame["opened"])
        frame["closed"] = pd.to_datetime(frame["closed"])
        return frame

    @staticmethod
    def result(
        equity: pd.DataFrame,
        trades: pd.DataFrame | None = None,
        positions: pd.DataFrame | None = None,
        capital: float = 100_000.0,
        decisions: list[dict[str, Any]] | None = None,
    ) -> FakeResult:
        return FakeResult(
            trades=trades if trades is not None else Frames.trades([]),
            equity=equity,
            positions=positions if positions is not None else Frames.positions([]),
            parameters={
                "ruleset": "synthetic",
                "params": {},
                "start": str(equity.index[0].date()) if len(equity) else None,
                "end": str(equity.index[-1].date()) if len(equity) else None,
                "capital": capital,
                "costs": {"commission": 0.65, "slippage": 0.05},
            },
            decisions=decisions or [],
        )


@pytest.fixture
def frames() -> type[Frames]:
    return Frames


def _sample_run() -> FakeResult:
    """A small but complete run: two condors (one rolled), a hedge, alerts, a hostile rule name."""
    dates = pd.bdate_range("2018-01-02", periods=12)
    days = [str(day.date()) for day in dates]
    equity_values = [100_000, 100_120, 100_300, 99_800, 99_950, 100_400,
                     100_250, 100_600, 100_900, 100_700, 101_000, 101_150]  # fmt: skip
    margin = [0, 4_500, 9_000, 9_000, 4_500, 4_500, 4_500, 4_500, 0, 0, 0, 0]
    in_range = [np.nan, 1.0, 1.0, 0.5, 0.0, 1.0, 1.0, 1.0, np.nan, np.nan, np.nan, np.nan]
    equity = Frames.equity(
        days,
        equity_values,
        margin=margin,
        open_positions=[0, 1, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0],
        delta=np.linspace(-5, 5, 12),
        gamma=np.linspace(-0.2, 0.1, 12),
        vega=np.linspace(-80, -20, 12),
        theta=np.linspace(10, 30, 12),
        hedge_value=[0, 0, 0, 150, 220, 0, 0, 0, 0, 0, 0, 0],
        in_range=in_range,
    )
    trades = Frames.trades(
        [
            {"date": days[1], "position": "P1", "action": "open", "cash_flow": 500.0},
            {"date": days[2], "position": "P2", "action": "open", "cash_flow": 450.0},
            {"date": days[3], "position": "H1", "rule": "vix_hedge", "action": "hedge",
             "leg": "vix_long_call", "right": "call", "strike": 20.0, "qty": 1,
             "cash_flow": -120.0, "fees": 1.3},
            {"date": days[4], "position": "P1", "rule": "<script>alert(1)</script>",
             "action": "close", "cash_flow": -250.0, "realised_pnl": 250.0, "fees": 2.6},
            {"date": days[4], "position": "P2", "rule": "roll_tested", "action": "roll",
             "cash_flow": -600.0, "realised_pnl": -150.0},
            {"date": days[4], "position": "P2", "rule": "roll_tested", "action": "roll",
             "strike": 2450.0, "cash_flow": 380.0},
            {"date": days[5], "position": "H1", "rule": "vix_unhedge", "action": "unhedge",
             "leg": "vix_long_call", "right": "call", "strike": 20.0, "qty": -1,
             "cash_flow": 260.0, "realised_pnl": 140.0},
            {"date": days[8], "position": "P2", "rule": "settlement", "action": "settle",
             "cash_flow": 0.0, "realised_pnl": 380.0},
        ]
    )  # fmt: skip
    positions = Frames.positions(
        [
            {"id": "P1", "opened": days[1], "closed": days[4], "credit": 5.0,
             "realised_pnl": 250.0, "max_loss": 4_500.0, "exit_reason": "profit take"},
            {"id": "P2", "opened": days[2], "closed": days[8], "credit": 2.25, "qty": 2,
             "realised_pnl": 230.0, "rolls": 1, "max_loss": 4_550.0, "exit_reason": "expiry"},
            {"id": "H1", "opened": days[3], "closed": days[5], "credit": -1.2,
             "realised_pnl": 140.0, "max_loss": 120.0, "exit_reason": "unhedge"},
        ]
    )  # fmt: skip
    decisions = [
        {"date": day, "actions": [], "alerts": [], "proposals": [], "value": 0.1 * index}
        for index, day in enumerate(days)
    ]
    decisions[3]["alerts"] = [{"rule": "warn", "position": "P2", "text": "tested <put> & more"}]
    decisions[5]["score"] = float("nan")
    decisions[6]["skipped"] = [
        {"rule": "enter", "kind": "open", "position": None, "reason": "needs margin > <b>cash</b>"}
    ]
    return Frames.result(equity, trades, positions, decisions=decisions)


@pytest.fixture(scope="session")
def sample_run() -> FakeResult:
    return _sample_run()
