"""Regenerate the SYNTHETIC sample option chain shipped as package data.

There is no real option-chain data that installs offline, so the sample is made up: it shows
the chain format and exercises chain-driven replay, and nothing in it is a market quote. It
holds SPX-like puts and calls for the five trading days 2018-02-01 .. 2018-02-07 (around the
February 2018 volatility spike), expirations 2018-02-16 and 2018-03-16, strikes 2100 .. 3100
every 25 points::

    python scripts/make_sample_chain.py          # rewrites src/condorrules/data/<OUTPUT_NAME>
    python scripts/make_sample_chain.py --check  # exit 1 if the shipped file differs

How each quote is made (all inputs from the built-in history, nothing random):
- underlying = the S&P 500 close that day; time to expiry = calendar days / 365;
- implied vol: ``iv = atm * (1 - SKEW * ln(strike / underlying) * sqrt(30 / days))``, floored at
  ``FLOOR * atm``, where ``atm = VIX / 100``: a linear-in-log-moneyness put skew that steepens
  for short expiries;
- mid = Black-Scholes-Merton value (condorrules.greeks) at RATE and DIV_YIELD;
- bid/ask = mid -/+ half a spread of max(MIN_HALF_SPREAD, SPREAD_SHARE * mid), rounded outward
  to the SPX tick (0.05 below 3.00, 0.10 from 3.00), bid at least 0, ask at least one tick.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from condorrules.greeks import price
from condorrules.history import load_builtin

OUTPUT_NAME = "sample_chain_synthetic.csv"
OUTPUT_PATH = Path(__file__).resolve().parents[1] / "src" / "condorrules" / "data" / OUTPUT_NAME
DATES = ("2018-02-01", "2018-02-02", "2018-02-05", "2018-02-06", "2018-02-07")
EXPIRIES = ("2018-02-16", "2018-03-16")
STRIKES = np.arange(2100.0, 3100.0 + 1.0, 25.0)
SKEW = 2.0
FLOOR = 0.5
RATE = 0.015
DIV_YIELD = 0.019
SPREAD_SHARE = 0.02
MIN_HALF_SPREAD = 0.05
DAYS_PER_YEAR = 365.0


def _tick(value: float) -> float:
    return 0.05 if value < 3.0 else 0.10


def _bid_ask(mid: float) -> tuple[float, float]:
    half = max(MIN_HALF_SPREAD, SPREAD_SHARE * mid)
    bid_tick, ask_tick = _tick(mid - half), _tick(mid + half)
    # A hair of tolerance so a mid that lands on a tick is not pushed a whole tick outward.
    bid = math.floor((mid - half) / bid_tick + 1e-9) * bid_tick
    ask = math.ceil((mid + half) / ask_tick - 1e-9) * ask_tick
    return round(max(bid, 0.0), 2), round(max(ask, 0.05), 2)


def build_frame() -> pd.DataFrame:
    """The synthetic chain, one row per (date, expiry, right, strike)."""
    history = load_builtin()
    rows: list[dict[str, object]] = []
    for date in DATES:
        row = history.loc[pd.Timestamp(date)].to_numpy(dtype=np.float64)
        spot, vix = (float(row[history.columns.get_loc(name)]) for name in ("close", "vix"))
        for expiry in EXPIRIES:
            days = (pd.Timestamp(expiry) - pd.Timestamp(date)).days
            atm = vix / 100.0
            skew = 1.0 - SKEW * np.log(STRIKES / spot) * math.sqrt(30.0 / days)
            vols = atm * np.maximum(skew, FLOOR)
            for right in ("put", "call"):
                mids = np.asarray(
                    price(right, spot, STRIKES, days / DAYS_PER_YEAR, vols, RATE, DIV_YIELD),
                    dtype=np.float64,
                )
                for strike, vol, mid in zip(STRIKES, vols, mids, strict=True):
                    bid, ask = _bid_ask(float(mid))
                    rows.append(
                        {
                            "date": date,
                            "expiry": expiry,
                            "strike": f"{strike:.0f}",
                            "right": right,
                            "bid": f"{bid:.2f}",
                            "ask": f"{ask:.2f}",
                            "iv": f"{vol:.4f}",
                            "underlying": f"{spot:.2f}",
                        }
                    )
    return pd.DataFrame(rows)


def to_csv(frame: pd.DataFrame) -> bytes:
    """Deterministic CSV bytes (``\\n`` line ends)."""
    return frame.to_csv(index=False, lineterminator="\n").encode("ascii")


def main(argv: list[str] | None = None) -> int:
    """Write (or with ``--check`` compare) the sample chain; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--output", type=Path, default=OUTPUT_PATH, help="file to write")
    args = parser.parse_args(argv)
    payload = to_csv(build_frame())
    if args.check:
        same = args.output.is_file() and args.output.read_bytes() == payload
        print(f"{args.output}: {'up to date' if same else 'DIFFERS'}")
        return 0 if same else 1
    args.output.write_bytes(payload)
    print(f"wrote {args.output} ({len(payload)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
