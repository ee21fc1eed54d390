"""How metrics read to a person: labels, groups and value formats shared by the terminal
summary and the HTML report. Formats are fixed (no locale), so the output is deterministic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from condorrules.report.metrics import compute_metrics
from condorrules.report.record import RunRecord

Kind = Literal["money", "percent", "ratio", "number", "count", "text"]

MISSING = "n/a"


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One metric as shown: its key in the metrics dict, label, format, and group."""

    key: str
    label: str
    kind: Kind
    group: str
    in_summary: bool = True


METRIC_ROWS: tuple[MetricRow, ...] = (
    MetricRow("final_equity", "Final equity", "money", "Returns"),
    MetricRow("total_pnl", "Total P&L", "money", "Returns"),
    MetricRow("total_return", "Total return", "percent", "Returns"),
    MetricRow("annual_return", "Annual return (CAGR)", "percent", "Returns"),
    MetricRow("max_drawdown", "Max drawdown", "percent", "Risk"),
    MetricRow("volatility", "Volatility (annualised)", "percent", "Risk", in_summary=False),
    MetricRow("sharpe", "Sharpe ratio", "ratio", "Risk"),
    MetricRow("sortino", "Sortino ratio", "ratio", "Risk"),
    MetricRow("positions_closed", "Positions closed", "count", "Trades"),
    MetricRow("positions_open_at_end", "Positions open at end", "count", "Trades", False),
    MetricRow("win_rate", "Win rate", "percent", "Trades"),
    MetricRow("average_win", "Average win", "money", "Trades"),
    MetricRow("average_loss", "Average loss", "money", "Trades"),
    MetricRow("profit_factor", "Profit factor", "ratio", "Trades"),
    MetricRow("premium_capture", "Premium capture", "percent", "Trades"),
    MetricRow("rolls", "Rolls", "count", "Trades"),
    MetricRow("fees", "Fees and commissions", "money", "Trades", in_summary=False),
    MetricRow("time_in_range", "Time in range", "percent", "Capital"),
    MetricRow("average_margin", "Average margin in use", "money", "Capital", in_summary=False),
    MetricRow("peak_margin", "Peak margin in use", "money", "Capital", in_summary=False),
    MetricRow("return_on_margin", "Return on margin", "percent", "Capital"),
    MetricRow("xirr_on_margin", "XIRR on margin", "percent", "Capital"),
    MetricRow("hedge_cost", "Hedge cost", "money", "Hedges", in_summary=False),
    MetricRow("hedge_payoff", "Hedge payoff", "money", "Hedges", in_summary=False),
    MetricRow("hedge_value_at_end", "Hedges held at end", "money", "Hedges", in_summary=False),
    MetricRow("hedge_pnl", "Hedge P&L", "money", "Hedges"),
)


def summary_rows(result: RunRecord) -> list[tuple[str, str]]:
    """``(label, value)`` pairs for the terminal summary: the period, then the main metrics.

    Uses ``result.metrics`` when the result carries them, else computes them.
    """
    metrics = metrics_of(result)
    rows = [("Period", period_text(metrics))]
    for row in METRIC_ROWS:
        if row.in_summary:
            rows.append((row.label, format_metric(row, metrics)))
    return rows


def metrics_of(result: RunRecord) -> dict[str, Any]:
    """The result's own metrics if it has any, else freshly computed ones."""
    own = getattr(result, "metrics", None)
    return own if isinstance(own, dict) and own else compute_metrics(result)


def period_text(metrics: dict[str, Any]) -> str:
    """``2014-01-03 to 2018-12-31 (1,257 bars)``."""
    if not metrics.get("bars"):
        return "no bars"
    return f"{metrics['start']} to {metrics['end']} ({metrics['bars']:,} bars)"


def format_metric(row: MetricRow, metrics: dict[str, Any]) -> str:
    """The metric's value as text; the drawdown carries its peak and trough dates."""
    text = format_value(metrics.get(row.key), row.kind)
    if row.key == "max_drawdown" and metrics.get("max_drawdown_peak"):
        text += f" ({metrics['max_drawdown_peak']} to {metrics['max_drawdown_trough']})"
    return text


def format_value(value: Any, kind: Kind) -> str:
    """``12,345.67`` (money), ``12.30 %`` (percent of a ratio), ``1.23`` (ratio), ``2512.5``
    (number: a strike, shortest form), ``7`` (count); ``n/a`` for a missing value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    if kind == "text":
        return str(value)
    number = float(value)
    if math.isinf(number):
        return "∞" if number > 0 else "-∞"
    if kind == "money":
        return f"{number:,.2f}"
    if kind == "percent":
        return f"{number * 100:,.2f} %"
    if kind == "ratio":
        return f"{number:,.2f}"
    if kind == "number":
        return f"{number:.10g}"
    return f"{int(number):,}"
