"""Accounting: cash flows, settlement by hand, rolls' realised P&L, margin skips."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from condorrules.history import load_builtin, slice_dates
from condorrules.replay import Costs, simulate

D = dt.date
CONDOR = {"dte": 45.0, "short_delta": 0.16, "wing": 50.0, "qty": 1.0}


def run(maker: Any, start: str, end: str, capital: float = 100_000.0, **kw: Any) -> Any:
    history = slice_dates(load_builtin(), start, end)
    return simulate(maker, history, {"capital": capital}, **kw)


def test_cash_flows_add_up_to_the_change_in_equity(script: Any, make_action: Any) -> None:
    plan = {
        D(2016, 3, 1): [make_action("a", "open", "iron_condor", **CONDOR)],
        D(2016, 3, 2): [make_action("b", "open", "iron_condor", **{**CONDOR, "qty": 2.0})],
        D(2016, 3, 15): [make_action("c", "close", position="p1", side="put")],
        D(2016, 3, 22): [make_action("d", "resize", position="p2", qty=3.0)],
        D(2016, 3, 29): [make_action("e", "close", position="p1"),
                         make_action("f", "close", position="p2")],
    }  # fmt: skip
    result = run(script(plan), "2016-03-01", "2016-04-05")
    trades = result.trades
    assert set(trades["action"]) == {"open", "close", "resize"}
    # Each fill's cash flow, recomputed from its quantity, price and fees.
    expected_flow = -trades["qty"] * trades["price"] * 100 - trades["fees"]
    np.testing.assert_allclose(trades["cash_flow"], expected_flow, rtol=0, atol=1e-9)
    change = result.equity["equity"].iloc[-1] - 100_000.0
    assert result.equity["open_positions"].iloc[-1] == 0
    assert trades["cash_flow"].sum() == pytest.approx(change, abs=1e-6)
    # Realised P&L is computed from price differences, a different path to the same money.
    assert trades["realised_pnl"].sum() == pytest.approx(change, abs=1e-6)
    positions = result.positions.set_index("id")
    assert positions["realised_pnl"].sum() == pytest.approx(change, abs=1e-6)
    assert trades["fees"].sum() == pytest.approx(1.30 * trades["qty"].abs().sum())


def test_open_positions_are_marked_into_equity(script: Any, make_action: Any) -> None:
    plan = {D(2017, 5, 1): [make_action("a", "open", "iron_condor", **CONDOR)]}
    result = run(script(plan), "2017-05-01", "2017-05-31")
    last = result.equity.iloc[-1]
    assert last["equity"] == pytest.approx(last["cash"] + last["position_value"], abs=1e-9)
    unrealised = result.positions["unrealised_pnl"].sum()
    assert result.trades["cash_flow"].sum() + last["position_value"] == pytest.approx(
        last["equity"] - 100_000.0, abs=1e-6
    )
    assert result.positions["realised_pnl"].sum() + unrealised == pytest.approx(
        last["equity"] - 100_000.0, abs=1e-6
    )


def test_condor_held_to_a_monthly_expiry_settles_at_the_open(script: Any, make_action: Any) -> None:
    # 2017-12-01 + 49 days: the standard (AM-settled) expiry of Friday 2018-01-19. The January
    # 2018 rally carried the S&P 500 through the call side.
    args = {**CONDOR, "dte": 49.0}
    plan = {D(2017, 12, 1): [make_action("a", "open", "iron_condor", **args)]}
    result = run(script(plan), "2017-12-01", "2018-01-31")
    trades = result.trades
    opened = trades[trades["action"] == "open"].set_index("leg")
    assert set(opened["expiry"]) == {pd.Timestamp("2018-01-19")}
    settled = trades[trades["action"] == "settle"].set_index("leg")
    assert list(settled["date"].unique()) == [pd.Timestamp("2018-01-19")]
    level = 2802.60  # the S&P 500's opening print on 2018-01-19 (built-in history)
    by_hand = {
        "short_put": max(opened.loc["short_put", "strike"] - level, 0.0),
        "long_put": max(opened.loc["long_put", "strike"] - level, 0.0),
        "short_call": max(level - opened.loc["short_call", "strike"], 0.0),
        "long_call": max(level - opened.loc["long_call", "strike"], 0.0),
    }
    assert by_hand["short_call"] > 0  # the test exercises an in-the-money settlement
    for leg, value in by_hand.items():
        assert settled.loc[leg, "price"] == pytest.approx(value, abs=1e-9)
        assert settled.loc[leg, "fees"] == 0.0
    credit = -(opened["qty"] * opened["price"]).sum()
    payoff = (opened["qty"] * pd.Series(by_hand)).sum()
    pnl = (credit + payoff) * 100 - opened["fees"].sum()
    position = result.positions.iloc[0]
    assert position["exit_reason"] == "settlement"
    assert position["closed"] == pd.Timestamp("2018-01-19")
    assert position["realised_pnl"] == pytest.approx(pnl, abs=1e-6)
    assert result.equity["equity"].iloc[-1] - 100_000.0 == pytest.approx(pnl, abs=1e-6)


def test_weekly_expiry_settles_at_the_close(script: Any, make_action: Any) -> None:
    # 2018-01-02 + 10 days: the PM-settled weekly of Friday 2018-01-12.
    args = {**CONDOR, "dte": 10.0, "short_delta": 0.45, "wing": 25.0}
    plan = {D(2018, 1, 2): [make_action("a", "open", "iron_condor", **args)]}
    result = run(script(plan), "2018-01-02", "2018-01-17")
    settled = result.trades[result.trades["action"] == "settle"].set_index("leg")
    level = 2786.24  # the close of 2018-01-12
    call = settled.loc["short_call"]
    assert call["expiry"] == pd.Timestamp("2018-01-12")
    assert call["price"] == pytest.approx(max(level - call["strike"], 0.0), abs=1e-9)
    assert call["price"] > 0
    [record] = [r for r in result.decisions if r["date"] == "2018-01-12"]
    settlements = record["settlements"]
    assert {s["settlement"] for s in settlements} == {"PM"}
    assert {s["level"] for s in settlements} == {level}


def test_a_rolls_realised_pnl_is_carried_into_the_position(script: Any, make_action: Any) -> None:
    plan = {
        D(2015, 7, 1): [make_action("a", "open", "iron_condor", **CONDOR)],
        D(2015, 7, 20): [make_action("roll_put", "roll", position="p1", side="put",
                                     dte="same", short_delta=0.30)],
    }  # fmt: skip
    maker = script(plan)
    result = run(maker, "2015-07-01", "2015-07-24")
    trades = result.trades
    rolled = trades[trades["action"] == "roll"]
    assert list(rolled["position"].unique()) == ["p1"]
    closing = rolled[rolled["realised_pnl"] != 0]
    assert sorted(closing["leg"]) == ["long_put", "short_put"]
    realised = closing["realised_pnl"].sum()
    after = [s for s in maker.states if s.date > D(2015, 7, 20)]
    assert after, "the position must be seen again after the roll"
    position = after[0].positions[0]
    assert position.id == "p1"
    assert position.rolls == 1
    assert position.realised_pnl == pytest.approx(realised, abs=1e-9)
    new_short = rolled[(rolled["leg"] == "short_put") & (rolled["qty"] < 0)]
    assert position.leg("short_put").strike == new_short["strike"].iloc[0]
    # The credit is now the current structure's: the kept call side plus the new put side.
    opened = trades[trades["action"] == "open"].set_index("leg")
    new = rolled[rolled["realised_pnl"] == 0].set_index("leg")
    calls = opened.loc[["short_call", "long_call"]]
    credit = -(calls["qty"] * calls["price"]).sum() - (new["qty"] * new["price"]).sum()
    assert position.credit == pytest.approx(credit, abs=1e-9)
    summary = result.positions.iloc[0]
    assert summary["rolls"] == 1
    assert summary["realised_pnl"] == pytest.approx(realised, abs=1e-9)


def test_an_open_that_does_not_fit_the_margin_is_skipped_and_recorded(
    script: Any, make_action: Any
) -> None:
    plan = {
        D(2016, 3, 1): [make_action("first", "open", "iron_condor", **CONDOR)],
        D(2016, 3, 2): [make_action("second", "open", "iron_condor", **CONDOR)],
    }
    result = run(script(plan), "2016-03-01", "2016-03-04", capital=6_000.0)
    assert list(result.positions["id"]) == ["p1"]
    record = next(r for r in result.decisions if r["date"] == "2016-03-02")
    assert record["actions"][0]["result"] == "skipped"
    [skip] = record["skipped"]
    assert skip["rule"] == "second"
    assert skip["reason"].startswith("margin: the open needs $")
    assert not (result.trades["rule"] == "second").any()


def test_risk_sizing_floors_to_whole_contracts(script: Any, make_action: Any) -> None:
    args = {"dte": 45.0, "short_delta": 0.16, "wing": 50.0, "risk": 0.10}
    plan = {D(2016, 3, 1): [make_action("a", "open", "iron_condor", **args)]}
    result = run(script(plan), "2016-03-01", "2016-03-02")
    position = result.positions.iloc[0]
    unit_loss = position["max_loss"] / position["qty"]
    assert position["qty"] == int(10_000.0 // unit_loss)
    tiny = {D(2016, 3, 1): [make_action("a", "open", "iron_condor", **{**args, "risk": 0.01})]}
    skipped = run(script(tiny), "2016-03-01", "2016-03-02")
    assert skipped.positions.empty
    assert "less than one contract" in skipped.decisions[0]["skipped"][0]["reason"]


def test_fills_pay_slippage_against_the_mid(script: Any, make_action: Any) -> None:
    plan = {D(2016, 3, 1): [make_action("a", "open", "iron_condor", **CONDOR)]}
    free = run(script(plan), "2016-03-01", "2016-03-01", costs=Costs(slippage=0.0))
    costly = run(script(plan), "2016-03-01", "2016-03-01", costs=Costs(slippage=0.10))
    merged = free.trades.merge(costly.trades, on="leg", suffixes=("_mid", "_fill"))
    sign = np.sign(merged["qty_mid"])
    np.testing.assert_allclose(merged["price_fill"], merged["price_mid"] + 0.10 * sign, atol=1e-9)


def test_resize_changes_every_leg_in_proportion(script: Any, make_action: Any) -> None:
    plan = {
        D(2016, 3, 1): [make_action("a", "open", "iron_condor", **{**CONDOR, "qty": 2.0})],
        D(2016, 3, 8): [make_action("up", "resize", position="p1", qty=5.0)],
        D(2016, 3, 15): [make_action("down", "resize", position="p1", qty=1.0)],
    }
    maker = script(plan)
    run(maker, "2016-03-01", "2016-03-16")
    seen = {s.date: s.positions[0] for s in maker.states if s.positions}
    assert sorted(abs(leg.qty) for leg in seen[D(2016, 3, 9)].legs) == [5, 5, 5, 5]
    assert sorted(abs(leg.qty) for leg in seen[D(2016, 3, 16)].legs) == [1, 1, 1, 1]
