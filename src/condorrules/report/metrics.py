"""Performance metrics of a replay: returns, risk, trades, capital efficiency, hedges, per rule.

Every definition, with its formula and convention, is in ``docs/replay.md`` ("Results and
metrics"). Ratios are ratios (0.1 = 10 %), money is in account currency, dates are ISO text.
A metric that cannot be computed is NaN and ``metrics["notes"][name]`` says why.
"""

from __future__ import annotations

import datetime
import itertools
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from condorrules.constants import SPX_MULTIPLIER, TRADING_DAYS_PER_YEAR
from condorrules.report.record import RunRecord, hedge_fills

CALENDAR_DAYS_PER_YEAR = 365.25
"""Annual return (CAGR) counts calendar days between the first and last bar / 365.25."""

XIRR_DAYS_PER_YEAR = 365.0
"""XIRR discounts by calendar days / 365, the convention of the spreadsheet XIRR function."""

CONTRACT_MULTIPLIER = SPX_MULTIPLIER
"""SPX options: money per index point per contract; a position's credit is per share."""

RISK_FREE_RATE = 0.0
"""Sharpe's risk-free rate and Sortino's target return: zero (the replay pays no interest)."""

CLOSING_ACTIONS = frozenset({"close", "settle"})
OPENING_ACTIONS = frozenset({"open", "hedge"})

# Brackets searched for the XIRR root, lowest first: from −99.9999 % to +10⁸ % a year.
_XIRR_GRID = (-0.999999, -0.99, -0.9, -0.5, 0.0, 0.5, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6)

NAN = float("nan")


def compute_metrics(result: RunRecord) -> dict[str, Any]:
    """All metrics of a run, as a JSON-ready dict (NaN where undefined, with a note why).

    Reads ``result.equity``, ``.trades``, ``.positions`` and ``.parameters["capital"]``.
    """
    notes: dict[str, str] = {}
    equity_curve = _equity_curve(result.equity)
    capital = _capital(result.parameters, equity_curve)
    trades = result.trades
    trading = _trading_positions(result.positions, trades)
    metrics: dict[str, Any] = {}
    metrics.update(_return_metrics(equity_curve, capital, notes))
    metrics.update(_risk_metrics(equity_curve, notes))
    metrics.update(_trade_metrics(trading, result.positions, trades, notes))
    metrics.update(_capital_metrics(result.equity, trading, metrics["total_pnl"], notes))
    metrics.update(_hedge_metrics(trades, result.equity))
    metrics["monthly_returns"] = monthly_returns(equity_curve, capital)
    metrics["pnl_by_rule"] = pnl_by_rule(trades, result.positions)
    metrics["notes"] = dict(sorted(notes.items()))
    return metrics


# --- building blocks, each checked against hand computations in tests/report ----------------


def daily_returns(equity: pd.Series) -> np.ndarray:
    """Simple returns ``equity[t] / equity[t-1] - 1`` from the second bar on."""
    values = equity.to_numpy(dtype=float)
    if values.size < 2:
        return np.empty(0)
    returns: np.ndarray = values[1:] / values[:-1] - 1.0
    return returns


def day_ends(equity: pd.Series) -> pd.Series:
    """The last value of each calendar day (intraday bars → one value a day; daily bars are
    returned as they are), so daily statistics stay daily whatever the bar size."""
    if equity.empty:
        return equity
    index = pd.DatetimeIndex(equity.index)
    if index.equals(index.normalize()) and index.is_unique:
        return equity
    return equity.groupby(index.normalize()).last()


def drawdown(equity: pd.Series) -> pd.Series:
    """The fall from the running peak at each bar, as a ratio ``<= 0`` (−0.1 = 10 % below)."""
    peak = equity.cummax()
    return equity / peak - 1.0


def annual_return(start_value: float, end_value: float, calendar_days: float) -> float:
    """CAGR: ``(end / start) ** (365.25 / calendar_days) - 1``; −1 after a total loss."""
    if calendar_days <= 0 or start_value <= 0:
        return NAN
    if end_value <= 0:
        return -1.0
    return float((end_value / start_value) ** (CALENDAR_DAYS_PER_YEAR / calendar_days) - 1.0)


def sharpe_ratio(returns: np.ndarray, periods: int = TRADING_DAYS_PER_YEAR) -> float:
    """``mean(r - rf) / std(r - rf, ddof=1) * sqrt(periods)``, rf = 0; NaN when undefined."""
    excess = np.asarray(returns, dtype=float) - RISK_FREE_RATE / periods
    if excess.size < 2:
        return NAN
    spread = float(np.std(excess, ddof=1))
    if spread == 0.0:
        return NAN
    return float(np.mean(excess)) / spread * math.sqrt(periods)


def sortino_ratio(returns: np.ndarray, periods: int = TRADING_DAYS_PER_YEAR) -> float:
    """``mean(r - T) / DD * sqrt(periods)`` with target T = 0 and downside deviation
    ``DD = sqrt(mean(min(r - T, 0) ** 2))`` over all N returns (Sortino & Price 1994)."""
    excess = np.asarray(returns, dtype=float) - RISK_FREE_RATE / periods
    if excess.size < 2:
        return NAN
    downside = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    if downside == 0.0:
        return NAN
    return float(np.mean(excess)) / downside * math.sqrt(periods)


def xirr(dates: Sequence[datetime.date], flows: Sequence[float]) -> tuple[float, str | None]:
    """The annual rate r with ``sum(flow / (1 + r) ** (days / 365)) = 0``; ``days`` count from
    the first date. Returns ``(rate, None)``, or ``(nan, reason)`` when there is no root
    (flows of one sign, or no sign change between −99.9999 % and +10⁸ %). Of several roots,
    the lowest is returned."""
    amounts = np.asarray(flows, dtype=float)
    if amounts.size == 0:
        return NAN, "no cash flows"
    if not (amounts < 0).any() or not (amounts > 0).any():
        return NAN, "the cash flows do not change sign (no outflow or no inflow)"
    first = min(dates)
    years = np.array([(day - first).days for day in dates], dtype=float) / XIRR_DAYS_PER_YEAR

    def present_value(rate: float) -> float:
        return float(np.sum(amounts / (1.0 + rate) ** years))

    values = [present_value(rate) for rate in _XIRR_GRID]
    for index, (low, high) in enumerate(itertools.pairwise(_XIRR_GRID)):
        if values[index] == 0.0:
            return low, None
        if values[index] * values[index + 1] < 0.0:
            root = brentq(present_value, low, high, xtol=1e-12, rtol=1e-12, maxiter=200)
            return float(root), None
    if values[-1] == 0.0:
        return _XIRR_GRID[-1], None
    return NAN, "no rate between -99.9999 % and +10^8 % a year brings the flows' value to zero"


def pnl_by_rule(trades: pd.DataFrame, positions: pd.DataFrame) -> list[dict[str, Any]]:
    """Per rule (sorted by name): ``realised_pnl`` of the fills it caused (a position's P&L
    goes to the rule that closed or rolled it; expiry goes to the settlement rule), ``fills``,
    ``fees``, and on the opening side ``opened`` (positions it opened or hedges it bought)
    and ``opened_pnl`` (realised P&L of those positions, closed or not)."""
    if trades.empty:
        return []
    rules = trades["rule"].astype(str)
    realised = trades["realised_pnl"].astype(float).groupby(rules).sum()
    fees = trades["fees"].astype(float).groupby(rules).sum()
    fills = rules.value_counts()
    opening = trades[trades["action"].astype(str).isin(OPENING_ACTIONS)]
    first_opens = opening.drop_duplicates("position")
    opened_by = first_opens.set_index(first_opens["position"].astype(str))
    position_pnl = _position_pnl(positions)
    rows = []
    for rule in sorted(set(rules)):
        opened_ids = opened_by.index[opened_by["rule"].astype(str) == rule]
        rows.append(
            {
                "rule": rule,
                "fills": int(fills[rule]),
                "fees": float(fees[rule]),
                "realised_pnl": float(realised[rule]),
                "opened": len(opened_ids),
                "opened_pnl": float(sum(position_pnl.get(str(i), 0.0) for i in opened_ids)),
            }
        )
    return rows


def monthly_returns(equity: pd.Series, capital: float) -> dict[str, float]:
    """Return of each calendar month, by ``YYYY-MM``: the month's last equity over the previous
    month's last equity (the capital before the first month), minus 1."""
    if equity.empty:
        return {}
    month_ends = equity.groupby(pd.DatetimeIndex(equity.index).to_period("M")).last()
    previous = np.concatenate(([capital], month_ends.to_numpy(dtype=float)[:-1]))
    returns = month_ends.to_numpy(dtype=float) / previous - 1.0
    return {
        str(month): float(value) for month, value in zip(month_ends.index, returns, strict=True)
    }


def credit_received(positions: pd.DataFrame) -> float:
    """Opening credit of ``positions`` in money: ``sum(credit × 100 × qty)``, where ``credit`` is
    the net credit per share of one unit and ``qty`` the units opened (1 if not recorded)."""
    if positions.empty:
        return 0.0
    credit = positions["credit"].astype(float).fillna(0.0)
    units = positions["qty"].astype(float).abs() if "qty" in positions else 1.0
    return float((credit * CONTRACT_MULTIPLIER * units).sum())


# --- groups of metrics -----------------------------------------------------------------------


def _return_metrics(curve: pd.Series, capital: float, notes: dict[str, str]) -> dict[str, Any]:
    if curve.empty:
        notes["total_return"] = notes["annual_return"] = "the run has no bars"
        return {
            "capital": capital,
            "final_equity": NAN,
            "total_pnl": NAN,
            "total_return": NAN,
            "annual_return": NAN,
            "start": None,
            "end": None,
            "bars": 0,
            "calendar_days": 0,
        }
    final = float(curve.iloc[-1])
    days = int((curve.index[-1] - curve.index[0]).days)
    annual = annual_return(capital, final, days)
    if math.isnan(annual):
        notes["annual_return"] = "the run spans less than one calendar day"
    return {
        "capital": capital,
        "final_equity": final,
        "total_pnl": final - capital,
        "total_return": final / capital - 1.0 if capital > 0 else NAN,
        "annual_return": annual,
        "start": _iso(curve.index[0]),
        "end": _iso(curve.index[-1]),
        "bars": len(curve),
        "calendar_days": days,
    }


def _risk_metrics(curve: pd.Series, notes: dict[str, str]) -> dict[str, Any]:
    returns = daily_returns(day_ends(curve))
    volatility = (
        float(np.std(returns, ddof=1)) * math.sqrt(TRADING_DAYS_PER_YEAR)
        if returns.size >= 2
        else NAN
    )
    sharpe = sharpe_ratio(returns)
    sortino = sortino_ratio(returns)
    if returns.size < 2:
        notes["sharpe"] = notes["sortino"] = "fewer than two daily returns"
    else:
        if math.isnan(sharpe):
            notes["sharpe"] = "equity never changed (zero volatility)"
        if math.isnan(sortino):
            notes["sortino"] = "no day lost money (zero downside deviation)"
    return {
        **_drawdown_metrics(curve),
        "volatility": volatility,
        "sharpe": sharpe,
        "sortino": sortino,
    }


def _drawdown_metrics(curve: pd.Series) -> dict[str, Any]:
    empty = {
        "max_drawdown": 0.0 if not curve.empty else NAN,
        "max_drawdown_peak": None,
        "max_drawdown_trough": None,
        "max_drawdown_recovery": None,
    }
    if curve.empty:
        return empty
    falls = -drawdown(curve).to_numpy(dtype=float)
    trough = int(np.argmax(falls))
    if falls[trough] <= 0.0:
        return empty
    values = curve.to_numpy(dtype=float)
    peak_value = float(np.max(values[: trough + 1]))
    peak = int(np.flatnonzero(values[: trough + 1] == peak_value)[-1])
    recovered = np.flatnonzero(values[trough:] >= peak_value)
    return {
        "max_drawdown": float(falls[trough]),
        "max_drawdown_peak": _iso(curve.index[peak]),
        "max_drawdown_trough": _iso(curve.index[trough]),
        "max_drawdown_recovery": (
            _iso(curve.index[trough + int(recovered[0])]) if recovered.size else None
        ),
    }


def _trade_metrics(
    trading: pd.DataFrame, positions: pd.DataFrame, trades: pd.DataFrame, notes: dict[str, str]
) -> dict[str, Any]:
    closed = trading[trading["closed"].notna()] if not trading.empty else trading
    pnl = closed["realised_pnl"].astype(float).to_numpy() if not closed.empty else np.empty(0)
    wins, losses = pnl[pnl > 0], pnl[pnl < 0]
    credit = credit_received(closed)
    metrics: dict[str, Any] = {
        "positions_opened": len(trading),
        "positions_closed": len(closed),
        "positions_open_at_end": len(trading) - len(closed),
        "wins": int(wins.size),
        "losses": int(losses.size),
        "win_rate": wins.size / pnl.size if pnl.size else NAN,
        "average_win": float(np.mean(wins)) if wins.size else NAN,
        "average_loss": float(np.mean(losses)) if losses.size else NAN,
        "profit_factor": float(np.sum(wins) / -np.sum(losses)) if losses.size else NAN,
        "premium_capture": float(np.sum(pnl)) / credit if credit > 0 else NAN,
        "rolls": int(positions["rolls"].fillna(0).astype(int).sum()) if not positions.empty else 0,
        "fills": len(trades),
        "fees": float(trades["fees"].astype(float).sum()) if not trades.empty else 0.0,
    }
    if not pnl.size:
        for name in ("win_rate", "premium_capture"):
            notes[name] = "no position was closed"
    elif credit <= 0:
        notes["premium_capture"] = "the closed positions took in no credit"
    if not wins.size:
        notes["average_win"] = "no closed position made money"
    if not losses.size:
        notes["average_loss"] = notes["profit_factor"] = "no closed position lost money"
    return metrics


def _capital_metrics(
    equity: pd.DataFrame, trading: pd.DataFrame, total_pnl: float, notes: dict[str, str]
) -> dict[str, Any]:
    margin = equity["margin"].astype(float) if not equity.empty else pd.Series(dtype=float)
    in_range = equity["in_range"].astype(float) if not equity.empty else pd.Series(dtype=float)
    in_range = in_range.dropna()
    in_use = margin[margin > 0]
    average = float(in_use.mean()) if not in_use.empty else NAN
    rate, reason = _margin_xirr(trading)
    if in_use.empty:
        notes["return_on_margin"] = "no margin was ever in use"
    if in_range.empty:
        notes["time_in_range"] = "no day had an open position"
    if reason is not None:
        notes["xirr_on_margin"] = reason
    return {
        "average_margin": average,
        "peak_margin": float(margin.max()) if not margin.empty else NAN,
        "return_on_margin": total_pnl / average if average > 0 else NAN,
        "xirr_on_margin": rate,
        "time_in_range": float(in_range.mean()) if not in_range.empty else NAN,
    }


def _margin_xirr(trading: pd.DataFrame) -> tuple[float, str | None]:
    if trading.empty:
        return NAN, "no position was closed"
    closed = trading[trading["closed"].notna()]
    margin = closed["max_loss"].astype(float).abs()
    closed = closed[np.isfinite(margin) & (margin > 0)]
    if closed.empty:
        return NAN, "no closed position with a finite margin (max_loss)"
    posted = closed["max_loss"].astype(float).abs()
    dates = [_day(day) for day in closed["opened"]] + [_day(day) for day in closed["closed"]]
    flows = list(-posted) + list(posted + closed["realised_pnl"].astype(float))
    return xirr(dates, [float(flow) for flow in flows])


def _hedge_metrics(trades: pd.DataFrame, equity: pd.DataFrame) -> dict[str, Any]:
    hedges = trades[hedge_fills(trades)]
    cost = payoff = 0.0
    if not hedges.empty:
        flows = hedges["cash_flow"].astype(float)
        buying = hedges["action"].astype(str) == "hedge"
        cost, payoff = -float(flows[buying].sum()), float(flows[~buying].sum())
    held = float(equity["hedge_value"].fillna(0.0).iloc[-1]) if not equity.empty else 0.0
    return {
        "hedge_cost": cost,
        "hedge_payoff": payoff,
        "hedge_value_at_end": held,
        "hedge_pnl": payoff - cost + held,
    }


# --- helpers ---------------------------------------------------------------------------------


def _equity_curve(equity: pd.DataFrame) -> pd.Series:
    if equity.empty:
        return pd.Series(dtype=float, index=pd.DatetimeIndex([], name="date"))
    return equity["equity"].astype(float)


def _capital(parameters: dict[str, Any], curve: pd.Series) -> float:
    capital = parameters.get("capital")
    if isinstance(capital, int | float) and math.isfinite(capital) and capital > 0:
        return float(capital)
    return float(curve.iloc[0]) if not curve.empty else NAN


def _trading_positions(positions: pd.DataFrame, trades: pd.DataFrame) -> pd.DataFrame:
    """Positions that are not hedges: a hedge position has hedge fills only."""
    if positions.empty or trades.empty:
        return positions
    mask = hedge_fills(trades)
    hedge_only = set(trades.loc[mask, "position"].astype(str)) - set(
        trades.loc[~mask, "position"].astype(str)
    )
    return positions[~positions["id"].astype(str).isin(hedge_only)]


def _position_pnl(positions: pd.DataFrame) -> dict[str, float]:
    if positions.empty:
        return {}
    pnl = positions["realised_pnl"].astype(float).fillna(0.0)
    return dict(zip(positions["id"].astype(str), pnl, strict=True))


def _day(value: Any) -> datetime.date:
    return pd.Timestamp(value).date()


def _iso(value: Any) -> str:
    stamp = pd.Timestamp(value)
    return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
