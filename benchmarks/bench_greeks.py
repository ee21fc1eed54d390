"""Greeks core benchmark: ns/option for price + five Greeks, and for implied volatility.

Run ``python benchmarks/bench_greeks.py [--options N] [--iv-options M] [--repeat R]``.
Prints, in one run, the best-of-R time per option of:

- ``condorrules.greeks.greeks`` on N (default 1,000,000) mixed calls and puts;
- a plain single-pass numpy implementation written below (the ceiling to match);
- py_vollib_vectorized (price + ``get_all_greeks``) and a per-option QuantLib loop, when they
  are installed, each on a subsample and scaled per option;
- ``implied_vol`` on M (default 100,000) options next to py_vollib_vectorized, with the
  maximum error against the true vol where vega is not negligible.

Ratios are against the numpy baseline (below 1.0 is faster than it).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import platform
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy.special import ndtr

from condorrules import greeks as g

RATE, DIV = 0.045, 0.013


def mixed_options(count: int, seed: int = 2024) -> dict[str, Any]:
    """SPX-like calls and puts: strikes ±30 % around spot, 1 day to 2 years, 8-80 % vol."""
    rng = np.random.default_rng(seed)
    spot = rng.uniform(3500.0, 5500.0, count)
    return {
        "is_call": rng.random(count) < 0.5,
        "spot": spot,
        "strike": spot * np.exp(rng.uniform(-0.3, 0.3, count)),
        "t": rng.integers(1, 730, count) / 365.0,
        "vol": rng.uniform(0.08, 0.8, count),
    }


def baseline_greeks(
    is_call: np.ndarray, spot: np.ndarray, strike: np.ndarray, t: np.ndarray, vol: np.ndarray
) -> tuple[np.ndarray, ...]:
    """The plain single-pass numpy way: textbook formulas on whole columns, np.where for puts."""
    sqrt_t = np.sqrt(t)
    std_dev = vol * sqrt_t
    d1 = (np.log(spot / strike) + (RATE - DIV + 0.5 * vol * vol) * t) / std_dev
    d2 = d1 - std_dev
    sign = np.where(is_call, 1.0, -1.0)
    spot_disc = np.exp(-DIV * t)
    strike_disc = np.exp(-RATE * t)
    cdf1 = ndtr(sign * d1)
    cdf2 = ndtr(sign * d2)
    density = np.exp(-0.5 * d1 * d1) / np.sqrt(2.0 * np.pi)
    price = sign * (spot * spot_disc * cdf1 - strike * strike_disc * cdf2)
    delta = sign * spot_disc * cdf1
    gamma = spot_disc * density / (spot * std_dev)
    vega = spot * spot_disc * density * sqrt_t * 0.01
    theta = (
        -spot * spot_disc * density * vol / (2.0 * sqrt_t)
        - sign * RATE * strike * strike_disc * cdf2
        + sign * DIV * spot * spot_disc * cdf1
    ) / 365.0
    rho = sign * strike * t * strike_disc * cdf2 * 0.01
    return price, delta, gamma, vega, theta, rho


def best_ns_per_option(run: Callable[[], object], count: int, repeat: int) -> float:
    """Best wall time of ``repeat`` runs, per option, in nanoseconds."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best / count * 1e9


def subsample(options: dict[str, Any], count: int) -> dict[str, Any]:
    return {name: column[:count] for name, column in options.items()}


def pyvollib_greeks(options: dict[str, Any]) -> Callable[[], object]:
    import py_vollib_vectorized as pvv

    flag = np.where(options["is_call"], "c", "p")
    args = (flag, options["spot"], options["strike"], options["t"], RATE, options["vol"])

    def run() -> object:
        value = pvv.vectorized_black_scholes_merton(*args, DIV, return_as="numpy")
        return value, pvv.get_all_greeks(*args, DIV, model="black_scholes_merton", return_as="dict")

    return run


def quantlib_loop(options: dict[str, Any]) -> Callable[[], object]:
    import QuantLib as ql

    today = ql.Date(2, 1, 2024)
    ql.Settings.instance().evaluationDate = today
    day_count = ql.Actual365Fixed()
    spot, vol = ql.SimpleQuote(1.0), ql.SimpleQuote(0.2)
    process = ql.BlackScholesMertonProcess(
        ql.QuoteHandle(spot),
        ql.YieldTermStructureHandle(ql.FlatForward(today, DIV, day_count)),
        ql.YieldTermStructureHandle(ql.FlatForward(today, RATE, day_count)),
        ql.BlackVolTermStructureHandle(
            ql.BlackConstantVol(today, ql.NullCalendar(), ql.QuoteHandle(vol), day_count)
        ),
    )
    engine = ql.AnalyticEuropeanEngine(process)
    days = np.rint(options["t"] * 365.0).astype(int)

    def run() -> object:
        out = []
        for i in range(len(days)):
            spot.setValue(float(options["spot"][i]))
            vol.setValue(float(options["vol"][i]))
            kind = ql.Option.Call if options["is_call"][i] else ql.Option.Put
            option = ql.VanillaOption(
                ql.PlainVanillaPayoff(kind, float(options["strike"][i])),
                ql.EuropeanExercise(today + int(days[i])),
            )
            option.setPricingEngine(engine)
            first = (option.NPV(), option.delta(), option.gamma(), option.vega())
            out.append((*first, option.theta(), option.rho()))
        return out

    return run


def installed(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@functools.cache
def pyvollib_usable() -> bool:
    """True when py_vollib_vectorized imports and its numba kernels compile here.

    Its version 0.1.1 does not compile with numba >= 0.59 ("cannot type infer runaway
    recursion"); docs/performance.md gives a side environment in which it runs.
    """
    if not installed("py_vollib_vectorized"):
        print("py_vollib_vectorized not installed: skipped")
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import py_vollib_vectorized as pvv

        try:
            pvv.vectorized_implied_volatility(
                np.array([5.0]),
                np.array([100.0]),
                np.array([100.0]),
                np.array([0.5]),
                RATE,
                np.array(["c"]),
                DIV,
                model="black_scholes_merton",
                return_as="numpy",
                on_error="ignore",
            )
            pvv.get_all_greeks(
                np.array(["c"]),
                np.array([100.0]),
                np.array([100.0]),
                np.array([0.5]),
                RATE,
                np.array([0.2]),
                DIV,
                model="black_scholes_merton",
                return_as="dict",
            )
        except Exception as error:  # any failure to compile means: not comparable here
            print(
                f"py_vollib_vectorized is installed but does not run here "
                f"({type(error).__module__}.{type(error).__name__}; it needs numba < 0.59): "
                "skipped; docs/performance.md shows how to run it in a side environment"
            )
            return False
    return True


def bench_greeks(count: int, repeat: int) -> None:
    options = mixed_options(count)
    args = (options["is_call"], options["spot"], options["strike"], options["t"], options["vol"])

    def ours() -> object:
        return g.greeks(*args, RATE, DIV)

    baseline = best_ns_per_option(lambda: baseline_greeks(*args), count, repeat)
    rows = [("condorrules.greeks.greeks", best_ns_per_option(ours, count, repeat), count)]
    rows.append(("plain numpy, single pass (baseline)", baseline, count))
    if pyvollib_usable():
        small = subsample(options, min(count, 100_000))
        run = pyvollib_greeks(small)
        run()  # numba compiles on first use; not timed
        n = len(small["spot"])
        rows.append(("py_vollib_vectorized", best_ns_per_option(run, n, max(1, repeat // 2)), n))
    if installed("QuantLib"):
        small = subsample(options, min(count, 3_000))
        n = len(small["spot"])
        rows.append(
            (
                "QuantLib loop (AnalyticEuropeanEngine)",
                best_ns_per_option(quantlib_loop(small), n, 1),
                n,
            )
        )
    else:
        print("QuantLib not installed: skipped")
    print(f"\nprice + delta, gamma, vega, theta, rho on {count:,} mixed options")
    print(f"{'implementation':<40} {'ns/option':>10} {'vs baseline':>12} {'timed on':>10}")
    for name, ns, n in rows:
        print(f"{name:<40} {ns:>10.1f} {ns / baseline:>11.2f}x {n:>10,}")
    check = ours()
    expected = baseline_greeks(*args)
    worst = max(
        float(np.max(np.abs(getattr(check, field) - value)))
        for field, value in zip(
            ("price", "delta", "gamma", "vega", "theta", "rho"), expected, strict=True
        )
    )
    print(f"max |ours - baseline| over all six outputs: {worst:.2e}")


def bench_implied_vol(count: int, repeat: int) -> None:
    options = mixed_options(count, seed=7)
    is_call, spot, strike, t, vol = (
        options["is_call"],
        options["spot"],
        options["strike"],
        options["t"],
        options["vol"],
    )
    # Include short-dated wings: every fifth option expires within hours to 2 days.
    t = t.copy()
    t[::5] = np.random.default_rng(8).uniform(1.0 / (365 * 24), 2.0 / 365, t[::5].size)
    value = g.price(is_call, spot, strike, t, vol, RATE, DIV)
    vega = 100.0 * g.greeks(is_call, spot, strike, t, vol, RATE, DIV).vega
    matters = vega >= 1e-7 * np.maximum(value, spot)  # not negligible, as in docs/greeks.md

    def ours() -> np.ndarray:
        return np.asarray(g.implied_vol(is_call, value, spot, strike, t, RATE, DIV))

    ours_ns = best_ns_per_option(ours, count, repeat)
    ours_error = float(np.max(np.abs(ours()[matters] - vol[matters])))
    print(f"\nimplied_vol on {count:,} options ({matters.mean():.0%} with non-negligible vega)")
    print(f"{'implementation':<40} {'ns/option':>10} {'vs ours':>12} {'max error':>10}")
    print(
        f"{'condorrules.greeks.implied_vol':<40} {ours_ns:>10.1f} {1.0:>11.2f}x {ours_error:>10.1e}"
    )
    if not pyvollib_usable():
        return
    import py_vollib_vectorized as pvv

    flag = np.where(is_call, "c", "p")

    def theirs() -> np.ndarray:
        return np.asarray(
            pvv.vectorized_implied_volatility(
                value,
                spot,
                strike,
                t,
                RATE,
                flag,
                DIV,
                model="black_scholes_merton",
                return_as="numpy",
                on_error="ignore",
            )
        )

    theirs()  # numba compiles on first use; not timed
    their_ns = best_ns_per_option(theirs, count, repeat)
    their_error = float(np.nanmax(np.abs(theirs()[matters] - vol[matters])))
    name = "py_vollib_vectorized"
    print(f"{name:<40} {their_ns:>10.1f} {their_ns / ours_ns:>11.2f}x {their_error:>10.1e}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--options", type=int, default=1_000_000)
    parser.add_argument("--iv-options", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    bench_greeks(args.options, args.repeat)
    bench_implied_vol(args.iv_options, args.repeat)


if __name__ == "__main__":
    main()
