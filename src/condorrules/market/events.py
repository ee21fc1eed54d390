"""The event calendar: dated market events (FOMC, CPI, anything) and calendar days to/since them.

Semantics (docs/market.md): ``days_to(E, d)`` counts calendar days from ``d`` to the first
occurrence of ``E`` on or after ``d`` (0 on the event day); ``days_since(E, d)`` counts from the
last occurrence on or before ``d`` (0 on the event day). Unknown (None, or NaN in the vectorised
forms) when the calendar has no such occurrence or no such event.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

from condorrules.resources import data_path

DEFAULT_EVENTS_FILE = "fomc_statements.csv"
REQUIRED_COLUMNS = ("date", "event")
"""Columns every events CSV must have; ``note`` (free text) is optional, others are ignored."""

_EVENT_NAME = re.compile(r"[A-Z][A-Z0-9_]*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

DayArray = npt.NDArray[np.datetime64]
DateLike = dt.date | np.datetime64 | pd.Timestamp


class EventDataError(ValueError):
    """A user's events CSV is unreadable or malformed: where, what, and how to fix it."""

    def __init__(
        self, file: str, message: str, help: str, line: int | None = None, column: str | None = None
    ) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.help = help
        where = file if line is None else f"{file}:{line}"
        column_part = f" (column `{column}`)" if column else ""
        super().__init__(f"{where}: {message}{column_part}\nhelp: {help}")


@dataclass(frozen=True, slots=True, eq=False)
class EventCalendar:
    """Sorted occurrence dates per event name (names in capitals, like ``FOMC``)."""

    occurrences: Mapping[str, DayArray]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, EventCalendar):
            return NotImplemented
        return self.names() == other.names() and all(
            np.array_equal(dates, other.occurrences[name])
            for name, dates in self.occurrences.items()
        )

    def __hash__(self) -> int:
        return hash(tuple((name, dates.tobytes()) for name, dates in self.occurrences.items()))

    @classmethod
    def from_dates(cls, events: Mapping[str, Iterable[DateLike]]) -> EventCalendar:
        """A calendar from ``{"CPI": [date, ...], ...}``; duplicates are merged."""
        built: dict[str, DayArray] = {}
        for name, dates in events.items():
            _check_name(name)
            array = np.unique(np.array([_to_day(d) for d in dates], dtype="datetime64[D]"))
            array.setflags(write=False)
            built[name] = array
        return cls(MappingProxyType(dict(sorted(built.items()))))

    @classmethod
    def default(cls) -> EventCalendar:
        """The shipped FOMC statement dates, 2014-2025, as the event ``FOMC``."""
        return cls.from_csv(data_path(DEFAULT_EVENTS_FILE))

    @classmethod
    def from_csv(cls, path: str | Path) -> EventCalendar:
        """Read events from a CSV with columns ``date,event[,note]`` (ISO dates, names in capitals).

        Raises :class:`EventDataError` naming the file, line and column of the first problem.
        """
        return cls.from_dates(_read_csv(Path(path)))

    def merge(self, other: EventCalendar) -> EventCalendar:
        """Both calendars' events; an event in both gets the union of its dates."""
        combined: dict[str, list[np.datetime64]] = {}
        for calendar in (self, other):
            for name, dates in calendar.occurrences.items():
                combined.setdefault(name, []).extend(dates)
        return EventCalendar.from_dates(combined)

    def names(self) -> tuple[str, ...]:
        """The event names this calendar knows, sorted."""
        return tuple(self.occurrences)

    def dates(self, event: str) -> tuple[dt.date, ...]:
        """Every occurrence of ``event`` (empty for an unknown event)."""
        array = self.occurrences.get(event)
        return () if array is None else tuple(_day_to_date(d) for d in array)

    def days_to(self, event: str, on: DateLike) -> int | None:
        """Calendar days from ``on`` to the next ``event`` on or after it (0 on the day)."""
        return _scalar(self.days_to_series(event, np.array([_to_day(on)])))

    def days_since(self, event: str, on: DateLike) -> int | None:
        """Calendar days from the last ``event`` on or before ``on`` to ``on`` (0 on the day)."""
        return _scalar(self.days_since_series(event, np.array([_to_day(on)])))

    def days_to_series(
        self, event: str, dates: npt.ArrayLike | pd.DatetimeIndex
    ) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`days_to` over dates (float array, NaN where unknown)."""
        days = _to_days(dates)
        occurrences = self.occurrences.get(event)
        result = np.full(days.shape, np.nan)
        if occurrences is None or occurrences.size == 0:
            return result
        index = np.searchsorted(occurrences, days, side="left")
        known = (index < occurrences.size) & ~np.isnat(days)
        following = occurrences[np.minimum(index, occurrences.size - 1)]
        result[known] = (following - days)[known].astype(np.float64)
        return result

    def days_since_series(
        self, event: str, dates: npt.ArrayLike | pd.DatetimeIndex
    ) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`days_since` over dates (float array, NaN where unknown)."""
        days = _to_days(dates)
        occurrences = self.occurrences.get(event)
        result = np.full(days.shape, np.nan)
        if occurrences is None or occurrences.size == 0:
            return result
        index = np.searchsorted(occurrences, days, side="right") - 1
        known = (index >= 0) & ~np.isnat(days)
        previous = occurrences[np.maximum(index, 0)]
        result[known] = (days - previous)[known].astype(np.float64)
        return result


def _read_csv(path: Path) -> dict[str, list[dt.date]]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise EventDataError(file, "events file not found", "check the path") from None
    except (OSError, UnicodeDecodeError) as error:
        raise EventDataError(
            file, f"cannot read events file: {error}", "save it as UTF-8 text"
        ) from None
    rows = csv.reader(text.splitlines())
    header = next(rows, None)
    if header is None:
        raise EventDataError(file, "events file is empty", _header_help(), line=1)
    header = [cell.strip().lower() for cell in header]
    for required in REQUIRED_COLUMNS:
        if required not in header:
            raise EventDataError(file, f"missing column `{required}`", _header_help(), line=1)
    date_at, event_at = header.index("date"), header.index("event")
    events: dict[str, list[dt.date]] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
            continue
        if len(row) <= max(date_at, event_at):
            raise EventDataError(
                file, f"expected {len(header)} columns, found {len(row)}", _header_help(), line=line
            )
        day = _parse_date(file, line, row[date_at].strip())
        name = row[event_at].strip()
        if not _EVENT_NAME.fullmatch(name):
            raise EventDataError(
                file,
                f"invalid event name {name!r}",
                "write event names in capitals, letters, digits and _ (e.g. CPI, FOMC, NFP)",
                line=line,
                column="event",
            )
        events.setdefault(name, []).append(day)
    return events


def _parse_date(file: str, line: int, text: str) -> dt.date:
    help_text = "write dates as YYYY-MM-DD, e.g. 2018-03-21"
    if not _ISO_DATE.fullmatch(text):
        raise EventDataError(file, f"invalid date {text!r}", help_text, line=line, column="date")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise EventDataError(
            file, f"no such date {text!r}", help_text, line=line, column="date"
        ) from None


def _header_help() -> str:
    return (
        "the first line must be the header `date,event,note` (note optional); "
        "rows look like 2018-03-21,FOMC,scheduled"
    )


def _check_name(name: str) -> None:
    if not _EVENT_NAME.fullmatch(name):
        raise ValueError(f"invalid event name {name!r}: use capitals, digits and _ (e.g. CPI)")


def _to_day(value: DateLike) -> np.datetime64:
    if isinstance(value, dt.datetime):
        value = value.date()
    day = np.asarray(value).astype("datetime64[D]")
    return np.datetime64(day.item(), "D") if day.ndim == 0 else np.datetime64("NaT")


def _to_days(dates: npt.ArrayLike | pd.DatetimeIndex) -> DayArray:
    if isinstance(dates, pd.Series):
        dates = pd.DatetimeIndex(dates)
    if isinstance(dates, pd.DatetimeIndex):
        if dates.tz is not None:
            dates = dates.tz_localize(None)
        return dates.to_numpy().astype("datetime64[D]")
    return np.asarray(dates).astype("datetime64[D]")


def _day_to_date(day: np.datetime64) -> dt.date:
    value = day.astype("datetime64[D]").item()
    assert isinstance(value, dt.date)
    return value


def _scalar(values: npt.NDArray[np.float64]) -> int | None:
    value = float(values[0])
    return None if np.isnan(value) else int(value)


__all__ = ["DEFAULT_EVENTS_FILE", "REQUIRED_COLUMNS", "EventCalendar", "EventDataError"]
