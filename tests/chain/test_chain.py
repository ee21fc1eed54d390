"""Option chains: loading, validation messages, and the lookups replay uses."""

from __future__ import annotations

import datetime as dt
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest

from condorrules.chain import (
    SAMPLE_CHAIN_FILE,
    ChainError,
    OptionChain,
    Quote,
    load_chain,
    load_sample_chain,
)
from condorrules.history import HistoryError
from condorrules.resources import data_path

HAS_PARQUET = any(importlib.util.find_spec(name) for name in ("pyarrow", "fastparquet"))
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "make_sample_chain.py"

# Rows deliberately out of order, with C/P spellings and mixed case.
CHAIN = """\
date,expiry,strike,right,bid,ask,iv,underlying
2018-02-05,2018-03-16,2700,C,40.10,42.30,0.30,2648.94
2018-02-05,2018-03-16,2600,P,95.00,98.00,0.36,2648.94
2018-02-05,2018-03-16,2500,put,60.50,63.10,0.40,2648.94
2018-02-05,2018-03-16,2800,call,12.40,13.60,0.26,2648.94
2018-02-05,2018-02-16,2600,put,40.00,42.00,0.45,2648.94
2018-02-05,2018-03-16,2550,p,76.00,79.00,,2648.94
2018-02-06,2018-03-16,2600,put,80.00,83.00,0.30,2695.14
"""


def write(tmp_path: Path, text: str, name: str = "chain.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def chain(tmp_path: Path) -> OptionChain:
    return load_chain(write(tmp_path, CHAIN))


def bsm_delta(
    right: str, spot: float, strike: float, t: float, vol: float, r: float, q: float
) -> float:
    """Independent Black-Scholes-Merton delta (math.erf, not condorrules.greeks)."""
    d1 = (math.log(spot / strike) + (r - q + vol * vol / 2) * t) / (vol * math.sqrt(t))
    n = 0.5 * (1 + math.erf(d1 / math.sqrt(2)))
    return math.exp(-q * t) * (n if right == "call" else n - 1)


def test_dates_and_expirations_are_sorted(tmp_path: Path) -> None:
    options = chain(tmp_path)
    assert len(options) == 7
    assert options.dates() == (dt.date(2018, 2, 5), dt.date(2018, 2, 6))
    assert options.expirations("2018-02-05") == (dt.date(2018, 2, 16), dt.date(2018, 3, 16))
    assert options.expirations(pd.Timestamp("2018-02-06")) == (dt.date(2018, 3, 16),)
    assert options.expirations(dt.date(2018, 2, 7)) == ()


def test_strikes_are_ascending_per_right(tmp_path: Path) -> None:
    options = chain(tmp_path)
    assert options.strikes("2018-02-05", "2018-03-16", "put").tolist() == [2500, 2550, 2600]
    assert options.strikes("2018-02-05", "2018-03-16", "CALL").tolist() == [2700, 2800]
    assert options.strikes("2018-02-05", "2018-04-20", "put").size == 0
    with pytest.raises(ValueError):
        options.strikes("2018-02-05", "2018-03-16", "put")[0] = 1.0  # read-only


def test_quote_lookup(tmp_path: Path) -> None:
    quote = chain(tmp_path).quote("2018-02-05", "2018-03-16", 2600, "P")
    assert quote == Quote(
        date=dt.date(2018, 2, 5),
        expiry=dt.date(2018, 3, 16),
        strike=2600.0,
        right="put",
        bid=95.0,
        ask=98.0,
        iv=0.36,
        underlying=2648.94,
    )
    assert quote.mid == 96.5
    assert quote.spread == 3.0


def test_unlisted_quote_is_none_and_missing_iv_is_nan(tmp_path: Path) -> None:
    options = chain(tmp_path)
    assert options.quote("2018-02-05", "2018-03-16", 2625, "put") is None
    assert options.quote("2018-02-05", "2018-03-16", 2600, "call") is None
    assert options.quote("2018-02-07", "2018-03-16", 2600, "put") is None
    quote = options.quote("2018-02-05", "2018-03-16", 2550, "put")
    assert quote is not None and math.isnan(quote.iv)


def test_quotes_iterates_a_strip(tmp_path: Path) -> None:
    strikes = [q.strike for q in chain(tmp_path).quotes("2018-02-05", "2018-03-16", "put")]
    assert strikes == [2500, 2550, 2600]


def test_nearest_strike_and_tie_goes_lower(tmp_path: Path) -> None:
    options = chain(tmp_path)
    assert options.nearest_strike("2018-02-05", "2018-03-16", "put", 2590) == 2600
    assert options.nearest_strike("2018-02-05", "2018-03-16", "put", 2525) == 2500
    assert options.nearest_strike("2018-02-05", "2018-03-16", "put", 9999) == 2600
    assert options.nearest_strike("2018-02-05", "2019-01-18", "put", 2600) is None


def test_nearest_expiration(tmp_path: Path) -> None:
    options = chain(tmp_path)
    assert options.nearest_expiration("2018-02-05", 45) == dt.date(2018, 3, 16)
    assert options.nearest_expiration("2018-02-05", 7) == dt.date(2018, 2, 16)
    assert options.nearest_expiration("2018-02-05", 25) == dt.date(2018, 2, 16)  # 11 vs 39: tie
    assert options.nearest_expiration("2018-02-09", 45) is None


def test_deltas_match_an_independent_formula(tmp_path: Path) -> None:
    options = chain(tmp_path)
    got = options.deltas("2018-02-05", "2018-03-16", "put", rate=0.015, div_yield=0.019)
    t = 39 / 365
    expected = [
        bsm_delta("put", 2648.94, 2500, t, 0.40, 0.015, 0.019),
        math.nan,  # no iv
        bsm_delta("put", 2648.94, 2600, t, 0.36, 0.015, 0.019),
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_deltas_use_a_given_spot(tmp_path: Path) -> None:
    got = chain(tmp_path).deltas("2018-02-05", "2018-03-16", "call", spot=2700.0)
    expected = [
        bsm_delta("call", 2700.0, k, 39 / 365, v, 0, 0) for k, v in [(2700, 0.30), (2800, 0.26)]
    ]
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12)


def test_strike_by_delta(tmp_path: Path) -> None:
    options = chain(tmp_path)
    # Put deltas are about -0.27 (2500) and -0.39 (2600); the 2550 has no iv and is skipped.
    assert options.strike_by_delta("2018-02-05", "2018-03-16", "put", 0.30) == 2500
    assert options.strike_by_delta("2018-02-05", "2018-03-16", "put", -0.36) == 2600
    assert options.strike_by_delta("2018-02-05", "2018-03-16", "call", 0.16) == 2800
    assert options.strike_by_delta("2018-02-05", "2018-05-18", "call", 0.16) is None


def test_delta_without_underlying_or_spot_is_an_error(tmp_path: Path) -> None:
    options = load_chain(
        write(
            tmp_path,
            "date,expiry,strike,right,bid,ask,iv\n2018-02-05,2018-03-16,2600,put,95,98,0.36\n",
        )
    )
    with pytest.raises(ChainError, match="no underlying price"):
        options.deltas("2018-02-05", "2018-03-16", "put")
    assert options.strike_by_delta("2018-02-05", "2018-03-16", "put", 0.4, spot=2648.94) == 2600


def test_time_of_day_is_ignored_and_columns_are_case_insensitive(tmp_path: Path) -> None:
    text = (
        " Date ,EXPIRY,Strike,Right,Bid,Ask,Underlying_Price\n"
        "2018-02-05 15:45,2018-03-16,2600,PUT,95,98,2648.94\n"
    )
    quote = load_chain(write(tmp_path, text)).quote("2018-02-05", "2018-03-16", 2600, "put")
    assert quote is not None and quote.underlying == 2648.94 and math.isnan(quote.iv)


def test_missing_bid_and_ask_give_an_unknown_mid(tmp_path: Path) -> None:
    text = "date,expiry,strike,right,bid,ask\n2018-02-05,2018-03-16,2000,put,,\n"
    quote = load_chain(write(tmp_path, text)).quote("2018-02-05", "2018-03-16", 2000, "put")
    assert quote is not None and math.isnan(quote.mid)


def test_from_frame_checks_like_a_file() -> None:
    frame = pd.DataFrame(
        {
            "date": [dt.date(2018, 2, 5)],
            "expiry": [dt.date(2018, 3, 16)],
            "strike": [2600.0],
            "right": ["P"],
            "bid": [95.0],
            "ask": [98.0],
        }
    )
    assert OptionChain.from_frame(frame).strikes("2018-02-05", "2018-03-16", "put").tolist() == [
        2600
    ]
    with pytest.raises(ChainError, match="crossed market"):
        OptionChain.from_frame(frame.assign(bid=99.0))


# --- validation messages ---------------------------------------------------------------------

HEADER = "date,expiry,strike,right,bid,ask\n"
OK_ROW = "2018-02-05,2018-03-16,2600,put,95.00,98.00\n"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("2018-02-05,2018-03-16,2600,straddle,95,98", "right", "`straddle` is not an option right"),
        (
            "2018-02-05,2018-03-16,2650,put,99.50,98.00",
            "bid",
            "crossed market: bid 99.5 is above ask 98",
        ),
        ("2018-02-05,2018-03-16,2650,put,-1,98", "bid", "`-1` is negative"),
        ("2018-02-05,2018-03-16,2650,put,95,abc", "ask", "`abc` is not a number"),
        ("2018-02-05,2018-03-16,0,put,95,98", "strike", "`0` is not positive"),
        (
            "2018-02-05,2018-02-02,2650,put,95,98",
            "expiry",
            "expiry 2018-02-02 is before the quote date 2018-02-05",
        ),
        ("2018-02-31,2018-03-16,2650,put,95,98", "date", "`2018-02-31` is not a date"),
        ("2018-02-05,next month,2650,put,95,98", "expiry", "`next month` is not a date"),
        (
            "2018-02-05,2018-03-16,2600,P,96,97",
            "strike",
            "the put 2600 expiring 2018-03-16 is quoted twice on 2018-02-05 (first on line 2)",
        ),
    ],
)
def test_validation_names_file_column_and_line(
    tmp_path: Path, row: str, column: str, message: str
) -> None:
    with pytest.raises(ChainError) as caught:
        load_chain(write(tmp_path, HEADER + OK_ROW + row + "\n"))
    error = caught.value
    assert (error.file, error.column, error.line, error.row) == (
        str(tmp_path / "chain.csv"),
        column,
        3,
        2,
    )
    assert error.message == message
    assert str(error).startswith(
        f"{tmp_path / 'chain.csv'}, line 3 (data row 2), column `{column}`: "
    )
    assert "\nhelp: " in str(error)


def test_missing_column(tmp_path: Path) -> None:
    with pytest.raises(ChainError) as caught:
        load_chain(write(tmp_path, "date,expiry,strike,right,bid\n" + OK_ROW[:-7] + "\n"))
    assert caught.value.column == "ask"
    assert "column `ask` is missing" in caught.value.message
    assert "date, expiry, strike, right, bid, ask" in caught.value.help


def test_chain_errors_are_history_errors(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="file not found"):
        load_chain(tmp_path / "missing.csv")
    with pytest.raises(ChainError):
        load_chain(tmp_path / "missing.csv")


@pytest.mark.skipif(not HAS_PARQUET, reason="neither pyarrow nor fastparquet is installed")
def test_parquet_round_trip(tmp_path: Path) -> None:
    from_csv = chain(tmp_path)
    path = tmp_path / "chain.parquet"
    from_csv.frame.to_parquet(path)
    from_parquet = load_chain(path)
    pd.testing.assert_frame_equal(from_parquet.frame, from_csv.frame)
    assert from_parquet.quote("2018-02-05", "2018-03-16", 2600, "put") == from_csv.quote(
        "2018-02-05", "2018-03-16", 2600, "put"
    )


# --- the shipped synthetic sample ----------------------------------------------------------


def test_sample_is_labelled_synthetic_and_small() -> None:
    assert "synthetic" in SAMPLE_CHAIN_FILE
    assert data_path(SAMPLE_CHAIN_FILE).stat().st_size < 100_000


def test_sample_has_documented_layout() -> None:
    sample = load_sample_chain()
    assert [d.isoformat() for d in sample.dates()] == [
        "2018-02-01",
        "2018-02-02",
        "2018-02-05",
        "2018-02-06",
        "2018-02-07",
    ]
    for date in sample.dates():
        assert sample.expirations(date) == (dt.date(2018, 2, 16), dt.date(2018, 3, 16))
    strikes = sample.strikes("2018-02-05", "2018-03-16", "call")
    assert strikes[0] == 2100 and strikes[-1] == 3100 and set(np.diff(strikes)) == {25.0}
    frame = sample.frame
    assert (frame["bid"] <= frame["ask"]).all() and (frame["bid"] >= 0).all()


def test_sample_underlying_is_the_builtin_close() -> None:
    quote = load_sample_chain().quote("2018-02-05", "2018-03-16", 2650, "put")
    assert quote is not None and quote.underlying == 2648.94


def test_sample_mids_satisfy_put_call_parity_within_the_spread() -> None:
    frame = load_sample_chain().frame
    calls = frame[frame["right"] == "call"].set_index(["date", "expiry", "strike"])
    puts = frame[frame["right"] == "put"].set_index(["date", "expiry", "strike"])
    days = pd.TimedeltaIndex(
        calls.index.get_level_values("expiry") - calls.index.get_level_values("date")
    ).days
    t = days.to_numpy() / 365
    strike = calls.index.get_level_values("strike").to_numpy()
    forward_value = calls["underlying"].to_numpy() * np.exp(-0.019 * t) - strike * np.exp(
        -0.015 * t
    )
    mids = (calls["bid"] + calls["ask"]) / 2 - ((puts["bid"] + puts["ask"]) / 2).loc[calls.index]
    tolerance = (calls["ask"] - calls["bid"] + puts["ask"] - puts["bid"].loc[calls.index]) / 2
    assert (np.abs(mids.to_numpy() - forward_value) <= tolerance.to_numpy() + 1e-9).all()


def test_sample_regenerates_byte_identically() -> None:
    spec = importlib.util.spec_from_file_location("make_sample_chain", SCRIPT)
    assert spec is not None and spec.loader is not None
    module: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_sample_chain", module)
    spec.loader.exec_module(module)
    assert module.to_csv(module.build_frame()) == data_path(SAMPLE_CHAIN_FILE).read_bytes()


def test_lookups_accept_numpy_datetimes(tmp_path: Path) -> None:
    options = chain(tmp_path)
    listed = options.expirations(np.datetime64("2018-02-06"))
    assert listed == (dt.date(2018, 3, 16),)


def test_chain_errors_survive_pickling(tmp_path: Path) -> None:
    import pickle

    with pytest.raises(ChainError) as caught:
        load_chain(write(tmp_path, HEADER + "2018-02-05,2018-03-16,2600,x,1,2\n"))
    copy = pickle.loads(pickle.dumps(caught.value))
    assert type(copy) is ChainError and str(copy) == str(caught.value)


def test_delta_ties_go_further_out_of_the_money(tmp_path: Path) -> None:
    # On the expiry date every out-of-the-money delta is 0: all tie for a 0.10 target.
    rows = "".join(
        f"2018-02-16,2018-02-16,{strike},{right},0,0.05,0.20,2700\n"
        for strike in (2600, 2650, 2750, 2800)
        for right in ("put", "call")
    )
    options = load_chain(write(tmp_path, HEADER.strip() + ",iv,underlying\n" + rows))
    assert options.deltas("2018-02-16", "2018-02-16", "put").tolist() == [0, 0, -1, -1]
    assert options.strike_by_delta("2018-02-16", "2018-02-16", "put", 0.10) == 2600
    assert options.strike_by_delta("2018-02-16", "2018-02-16", "call", 0.10) == 2800
