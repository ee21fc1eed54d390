"""NYSE trading days, SPX expirations by era, and the strike grid, against known dates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from condorrules.market import Expiration, TradingCalendar, snap_strike, strike_grid

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> TradingCalendar:
    return TradingCalendar()


@pytest.mark.parametrize(
    "closed",
    [
        D(2018, 1, 15),  # Martin Luther King Jr. Day
        D(2016, 3, 25),  # Good Friday
        D(2018, 12, 5),  # national day of mourning for President George H. W. Bush
        D(2012, 10, 29),  # Hurricane Sandy
        D(2012, 10, 30),
        D(2025, 1, 9),  # national day of mourning for President Jimmy Carter
        D(2022, 6, 20),  # Juneteenth (observed), first year NYSE closed for it
        D(2018, 12, 25),
        D(2018, 1, 13),  # a Saturday
    ],
)
def test_known_closures_are_not_trading_days(calendar: TradingCalendar, closed: dt.date) -> None:
    assert not calendar.is_trading_day(closed)


@pytest.mark.parametrize(
    "open_day", [D(2018, 1, 16), D(2016, 3, 24), D(2018, 12, 6), D(2021, 6, 18)]
)
def test_ordinary_weekdays_are_trading_days(calendar: TradingCalendar, open_day: dt.date) -> None:
    assert calendar.is_trading_day(open_day)


def test_holiday_name_comes_from_the_library(calendar: TradingCalendar) -> None:
    assert "Bush" in (calendar.holiday_name(D(2018, 12, 5)) or "")
    assert calendar.holiday_name(D(2018, 12, 6)) is None


def test_trading_days_in_2018_number_251(calendar: TradingCalendar) -> None:
    # NYSE traded 251 days in 2018 (9 regular holidays plus the 2018-12-05 closure).
    assert len(calendar.trading_days(D(2018, 1, 1), D(2018, 12, 31))) == 251


def test_trading_days_include_both_ends(calendar: TradingCalendar) -> None:
    days = calendar.trading_days(D(2018, 1, 12), D(2018, 1, 17))
    assert days == [D(2018, 1, 12), D(2018, 1, 16), D(2018, 1, 17)]


def test_next_and_previous_trading_day_skip_weekend_and_holiday(calendar: TradingCalendar) -> None:
    assert calendar.next_trading_day(D(2018, 1, 12)) == D(2018, 1, 16)
    assert calendar.previous_trading_day(D(2018, 1, 16)) == D(2018, 1, 12)
    assert calendar.previous_trading_day(D(2018, 12, 6)) == D(2018, 12, 4)


def test_vectorised_trading_day_check_matches_scalar(calendar: TradingCalendar) -> None:
    days = np.arange(np.datetime64("2016-01-01"), np.datetime64("2016-12-31"))
    flags = calendar.is_trading_day_array(days)
    assert flags.sum() == 252  # NYSE traded 252 days in 2016
    assert not flags[days == np.datetime64("2016-03-25")][0]


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2018, 2, D(2018, 2, 16)),
        (2016, 4, D(2016, 4, 15)),
        (2017, 6, D(2017, 6, 16)),
        (2015, 8, D(2015, 8, 21)),
        (2018, 12, D(2018, 12, 21)),
    ],
)
def test_monthly_expiry_is_the_third_friday(
    calendar: TradingCalendar, year: int, month: int, expected: dt.date
) -> None:
    assert calendar.monthly_expiration(year, month) == expected


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2014, 4, D(2014, 4, 17)),  # Good Friday 2014-04-18 was the third Friday
        (2019, 4, D(2019, 4, 18)),  # Good Friday 2019-04-19
        (2022, 4, D(2022, 4, 14)),  # Good Friday 2022-04-15
        (2026, 6, D(2026, 6, 18)),  # Juneteenth 2026-06-19
    ],
)
def test_monthly_expiry_moves_to_thursday_when_friday_is_a_holiday(
    calendar: TradingCalendar, year: int, month: int, expected: dt.date
) -> None:
    assert calendar.monthly_expiration(year, month) == expected


def _weekdays(listed: tuple[Expiration, ...], settlement: str = "PM") -> set[int]:
    return {e.date.weekday() for e in listed if e.settlement == settlement}


def test_2015_lists_only_friday_pm_series(calendar: TradingCalendar) -> None:
    assert _weekdays(calendar.listed_expirations(D(2015, 5, 1))) == {4}


def test_wednesday_series_from_february_2016(calendar: TradingCalendar) -> None:
    assert _weekdays(calendar.listed_expirations(D(2016, 2, 1))) == {4}
    assert _weekdays(calendar.listed_expirations(D(2016, 4, 1))) == {2, 4}
    assert 2 not in _weekdays(calendar.listed_expirations(D(2016, 2, 22)))
    assert 2 in _weekdays(calendar.listed_expirations(D(2016, 2, 23)))


def test_monday_series_from_august_2016(calendar: TradingCalendar) -> None:
    assert 0 not in _weekdays(calendar.listed_expirations(D(2016, 8, 12)))
    assert _weekdays(calendar.listed_expirations(D(2016, 9, 1))) == {0, 1, 2, 4}  # Tue: Labor Day


def test_every_weekday_listed_after_may_2022(calendar: TradingCalendar) -> None:
    assert _weekdays(calendar.listed_expirations(D(2022, 4, 1))) == {0, 2, 4}
    assert _weekdays(calendar.listed_expirations(D(2022, 6, 1))) == {0, 1, 2, 3, 4}


def test_listing_on_17_august_2016_matches_cboe_table(calendar: TradingCalendar) -> None:
    # Cboe blog (2016-08-17) lists the expirations through 16 Sept 2016; our PM horizon is six
    # weeks, so the Monday 12 Sept series also appears.
    listed = calendar.listed_expirations(D(2016, 8, 17), max_days=30)
    expected = [
        (D(2016, 8, 17), "PM"), (D(2016, 8, 19), "AM"), (D(2016, 8, 22), "PM"),
        (D(2016, 8, 24), "PM"), (D(2016, 8, 26), "PM"), (D(2016, 8, 29), "PM"),
        (D(2016, 8, 31), "PM"), (D(2016, 9, 2), "PM"), (D(2016, 9, 6), "PM"),
        (D(2016, 9, 7), "PM"), (D(2016, 9, 9), "PM"), (D(2016, 9, 12), "PM"),
        (D(2016, 9, 14), "PM"), (D(2016, 9, 16), "AM"),
    ]  # fmt: skip
    assert [(e.date, e.settlement) for e in listed] == expected


def test_good_friday_weekly_expires_thursday(calendar: TradingCalendar) -> None:
    # Good Friday 2018-03-30: the Friday weekly expires Thursday 2018-03-29.
    listed = {e.date: e for e in calendar.listed_expirations(D(2018, 3, 20))}
    assert listed[D(2018, 3, 29)] == Expiration(D(2018, 3, 29), "PM", "weekly")
    assert D(2018, 3, 30) not in listed


def test_no_pm_series_on_a_standard_expiry_date(calendar: TradingCalendar) -> None:
    listed = calendar.listed_expirations(D(2018, 2, 16))
    assert all(e.date != D(2018, 2, 16) for e in listed)  # AM settled at the open
    assert calendar.listed_expirations(D(2018, 2, 15))[0] == Expiration(
        D(2018, 2, 16), "AM", "monthly"
    )


def test_twelve_monthlies_are_listed(calendar: TradingCalendar) -> None:
    monthlies = [e for e in calendar.listed_expirations(D(2018, 1, 2)) if e.kind == "monthly"]
    assert [e.date for e in monthlies][:2] == [D(2018, 1, 19), D(2018, 2, 16)]
    assert len(monthlies) == 12
    assert all(e.settlement == "AM" for e in monthlies)


def test_pm_series_reach_six_weeks(calendar: TradingCalendar) -> None:
    pm = [e for e in calendar.listed_expirations(D(2015, 6, 1)) if e.settlement == "PM"]
    assert pm[-1].date == D(2015, 7, 10)  # 2015-06-01 + 42 days is 2015-07-13


def test_max_days_filters_by_calendar_days(calendar: TradingCalendar) -> None:
    listed = calendar.listed_expirations(D(2018, 1, 2), max_days=10)
    assert listed and all(e.days_from(D(2018, 1, 2)) <= 10 for e in listed)


def test_nearest_expiration_45_dte_in_january_2018(calendar: TradingCalendar) -> None:
    # 45 days from 2018-01-02 is 2018-02-16, a standard monthly.
    assert calendar.nearest_expiration(D(2018, 1, 2), 45) == Expiration(
        D(2018, 2, 16), "AM", "monthly"
    )


def test_nearest_monthly_only(calendar: TradingCalendar) -> None:
    # From 2015-06-01, 30 DTE: monthlies 2015-06-19 (18 d) and 2015-07-17 (46 d); 18 is nearer.
    nearest = calendar.nearest_expiration(D(2015, 6, 1), 30, kinds=("monthly",))
    assert nearest == Expiration(D(2015, 6, 19), "AM", "monthly")


def test_nearest_tie_prefers_the_later_date(calendar: TradingCalendar) -> None:
    # From Monday 2015-06-01 the Fridays 06-26 (25 d) and 07-10 (39 d) lie 7 days either side
    # of 32 DTE, but 07-03 (32 d) is listed: ask for 35.5 days → 07-03 and 07-10 are 3.5 away.
    nearest = calendar.nearest_expiration(D(2015, 6, 1), 35.5)
    assert nearest == Expiration(D(2015, 7, 10), "PM", "weekly")


def test_nearest_tie_prefers_monthly_over_weekly(calendar: TradingCalendar) -> None:
    # From 2015-06-01: weekly 06-12 (11 d) and monthly 06-19 (18 d), target 14.5 → equal 3.5.
    nearest = calendar.nearest_expiration(D(2015, 6, 1), 14.5)
    assert nearest == Expiration(D(2015, 6, 19), "AM", "monthly")


def test_nearest_with_no_listed_kind_is_none(calendar: TradingCalendar) -> None:
    assert calendar.nearest_expiration(D(2015, 6, 1), 3, kinds=("daily",)) is None


@pytest.mark.parametrize(
    ("price", "mode", "expected"),
    [
        (2752.4, "nearest", 2750.0),
        (2752.5, "nearest", 2755.0),
        (2747.6, "nearest", 2750.0),
        (2754.9, "down", 2750.0),
        (2750.0, "down", 2750.0),
        (2750.1, "up", 2755.0),
    ],
)
def test_snap_strike(price: float, mode: str, expected: float) -> None:
    assert snap_strike(price, mode=mode) == expected  # type: ignore[arg-type]


def test_snap_strike_vectorised_and_other_increment() -> None:
    snapped = snap_strike(np.array([101.2, 99.9, 102.5]), increment=2.5)
    np.testing.assert_array_equal(snapped, [100.0, 100.0, 102.5])


def test_strike_grid_is_inclusive_multiples_of_five() -> None:
    np.testing.assert_array_equal(strike_grid(2741, 2760), [2745, 2750, 2755, 2760])


def test_bad_increment_is_rejected() -> None:
    with pytest.raises(ValueError, match="increment"):
        snap_strike(100.0, increment=0)


def test_trading_days_agree_with_numpy_business_days_over_nine_years(
    calendar: TradingCalendar,
) -> None:
    # numpy's business-day functions over the calendar's holiday array are the independent
    # reference (the calendar answers one day at a time without them, for speed).
    holidays = calendar._holidays
    days = np.arange(np.datetime64("2012-01-01"), np.datetime64("2021-01-01"))
    is_open = np.is_busday(days, holidays=holidays)
    following = np.busday_offset(days + 1, 0, roll="forward", holidays=holidays)
    before = np.busday_offset(days - 1, 0, roll="backward", holidays=holidays)
    for index, day in enumerate(days.astype(object)):
        assert calendar.is_trading_day(day) == bool(is_open[index]), day
        assert calendar.next_trading_day(day) == following[index].astype(object), day
        assert calendar.previous_trading_day(day) == before[index].astype(object), day


def test_a_datetime_or_timestamp_means_its_day(calendar: TradingCalendar) -> None:
    assert not calendar.is_trading_day(dt.datetime(2018, 12, 5, 15, 30))
    assert calendar.next_trading_day(dt.datetime(2018, 12, 4, 9, 30)) == D(2018, 12, 6)
    assert type(calendar.previous_trading_day(dt.datetime(2018, 12, 6))) is dt.date
