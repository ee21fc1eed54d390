"""Worked examples from Hull, "Options, Futures and Other Derivatives" (10th ed.), to the
precision the book prints them."""

from __future__ import annotations

import pytest

from condorrules import greeks as g


def test_hull_example_15_6_call_and_put_prices() -> None:
    # S = 42, K = 40, r = 10 %, vol = 20 %, six months: c = 4.76, p = 0.81.
    assert g.price("call", 42.0, 40.0, 0.5, 0.2, 0.1) == pytest.approx(4.76, abs=0.005)
    assert g.price("put", 42.0, 40.0, 0.5, 0.2, 0.1) == pytest.approx(0.81, abs=0.005)


def test_hull_chapter_19_call_greeks() -> None:
    # S = 49, K = 50, r = 5 %, vol = 20 %, 20 weeks: value 2.40, delta 0.522, gamma 0.066,
    # vega 12.1 per unit vol, theta -4.31 per year, rho 8.91 per unit rate.
    result = g.greeks("call", 49.0, 50.0, 20 / 52, 0.2, 0.05)
    assert result.price == pytest.approx(2.40, abs=0.005)
    assert result.delta == pytest.approx(0.522, abs=0.0005)
    assert result.gamma == pytest.approx(0.066, abs=0.0005)
    assert result.vega == pytest.approx(12.1 / 100, abs=0.0005)
    assert result.theta == pytest.approx(-4.31 / 365, abs=0.00005)
    assert result.rho == pytest.approx(8.91 / 100, abs=0.00005)


def test_hull_example_17_1_index_option_with_dividend_yield() -> None:
    # Hull example 17.1: European call on an index, S = 930, K = 900, r = 8 %, q = 3 %,
    # vol = 20 %, two months: value 51.83.
    value = g.price("call", 930.0, 900.0, 2 / 12, 0.2, 0.08, 0.03)
    assert value == pytest.approx(51.83, abs=0.005)


def test_hull_example_18_6_black76_futures_put() -> None:
    # Hull example 18.6 (futures options): put, F = 20, K = 20, r = 9 %, vol = 25 %, four
    # months: value 1.12.
    value = g.black76_price("put", 20.0, 20.0, 4 / 12, 0.25, 0.09)
    assert value == pytest.approx(1.12, abs=0.005)


def test_haug_generalised_bsm_example() -> None:
    # Haug 1.1.6 (generalised Black-Scholes-Merton): put, S = 75, K = 70, T = 0.5, r = 10 %,
    # b = 5 % (so q = 5 %), vol = 35 %: value 4.0870.
    value = g.price("put", 75.0, 70.0, 0.5, 0.35, 0.10, 0.05)
    assert value == pytest.approx(4.0870, abs=0.00005)
