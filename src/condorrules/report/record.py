"""The shape of a replay's result as the report reads it (the replay's ``Result`` satisfies it).

The report never imports the replay: the replay builds its ``Result`` with
:func:`condorrules.report.compute_metrics`, so the dependency runs one way only.
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

HEDGE_ACTIONS = frozenset({"hedge", "unhedge"})
"""Trade actions that open or close a VIX hedge."""

HEDGE_LEG_PREFIX = "vix_"
"""Hedge legs are named ``vix_long_call``, ``vix_short_call``: their settlements are hedge fills."""


class RunRecord(Protocol):
    """What :func:`~condorrules.report.compute_metrics` reads.

    ``trades``: one row per fill (date, position, rule, action, leg, right, strike, expiry, qty,
    price, fees, cash_flow, realised_pnl); ``equity``: one row per bar indexed by ``date`` (equity,
    cash, margin, open_positions, delta, gamma, vega, theta, hedge_value, spot, vix, in_range);
    ``positions``: one row per position (id, opened, closed, credit, realised_pnl, rolls,
    max_profit, max_loss, exit_reason); ``parameters``: ruleset, params, start, end, capital,
    costs. Money is in account currency, signed with credits positive.
    """

    @property
    def trades(self) -> pd.DataFrame: ...

    @property
    def equity(self) -> pd.DataFrame: ...

    @property
    def positions(self) -> pd.DataFrame: ...

    @property
    def parameters(self) -> dict[str, Any]: ...


class ReportedRun(RunRecord, Protocol):
    """A finished run: a :class:`RunRecord` with its decision log and metrics."""

    @property
    def decisions(self) -> list[dict[str, Any]]: ...

    @property
    def metrics(self) -> dict[str, Any]: ...


def hedge_fills(trades: pd.DataFrame) -> pd.Series:
    """A boolean mask of the fills that belong to VIX hedges (by action or by leg name)."""
    if trades.empty:
        return pd.Series(False, index=trades.index, dtype=bool)
    by_action = trades["action"].astype(str).isin(HEDGE_ACTIONS)
    by_leg = trades["leg"].astype(str).str.startswith(HEDGE_LEG_PREFIX)
    return (by_action | by_leg).astype(bool)
