"""Replay: what would these rules have done? A bar-by-bar simulation over market history.

    from condorrules.replay import backtest
    result = backtest("rulesets/tasty_45dte.condor")      # built-in S&P 500/VIX 2014-2018
    result.trades, result.equity, result.decisions, result.positions, result.metrics

The pipeline per bar is settle → mark → state → decide → carry out → record
(:mod:`~condorrules.replay.simulation`); the book, fills, strike selection, settlement, margin
and VIX hedges each have a module. Assumptions and their sources: docs/replay.md.
"""

from __future__ import annotations

from condorrules.replay.book import TRADE_COLUMNS
from condorrules.replay.fills import Costs
from condorrules.replay.hedges import VixModel
from condorrules.replay.protocol import ActionLike, DecisionLike, DecisionMaker
from condorrules.replay.result import EQUITY_COLUMNS, POSITION_COLUMNS, Result
from condorrules.replay.run import DEFAULT_CAPITAL, backtest, simulate

__all__ = [
    "DEFAULT_CAPITAL",
    "EQUITY_COLUMNS",
    "POSITION_COLUMNS",
    "TRADE_COLUMNS",
    "ActionLike",
    "Costs",
    "DecisionLike",
    "DecisionMaker",
    "Result",
    "VixModel",
    "backtest",
    "simulate",
]
