"""A user's history file: columns, NaN, inputs, Parquet, and every validation message."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from condorrules.history import (
    HistoryError,
    check_inputs,
    history_from_frame,
    load_builtin,
    load_history,
    missing_input_message,
    missing_inputs,
    resolve_history,
)

HAS_PARQUET = any(importlib.util.find_spec(name) for name in ("pyarrow", "fastparquet"))
needs_parquet = pytest.mark.skipif(
    not HAS_PARQUET, reason="neither pyarrow nor fastparquet is installed"
)

GOOD = """\
date,open,high,low,close,vix,ad_line
2018-02-01,2816.45,2835.96,2812.70,2821.98,13.47,120
2018-02-02,2808.92,2808.92,2759.97,2762.13,17.31,-850
2018-02-05,2741.06,2763.39,2638.17,2648.94,37.32,
"""


def write(tmp_path: Path, text: str, name: str = "prices.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str, inputs: tuple[str, ...] = ()) -> HistoryError:
    with pytest.raises(HistoryError) as caught:
        load_history(write(tmp_path, text), inputs)
    return caught.value


def test_reads_columns_in_canonical_order_as_float64(tmp_path: Path) -> None:
    frame = load_history(write(tmp_path, GOOD), inputs=("ad_line",))
    assert list(frame.columns) == ["open", "high", "low", "close", "vix", "ad_line"]
    assert (frame.dtypes == np.float64).all()
    assert frame.index.name == "date"
    assert list(pd.DatetimeIndex(frame.index).strftime("%Y-%m-%d")) == [
        "2018-02-01",
        "2018-02-02",
        "2018-02-05",
    ]
    assert frame.loc["2018-02-05", "close"] == 2648.94
    assert frame.loc["2018-02-02", "ad_line"] == -850.0
    assert frame.attrs["source"] == str(tmp_path / "prices.csv")


def test_undeclared_extra_columns_are_ignored(tmp_path: Path) -> None:
    frame = load_history(write(tmp_path, GOOD))
    assert "ad_line" not in frame.columns


def test_spot_is_read_as_close_and_optional_columns_may_be_absent(tmp_path: Path) -> None:
    frame = load_history(write(tmp_path, "date,spot\n2018-02-05,2648.94\n"))
    assert list(frame.columns) == ["close"]
    assert frame["close"].iloc[0] == 2648.94


def test_column_names_ignore_case_and_surrounding_spaces(tmp_path: Path) -> None:
    text = " Date , CLOSE ,Vix,  Rate,Div_Yield, AD_Line\n2018-02-05,2648.94,37.32,0.015,0.019,5\n"
    frame = load_history(write(tmp_path, text), inputs=("ad_line",))
    assert list(frame.columns) == ["close", "vix", "rate", "div_yield", "ad_line"]
    assert frame.iloc[0].tolist() == [2648.94, 37.32, 0.015, 0.019, 5.0]


def test_rate_and_inputs_may_be_negative(tmp_path: Path) -> None:
    frame = load_history(
        write(tmp_path, "date,close,rate,breadth\n2016-06-01,2099.33,-0.004,-3.5\n"),
        inputs=("breadth",),
    )
    assert frame["rate"].iloc[0] == -0.004
    assert frame["breadth"].iloc[0] == -3.5


@pytest.mark.parametrize("cell", ["", "NaN", "nan", "NA", "null", "#N/A", "  "])
def test_missing_cells_become_nan_not_errors(tmp_path: Path, cell: str) -> None:
    text = f"date,close,vix\n2018-02-02,2762.13,{cell}\n2018-02-05,2648.94,37.32\n"
    frame = load_history(write(tmp_path, text))
    assert math.isnan(frame["vix"].iloc[0])
    assert frame["vix"].iloc[1] == 37.32


def test_nan_close_is_kept_as_unknown(tmp_path: Path) -> None:
    frame = load_history(write(tmp_path, "date,close\n2018-02-02,\n2018-02-05,2648.94\n"))
    assert math.isnan(frame["close"].iloc[0])


def test_reads_gzipped_csv(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv.gz"
    load_builtin().iloc[:3].to_csv(path, compression={"method": "gzip", "mtime": 0})
    frame = load_history(path)
    pd.testing.assert_frame_equal(frame, load_builtin().iloc[:3], check_freq=False)


# --- validation messages: file, column, row (CSV: line and data row), and a fix --------------


def test_missing_date_column(tmp_path: Path) -> None:
    error = error_for(tmp_path, "day,close\n2018-02-05,2648.94\n")
    assert error.column == "date" and error.row is None
    assert str(error) == (
        f"{tmp_path / 'prices.csv'}, column `date`: column `date` is missing "
        "(the file has: day, close)\n"
        "help: add a `date` column with one date per row, as YYYY-MM-DD"
    )


def test_missing_close_column(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,open\n2018-02-05,2741.06\n")
    assert error.column == "close"
    assert "column `close` is missing" in str(error)
    assert "(or `spot`)" in error.help


def test_both_close_and_spot(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close,spot\n2018-02-05,2648.94,2648.94\n")
    assert error.column == "spot"
    assert "both `close` and `spot`" in error.message


def test_unparseable_date_names_line_row_and_value(tmp_path: Path) -> None:
    text = "date,close\n2018-02-01,2821.98\n2018-02-02,2762.13\n2018-13-05,2648.94\n"
    error = error_for(tmp_path, text)
    assert (error.column, error.line, error.row) == ("date", 4, 3)
    assert str(error) == (
        f"{tmp_path / 'prices.csv'}, line 4 (data row 3), column `date`: "
        "`2018-13-05` is not a date\n"
        "help: write dates as YYYY-MM-DD (ISO 8601), e.g. 2018-02-05"
    )


def test_empty_date(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close\n2018-02-01,2821.98\n,2762.13\n")
    assert (error.column, error.line) == ("date", 3)
    assert error.message == "the cell is empty"


def test_line_numbers_count_blank_lines(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close\n2018-02-01,2821.98\n\n2018-02-0x,2762.13\n")
    assert (error.line, error.row) == (4, 2)


def test_duplicate_date_names_both_lines(tmp_path: Path) -> None:
    text = "date,close\n2018-02-01,2821.98\n2018-02-02,2762.13\n2018-02-02,2762.13\n"
    error = error_for(tmp_path, text)
    assert (error.column, error.line, error.row) == ("date", 4, 3)
    assert error.message == "2018-02-02 appears twice (first on line 3)"
    assert error.help == "keep one row per date"


def test_unsorted_dates(tmp_path: Path) -> None:
    text = "date,close\n2018-02-05,2648.94\n2018-02-01,2821.98\n"
    error = error_for(tmp_path, text)
    assert (error.column, error.line) == ("date", 3)
    assert error.message == "2018-02-01 comes after 2018-02-05 (on line 2): dates must increase"
    assert "sort the rows by date" in error.help


def test_non_numeric_value_is_named(tmp_path: Path) -> None:
    text = "date,close,vix\n2018-02-01,2821.98,13.47\n2018-02-02,2762.13,high\n"
    error = error_for(tmp_path, text)
    assert (error.column, error.line, error.row) == ("vix", 3, 2)
    assert error.message == "`high` is not a number"
    assert "leave the cell empty" in error.help


def test_thousands_separator_is_not_a_number(tmp_path: Path) -> None:
    error = error_for(tmp_path, 'date,close\n2018-02-01,"2,821.98"\n')
    assert error.message == "`2,821.98` is not a number"
    assert "no thousands separators" in error.help


def test_every_bad_row_is_counted(tmp_path: Path) -> None:
    text = "date,close\n2018-02-01,x\n2018-02-02,y\n2018-02-05,z\n"
    error = error_for(tmp_path, text)
    assert error.message == "`x` is not a number (and 2 more rows like it)"


@pytest.mark.parametrize("value", ["0", "-2648.94"])
def test_non_positive_price(tmp_path: Path, value: str) -> None:
    error = error_for(tmp_path, f"date,close\n2018-02-05,{value}\n")
    assert (error.column, error.line, error.row) == ("close", 2, 1)
    assert error.message == f"`{value}` is not positive"
    assert "must be greater than zero" in error.help


def test_price_error_names_spot_when_the_file_says_spot(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,spot\n2018-02-05,-1\n")
    assert error.column == "spot"


def test_infinite_value(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close,vix\n2018-02-05,2648.94,inf\n")
    assert error.column == "vix"
    assert error.message == "`inf` is not a finite number"


def test_high_below_low(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,high,low,close\n2018-02-05,2638.17,2763.39,2648.94\n")
    assert (error.column, error.line) == ("high", 2)
    assert error.message == "high 2638.17 is below low 2763.39"


def test_two_columns_with_the_same_name(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,Close,close \n2018-02-05,1,2\n")
    assert error.column == "close"
    assert "two columns are named `close`" in error.message


def test_file_not_found(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="file not found") as caught:
        load_history(tmp_path / "nope.csv")
    assert caught.value.file == str(tmp_path / "nope.csv")


def test_unknown_file_type(tmp_path: Path) -> None:
    with pytest.raises(HistoryError, match="unknown file type"):
        load_history(write(tmp_path, GOOD, name="prices.xlsx"))


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    assert error_for(tmp_path, "").message == "the file is empty"
    assert error_for(tmp_path, "date,close\n").message == "the file has no data rows"


def test_ragged_csv(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close\n2018-02-05,2648.94,1,2\n")
    assert error.message.startswith("cannot read the file as CSV")


# --- declared inputs ---------------------------------------------------------------------


def test_missing_input_stops_with_the_documented_message(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date,close\n2018-02-05,2648.94\n", inputs=("ad_line",))
    file = tmp_path / "prices.csv"
    assert error.message == (
        f"the ruleset declares input `ad_line` but {file} has no column `ad_line`: add a column "
        "named `ad_line` with one value per date (leave a cell empty where it is unknown)"
    )
    assert error.file == str(file)


def test_missing_inputs_lists_absent_names_in_declaration_order() -> None:
    frame = load_builtin()
    assert missing_inputs(frame, ["ad_line", "vix", "tick", "ad_line"]) == ["ad_line", "tick"]
    assert missing_inputs(frame, []) == []


def test_check_inputs_on_builtin_explains_how_to_supply_data() -> None:
    with pytest.raises(HistoryError) as caught:
        check_inputs(load_builtin(), ["ad_line"])
    assert caught.value.message == missing_input_message("ad_line")
    assert "the built-in S&P 500/VIX history has no column `ad_line`" in caught.value.message
    assert "--data FILE" in caught.value.message
    check_inputs(load_builtin(), ["vix"])  # present: no error


# --- Parquet ---------------------------------------------------------------------------------


@needs_parquet
def test_parquet_round_trip_matches_csv(tmp_path: Path) -> None:
    from_csv = load_history(write(tmp_path, GOOD), inputs=("ad_line",))
    path = tmp_path / "prices.parquet"
    from_csv.reset_index().rename(columns={"close": "Close"}).to_parquet(path)
    from_parquet = load_history(path, inputs=("ad_line",))
    pd.testing.assert_frame_equal(from_parquet, from_csv, check_freq=False)


@needs_parquet
def test_parquet_with_string_dates_and_errors_name_data_rows(tmp_path: Path) -> None:
    path = tmp_path / "prices.parquet"
    pd.DataFrame({"date": ["2018-02-01", "2018-02-02"], "close": [2821.98, -1.0]}).to_parquet(path)
    with pytest.raises(HistoryError) as caught:
        load_history(path)
    assert (caught.value.line, caught.value.row, caught.value.column) == (None, 2, "close")
    assert f"{path}, data row 2, column `close`" in str(caught.value)


def test_parquet_without_an_engine_says_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *args: None if name in ("pyarrow", "fastparquet") else real(name, *args),
    )
    path = tmp_path / "prices.parquet"
    path.write_bytes(b"PAR1")
    with pytest.raises(HistoryError, match="pip install pyarrow"):
        load_history(path)


def test_semicolon_separated_file_gets_a_hint(tmp_path: Path) -> None:
    error = error_for(tmp_path, "date;close\n2018-02-05;2648.94\n")
    assert error.column == "date"
    assert "separated by `;`" in error.help


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_bytes(b"\xef\xbb\xbfdate,close\n2018-02-05,2648.94\n")
    assert load_history(path)["close"].iloc[0] == 2648.94


def test_errors_survive_pickling(tmp_path: Path) -> None:
    import pickle

    error = error_for(tmp_path, "date,close\n2018-02-05,x\n")
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is HistoryError
    assert (copy.file, copy.column, copy.line, copy.row, str(copy)) == (
        error.file,
        error.column,
        error.line,
        error.row,
        str(error),
    )


# --- in-memory data and the one entry point replay uses ------------------------------------


def test_history_from_frame_checks_like_a_file() -> None:
    frame = pd.DataFrame(
        {"Close": [2821.98, 2762.13]},
        index=pd.DatetimeIndex(["2018-02-01", "2018-02-02"], name="day"),
    )
    checked = history_from_frame(frame)
    assert list(checked.columns) == ["close"] and checked.index.name == "date"
    with pytest.raises(HistoryError) as caught:
        history_from_frame(frame.iloc[::-1])
    assert str(caught.value).startswith("<data frame>, data row 2, column `date`: 2018-02-01")


def test_resolve_history_picks_builtin_file_or_frame(tmp_path: Path) -> None:
    assert resolve_history().equals(load_builtin())
    path = write(tmp_path, GOOD)
    assert resolve_history(path, ("ad_line",)).equals(load_history(path, ("ad_line",)))
    frame = load_history(path).reset_index()
    assert resolve_history(frame).equals(load_history(path))
    with pytest.raises(HistoryError, match="input `ad_line` but the built-in"):
        resolve_history(None, ("ad_line",))


def test_time_zone_offsets_are_read_as_utc(tmp_path: Path) -> None:
    text = "date,close\n2018-02-02T21:00:00+00:00,2762.13\n2018-02-05T16:00:00-05:00,2648.94\n"
    frame = load_history(write(tmp_path, text))
    assert list(frame.index) == [pd.Timestamp("2018-02-02 21:00"), pd.Timestamp("2018-02-05 21:00")]
