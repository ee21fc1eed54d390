"""The NYSE trading calendar, SPX expirations as they were listed on a date, and the strike grid.

Holidays come from the maintained ``holidays`` library (``holidays.financial_holidays("NYSE")``),
which includes one-off closures such as Hurricane Sandy (2012-10-29/30) and the national days of
mourning (2018-12-05, 2025-01-09). Days to expiry are calendar days. Sources for every listing
rule and introduction date are in docs/market.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import holidays
import numpy as np
import numpy.typing as npt

Settlement = Literal["AM", "PM"]
ExpirationKind = Literal["monthly", "weekly", "daily"]
SnapMode = Literal["nearest", "down", "up"]

STRIKE_INCREMENT = 5.0
"""SPX strikes are listed every 5 index points near the money (Cboe SPX contract specs)."""

MONTHLY_LISTED_MONTHS = 12
"""Standard AM-settled SPX months listed at any time (Cboe: up to twelve near-term months)."""

WEEKLY_LISTED_WEEKS = 6
"""PM-settled SPXW series are listed up to six consecutive weeks out (Cboe RG14-010, 2014)."""

# First date a PM-settled series expiring on each weekday (Mon=0 .. Fri=4) could be listed.
# Fri: SPX Weeklys launched October 2005; Wed: 2016-02-23; Mon: 2016-08-15;
# Tue: 2022-04-18; Thu: 2022-05-11 (Cboe announcements, cited in docs/market.md).
PM_SERIES_INTRODUCED: Mapping[int, dt.date] = MappingProxyType(
    {
        4: dt.date(2005, 10, 28),
        2: dt.date(2016, 2, 23),
        0: dt.date(2016, 8, 15),
        1: dt.date(2022, 4, 18),
        3: dt.date(2022, 5, 11),
    }
)

_KIND_RANK: Mapping[str, int] = MappingProxyType({"monthly": 0, "weekly": 1, "daily": 2})

_ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True, order=True)
class Expiration:
    """One listed SPX expiry: its date, AM (monthly, opening print) or PM (close) settlement."""

    date: dt.date
    settlement: Settlement
    kind: ExpirationKind

    def days_from(self, as_of: dt.date) -> int:
        """Calendar days from ``as_of`` to this expiry (0 on the expiry day)."""
        return (self.date - as_of).days


@dataclass(frozen=True, slots=True)
class TradingCalendar:
    """NYSE trading days for ``first_year``..``last_year``: weekdays minus exchange holidays.

    ``extra_closures`` adds closures the library does not know (none are needed today).
    Dates outside the year range are treated as weekdays without holidays.
    """

    first_year: int = 1990
    last_year: int = 2050
    extra_closures: frozenset[dt.date] = frozenset()
    _holidays: npt.NDArray[np.datetime64] = field(init=False, repr=False, compare=False)
    _closed: frozenset[dt.date] = field(init=False, repr=False, compare=False)
    """The same holidays as a set: one day's test without numpy's per-call overhead (an SPX
    expiration listing tests a few dozen days one by one)."""

    def __post_init__(self) -> None:
        years = range(self.first_year, self.last_year + 1)
        nyse = holidays.financial_holidays("NYSE", years=years)
        closed = sorted(set(nyse.keys()) | set(self.extra_closures))
        array = np.array(closed, dtype="datetime64[D]")
        array.setflags(write=False)
        object.__setattr__(self, "_holidays", array)
        object.__setattr__(self, "_closed", frozenset(closed))

    def holiday_name(self, day: dt.date) -> str | None:
        """The library's name of the NYSE holiday on ``day``, or None on a non-holiday."""
        if day in self.extra_closures:
            return "extra closure"
        names: str | None = holidays.financial_holidays("NYSE", years=day.year).get(day)
        return names

    def is_trading_day(self, day: dt.date) -> bool:
        """True when NYSE is open on ``day``: a weekday that is not a holiday."""
        day = _day_of(day)
        return day.weekday() < 5 and day not in self._closed

    def is_trading_day_array(self, days: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Vectorised :meth:`is_trading_day` over an array of dates."""
        as_days = np.asarray(days, dtype="datetime64[D]")
        result: npt.NDArray[np.bool_] = np.is_busday(as_days, holidays=self._holidays)
        return result

    def trading_days(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """Every trading day from ``start`` to ``end``, both included."""
        span = np.arange(np.datetime64(start, "D"), np.datetime64(end, "D") + 1)
        open_days = span[np.is_busday(span, holidays=self._holidays)]
        return [_to_date(day) for day in open_days]

    def next_trading_day(self, day: dt.date) -> dt.date:
        """The first trading day strictly after ``day``."""
        following = _day_of(day) + _ONE_DAY
        while not self.is_trading_day(following):
            following += _ONE_DAY
        return following

    def previous_trading_day(self, day: dt.date) -> dt.date:
        """The last trading day strictly before ``day``."""
        before = _day_of(day) - _ONE_DAY
        while not self.is_trading_day(before):
            before -= _ONE_DAY
        return before

    def monthly_expiration(self, year: int, month: int) -> dt.date:
        """The AM-settled standard SPX expiry: the third Friday, or the trading day before it
        when that Friday is a holiday (Good Friday 2014-04-18 → Thursday 2014-04-17)."""
        first = dt.date(year, month, 1)
        third_friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 14)
        if self.is_trading_day(third_friday):
            return third_friday
        return self.previous_trading_day(third_friday)

    def listed_expirations(
        self, as_of: dt.date, max_days: int | None = None
    ) -> tuple[Expiration, ...]:
        """SPX expiries listed on ``as_of``, sorted by date.

        Monthlies: the next twelve standard months, tradable until the day before their AM
        settlement. PM series (weekly on Fridays, daily Mon-Thu once introduced): nominal dates up
        to six weeks out, tradable on their expiry day. ``max_days`` keeps those at most that
        many calendar days away. One expiry per date: the monthly wins, then weekly, then daily.
        """
        found: dict[dt.date, Expiration] = {}
        # Cboe lists no PM series on a standard expiry date, even once its AM print has passed.
        monthly_dates = {self.monthly_expiration(as_of.year, as_of.month)}
        year, month = as_of.year, as_of.month
        listed_months = 0
        while listed_months < MONTHLY_LISTED_MONTHS:
            monthly = self.monthly_expiration(year, month)
            if monthly > as_of:
                monthly_dates.add(monthly)
                found[monthly] = Expiration(monthly, "AM", "monthly")
                listed_months += 1
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        for expiry in self._pm_expirations(as_of):
            if expiry.date not in monthly_dates:
                known = found.get(expiry.date)
                if known is None or _KIND_RANK[expiry.kind] < _KIND_RANK[known.kind]:
                    found[expiry.date] = expiry
        listed = sorted(found.values())
        if max_days is not None:
            listed = [e for e in listed if e.days_from(as_of) <= max_days]
        return tuple(listed)

    def nearest_expiration(
        self,
        as_of: dt.date,
        dte_days: float,
        kinds: Iterable[ExpirationKind] = ("monthly", "weekly", "daily"),
    ) -> Expiration | None:
        """The listed expiry (of ``kinds``) whose calendar days to expiry are nearest ``dte_days``.

        Ties: the monthly beats the weekly beats the daily, then the later date wins (never
        undershoot the requested holding period when two are equally near). None when nothing
        of those kinds is listed.
        """
        allowed = set(kinds)
        candidates = [e for e in self.listed_expirations(as_of) if e.kind in allowed]
        if not candidates:
            return None
        return min(
            candidates,
            key=lambda e: (
                abs(e.days_from(as_of) - dte_days),
                _KIND_RANK[e.kind],
                -e.days_from(as_of),
            ),
        )

    def _pm_expirations(self, as_of: dt.date) -> list[Expiration]:
        horizon = as_of + dt.timedelta(weeks=WEEKLY_LISTED_WEEKS)
        result = []
        for offset in range((horizon - as_of).days + 1):
            nominal = as_of + dt.timedelta(days=offset)
            introduced = PM_SERIES_INTRODUCED.get(nominal.weekday())
            if introduced is None or as_of < introduced:
                continue
            expiry = self._shift_pm(nominal)
            if expiry >= as_of:
                kind: ExpirationKind = "weekly" if nominal.weekday() == 4 else "daily"
                result.append(Expiration(expiry, "PM", kind))
        return result

    def _shift_pm(self, nominal: dt.date) -> dt.date:
        # Cboe: a Monday series whose Monday is a holiday expires the next business day; the
        # other weekdays (Friday Weeklys on Good Friday) expire the business day before.
        if self.is_trading_day(nominal):
            return nominal
        if nominal.weekday() == 0:
            return self.next_trading_day(nominal)
        return self.previous_trading_day(nominal)


def snap_strike(
    price: npt.ArrayLike, increment: float = STRIKE_INCREMENT, mode: SnapMode = "nearest"
) -> float | npt.NDArray[np.float64]:
    """Snap prices to the strike grid: the nearest multiple of ``increment`` (halves round up),
    or the multiple at or below (``mode="down"``) / at or above (``mode="up"``)."""
    if increment <= 0:
        raise ValueError(f"strike increment must be > 0, got {increment}")
    scaled = np.asarray(price, dtype=np.float64) / increment
    if mode == "nearest":
        steps = np.floor(scaled + 0.5)
    elif mode == "down":
        steps = np.floor(scaled)
    elif mode == "up":
        steps = np.ceil(scaled)
    else:
        raise ValueError(f"snap mode must be nearest, down or up, got {mode!r}")
    snapped: npt.NDArray[np.float64] = steps * increment
    return float(snapped) if snapped.ndim == 0 else snapped


def strike_grid(
    low: float, high: float, increment: float = STRIKE_INCREMENT
) -> npt.NDArray[np.float64]:
    """Every listed strike from ``low`` to ``high`` inclusive (multiples of ``increment``)."""
    if increment <= 0:
        raise ValueError(f"strike increment must be > 0, got {increment}")
    first = np.ceil(low / increment)
    last = np.floor(high / increment)
    grid: npt.NDArray[np.float64] = np.arange(first, last + 1) * increment
    return grid


def _day_of(day: dt.date) -> dt.date:
    """The date of ``day`` (a datetime or pandas Timestamp means its day)."""
    return day.date() if isinstance(day, dt.datetime) else day


def _to_date(day: np.datetime64) -> dt.date:
    value = day.astype("datetime64[D]").item()
    assert isinstance(value, dt.date)
    return value


__all__ = [
    "MONTHLY_LISTED_MONTHS",
    "PM_SERIES_INTRODUCED",
    "STRIKE_INCREMENT",
    "WEEKLY_LISTED_WEEKS",
    "Expiration",
    "ExpirationKind",
    "Settlement",
    "SnapMode",
    "TradingCalendar",
    "snap_strike",
    "strike_grid",
]
