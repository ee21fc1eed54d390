"""Metrics against hand computations on small synthetic frames (never against themselves)."""

from __future__ import annotations

import datetime
import math
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from condorrules.report import compute_metrics
from condorrules.report.metrics import (
    annual_return,
    daily_returns,
    sharpe_ratio,
    sortino_ratio,
    xirr,
)

DAYS = ["2018-01-02", "2018-01-03", "2018-01-04", "2018-01-05", "2018-01-08"]


def test_drawdown_of_a_known_curve(frames) -> None:
    # Peak 110 on day 2, trough 99 on day 3 (10 % below), back above 110 only on day 5.
    result = frames.result(frames.equity(DAYS, [100, 110, 99, 105, 121]), capital=100)
    metrics = compute_metrics(result)
    assert metrics["max_drawdown"] == pytest.approx(0.1, abs=1e-12)
    assert metrics["max_drawdown_peak"] == "2018-01-03"
    assert metrics["max_drawdown_trough"] == "2018-01-04"
    assert metrics["max_drawdown_recovery"] == "2018-01-08"


def test_drawdown_never_recovered_and_later_equal_peak(frames) -> None:
    # 120 is reached twice: the drawdown starts at the later one; no recovery by the end.
    result = frames.result(frames.equity(DAYS, [100, 120, 110, 120, 90]), capital=100)
    metrics = compute_metrics(result)
    assert metrics["max_drawdown"] == pytest.approx(0.25, abs=1e-12)
    assert metrics["max_drawdown_peak"] == "2018-01-05"
    assert metrics["max_drawdown_recovery"] is None


def test_rising_curve_has_no_drawdown(frames) -> None:
    metrics = compute_metrics(frames.result(frames.equity(DAYS, [1, 2, 3, 4, 5]), capital=1))
    assert metrics["max_drawdown"] == 0.0
    assert metrics["max_drawdown_peak"] is None


def test_sharpe_and_sortino_by_hand(frames) -> None:
    # Daily returns +1 %, -1 %, +2 %, 0 %.
    equity = [100.0, 101.0, 99.99, 101.9898, 101.9898]
    result = frames.result(frames.equity(DAYS, equity), capital=100)
    metrics = compute_metrics(result)
    returns = [0.01, -0.01, 0.02, 0.0]
    expected_sharpe = statistics.mean(returns) / statistics.stdev(returns) * math.sqrt(252)
    assert metrics["sharpe"] == pytest.approx(expected_sharpe, rel=1e-9)
    assert expected_sharpe == pytest.approx(6.1482, abs=1e-4)
    # Downside deviation over all four returns: sqrt(0.01² / 4) = 0.005 = the mean return.
    assert metrics["sortino"] == pytest.approx(math.sqrt(252), rel=1e-9)
    assert metrics["volatility"] == pytest.approx(
        statistics.stdev(returns) * math.sqrt(252), rel=1e-9
    )


def test_sharpe_and_sortino_undefined_cases() -> None:
    assert math.isnan(sharpe_ratio(np.array([0.01])))
    assert math.isnan(sharpe_ratio(np.array([0.01, 0.01, 0.01])))
    assert math.isnan(sortino_ratio(np.array([0.01, 0.02, 0.0])))
    assert daily_returns(pd.Series([100.0])).size == 0


def test_total_and_annual_return(frames) -> None:
    # 730 calendar days from 2016-01-01 to 2017-12-31; capital 100 grows to 121.
    equity = frames.equity(["2016-01-01", "2017-01-02", "2017-12-31"], [100, 110, 121])
    metrics = compute_metrics(frames.result(equity, capital=100))
    assert metrics["total_return"] == pytest.approx(0.21, abs=1e-12)
    assert metrics["total_pnl"] == pytest.approx(21.0)
    assert metrics["calendar_days"] == 730
    assert metrics["annual_return"] == pytest.approx(1.21 ** (365.25 / 730) - 1, rel=1e-12)
    assert annual_return(100, 121, 730.5) == pytest.approx(0.10, abs=1e-12)
    assert annual_return(100, 0, 365) == -1.0


def test_total_return_counts_from_capital_not_first_bar(frames) -> None:
    metrics = compute_metrics(frames.result(frames.equity(DAYS, [98] * 5), capital=100))
    assert metrics["total_return"] == pytest.approx(-0.02)


def test_xirr_one_year_ten_percent() -> None:
    rate, reason = xirr([datetime.date(2017, 1, 1), datetime.date(2018, 1, 1)], [-100, 110])
    assert reason is None
    assert rate == pytest.approx(0.10, abs=1e-10)


def test_xirr_spreadsheet_reference() -> None:
    # The worked example of the spreadsheet XIRR function (Microsoft's documentation): 37.34 %.
    dates = [
        datetime.date(2008, 1, 1),
        datetime.date(2008, 3, 1),
        datetime.date(2008, 10, 30),
        datetime.date(2009, 2, 15),
        datetime.date(2009, 4, 1),
    ]
    rate, _ = xirr(dates, [-10_000, 2_750, 4_250, 3_250, 2_750])
    assert rate == pytest.approx(0.373362535, abs=1e-8)


def test_xirr_without_sign_change_is_nan_with_reason() -> None:
    rate, reason = xirr([datetime.date(2017, 1, 1), datetime.date(2018, 1, 1)], [100, 110])
    assert math.isnan(rate)
    assert reason is not None and "sign" in reason


def test_trade_statistics_by_hand(frames) -> None:
    pnl = [300.0, -200.0, 100.0, -50.0, 0.0]
    # Credit per share and units: 500 + 400 + 300 + 300 + 200 = 1,700 received.
    credit = [5.0, 4.0, 3.0, 1.5, 2.0]
    units = [1, 1, 1, 2, 1]
    positions = frames.positions(
        [
            {"id": f"P{i}", "opened": DAYS[0], "closed": DAYS[3], "realised_pnl": p,
             "credit": c, "qty": q, "rolls": i % 2, "max_loss": 1_000.0}
            for i, (p, c, q) in enumerate(zip(pnl, credit, units, strict=True))
        ]
        + [{"id": "OPEN", "opened": DAYS[2], "credit": 9.99, "realised_pnl": 5_000.0}]
    )  # fmt: skip
    metrics = compute_metrics(frames.result(frames.equity(DAYS, [100] * 5), None, positions))
    assert metrics["positions_closed"] == 5
    assert metrics["positions_open_at_end"] == 1
    assert metrics["win_rate"] == pytest.approx(0.4)
    assert metrics["average_win"] == pytest.approx(200.0)
    assert metrics["average_loss"] == pytest.approx(-125.0)
    assert metrics["profit_factor"] == pytest.approx(400 / 250)
    assert metrics["premium_capture"] == pytest.approx(150 / 1700)
    assert metrics["rolls"] == 2


def test_profit_factor_without_losses_is_nan_with_note(frames) -> None:
    positions = frames.positions(
        [{"id": "P1", "opened": DAYS[0], "closed": DAYS[1], "realised_pnl": 10.0}]
    )
    metrics = compute_metrics(frames.result(frames.equity(DAYS, [100] * 5), None, positions))
    assert math.isnan(metrics["profit_factor"])
    assert "lost money" in metrics["notes"]["profit_factor"]


def test_time_in_range_and_return_on_margin(frames) -> None:
    equity = frames.equity(
        DAYS,
        [1_000, 1_010, 1_020, 1_030, 1_100],
        in_range=[np.nan, 1.0, 0.5, 0.0, np.nan],
        margin=[0.0, 1_000.0, 3_000.0, 2_000.0, 0.0],
    )
    metrics = compute_metrics(frames.result(equity, capital=1_000))
    assert metrics["time_in_range"] == pytest.approx(0.5)
    assert metrics["average_margin"] == pytest.approx(2_000.0)
    assert metrics["peak_margin"] == pytest.approx(3_000.0)
    assert metrics["return_on_margin"] == pytest.approx(100 / 2_000)


def test_xirr_on_margin_of_one_position(frames) -> None:
    positions = frames.positions(
        [{"id": "P1", "opened": "2017-01-01", "closed": "2018-01-01", "realised_pnl": 100.0,
          "max_loss": 1_000.0, "credit": 2.0}]
    )  # fmt: skip
    equity = frames.equity(["2017-01-01", "2018-01-01"], [10_000, 10_100])
    metrics = compute_metrics(frames.result(equity, None, positions, capital=10_000))
    assert metrics["xirr_on_margin"] == pytest.approx(0.10, abs=1e-10)


def test_hedge_cost_and_payoff(frames) -> None:
    hedge = {"rule": "hedge_rule", "right": "call", "position": "H1"}
    trades = frames.trades(
        [
            {**hedge, "date": DAYS[0], "action": "hedge", "leg": "vix_long_call",
             "cash_flow": -300.0},
            {**hedge, "date": DAYS[0], "action": "hedge", "leg": "vix_short_call",
             "cash_flow": 100.0},
            {**hedge, "date": DAYS[2], "action": "unhedge", "leg": "vix_long_call",
             "cash_flow": 150.0},
            {**hedge, "date": DAYS[2], "action": "unhedge", "leg": "vix_short_call",
             "cash_flow": -40.0},
            {"date": DAYS[3], "position": "H2", "rule": "hedge_rule", "action": "hedge",
             "leg": "vix_long_call", "cash_flow": -50.0},
            {"date": DAYS[4], "position": "H2", "rule": "settlement", "action": "settle",
             "leg": "vix_long_call", "cash_flow": 80.0},
            {"date": DAYS[1], "position": "P1", "action": "open", "cash_flow": 999.0},
        ]
    )  # fmt: skip
    equity = frames.equity(DAYS, [100] * 5, hedge_value=[0, 0, 0, 60, 25])
    metrics = compute_metrics(frames.result(equity, trades))
    assert metrics["hedge_cost"] == pytest.approx(250.0)
    assert metrics["hedge_payoff"] == pytest.approx(190.0)
    assert metrics["hedge_value_at_end"] == pytest.approx(25.0)
    assert metrics["hedge_pnl"] == pytest.approx(-35.0)


def test_pnl_by_rule_attributes_closes_and_lists_opens(sample_run) -> None:
    rows = {row["rule"]: row for row in compute_metrics(sample_run)["pnl_by_rule"]}
    assert rows["enter"]["opened"] == 2
    assert rows["enter"]["opened_pnl"] == pytest.approx(250.0 + 230.0)
    assert rows["enter"]["realised_pnl"] == 0.0
    assert rows["<script>alert(1)</script>"]["realised_pnl"] == pytest.approx(250.0)
    assert rows["roll_tested"]["realised_pnl"] == pytest.approx(-150.0)
    assert rows["roll_tested"]["fills"] == 2
    assert rows["settlement"]["realised_pnl"] == pytest.approx(380.0)
    assert rows["vix_hedge"]["opened"] == 1
    assert rows["vix_unhedge"]["realised_pnl"] == pytest.approx(140.0)
    assert sum(row["realised_pnl"] for row in rows.values()) == pytest.approx(620.0)
    assert list(rows) == sorted(rows)


def test_hedge_positions_are_not_counted_as_trades(sample_run) -> None:
    metrics = compute_metrics(sample_run)
    assert metrics["positions_closed"] == 2
    assert metrics["win_rate"] == 1.0
    assert metrics["premium_capture"] == pytest.approx((250 + 230) / (500 + 450))
    assert metrics["rolls"] == 1
    assert metrics["fees"] == pytest.approx(3.9)


def test_empty_run_gives_nan_with_notes(frames) -> None:
    metrics = compute_metrics(frames.result(frames.equity([], [])))
    assert math.isnan(metrics["total_return"])
    assert metrics["bars"] == 0
    assert metrics["pnl_by_rule"] == []
    assert "no bars" in metrics["notes"]["total_return"]


def test_every_metric_is_defined_in_the_docs(sample_run) -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "replay.md").read_text(encoding="utf-8")
    section = docs[docs.index("## Results and metrics") :]
    keys = set(compute_metrics(sample_run)) - {"notes", "start", "end", "bars", "calendar_days"}
    keys -= {"capital", "max_drawdown_peak", "max_drawdown_trough", "max_drawdown_recovery"}
    missing = sorted(key for key in keys if f"`{key}`" not in section)
    assert not missing, f"metrics without a definition in docs/replay.md: {missing}"


def test_monthly_returns_chain_from_capital(frames) -> None:
    # Month ends: January 110, February 104.5, March 104.5; the capital 100 comes before.
    dates = ["2018-01-02", "2018-01-31", "2018-02-15", "2018-02-28", "2018-03-01"]
    result = frames.result(frames.equity(dates, [101, 110, 99, 104.5, 104.5]), capital=100)
    monthly = compute_metrics(result)["monthly_returns"]
    assert list(monthly) == ["2018-01", "2018-02", "2018-03"]
    assert monthly["2018-01"] == pytest.approx(0.10, abs=1e-12)
    assert monthly["2018-02"] == pytest.approx(-0.05, abs=1e-12)
    assert monthly["2018-03"] == 0.0
