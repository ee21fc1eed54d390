"""Event calendar: days to/since against dates read by hand from the shipped FOMC CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from condorrules.market import EventCalendar, EventDataError

D = dt.date


@pytest.fixture(scope="module")
def fomc() -> EventCalendar:
    return EventCalendar.default()


@pytest.mark.parametrize(
    ("on", "days_to", "days_since"),
    [
        (D(2018, 3, 1), 20, 29),  # between 2018-01-31 and 2018-03-21
        (D(2018, 3, 21), 0, 0),  # the meeting day itself counts as 0 both ways
        (D(2018, 3, 22), 41, 1),  # next is 2018-05-02
        (D(2014, 1, 2), 27, None),  # before the first shipped date (2014-01-29)
        (D(2025, 12, 11), None, 1),  # after the last shipped date (2025-12-10)
        (D(2020, 3, 10), 5, 7),  # unscheduled meetings 2020-03-03 and 2020-03-15
    ],
)
def test_fomc_days_to_and_since(
    fomc: EventCalendar, on: dt.date, days_to: int | None, days_since: int | None
) -> None:
    assert fomc.days_to("FOMC", on) == days_to
    assert fomc.days_since("FOMC", on) == days_since


def test_default_calendar_names_only_fomc(fomc: EventCalendar) -> None:
    assert fomc.names() == ("FOMC",)
    assert len(fomc.dates("FOMC")) == 97  # rows in the shipped CSV


def test_unknown_event_is_unknown(fomc: EventCalendar) -> None:
    assert fomc.days_to("CPI", D(2018, 3, 1)) is None
    assert np.isnan(fomc.days_since_series("CPI", [np.datetime64("2018-03-01")])).all()


def test_accepts_timestamps_datetimes_and_datetime64(fomc: EventCalendar) -> None:
    assert fomc.days_to("FOMC", pd.Timestamp("2018-03-01 15:30")) == 20
    assert fomc.days_to("FOMC", dt.datetime(2018, 3, 1, 23, 59)) == 20
    assert fomc.days_to("FOMC", np.datetime64("2018-03-01")) == 20


def _loop_days_to(dates: list[dt.date], on: dt.date) -> float:
    following = [d for d in dates if d >= on]
    return float((min(following) - on).days) if following else float("nan")


def _loop_days_since(dates: list[dt.date], on: dt.date) -> float:
    before = [d for d in dates if d <= on]
    return float((on - max(before)).days) if before else float("nan")


def test_series_match_a_plain_loop_over_replay_dates(fomc: EventCalendar) -> None:
    index = pd.bdate_range("2013-12-01", "2026-02-01")
    meetings = list(fomc.dates("FOMC"))
    expected_to = [_loop_days_to(meetings, d.date()) for d in index]
    expected_since = [_loop_days_since(meetings, d.date()) for d in index]
    np.testing.assert_array_equal(fomc.days_to_series("FOMC", index), expected_to)
    np.testing.assert_array_equal(fomc.days_since_series("FOMC", index), expected_since)


def test_series_accept_tz_aware_index_and_nat(fomc: EventCalendar) -> None:
    index = pd.DatetimeIndex(["2018-03-01 09:30", None], tz="America/New_York")
    result = fomc.days_to_series("FOMC", index)
    assert result[0] == 20 and np.isnan(result[1])
    assert np.isnan(fomc.days_since_series("FOMC", index)[1])


def test_user_csv_adds_events_and_merges(tmp_path: Path, fomc: EventCalendar) -> None:
    path = tmp_path / "macro.csv"
    path.write_text(
        "date,event,note\n2018-03-13,CPI,Feb CPI\n# comment line\n\n2018-03-21,FOMC,dup\n"
        "2018-04-11,CPI,\n"
    )
    user = EventCalendar.from_csv(path)
    assert user.names() == ("CPI", "FOMC")
    merged = fomc.merge(user)
    assert merged.names() == ("CPI", "FOMC")
    assert merged.days_to("CPI", D(2018, 3, 14)) == 28
    assert merged.dates("FOMC") == fomc.dates("FOMC")  # the duplicate date is merged


def test_csv_without_note_column_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "e.csv"
    path.write_text("event,date\nPPI,2018-03-14\n")
    assert EventCalendar.from_csv(path).days_since("PPI", D(2018, 3, 15)) == 1


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("date,event,note\n2018-3-13,CPI,x\n", 2, "date", "YYYY-MM-DD"),
        ("date,event,note\n2018-02-30,CPI,x\n", 2, "date", "no such date"),
        ("date,event,note\n2018-03-13,CPI,x\n2018-03-14,cpi,x\n", 3, "event", "capitals"),
        ("date,event,note\n2018-03-13,,x\n", 2, "event", "invalid event name"),
        ("when,event\n2018-03-13,CPI\n", 1, None, "missing column `date`"),
        ("date,event,note\n2018-03-13\n", 2, None, "expected 3 columns"),
        ("", 1, None, "empty"),
    ],
)
def test_bad_csv_names_file_line_column_and_fix(
    tmp_path: Path, text: str, line: int, column: str | None, words: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(EventDataError) as caught:
        EventCalendar.from_csv(path)
    error = caught.value
    assert (error.file, error.line, error.column) == (str(path), line, column)
    assert words in str(error)
    assert str(error).startswith(f"{path}:{line}:")
    assert "help: " in str(error)


def test_missing_csv_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EventDataError, match="not found"):
        EventCalendar.from_csv(tmp_path / "nope.csv")


def test_from_dates_rejects_lowercase_names() -> None:
    with pytest.raises(ValueError, match="capitals"):
        EventCalendar.from_dates({"cpi": [D(2018, 1, 1)]})
