"""PNG charts of a replay: equity and drawdown, margin use, position Greeks, VIX with trades.

matplotlib's object API with the Agg renderer (no pyplot, no display, no global style
changes); fixed size and dpi, and ``Software`` metadata removed, so the bytes are identical
from one run to the next.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from condorrules.report.metrics import drawdown
from condorrules.report.record import RunRecord, hedge_fills

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

DEFAULT_DPI = 100
"""Pixels per inch of the PNG files (a chart is 8 × 4.5 inches: 800 × 450 pixels)."""

FIGURE_SIZE = (8.0, 4.5)

INK = "#1f2933"
GRID = "#d9dee3"
EQUITY = "#1f5f8b"
LOSS = "#c0392b"
MARGIN = "#6c7a89"
VIX = "#7b3fa0"
SPOT = "#1f5f8b"
# Portfolio Greeks in money terms: option Greeks × contracts × 100.
GREEKS = {
    "delta": ("delta (money per index point)", "#1f5f8b"),
    "gamma": ("gamma (delta per index point)", "#c0392b"),
    "vega": ("vega (money per vol point)", "#7b3fa0"),
    "theta": ("theta (money per calendar day)", "#2e7d32"),
}

# (actions, label, marker, colour) for trade markers, drawn in this order.
TRADE_MARKERS = (
    (("open",), "open", "^", "#2e7d32"),
    (("close", "settle"), "close or expiry", "v", "#c0392b"),
    (("roll", "resize"), "roll or resize", "D", "#e67e22"),
    (("hedge",), "hedge bought", "*", "#7b3fa0"),
)

Chart = Callable[[RunRecord, "Figure"], None]


def render_charts(result: RunRecord, dpi: int = DEFAULT_DPI) -> dict[str, bytes]:
    """The charts as PNG bytes, by file name, in report order."""
    return {name: _png(draw, result, dpi) for name, _, draw in CHARTS}


def chart_titles() -> dict[str, str]:
    """Each chart file's title, for captions."""
    return {name: title for name, title, _ in CHARTS}


def _png(draw: Chart, result: RunRecord, dpi: int) -> bytes:
    # Imported here: matplotlib takes about half a second to import, and a replay that
    # writes no charts (a parameter sweep) should not pay for it.
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_SIZE, dpi=dpi, layout="constrained")
    if result.equity.empty:
        figure.text(0.5, 0.5, "no bars in this run", ha="center", va="center", color=INK)
    else:
        draw(result, figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def _equity_and_drawdown(result: RunRecord, figure: Figure) -> None:
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    dates = _dates(result.equity)
    equity = result.equity["equity"].astype(float)
    capital = result.parameters.get("capital")
    top.plot(dates, equity.to_numpy(), color=EQUITY, linewidth=1.2, label="equity")
    if isinstance(capital, int | float):
        top.axhline(float(capital), color=MARGIN, linewidth=0.8, linestyle="--", label="capital")
    falls = drawdown(equity).to_numpy() * 100.0
    bottom.fill_between(dates, falls, 0.0, color=LOSS, alpha=0.35, linewidth=0)
    bottom.plot(dates, falls, color=LOSS, linewidth=0.8)
    _style(top, "Equity and drawdown", "equity")
    _style(bottom, None, "drawdown %")
    _thousands_axis(top)
    _legend_above(top)
    _dates_axis(bottom)


def _margin_use(result: RunRecord, figure: Figure) -> None:
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(3, 1))
    dates = _dates(result.equity)
    margin = result.equity["margin"].astype(float).to_numpy()
    top.fill_between(dates, margin, 0.0, color=MARGIN, alpha=0.3, linewidth=0, step="post")
    top.step(dates, margin, where="post", color=MARGIN, linewidth=1.0, label="margin in use")
    in_use = margin[margin > 0]
    if in_use.size:
        top.axhline(
            float(in_use.mean()), color=INK, linewidth=0.8, linestyle="--", label="average in use"
        )
    _legend_above(top)
    positions = result.equity["open_positions"].astype(float).to_numpy()
    bottom.step(dates, positions, where="post", color=EQUITY, linewidth=1.0)
    _style(top, "Margin use", "margin")
    _style(bottom, None, "positions")
    _thousands_axis(top)
    _dates_axis(bottom)


def _greeks(result: RunRecord, figure: Figure) -> None:
    axes = figure.subplots(2, 2, sharex=True)
    dates = _dates(result.equity)
    for axis, (name, (title, colour)) in zip(axes.flat, GREEKS.items(), strict=True):
        values = result.equity[name].astype(float).to_numpy()
        axis.axhline(0.0, color=GRID, linewidth=0.8)
        axis.plot(dates, values, color=colour, linewidth=1.0)
        _style(axis, title, None)
        _dates_axis(axis)
    figure.suptitle("Position Greeks (portfolio totals at each close)", fontsize=10, color=INK)


def _vix_with_trades(result: RunRecord, figure: Figure) -> None:
    top, bottom = figure.subplots(2, 1, sharex=True)
    dates = _dates(result.equity)
    for axis, column, colour, label in (
        (top, "spot", SPOT, "S&P 500"),
        (bottom, "vix", VIX, "VIX"),
    ):
        series = result.equity[column].astype(float)
        axis.plot(dates, series.to_numpy(), color=colour, linewidth=1.0)
        _mark_trades(axis, result.trades, series)
        _style(axis, None, label)
    top.set_title("S&P 500 and VIX with entries and exits", fontsize=10, color=INK, loc="left")
    _legend_above(top)
    _dates_axis(bottom)


def _mark_trades(axis: Axes, trades: pd.DataFrame, series: pd.Series) -> None:
    if trades.empty:
        return
    hedge = hedge_fills(trades)
    actions = trades["action"].astype(str)
    # One level per time stamp: a record whose bars share a label must not break the lookup.
    series = series[~series.index.duplicated(keep="last")]
    for kinds, label, marker, colour in TRADE_MARKERS:
        chosen = actions.isin(kinds) & (~hedge if "hedge" not in kinds else hedge)
        days = pd.DatetimeIndex(pd.to_datetime(trades.loc[chosen, "date"])).unique().sort_values()
        levels = series.reindex(days)
        if levels.notna().any():
            axis.scatter(days.to_numpy(), levels.to_numpy(), marker=marker, color=colour,
                         s=14, zorder=3, label=label, linewidths=0, alpha=0.85)  # fmt: skip


def _legend_above(axis: Axes) -> None:
    """A one-line legend above the plot's right end, clear of the data and the title."""
    handles, labels = axis.get_legend_handles_labels()
    if handles:
        axis.legend(handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=4,
                    fontsize=7, frameon=False, borderaxespad=0.2)  # fmt: skip


def _dates(equity: pd.DataFrame) -> np.ndarray:
    return pd.DatetimeIndex(equity.index).to_numpy()


def _style(axis: Axes, title: str | None, ylabel: str | None) -> None:
    if title:
        axis.set_title(title, fontsize=10, color=INK, loc="left")
    if ylabel:
        axis.set_ylabel(ylabel, fontsize=8, color=INK)
    axis.tick_params(labelsize=7, colors=INK)
    axis.grid(True, color=GRID, linewidth=0.5)
    for side in ("top", "right"):
        axis.spines[side].set_visible(False)


def _dates_axis(axis: Axes) -> None:
    from matplotlib.dates import AutoDateLocator, ConciseDateFormatter

    # matplotlib.dates ships without annotations on these two constructors.
    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_locator(locator)
    axis.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]


def _thousands_axis(axis: Axes) -> None:
    from matplotlib.ticker import FuncFormatter

    axis.yaxis.set_major_formatter(FuncFormatter(_thousands))


def _thousands(value: float, _position: Any) -> str:
    return f"{value:,.0f}"


CHARTS: tuple[tuple[str, str, Chart], ...] = (
    ("equity_drawdown.png", "Equity and drawdown", _equity_and_drawdown),
    ("margin.png", "Margin use", _margin_use),
    ("greeks.png", "Position Greeks", _greeks),
    ("vix_trades.png", "S&P 500 and VIX with entries and exits", _vix_with_trades),
)
