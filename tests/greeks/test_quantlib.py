"""Agreement with QuantLib's AnalyticEuropeanEngine and BlackCalculator on a seeded random grid.

Conventions matched: Actual/365 Fixed with t = whole days / 365, continuously compounded flat
rate and dividend yield; QuantLib's vega and rho are per 1.0 (× 0.01 here) and its theta per
year (÷ 365 here).
"""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from condorrules import greeks as g

ql = pytest.importorskip("QuantLib", reason="QuantLib (dev extra) is the independent reference")

TODAY = ql.Date(2, 1, 2024)
DAY_COUNT = ql.Actual365Fixed()


def _grid(count: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    spot = np.exp(rng.uniform(np.log(5.0), np.log(6000.0), count))
    return {
        "is_call": rng.random(count) < 0.5,
        "spot": spot,
        "strike": spot * np.exp(rng.uniform(-1.2, 1.2, count)),
        "days": rng.integers(1, 3 * 365, count),
        "vol": np.exp(rng.uniform(np.log(0.01), np.log(3.0), count)),
        "rate": rng.uniform(-0.01, 0.10, count),
        "div": rng.uniform(0.0, 0.06, count),
    }


def _quantlib_bsm(grid: dict[str, np.ndarray]) -> np.ndarray:
    ql.Settings.instance().evaluationDate = TODAY
    spot, rate, div, vol = (
        ql.SimpleQuote(1.0),
        ql.SimpleQuote(0.0),
        ql.SimpleQuote(0.0),
        ql.SimpleQuote(0.1),
    )
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(spot),
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, ql.QuoteHandle(div), DAY_COUNT)),
        ql.YieldTermStructureHandle(ql.FlatForward(TODAY, ql.QuoteHandle(rate), DAY_COUNT)),
        ql.BlackVolTermStructureHandle(
            ql.BlackConstantVol(TODAY, ql.NullCalendar(), ql.QuoteHandle(vol), DAY_COUNT)
        ),
    )
    engine = ql.AnalyticEuropeanEngine(process)
    rows = []
    for i in range(len(grid["spot"])):
        spot.setValue(float(grid["spot"][i]))
        rate.setValue(float(grid["rate"][i]))
        div.setValue(float(grid["div"][i]))
        vol.setValue(float(grid["vol"][i]))
        kind = ql.Option.Call if grid["is_call"][i] else ql.Option.Put
        option = ql.VanillaOption(
            ql.PlainVanillaPayoff(kind, float(grid["strike"][i])),
            ql.EuropeanExercise(TODAY + int(grid["days"][i])),
        )
        option.setPricingEngine(engine)
        rows.append(
            (
                option.NPV(),
                option.delta(),
                option.gamma(),
                option.vega() * 0.01,
                option.theta() / 365.0,
                option.rho() * 0.01,
            )
        )
    return np.array(rows).T


@pytest.fixture(scope="module")
def bsm_grid() -> tuple[dict[str, np.ndarray], np.ndarray]:
    grid = _grid(3000, seed=20240102)
    return grid, _quantlib_bsm(grid)


def _ours(grid: dict[str, np.ndarray]) -> g.Greeks[g.FloatOrArray]:
    t = grid["days"] / 365.0
    return g.greeks(
        grid["is_call"], grid["spot"], grid["strike"], t, grid["vol"], grid["rate"], grid["div"]
    )


def test_price_and_delta_agree_with_quantlib_to_1e9(
    bsm_grid: tuple[dict[str, np.ndarray], np.ndarray],
) -> None:
    grid, expected = bsm_grid
    ours = _ours(grid)
    assert_allclose(ours.price, expected[0], rtol=1e-9, atol=1e-9)
    assert_allclose(ours.delta, expected[1], rtol=1e-9, atol=1e-9)


def test_other_greeks_agree_with_quantlib(
    bsm_grid: tuple[dict[str, np.ndarray], np.ndarray],
) -> None:
    grid, expected = bsm_grid
    ours = _ours(grid)
    assert_allclose(ours.gamma, expected[2], rtol=1e-8, atol=1e-12)
    assert_allclose(ours.vega, expected[3], rtol=1e-8, atol=1e-10)
    assert_allclose(ours.theta, expected[4], rtol=1e-8, atol=1e-10)
    assert_allclose(ours.rho, expected[5], rtol=1e-8, atol=1e-10)


def test_black76_agrees_with_quantlib_black_calculator() -> None:
    grid = _grid(2000, seed=76)
    forward, strike, t = grid["spot"], grid["strike"], grid["days"] / 365.0
    vol, rate = grid["vol"], grid["rate"]
    expected = []
    for i in range(len(forward)):
        kind = ql.Option.Call if grid["is_call"][i] else ql.Option.Put
        calculator = ql.BlackCalculator(
            ql.PlainVanillaPayoff(kind, float(strike[i])),
            float(forward[i]),
            float(vol[i] * np.sqrt(t[i])),
            float(np.exp(-rate[i] * t[i])),
        )
        expected.append(
            (
                calculator.value(),
                calculator.deltaForward(),
                calculator.gammaForward(),
                calculator.vega(float(t[i])) * 0.01,
            )
        )
    reference = np.array(expected).T
    ours = g.black76_greeks(grid["is_call"], forward, strike, t, vol, rate)
    assert_allclose(ours.price, reference[0], rtol=1e-9, atol=1e-9)
    assert_allclose(ours.delta, reference[1], rtol=1e-9, atol=1e-9)
    assert_allclose(ours.gamma, reference[2], rtol=1e-8, atol=1e-12)
    assert_allclose(ours.vega, reference[3], rtol=1e-8, atol=1e-10)


def test_implied_vol_recovers_the_vol_behind_quantlib_prices() -> None:
    grid = _grid(600, seed=11)
    quantlib_price = _quantlib_bsm(grid)[0]
    t = grid["days"] / 365.0
    recovered = g.implied_vol(
        grid["is_call"], quantlib_price, grid["spot"], grid["strike"], t, grid["rate"], grid["div"]
    )
    vega = g.greeks(
        grid["is_call"], grid["spot"], grid["strike"], t, grid["vol"], grid["rate"], grid["div"]
    ).vega
    usable = vega * 100.0 > 1e-6 * grid["spot"]
    assert usable.sum() > 300
    assert_allclose(recovered[usable], grid["vol"][usable], rtol=0, atol=1e-8)
