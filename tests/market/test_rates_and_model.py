"""Rates schedule and the MarketModel bundle: documented defaults and overrides."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from condorrules.market import (
    EventCalendar,
    MarketModel,
    Rates,
    TradingCalendar,
    VolatilityModel,
    VolatilityParameters,
)

D = dt.date


def test_default_rates_follow_the_documented_schedule() -> None:
    rates = Rates()
    # 3-month T-bill annual averages (FRED TB3MS) and S&P 500 year-end dividend yields.
    assert rates.rate(D(2014, 6, 1)) == 0.0003
    assert rates.rate(D(2018, 12, 31)) == 0.0194
    assert rates.div_yield(D(2016, 2, 1)) == 0.0203
    assert rates.rate(D(2024, 1, 2)) == 0.02  # outside the schedule: flat default
    assert rates.div_yield(D(2010, 1, 4)) == 0.019


def test_rate_series_match_scalar_lookups() -> None:
    index = pd.bdate_range("2013-12-20", "2019-01-10")
    rates = Rates()
    expected_rate = [rates.rate(d.date()) for d in index]
    expected_div = [rates.div_yield(d.date()) for d in index]
    np.testing.assert_array_equal(rates.rate_series(index), expected_rate)
    np.testing.assert_array_equal(rates.div_yield_series(index.to_numpy()), expected_div)


def test_flat_rates_ignore_the_schedule() -> None:
    rates = Rates.flat(0.05, 0.01)
    assert rates.rate(D(2016, 1, 4)) == 0.05 and rates.div_yield(D(2016, 1, 4)) == 0.01


def test_default_market_model_parts() -> None:
    market = MarketModel.default()
    assert market.events.names() == ("FOMC",)
    assert market.atm_iv(20.0) == pytest.approx(0.174)
    assert not market.calendar.is_trading_day(D(2018, 12, 5))


def test_market_implied_vol_uses_the_dates_rates_for_the_forward() -> None:
    market = MarketModel.default()
    on = D(2018, 6, 1)
    expected = market.volatility.implied_vol(2700, 2600, 0.1, 15, rate=0.0194, div=0.0209)
    assert market.implied_vol(on, 2700, 2600, 0.1, 15) == expected


def test_overrides_replace_parts_and_merge_events(tmp_path: Path) -> None:
    path = tmp_path / "cpi.csv"
    path.write_text("date,event,note\n2018-03-13,CPI,\n")
    base = MarketModel.default()
    market = base.with_overrides(
        volatility=VolatilityParameters(atm_to_vix=0.9),
        events=EventCalendar.from_csv(path),
        rates=Rates.flat(0.03, 0.015),
        calendar=TradingCalendar(extra_closures=frozenset({D(2018, 3, 14)})),
    )
    assert market.atm_iv(20.0) == pytest.approx(0.18)
    assert market.events.names() == ("CPI", "FOMC")
    assert market.rates.rate(D(2018, 1, 2)) == 0.03
    assert not market.calendar.is_trading_day(D(2018, 3, 14))
    assert base.atm_iv(20.0) == pytest.approx(0.174)  # the original is unchanged


def test_events_can_replace_instead_of_merge(tmp_path: Path) -> None:
    path = tmp_path / "cpi.csv"
    path.write_text("date,event\n2018-03-13,CPI\n")
    market = MarketModel.default().with_overrides(
        events=EventCalendar.from_csv(path), replace_events=True
    )
    assert market.events.names() == ("CPI",)


def test_volatility_model_override_accepts_a_model() -> None:
    model = VolatilityModel(VolatilityParameters(long_run_atm_vol=0.25))
    market = MarketModel.default().with_overrides(volatility=model)
    assert market.volatility is model


def test_default_models_are_equal_and_hashable() -> None:
    first, second = MarketModel.default(), MarketModel.default()
    assert first == second
    assert hash(first) == hash(second)
    assert first != first.with_overrides(rates=Rates.flat(0.05, 0.0))
