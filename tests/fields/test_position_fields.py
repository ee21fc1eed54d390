"""Position fields of the issue's example condor against hand computations.

Every leg carries a quoted iv (or mark), so the expected numbers follow from Black-Scholes
formulas written out here with scipy's normal distribution, independent of the volatility model
and of condorrules.greeks.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import pytest
from numpy.testing import assert_allclose
from scipy.stats import norm

from condorrules.fields import StateFields, Unknown, derive_fields

RATE, DIV = 0.02, 0.015
IVS = {"long_put": 0.22, "short_put": 0.20, "short_call": 0.14, "long_call": 0.13}


def leg(right: str, strike: float, qty: int, **extra: Any) -> dict[str, Any]:
    return {"right": right, "strike": strike, "expiry": "2018-02-16", "qty": qty, **extra}


def condor(qty: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "id": "ic1",
        "opened": "2018-01-02",
        "credit": 6.0,
        "legs": [
            leg("put", 2500, qty, iv=IVS["long_put"]),
            leg("put", 2550, -qty, iv=IVS["short_put"]),
            leg("call", 2900, -qty, iv=IVS["short_call"]),
            leg("call", 2950, qty, iv=IVS["long_call"]),
        ],
        **extra,
    }


def state(*positions: dict[str, Any], spot: float = 2750.0, **extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "date": "2018-01-10",
        "spot": spot,
        "vix": 12,
        "rate": RATE,
        "div_yield": DIV,
        "positions": list(positions),
        "portfolio": {"equity": 100000},
    }
    document.update(extra)
    return document


def years(days: int) -> float:
    return days / 365.0


T = years(37)  # 2018-01-10 → 2018-02-16


def bs(right: str, spot: float, strike: float, t: float, vol: float) -> dict[str, float]:
    """Black-Scholes-Merton price and Greeks (per share; vega per vol point, theta per day)."""
    root_t = math.sqrt(t)
    d1 = (math.log(spot / strike) + (RATE - DIV + vol * vol / 2) * t) / (vol * root_t)
    d2 = d1 - vol * root_t
    spot_df, strike_df = spot * math.exp(-DIV * t), strike * math.exp(-RATE * t)
    gamma = math.exp(-DIV * t) * norm.pdf(d1) / (spot * vol * root_t)
    vega = spot_df * norm.pdf(d1) * root_t / 100
    decay = -spot_df * norm.pdf(d1) * vol / (2 * root_t)
    if right == "call":
        price = spot_df * norm.cdf(d1) - strike_df * norm.cdf(d2)
        delta = math.exp(-DIV * t) * norm.cdf(d1)
        theta = decay - RATE * strike_df * norm.cdf(d2) + DIV * spot_df * norm.cdf(d1)
    else:
        price = strike_df * norm.cdf(-d2) - spot_df * norm.cdf(-d1)
        delta = -math.exp(-DIV * t) * norm.cdf(-d1)
        theta = decay + RATE * strike_df * norm.cdf(-d2) - DIV * spot_df * norm.cdf(-d1)
    return {"price": price, "delta": delta, "gamma": gamma, "vega": vega, "theta": theta / 365}


def number(fields: StateFields, name: str, position: str | int = 0) -> float:
    value = fields.get(name, position)
    assert isinstance(value, float), f"{name} = {value!r}"
    return value


def test_max_profit_max_loss_margin_breakevens() -> None:
    fields = derive_fields(state(condor()))
    assert number(fields, "max_profit") == 600.0
    assert number(fields, "max_loss") == (50 - 6) * 100 == 4400.0
    assert number(fields, "margin") == 4400.0
    assert number(fields, "breakeven_low") == 2544.0
    assert number(fields, "breakeven_high") == 2906.0
    assert number(fields, "credit") == 6.0
    assert (number(fields, "put_side.width"), number(fields, "call_side.width")) == (50.0, 50.0)


def test_money_scales_with_quantity() -> None:
    fields = derive_fields(state(condor(qty=3)))
    assert number(fields, "qty") == 3.0
    assert number(fields, "max_profit") == 1800.0
    assert number(fields, "max_loss") == 13200.0


def test_unequal_wings_lose_the_wider_width() -> None:
    position = condor()
    position["legs"][3]["strike"] = 2925  # call wing 25, put wing 50
    fields = derive_fields(state(position))
    assert number(fields, "max_loss") == (50 - 6) * 100
    assert number(fields, "call_side.width") == 25.0


def test_sides_expiring_apart_can_both_lose() -> None:
    position = condor()
    for call in position["legs"][2:]:
        call["expiry"] = "2018-03-16"
    fields = derive_fields(state(position))
    assert number(fields, "max_loss") == (50 + 50 - 6) * 100
    assert number(fields, "margin") == (50 + 50 - 6) * 100


def test_single_vertical_margin_is_its_width_less_credit() -> None:
    position = condor(credit=2.0)
    del position["legs"][2:]
    fields = derive_fields(state(position))
    assert number(fields, "max_loss") == (50 - 2) * 100
    assert number(fields, "margin") == 4800.0
    assert number(fields, "max_profit") == 200.0


@pytest.mark.parametrize(
    ("spot", "expected"), [(2725.0, 0.0), (2900.0, 1.0), (2550.0, -1.0), (2987.5, 1.5)]
)
def test_range_position_is_linear_between_short_strikes(spot: float, expected: float) -> None:
    fields = derive_fields(state(condor(), spot=spot))
    assert number(fields, "range_position") == pytest.approx(expected, abs=1e-12)
    assert (number(fields, "range_low"), number(fields, "range_high")) == (2550.0, 2900.0)
    assert fields.get("in_range", 0) is (abs(expected) <= 1)


def test_leg_greeks_and_marks_match_black_scholes_with_quoted_iv() -> None:
    fields = derive_fields(state(condor()))
    strikes = {"long_put": 2500, "short_put": 2550, "short_call": 2900, "long_call": 2950}
    for role, strike in strikes.items():
        expected = bs(role.split("_")[1], 2750.0, strike, T, IVS[role])
        assert number(fields, f"{role}.iv") == IVS[role]
        assert_allclose(number(fields, f"{role}.mark"), expected["price"], rtol=1e-9, atol=1e-9)
        for greek in ("delta", "gamma", "vega", "theta"):
            actual = number(fields, f"{role}.{greek}")
            assert_allclose(actual, expected[greek], rtol=1e-7, atol=1e-10, err_msg=role + greek)
    assert number(fields, "short_put.delta") < 0 < number(fields, "short_call.delta")


def test_position_greeks_are_share_equivalent_sums() -> None:
    fields = derive_fields(state(condor(qty=2)))
    signs = {"long_put": 2, "short_put": -2, "short_call": -2, "long_call": 2}
    strikes = {"long_put": 2500, "short_put": 2550, "short_call": 2900, "long_call": 2950}
    for greek in ("delta", "gamma", "vega", "theta"):
        expected = sum(
            signs[role] * 100 * bs(role.split("_")[1], 2750.0, strikes[role], T, IVS[role])[greek]
            for role in signs
        )
        assert_allclose(number(fields, greek), expected, rtol=1e-7, atol=1e-9)
    assert number(fields, "theta") > 0 and number(fields, "vega") < 0


def test_one_short_sixteen_delta_put_is_plus_sixteen() -> None:
    vol = 0.20
    d1 = -norm.ppf(0.16 / math.exp(-DIV * T))  # N(-d1)·e^(-qT) = 0.16
    strike = 2750.0 * math.exp(-(d1 * vol * math.sqrt(T) - (RATE - DIV + vol * vol / 2) * T))
    position = {
        "id": "p",
        "opened": "2018-01-02",
        "credit": 10.0,
        "legs": [{"right": "put", "strike": strike, "expiry": "2018-02-16", "qty": -1, "iv": vol}],
    }
    fields = derive_fields(state(position))
    assert_allclose(number(fields, "short_put.delta"), -0.16, atol=1e-9)
    assert_allclose(number(fields, "delta"), 16.0, atol=1e-7)


def test_pnl_from_quoted_marks_includes_realised() -> None:
    position = condor(realised_pnl=-150.0)
    for quoted, mark in zip(position["legs"], (1.0, 2.0, 1.5, 0.5), strict=True):
        quoted["mark"] = mark
    fields = derive_fields(state(position))
    assert number(fields, "mark") == pytest.approx(2.0 - 1.0 + 1.5 - 0.5)
    assert number(fields, "pnl") == pytest.approx((6.0 - 2.0) * 100 - 150.0)
    assert number(fields, "pnl_pct") == pytest.approx(250.0 / 600.0)
    assert number(fields, "return_on_margin") == pytest.approx(250.0 / 4400.0)
    assert number(fields, "short_put.mark") == 2.0
    assert number(fields, "put_side.mark") == pytest.approx(1.0)
    assert number(fields, "call_side.mark") == pytest.approx(1.0)


def test_quoted_mark_without_iv_implies_the_volatility() -> None:
    position = condor()
    del position["legs"][1]["iv"]
    position["legs"][1]["mark"] = 9.25
    fields = derive_fields(state(position))
    implied = number(fields, "short_put.iv")
    assert_allclose(bs("put", 2750.0, 2550, T, implied)["price"], 9.25, rtol=1e-10)
    expected_delta = bs("put", 2750.0, 2550, T, implied)["delta"]
    assert_allclose(number(fields, "short_put.delta"), expected_delta, rtol=1e-8)


def test_mark_below_intrinsic_leaves_greeks_unknown_with_reason() -> None:
    position = condor()
    del position["legs"][1]["iv"]
    position["legs"][1]["mark"] = 1.0  # the 2550 put is 200 in the money at spot 2350
    fields = derive_fields(state(position, spot=2350.0))
    delta = fields.get("short_put.delta", 0)
    assert isinstance(delta, Unknown) and "quoted mark 1" in delta.reason
    assert number(fields, "short_put.mark") == 1.0
    assert isinstance(fields.get("delta", 0), Unknown)


def test_tested_side_needs_a_short_delta_of_twenty() -> None:
    quiet = derive_fields(state(condor(), spot=2730.0))
    assert abs(number(quiet, "short_put.delta")) < 0.20
    assert abs(number(quiet, "short_call.delta")) < 0.20
    assert quiet.get("tested", 0) == "none"
    near_call = derive_fields(state(condor(), spot=2880.0))
    assert number(near_call, "short_call.delta") >= 0.20
    assert near_call.get("tested", 0) == "call"
    near_put = derive_fields(state(condor(), spot=2580.0))
    assert near_put.get("tested", 0) == "put"


def test_leg_moneyness_and_extrinsic() -> None:
    fields = derive_fields(state(condor(), spot=2530.0))
    assert number(fields, "short_put.otm") == pytest.approx((2530 - 2550) / 2530)
    assert fields.get("short_put.itm", 0) is True
    assert fields.get("long_put.itm", 0) is False
    assert number(fields, "short_call.otm") == pytest.approx((2900 - 2530) / 2530)
    mark = number(fields, "short_put.mark")
    assert number(fields, "short_put.extrinsic") == pytest.approx(mark - 20.0)


def test_put_call_parity_on_model_marks() -> None:
    position = {
        "id": "fly",
        "opened": "2018-01-02",
        "credit": 40.0,
        "legs": [leg("put", 2700, -1), leg("call", 2700, -1)],
    }
    fields = derive_fields(state(position))
    call = number(fields, "short_call.mark")
    put = number(fields, "short_put.mark")
    forward_gap = 2750.0 * math.exp(-DIV * T) - 2700.0 * math.exp(-RATE * T)
    assert_allclose(call - put, forward_gap, rtol=1e-9, atol=1e-8)
    assert number(fields, "short_put.iv") == number(fields, "short_call.iv")


def test_missing_legs_are_unknown_with_reasons() -> None:
    position = condor(credit=2.0)
    del position["legs"][2:]
    fields = derive_fields(state(position))
    for name in ("short_call.delta", "short_call.strike", "long_call.mark", "breakeven_high"):
        value = fields.get(name, 0)
        assert isinstance(value, Unknown), name
        assert "has no" in value.reason and "call" in value.reason
    assert "no short call" in str(fields.get("short_call.delta", 0))
    assert isinstance(fields.get("range_position", 0), Unknown)
    assert fields.get("in_range", 0) is True  # spot above the short put
    assert fields.get("call_side.mark", 0) == Unknown("the position has no call side")
    assert number(fields, "put_side.credit") == 2.0


def test_side_credit_from_leg_open_prices() -> None:
    position = condor()
    for quoted, fill in zip(position["legs"], (2.0, 5.5, 3.0, 0.5), strict=True):
        quoted["open_price"] = fill
    fields = derive_fields(state(position))
    assert number(fields, "put_side.credit") == pytest.approx(3.5)
    assert number(fields, "call_side.credit") == pytest.approx(2.5)
    without = derive_fields(state(condor()))
    assert "open_price" in str(without.get("put_side.credit", 0))


def test_naked_short_call_has_unbounded_loss_and_no_margin() -> None:
    position = condor()
    del position["legs"][3]
    fields = derive_fields(state(position))
    max_loss = fields.get("max_loss", 0)
    assert isinstance(max_loss, Unknown) and "unbounded" in max_loss.reason
    assert isinstance(fields.get("margin", 0), Unknown)
    assert isinstance(fields.get("portfolio.margin"), Unknown)


def test_debit_position_has_no_pnl_pct() -> None:
    fields = derive_fields(state(condor(credit=-1.0)))
    assert isinstance(fields.get("pnl_pct", 0), Unknown)
    assert isinstance(fields.get("pnl", 0), float)


def test_dates_and_counts() -> None:
    fields = derive_fields(state(condor(rolls=2)))
    assert number(fields, "dte") == 37.0
    assert number(fields, "days_in_trade") == 8.0
    assert str(fields.get("expiry", 0)) == "2018-02-16"
    assert str(fields.get("opened", 0)) == "2018-01-02"
    assert number(fields, "rolls") == 2.0


def test_expired_legs_are_worth_intrinsic_value() -> None:
    document = state(condor(), spot=2520.0)
    document["date"] = "2018-02-20"
    fields = derive_fields(document)
    assert number(fields, "dte") == -4.0
    assert number(fields, "short_put.mark") == 30.0
    assert number(fields, "long_put.mark") == 0.0
    assert number(fields, "mark") == 30.0
    assert number(fields, "short_put.delta") == -1.0
    assert number(fields, "short_put.gamma") == 0.0
    assert isinstance(fields.get("long_put.iv", 0), Unknown) is False  # a quoted iv is kept
    del document["positions"][0]["legs"][1]["iv"]
    assert "expiry" in str(derive_fields(document).get("short_put.iv", 0))


def test_same_input_gives_identical_output() -> None:
    first = derive_fields(state(condor(), copy.deepcopy(condor(id="ic2"))))
    second = derive_fields(state(condor(), copy.deepcopy(condor(id="ic2"))))
    assert first.position("ic2") == second.position("ic2")
    assert first.portfolio == second.portfolio
