"""Fills and fees, broker margin for defined-risk spreads, and VIX call-spread hedges."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest
from scipy.stats import norm

from condorrules.history import load_builtin, slice_dates
from condorrules.market import TradingCalendar
from condorrules.replay import Costs, VixModel, simulate
from condorrules.replay.hedges import vix_expiration
from condorrules.replay.margin import LegTerms, margin, worst_payoff

D = dt.date
FEB = D(2018, 2, 16)
MAR = D(2018, 3, 16)


def condor(
    put_long: float,
    put_short: float,
    call_short: float,
    call_long: float,
    qty: int = 1,
    put_expiry: dt.date = FEB,
    call_expiry: dt.date = FEB,
) -> list[LegTerms]:
    return [
        LegTerms("put", put_long, put_expiry, qty),
        LegTerms("put", put_short, put_expiry, -qty),
        LegTerms("call", call_short, call_expiry, -qty),
        LegTerms("call", call_long, call_expiry, qty),
    ]


def test_condor_margin_is_the_wider_width_less_the_credit() -> None:
    # 2600/2650/2850/2925, 2 contracts, credit 6.00 a share: (75 − 6) × 100 × 2.
    assert margin(condor(2600, 2650, 2850, 2925, qty=2), 12.0, 100) == pytest.approx(13_800)
    assert margin(condor(2600, 2650, 2850, 2900), 6.0, 100) == pytest.approx(4_400)


def test_sides_on_different_expiries_are_margined_separately() -> None:
    legs = condor(2600, 2650, 2850, 2900, put_expiry=FEB, call_expiry=MAR)
    assert worst_payoff(legs) == pytest.approx(-100.0)
    assert margin(legs, 6.0, 100) == pytest.approx((50 + 50 - 6) * 100)


def test_an_uncovered_short_call_has_unbounded_margin() -> None:
    legs = [LegTerms("call", 2850, FEB, -2), LegTerms("call", 2900, FEB, 1)]
    assert math.isinf(margin(legs, 5.0, 100))


def test_fill_prices_and_fees() -> None:
    costs = Costs()
    assert costs.fees(-3) == pytest.approx(3 * 1.30)
    assert costs.fill_price(10.0, 1) == pytest.approx(10.05)
    assert costs.fill_price(10.0, -1) == pytest.approx(9.95)
    assert costs.fill_price(0.02, -1) == 0.0
    assert costs.fill_price(10.0, 1, spread=0.40) == pytest.approx(10.10)
    assert Costs.from_value({"commission": 1.0}).commission == 1.0
    with pytest.raises(ValueError, match="unknown cost setting 'comission'"):
        Costs.from_value({"comission": 1.0})
    with pytest.raises(ValueError, match="must be a number >= 0"):
        Costs(slippage=-0.1)


def test_vix_expirations_are_30_days_before_the_next_spx_expiry() -> None:
    calendar = TradingCalendar()
    assert vix_expiration(2018, 3, calendar) == D(2018, 2, 14)
    assert vix_expiration(2018, 1, calendar) == D(2017, 12, 20)
    # 2019-04-19 was Good Friday: the Wednesday 30 days before is 2019-03-20 (a trading day).
    assert vix_expiration(2019, 4, calendar) == D(2019, 3, 20)
    listed = VixModel().expirations(D(2018, 2, 5), calendar)
    assert listed[:2] == [D(2018, 2, 14), D(2018, 3, 21)]


def test_vix_future_is_in_contango_when_calm_and_backwardation_in_stress() -> None:
    model = VixModel()
    assert 11.0 < model.future(11.0, 30) < 13.0
    assert 35.0 < model.future(37.0, 9) < 37.0
    assert model.future(19.5, 60) == pytest.approx(19.5)


def test_hedge_prices_follow_black76_on_the_approximate_future() -> None:
    model = VixModel()
    on = D(2018, 1, 2)
    longs, shorts = model.spread_values([12.0], [17.0], [D(2018, 2, 14)], on, 9.77, 0.0194)
    t = 43 / 365
    forward = 19.5 + (9.77 - 19.5) * math.exp(-2.5 * t)

    def black76(strike: float) -> float:
        d1 = (math.log(forward / strike) + 0.5 * 0.81 * t) / (0.9 * math.sqrt(t))
        d2 = d1 - 0.9 * math.sqrt(t)
        return math.exp(-0.0194 * t) * (forward * norm.cdf(d1) - strike * norm.cdf(d2))

    np.testing.assert_allclose([longs[0], shorts[0]], [black76(12), black76(17)], rtol=1e-10)


def test_a_hedge_layer_has_its_own_pnl_line(script: Any, make_action: Any) -> None:
    condor_args = {"dte": 45.0, "short_delta": 0.16, "wing": 50.0, "qty": 2.0}
    hedge_args = {"above": 2.0, "width": 5.0, "dte": 30.0, "budget": 0.10}
    plan = {
        D(2018, 1, 2): [make_action("open", "open", "iron_condor", **condor_args),
                        make_action("hedge", "hedge", "vix_call_spread", **hedge_args)],
        D(2018, 1, 3): [make_action("again", "hedge", "vix_call_spread", **hedge_args)],
        D(2018, 2, 6): [make_action("lift", "unhedge", layer="oldest")],
    }  # fmt: skip
    maker = script(plan)
    history = slice_dates(load_builtin(), "2018-01-02", "2018-02-28")
    result = simulate(maker, history, {"capital": 100_000.0})
    trades = result.trades
    hedges = trades[trades["leg"].str.startswith("vix_")]
    assert set(hedges["action"]) == {"hedge", "unhedge", "settle"}
    first = hedges[(hedges["position"] == "h1") & (hedges["action"] == "hedge")].set_index("leg")
    assert first.loc["vix_long_call", "strike"] == 12.0  # VIX 9.77 + 2 → 12
    assert first.loc["vix_short_call", "strike"] == 17.0
    assert first.loc["vix_long_call", "expiry"] == np.datetime64("2018-02-14")
    debit = (first.loc["vix_long_call", "price"] - first.loc["vix_short_call", "price"]) * 100
    spreads = first.loc["vix_long_call", "qty"]
    margin_on_day = result.equity.loc["2018-01-02", "margin"]
    assert spreads == math.floor(0.10 * margin_on_day / (debit + 4 * 0.65 * 2 / 2))
    # The first layer was sold on 2018-02-06 (VIX 29.98); the second settled on 2018-02-14.
    sold = hedges[(hedges["position"] == "h1") & (hedges["action"] == "unhedge")]
    assert list(sold["date"].unique()) == [np.datetime64("2018-02-06")]
    settled = hedges[(hedges["position"] == "h2") & (hedges["action"] == "settle")]
    assert list(settled["date"].unique()) == [np.datetime64("2018-02-14")]
    vix = load_builtin().loc["2018-02-14", "vix"]
    legs = settled.set_index("leg")
    for leg in ("vix_long_call", "vix_short_call"):
        value = max(vix - legs.loc[leg, "strike"], 0.0)
        assert legs.loc[leg, "price"] == pytest.approx(value, abs=1e-12)
    assert hedges["realised_pnl"].sum() > 0  # February 2018 paid the hedge
    assert result.equity.loc["2018-01-03":"2018-02-13", "hedge_value"].gt(0).all()
    assert result.equity.loc["2018-02-15":, "hedge_value"].eq(0).all()
    states = {s.date: s for s in maker.states}
    assert len(states[D(2018, 1, 4)].portfolio.hedges) == 2
