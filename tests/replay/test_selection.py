"""Strike and expiry selection, checked against the scalar reference pricer and by hand."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from condorrules.greeks import reference
from condorrules.market import MarketModel
from condorrules.replay.actions import merge_selection
from condorrules.replay.pricing import MarketBar, Pricer
from condorrules.replay.selection import (
    Expiry,
    SelectionError,
    StrikeSelector,
    choose_expiry,
    settlement_of,
)

MARKET = MarketModel.default()
DAY = dt.date(2018, 1, 2)
BAR = MarketBar(DAY, 2695.81, 2683.73, 2695.89, 2682.36, 9.77, 9.77, 0.0194, 0.0209)
EXPIRY = Expiry(dt.date(2018, 2, 16), "AM")


def reference_delta(right: str, strike: float, expiry: dt.date = EXPIRY.date) -> float:
    """Delta from the scalar reference formula at the volatility model's IV."""
    t = (expiry - DAY).days / 365
    vol = float(MARKET.volatility.implied_vol(BAR.spot, strike, t, BAR.vix, BAR.rate, BAR.div))
    return reference.greeks(right == "call", BAR.spot, strike, t, vol, BAR.rate, BAR.div)["delta"]


def assert_nearest(side: str, strike: float, target: float) -> None:
    """``strike``'s delta magnitude is at least as near ``target`` as its grid neighbours'."""
    chosen = abs(abs(reference_delta(side, strike)) - target)
    for step in (-5.0, 5.0):
        assert chosen <= abs(abs(reference_delta(side, strike + step)) - target)


def selector() -> StrikeSelector:
    return StrikeSelector(Pricer(MARKET), BAR, EXPIRY)


def test_expiry_is_the_listed_expiry_nearest_the_dte() -> None:
    assert choose_expiry(BAR, 45, MARKET, None) == Expiry(dt.date(2018, 2, 16), "AM")
    # 2018-01-02 + 10 days is Friday 2018-01-12, a PM-settled weekly.
    assert choose_expiry(BAR, 10, MARKET, None) == Expiry(dt.date(2018, 1, 12), "PM")
    assert settlement_of(dt.date(2018, 3, 16), MARKET) == "AM"
    assert settlement_of(dt.date(2018, 3, 9), MARKET) == "PM"


@pytest.mark.parametrize("side", ["put", "call"])
def test_short_delta_picks_the_grid_strike_with_the_nearest_delta(side: str) -> None:
    strikes = selector().side(side, {"short_delta": 0.16}, {"wing": 50})
    assert strikes.short % 5 == 0
    assert_nearest(side, strikes.short, 0.16)
    assert abs(abs(reference_delta(side, strikes.short)) - 0.16) < 0.02
    expected_long = strikes.short - 50 if side == "put" else strikes.short + 50
    assert strikes.long == expected_long


def test_put_delta_and_call_delta_choose_each_side() -> None:
    choice = {"put_delta": 0.10, "call_delta": 0.25}
    put = selector().side("put", choice, {"wing": 25})
    call = selector().side("call", choice, {"wing": 25})
    assert_nearest("put", put.short, 0.10)
    assert_nearest("call", call.short, 0.25)


def test_short_otm_is_a_ratio_of_spot_snapped_to_the_grid() -> None:
    put = selector().side("put", {"short_otm": 0.05}, {"wing": 50})
    call = selector().side("call", {"short_otm": 0.05}, {"wing": 50})
    assert put.short == 2560.0  # 2695.81 × 0.95 = 2561.02 → 2560
    assert call.short == 2830.0  # 2695.81 × 1.05 = 2830.60 → 2830


def test_short_em_uses_the_expected_move_to_the_expiry() -> None:
    atm = 0.87 * 9.77 / 100  # the model's 30-day ATM IV from VIX (docs/market.md)
    move = 2695.81 * atm * math.sqrt(45 / 365)
    put = selector().side("put", {"short_em": 1.0}, {"wing": 50})
    call = selector().side("call", {"short_em": 1.0}, {"wing": 50})
    assert put.short == 5 * round((2695.81 - move) / 5)
    assert call.short == 5 * round((2695.81 + move) / 5)


def test_separate_wings_and_wing_delta() -> None:
    put = selector().side("put", {"short_delta": 0.16}, {"put_wing": 25, "call_wing": 75})
    call = selector().side("call", {"short_delta": 0.16}, {"put_wing": 25, "call_wing": 75})
    assert put.short - put.long == 25
    assert call.long - call.short == 75
    winged = selector().side("put", {"short_delta": 0.16}, {"wing_delta": 0.05})
    assert winged.long < winged.short
    assert_nearest("put", winged.long, 0.05)


def test_no_vix_means_no_delta_selection() -> None:
    blind = MarketBar(DAY, 2695.81, math.nan, math.nan, math.nan, math.nan, math.nan, 0.02, 0.02)
    with pytest.raises(SelectionError, match="no VIX"):
        StrikeSelector(Pricer(MARKET), blind, EXPIRY).side("put", {"short_delta": 0.16}, {})


def test_a_roll_keeps_the_selector_it_does_not_replace() -> None:
    assert merge_selection({"short_delta": 0.16}, {}) == {"short_delta": 0.16}
    assert merge_selection({"short_delta": 0.16}, {"short_otm": 0.05}) == {"short_otm": 0.05}
    merged = merge_selection({"short_otm": 0.05}, {"put_delta": 0.30})
    assert merged == {"short_otm": 0.05, "put_delta": 0.30}
    put = selector().side("put", merged, {"wing": 50})
    call = selector().side("call", merged, {"wing": 50})
    assert_nearest("put", put.short, 0.30)
    assert call.short == 2830.0  # still 5 % out of the money
