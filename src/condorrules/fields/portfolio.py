"""Portfolio-scope fields (LANGUAGE.md §4): the bar's market fields and ``portfolio.*``.

Position-dependent portfolio fields (margin, Greeks) are sums of the position columns; one
unknown position makes the sum unknown, with that position named in the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from condorrules.fields.book import MarketRows
from condorrules.fields.values import (
    Column,
    FieldValue,
    FloatArray,
    Unknown,
    choose,
    derived,
    known_column,
)
from condorrules.market import MarketModel
from condorrules.state import State

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as the rule language spells them, Monday first (``date.weekday()`` order)."""

NO_VIX = "no VIX on this bar"
NO_ATM_IV = f"{NO_VIX}, so the volatility model has no level"


def market_fields(
    state: State, model: MarketModel, *, atm_iv: bool = True
) -> dict[str, FieldValue]:
    """date, weekday, spot (and .open/.high/.low), vix, rate, div_yield, atm_iv for one bar.

    ``atm_iv=False`` leaves out ``atm_iv``, the only one that needs the volatility model.
    """
    rate = model.rates.rate(state.date) if state.rate is None else state.rate
    div = model.rates.div_yield(state.date) if state.div_yield is None else state.div_yield
    result: dict[str, FieldValue] = {
        "date": state.date,
        "weekday": WEEKDAYS[state.date.weekday()],
        "spot": state.spot,
    }
    for part in ("open", "high", "low"):
        value = getattr(state, part)
        result[f"spot.{part}"] = (
            Unknown(f"the data has no {part} price for this bar") if value is None else value
        )
    result["vix"] = Unknown(NO_VIX) if state.vix is None else state.vix
    result["rate"] = rate
    result["div_yield"] = div
    if atm_iv:
        result["atm_iv"] = (
            Unknown(NO_ATM_IV) if state.vix is None else float(model.atm_iv(state.vix))
        )
    return result


def market_columns(
    market: MarketRows,
    model: MarketModel,
    open: FloatArray | None = None,
    high: FloatArray | None = None,
    low: FloatArray | None = None,
) -> dict[str, Column]:
    """The market fields over many bars (replay), as in :func:`market_fields`.

    ``open``/``high``/``low`` are optional per-bar arrays (NaN = the bar has none).
    """
    has_vix = np.isfinite(market.vix)
    atm = np.full(len(market), np.nan)
    if has_vix.any():
        atm[has_vix] = model.atm_iv(market.vix[has_vix])
    vix_reasons = choose(has_vix, None, NO_VIX)
    # 1970-01-01 was a Thursday: day number 0 is weekday index 3.
    weekday = np.asarray(WEEKDAYS, dtype=object)[(market.date + 3) % 7]
    columns = {
        "date": known_column(market.date.astype("datetime64[D]")),
        "weekday": known_column(weekday),
        "spot": known_column(market.spot),
        "vix": derived(market.vix, Column(market.vix, vix_reasons)),
        "rate": known_column(market.rate),
        "div_yield": known_column(market.div_yield),
        "atm_iv": derived(atm, Column(atm, choose(has_vix, None, NO_ATM_IV))),
    }
    for part, given in (("open", open), ("high", high), ("low", low)):
        values = np.full(len(market), np.nan) if given is None else np.asarray(given, np.float64)
        reasons = choose(np.isfinite(values), None, f"the data has no {part} price for this bar")
        columns[f"spot.{part}"] = derived(values, Column(values, reasons))
    return columns


def portfolio_fields(
    state: State, position_ids: Sequence[str], columns: Mapping[str, Column]
) -> dict[str, FieldValue]:
    """Every ``portfolio.*`` field of one state, given its position columns (one row each).

    The sums (margin, bp_used, Greeks) are included only when ``columns`` has the column they
    sum (see :data:`PORTFOLIO_NEEDS`).
    """
    portfolio = state.portfolio
    no_portfolio = Unknown("the state has no portfolio")
    hedge_count = 0 if portfolio is None else len(portfolio.hedges)
    result: dict[str, FieldValue] = {
        "portfolio.equity": no_portfolio if portfolio is None else portfolio.equity,
        "portfolio.open_positions": float(len(position_ids)),
        "portfolio.hedged": hedge_count > 0,
        "portfolio.hedge_count": float(hedge_count),
    }
    if portfolio is None:
        result["portfolio.cash"] = no_portfolio
        result["portfolio.drawdown"] = no_portfolio
    else:
        result["portfolio.cash"] = (
            Unknown("the state's portfolio gives no cash")
            if portfolio.cash is None
            else portfolio.cash
        )
        peak = portfolio.peak_equity
        result["portfolio.drawdown"] = (
            Unknown("the state's portfolio gives no peak_equity")
            if peak is None
            else max(0.0, (peak - portfolio.equity) / peak)
        )
    if "margin" in columns:
        margin = _total(columns["margin"], position_ids)
        result["portfolio.margin"] = margin
        if portfolio is None:
            result["portfolio.bp_used"] = no_portfolio
        elif isinstance(margin, float):
            result["portfolio.bp_used"] = margin / portfolio.equity
        else:
            result["portfolio.bp_used"] = margin
    for greek in ("delta", "gamma", "vega", "theta"):
        if greek in columns:
            result[f"portfolio.{greek}"] = _total(columns[greek], position_ids)
    return result


PORTFOLIO_NEEDS: dict[str, str] = {
    "portfolio.margin": "margin",
    "portfolio.bp_used": "margin",
    "portfolio.delta": "delta",
    "portfolio.gamma": "gamma",
    "portfolio.vega": "vega",
    "portfolio.theta": "theta",
}
"""The position column each position-dependent portfolio field sums."""


def _total(column: Column, position_ids: Sequence[str]) -> FieldValue:
    """Sum over positions; unknown, naming the first unknown position, if any is unknown."""
    known = column.known
    if not known.all():
        row = int(np.flatnonzero(~known)[0])
        return Unknown(f"position {position_ids[row]}: {column.reasons[row]}")
    return float(np.sum(column.values)) if len(column) else 0.0


PORTFOLIO_FIELDS: tuple[str, ...] = (
    "date", "weekday", "spot", "spot.open", "spot.high", "spot.low", "vix", "rate", "div_yield",
    "atm_iv", "portfolio.equity", "portfolio.cash", "portfolio.margin", "portfolio.bp_used",
    "portfolio.open_positions", "portfolio.delta", "portfolio.gamma", "portfolio.vega",
    "portfolio.theta", "portfolio.hedged", "portfolio.hedge_count", "portfolio.drawdown",
)  # fmt: skip
"""Every portfolio-scope field name (declared inputs come on top)."""


__all__ = [
    "PORTFOLIO_FIELDS",
    "PORTFOLIO_NEEDS",
    "WEEKDAYS",
    "market_columns",
    "market_fields",
    "portfolio_fields",
]
