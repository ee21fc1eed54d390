"""Speed work must not change a result: a replay's ledgers are pinned against stored copies.

``data/tasty_2018_*.csv`` hold the trades, daily equity and positions of
``rulesets/tasty_45dte.condor`` over 2018 on the built-in history, written with the code as it
was before the performance work of docs/performance.md (whose numbers the accounting,
settlement and Greeks reference tests check). Every date, rule, action, leg, strike and
quantity must match exactly; prices and money to 1e-9 relative, because numpy's vectorised
exp/log may differ in the last bit between CPUs. A change that is meant to alter results
rewrites the files (the snippet is in the module's git history) and says why in its commit.
"""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from condorrules.replay import Result, backtest

ROOT = Path(__file__).resolve().parents[2]
TASTY = ROOT / "rulesets" / "tasty_45dte.condor"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def year() -> Result:
    return backtest(TASTY, start="2018-01-01", end="2018-12-31")


def _round_trip(frame: pd.DataFrame, *, index: bool) -> pd.DataFrame:
    """The frame as the stored CSV reads back, so both sides have the same dtypes."""
    return pd.read_csv(io.StringIO(frame.to_csv(index=index, lineterminator="\n")))


@pytest.mark.parametrize(
    ("name", "attribute", "index"),
    [
        ("tasty_2018_trades.csv", "trades", False),
        ("tasty_2018_equity.csv", "equity", True),
        ("tasty_2018_positions.csv", "positions", False),
    ],
)
def test_the_2018_replay_reproduces_the_pinned_ledgers(
    year: Result, name: str, attribute: str, index: bool
) -> None:
    expected = pd.read_csv(DATA / name)
    actual = _round_trip(getattr(year, attribute), index=index)
    pd.testing.assert_frame_equal(actual, expected, check_exact=False, rtol=1e-9, atol=1e-9)


def test_the_2018_replay_trades_and_ends_as_before(year: Result) -> None:
    assert len(year.trades) == 492
    assert round(float(year.equity["equity"].iloc[-1]), 2) == 98237.23
