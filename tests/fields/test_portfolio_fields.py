"""Portfolio-scope fields: market fields, sums over positions, unknowns with reasons."""

from __future__ import annotations

import datetime
from typing import Any

import numpy as np
import pytest
from numpy.testing import assert_allclose

from condorrules.fields import (
    PORTFOLIO_FIELDS,
    POSITION_FIELDS,
    LegBook,
    MarketRows,
    Unknown,
    derive_fields,
    market_columns,
    position_columns,
)
from condorrules.fields import position as position_module
from condorrules.market import MarketModel
from condorrules.state import parse_state


def condor(position_id: str, credit: float, wing: float = 50) -> dict[str, Any]:
    def leg(right: str, strike: float, qty: int) -> dict[str, Any]:
        return {"right": right, "strike": strike, "expiry": "2018-02-16", "qty": qty}

    legs = [
        leg("put", 2550 - wing, 1),
        leg("put", 2550, -1),
        leg("call", 2900, -1),
        leg("call", 2900 + wing, 1),
    ]
    return {"id": position_id, "opened": "2018-01-02", "credit": credit, "legs": legs}


def book_state(**extra: Any) -> dict[str, Any]:
    state: dict[str, Any] = {
        "date": "2018-01-10",
        "spot": 2750.0,
        "vix": 12.0,
        "positions": [condor("a", 6.0), condor("b", 2.0, wing=25)],
        "portfolio": {"equity": 100000.0, "cash": 80000.0, "peak_equity": 125000.0},
    }
    state.update(extra)
    return state


def test_portfolio_money_fields() -> None:
    fields = derive_fields(book_state())
    assert fields.get("portfolio.margin") == 4400.0 + 2300.0
    assert fields.get("portfolio.bp_used") == 6700.0 / 100000.0
    assert fields.get("portfolio.equity") == 100000.0
    assert fields.get("portfolio.cash") == 80000.0
    assert fields.get("portfolio.drawdown") == 0.2
    assert fields.get("portfolio.open_positions") == 2.0


def test_portfolio_greeks_sum_the_positions() -> None:
    fields = derive_fields(book_state())
    for greek in ("delta", "gamma", "vega", "theta"):
        a, b = fields.get(greek, "a"), fields.get(greek, "b")
        assert isinstance(a, float) and isinstance(b, float)
        assert fields.get(f"portfolio.{greek}") == a + b


def test_hedges_count_layers() -> None:
    layer = {
        "long_strike": 14,
        "short_strike": 19,
        "expiry": "2018-02-14",
        "qty": 10,
        "debit": 0.9,
        "opened": "2018-01-05",
    }
    portfolio = {"equity": 100000.0, "hedges": [layer, dict(layer, long_strike=15)]}
    fields = derive_fields(book_state(portfolio=portfolio))
    assert fields.get("portfolio.hedged") is True
    assert fields.get("portfolio.hedge_count") == 2.0
    assert isinstance(fields.get("portfolio.drawdown"), Unknown)
    assert "peak_equity" in str(fields.get("portfolio.drawdown"))


def test_no_portfolio_leaves_money_fields_unknown() -> None:
    fields = derive_fields(book_state(portfolio=None))
    assert fields.get("portfolio.equity") == Unknown("the state has no portfolio")
    assert isinstance(fields.get("portfolio.bp_used"), Unknown)
    assert fields.get("portfolio.hedged") is False
    assert isinstance(fields.get("portfolio.margin"), float)


def test_market_fields_and_their_unknowns() -> None:
    fields = derive_fields(book_state(vix=None, open=2740.0))
    assert fields.get("date") == datetime.date(2018, 1, 10)
    assert fields.get("weekday") == "wed"
    assert fields.get("spot.open") == 2740.0
    assert "no high price" in str(fields.get("spot.high"))
    assert fields.get("vix") == Unknown("no VIX on this bar")
    atm = fields.get("atm_iv")
    assert isinstance(atm, Unknown) and "no VIX on this bar" in atm.reason
    model = MarketModel.default()
    assert fields.get("rate") == model.rates.rate(datetime.date(2018, 1, 10))
    with_vix = derive_fields(book_state(vix=16.0, rate=0.03))
    assert with_vix.get("atm_iv") == model.atm_iv(16.0)
    assert with_vix.get("rate") == 0.03


def test_inputs_are_values_or_unknown() -> None:
    fields = derive_fields(book_state(inputs={"ad_line": 1520.0, "breadth": None}))
    assert fields.input("ad_line") == 1520.0
    assert "breadth" in str(fields.input("breadth"))
    assert isinstance(fields.input("missing"), Unknown)


def test_one_position_over_many_bars_matches_state_by_state() -> None:
    model = MarketModel.default()
    position = parse_state(book_state()).positions[0]
    dates = ["2018-01-10", "2018-01-11", "2018-01-12"]
    spots, vixes = [2750.0, 2700.0, 2880.0], [12.0, np.nan, 15.0]
    book = LegBook.from_positions([position]).take([0, 0, 0])
    rows = MarketRows.from_series(np.array(dates, dtype="datetime64[D]"), spots, vixes, model)
    columns = position_columns(book, rows, model)
    market = market_columns(rows, model)
    for row, (day, spot, vix) in enumerate(zip(dates, spots, vixes, strict=True)):
        vix_field = None if np.isnan(vix) else vix
        single = derive_fields(book_state(date=day, spot=spot, vix=vix_field), model)
        expected = single.position("a")
        for name, column in columns.items():
            actual = column.at(row)
            if isinstance(actual, float):
                assert_allclose(actual, expected[name], rtol=1e-12, err_msg=name)
            else:
                assert actual == expected[name], name
        for name in ("weekday", "date", "vix", "atm_iv", "rate", "spot.open"):
            assert market[name].at(row) == single.get(name), name


def test_every_field_is_derived() -> None:
    fields = derive_fields(book_state())
    assert set(fields.position("a")) == set(POSITION_FIELDS)
    assert set(fields.portfolio) == set(PORTFOLIO_FIELDS)
    assert len(POSITION_FIELDS) == len(set(POSITION_FIELDS)) == 27 + 4 * 10 + 2 * 3


def test_requested_names_give_the_same_values(monkeypatch: pytest.MonkeyPatch) -> None:
    full = derive_fields(book_state())
    wanted = ["pnl_pct", "tested", "short_put.delta", "portfolio.bp_used", "vix"]
    some = derive_fields(book_state(), names=wanted)
    assert some.get("pnl_pct", "b") == full.get("pnl_pct", "b")
    assert some.get("tested", "a") == full.get("tested", "a")
    assert some.get("portfolio.bp_used") == full.get("portfolio.bp_used")
    assert "portfolio.delta" not in some.portfolio and "pop" not in some.columns
    # Structure-only fields never price a leg.
    monkeypatch.setattr(position_module, "price_legs", None)
    cheap = derive_fields(book_state(), names=["dte", "max_loss", "range_position", "pop"])
    assert cheap.get("max_loss", "a") == 4400.0
    with pytest.raises(KeyError, match="short_puts"):
        derive_fields(book_state(), names=["short_puts.delta"])


def test_portfolio_fields_and_inputs_are_visible_from_a_position() -> None:
    fields = derive_fields(book_state(inputs={"ad_line": 3.0}))
    assert fields.get("vix", "a") == 12.0
    assert fields.get("ad_line", "b") == 3.0
    assert fields.get("ad_line") == 3.0
    with pytest.raises(KeyError, match=r"short_put\.delta"):
        fields.get("short_put.delta")
    with pytest.raises(KeyError, match="no position with id 'zz'"):
        fields.get("pnl", "zz")
