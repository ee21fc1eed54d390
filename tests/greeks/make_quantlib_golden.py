"""Regenerate tests/greeks/data/quantlib_golden.csv: QuantLib's analytic values, stored as data.

Run ``python tests/greeks/make_quantlib_golden.py`` (needs QuantLib, in the dev extra). The grid
is seeded, so the file only changes when QuantLib's numbers do. Conventions: Actual/365 Fixed,
t = days / 365, continuous flat rate and yield; vega and rho per 0.01, theta per calendar day.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import QuantLib as ql

OUTPUT = Path(__file__).parent / "data" / "quantlib_golden.csv"
FIELDS = ("price", "delta", "gamma", "vega", "theta", "rho")


def main(count: int = 400, seed: int = 365) -> None:
    rng = np.random.default_rng(seed)
    today = ql.Date(2, 1, 2024)
    ql.Settings.instance().evaluationDate = today
    day_count = ql.Actual365Fixed()
    with OUTPUT.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("right", "spot", "strike", "days", "vol", "rate", "div", *FIELDS))
        for _ in range(count):
            right = "call" if rng.random() < 0.5 else "put"
            spot = float(np.exp(rng.uniform(np.log(5.0), np.log(6000.0))))
            strike = float(spot * np.exp(rng.uniform(-1.0, 1.0)))
            days = int(rng.integers(1, 1100))
            vol = float(np.exp(rng.uniform(np.log(0.02), np.log(2.0))))
            rate = float(rng.uniform(-0.01, 0.10))
            div = float(rng.uniform(0.0, 0.06))
            process = ql.BlackScholesMertonProcess(
                ql.QuoteHandle(ql.SimpleQuote(spot)),
                ql.YieldTermStructureHandle(ql.FlatForward(today, div, day_count)),
                ql.YieldTermStructureHandle(ql.FlatForward(today, rate, day_count)),
                ql.BlackVolTermStructureHandle(
                    ql.BlackConstantVol(today, ql.NullCalendar(), vol, day_count)
                ),
            )
            kind = ql.Option.Call if right == "call" else ql.Option.Put
            option = ql.VanillaOption(
                ql.PlainVanillaPayoff(kind, strike), ql.EuropeanExercise(today + days)
            )
            option.setPricingEngine(ql.AnalyticEuropeanEngine(process))
            values = (
                option.NPV(),
                option.delta(),
                option.gamma(),
                option.vega() * 0.01,
                option.theta() / 365.0,
                option.rho() * 0.01,
            )
            writer.writerow((right, spot, strike, days, vol, rate, div, *map(repr, values)))


if __name__ == "__main__":
    main()
