"""Choosing a date range of a history, with clear errors outside the data."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from condorrules.history import HistoryError, load_builtin, slice_dates


def test_slice_is_inclusive_at_both_ends() -> None:
    sliced = slice_dates(load_builtin(), "2018-02-01", "2018-02-07")
    assert list(pd.DatetimeIndex(sliced.index).strftime("%Y-%m-%d")) == [
        "2018-02-01",
        "2018-02-02",
        "2018-02-05",
        "2018-02-06",
        "2018-02-07",
    ]
    assert sliced.attrs["source"] == "the built-in S&P 500/VIX history"


def test_open_ends_and_date_types() -> None:
    frame = load_builtin()
    assert slice_dates(frame).equals(frame)
    assert slice_dates(frame, dt.date(2018, 12, 28)).index[0] == pd.Timestamp("2018-12-28")
    assert len(slice_dates(frame, end=pd.Timestamp("2014-01-06"))) == 2


def test_holiday_start_begins_at_next_bar() -> None:
    sliced = slice_dates(load_builtin(), "2018-12-25", "2018-12-31")
    assert sliced.index[0] == pd.Timestamp("2018-12-26")


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            "2013-06-01",
            None,
            "the start 2013-06-01 is outside the data: the built-in S&P 500/VIX "
            "history covers 2014-01-03 to 2018-12-31",
        ),
        (None, "2019-01-02", "the end 2019-01-02 is outside the data"),
        ("2018-02-07", "2018-02-01", "the start 2018-02-07 is after the end 2018-02-01"),
        ("2018-12-25", "2018-12-25", "there is no bar from 2018-12-25 to 2018-12-25"),
        ("2018-02-30", None, "cannot read the start `2018-02-30` as a date"),
    ],
)
def test_range_errors(start: str | None, end: str | None, expected: str) -> None:
    with pytest.raises(HistoryError) as caught:
        slice_dates(load_builtin(), start, end)
    assert caught.value.message.startswith(expected)
    assert caught.value.help
