"""A real option chain for replay: listed expirations, strikes and quotes by date.

When a user supplies a chain (CSV or Parquet: ``date``, ``expiry``, ``strike``, ``right``,
``bid``, ``ask``, optional ``iv`` and ``underlying``), replay takes strikes, marks and fills
from it instead of the volatility model. :func:`load_chain` checks the file once and raises
:class:`ChainError` (a :class:`~condorrules.history.HistoryError`) naming file, column and row;
:class:`OptionChain` answers the lookups replay needs in O(1) dictionary steps plus a binary
search within one (date, expiry, right) strip.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from condorrules.constants import DAYS_PER_YEAR
from condorrules.greeks import greeks
from condorrules.history import (
    DateLike,
    FloatArray,
    HistoryError,
    Table,
    cell_texts,
    format_number,
    parse_dates,
    parse_numbers,
    read_table,
    table_from_frame,
)
from condorrules.resources import data_path

__all__ = [
    "SAMPLE_CHAIN_FILE",
    "ChainError",
    "OptionChain",
    "Quote",
    "Right",
    "as_date",
    "as_right",
    "load_chain",
    "load_sample_chain",
]

Right = Literal["call", "put"]
StripKey = tuple[dt.date, dt.date, Right]
AnyDate = DateLike | np.datetime64
"""What lookups accept as a date: ``date``, ``datetime``/``Timestamp``, ``datetime64``, ISO text."""

SAMPLE_CHAIN_FILE = "sample_chain_synthetic.csv"
"""Package data: a small SYNTHETIC chain (see ``scripts/make_sample_chain.py``)."""

REQUIRED_COLUMNS = ("date", "expiry", "strike", "right", "bid", "ask")
"""Columns every chain file must have."""

UNDERLYING_ALIASES = ("underlying", "underlying_price")
"""Accepted names of the optional underlying-price column."""

_RIGHTS: dict[str, Right] = {"call": "call", "c": "call", "put": "put", "p": "put"}
_RIGHT_CODES: dict[Right, int] = {"put": 0, "call": 1}
_CODE_RIGHTS: tuple[Right, Right] = ("put", "call")


class ChainError(HistoryError):
    """A problem in an option chain file (or a chain lookup that cannot be answered)."""


@dataclass(frozen=True, slots=True)
class Quote:
    """One listed option on one date. Prices in index points per share; ``iv`` a ratio.

    ``bid``/``ask``/``iv``/``underlying`` are NaN where the chain has no value.
    """

    date: dt.date
    expiry: dt.date
    strike: float
    right: Right
    bid: float
    ask: float
    iv: float
    underlying: float

    @property
    def mid(self) -> float:
        """The midpoint of bid and ask (NaN if either is unknown)."""
        return (self.bid + self.ask) / 2.0

    @property
    def spread(self) -> float:
        """Ask minus bid (NaN if either is unknown)."""
        return self.ask - self.bid


def as_right(value: str) -> Right:
    """``"call"``/``"put"`` from ``call``, ``put``, ``C`` or ``P`` (any case, spaces trimmed)."""
    right = _RIGHTS.get(value.strip().lower())
    if right is None:
        raise ValueError(f"unknown option right {value!r}: use call, put, C or P")
    return right


def as_date(value: AnyDate) -> dt.date:
    """A calendar date from a ``date``, ``Timestamp``/``datetime``, ``datetime64`` or ISO string."""
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value.strip())


class OptionChain:
    """Quotes indexed by (date, expiry, right), strikes ascending within each strip.

    Build with :func:`load_chain`, :func:`load_sample_chain` or :meth:`from_frame`. Dates are
    calendar dates (a time of day in the file is ignored). Lookups for a date, expiry or
    strike that is not listed return an empty result or ``None``, never raise.
    """

    __slots__ = ("_columns", "_expiries", "_frame", "_strikes", "_strips")

    def __init__(self, frame: pd.DataFrame) -> None:
        """Index an already-checked frame in the column layout :meth:`from_frame` produces."""
        self._frame = frame
        self._strikes: FloatArray = frame["strike"].to_numpy(dtype=np.float64, copy=True)
        self._strikes.flags.writeable = False
        # Plain arrays: a quote lookup is then a few array reads, not a pandas row access.
        self._columns: dict[str, FloatArray] = {
            name: frame[name].to_numpy(dtype=np.float64, copy=True)
            for name in ("bid", "ask", "iv", "underlying")
        }
        self._strips: dict[StripKey, tuple[int, int]] = {}
        expiries: dict[dt.date, list[dt.date]] = {}
        dates = pd.DatetimeIndex(frame["date"]).date
        expiry_dates = pd.DatetimeIndex(frame["expiry"]).date
        codes = frame["right"].to_numpy(dtype=object)
        for start, stop in _strip_bounds(frame):
            date, expiry = dates[start], expiry_dates[start]
            self._strips[(date, expiry, codes[start])] = (start, stop)
            listed = expiries.setdefault(date, [])
            if not listed or listed[-1] != expiry:
                listed.append(expiry)
        self._expiries = {date: tuple(listed) for date, listed in expiries.items()}

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, name: str = "<data frame>") -> OptionChain:
        """An :class:`OptionChain` from a frame with the file's columns (checked like a file)."""
        return cls(_checked_frame(table_from_frame(frame, name)))

    @property
    def frame(self) -> pd.DataFrame:
        """All quotes, sorted by date, expiry, right (put first), strike (for inspection)."""
        return self._frame

    def __len__(self) -> int:
        return len(self._frame)

    def dates(self) -> tuple[dt.date, ...]:
        """The quote dates, ascending."""
        return tuple(self._expiries)

    def expirations(self, date: AnyDate) -> tuple[dt.date, ...]:
        """The expirations listed on ``date``, ascending (empty if the date has no quotes)."""
        return self._expiries.get(as_date(date), ())

    def nearest_expiration(self, date: AnyDate, days: float) -> dt.date | None:
        """The listed expiration whose calendar days to expiry are nearest ``days``.

        Ties go to the earlier expiration; ``None`` if nothing is listed on ``date``.
        """
        day = as_date(date)
        listed = self._expiries.get(day, ())
        if not listed:
            return None
        return min(listed, key=lambda expiry: abs((expiry - day).days - days))

    def strikes(self, date: AnyDate, expiry: AnyDate, right: str) -> FloatArray:
        """The listed strikes, ascending (a read-only array; empty if none are listed)."""
        start, stop = self._strip(date, expiry, right)
        return self._strikes[start:stop]

    def quote(self, date: AnyDate, expiry: AnyDate, strike: float, right: str) -> Quote | None:
        """The quote for one option, or ``None`` if that strike is not listed."""
        key = _key(date, expiry, right)
        start, stop = self._strips.get(key, (0, 0))
        position = start + int(np.searchsorted(self._strikes[start:stop], strike))
        if position >= stop or self._strikes[position] != strike:
            return None
        return self._quote_at(key, position)

    def quotes(self, date: AnyDate, expiry: AnyDate, right: str) -> Iterator[Quote]:
        """Every quote of one strip, by ascending strike."""
        key = _key(date, expiry, right)
        start, stop = self._strips.get(key, (0, 0))
        return (self._quote_at(key, position) for position in range(start, stop))

    def nearest_strike(
        self, date: AnyDate, expiry: AnyDate, right: str, strike: float
    ) -> float | None:
        """The listed strike nearest ``strike`` (ties: the lower one); ``None`` if none listed."""
        listed = self.strikes(date, expiry, right)
        if listed.size == 0:
            return None
        return float(listed[int(np.argmin(np.abs(listed - strike)))])

    def deltas(
        self,
        date: AnyDate,
        expiry: AnyDate,
        right: str,
        *,
        spot: float | None = None,
        rate: float = 0.0,
        div_yield: float = 0.0,
    ) -> FloatArray:
        """Black-Scholes-Merton deltas of one strip from the chain's ``iv``, by ascending strike.

        ``spot`` defaults to the chain's ``underlying`` on that date. Time to expiry is calendar
        days / 365 (0 on the expiry date, where delta is the in-the-money indicator). Strikes
        without an ``iv`` get NaN.
        """
        start, stop = self._strip(date, expiry, right)
        if start == stop:
            return np.empty(0, dtype=np.float64)
        price = self._spot(start, stop, spot)
        days = (as_date(expiry) - as_date(date)).days
        vol = self._columns["iv"][start:stop]
        known = ~np.isnan(vol)
        result = np.full(stop - start, np.nan)
        if known.any():
            values = greeks(
                as_right(right),
                price,
                self._strikes[start:stop][known],
                days / DAYS_PER_YEAR,
                vol[known],
                rate,
                div_yield,
            ).delta
            result[known] = np.asarray(values, dtype=np.float64)
        return result

    def strike_by_delta(
        self,
        date: AnyDate,
        expiry: AnyDate,
        right: str,
        delta: float,
        *,
        spot: float | None = None,
        rate: float = 0.0,
        div_yield: float = 0.0,
    ) -> float | None:
        """The listed strike whose delta magnitude is nearest ``abs(delta)``.

        Ties go to the smaller delta magnitude, then to the strike further out of the money.
        ``None`` if no strike of the strip has an ``iv``.
        """
        values = np.abs(self.deltas(date, expiry, right, spot=spot, rate=rate, div_yield=div_yield))
        if values.size == 0 or np.isnan(values).all():
            return None
        distance = np.abs(values - abs(delta))
        best = np.flatnonzero(distance == np.nanmin(distance))
        smallest = best[values[best] == values[best].min()]
        # Equal deltas (e.g. all zero on the expiry date): the strike furthest from the money.
        choice = smallest[0] if as_right(right) == "put" else smallest[-1]
        start, _ = self._strip(date, expiry, right)
        return float(self._strikes[start + choice])

    def _strip(self, date: AnyDate, expiry: AnyDate, right: str) -> tuple[int, int]:
        return self._strips.get(_key(date, expiry, right), (0, 0))

    def _spot(self, start: int, stop: int, spot: float | None) -> float:
        if spot is not None:
            return spot
        known = self._columns["underlying"][start:stop]
        known = known[~np.isnan(known)]
        if known.size == 0:
            raise ChainError(
                "the chain has no underlying price for this date",
                help="pass `spot=` or add an `underlying` column to the chain",
                column="underlying",
            )
        return float(known[0])

    def _quote_at(self, key: StripKey, position: int) -> Quote:
        columns = self._columns
        return Quote(
            date=key[0],
            expiry=key[1],
            strike=float(self._strikes[position]),
            right=key[2],
            bid=float(columns["bid"][position]),
            ask=float(columns["ask"][position]),
            iv=float(columns["iv"][position]),
            underlying=float(columns["underlying"][position]),
        )


def _key(date: AnyDate, expiry: AnyDate, right: str) -> StripKey:
    return as_date(date), as_date(expiry), as_right(right)


def _strip_bounds(frame: pd.DataFrame) -> list[tuple[int, int]]:
    if len(frame) == 0:
        return []
    date = frame["date"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    expiry = frame["expiry"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    code = frame["right"].map(_RIGHT_CODES).to_numpy(dtype=np.int64)
    changed = (np.diff(date) != 0) | (np.diff(expiry) != 0) | (np.diff(code) != 0)
    starts = np.concatenate(([0], np.flatnonzero(changed) + 1))
    stops = np.concatenate((starts[1:], [len(frame)]))
    return [(int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def load_chain(path: str | Path) -> OptionChain:
    """Read and check an option chain file (CSV, CSV.gz or Parquet).

    Rows may come in any order. Raises :class:`ChainError` on the first problem: a missing
    column, an unreadable or empty date, an unknown right, a non-numeric or negative price,
    a crossed market (bid above ask), an expiry before the quote date, or a repeated option.
    """
    try:
        table = read_table(path)
    except ChainError:
        raise
    except HistoryError as error:
        raise _as_chain_error(error) from None
    return OptionChain(_checked_frame(table))


def load_sample_chain() -> OptionChain:
    """The shipped SYNTHETIC sample chain (SPX-like, early February 2018; see docs/replay.md)."""
    return load_chain(data_path(SAMPLE_CHAIN_FILE))


def _as_chain_error(error: HistoryError) -> ChainError:
    return ChainError(
        error.message,
        help=error.help,
        file=error.file,
        column=error.column,
        row=error.row,
        line=error.line,
    )


def _checked_frame(table: Table) -> pd.DataFrame:
    try:
        return _check(table)
    except ChainError:
        raise
    except HistoryError as error:
        raise _as_chain_error(error) from None


def _check(table: Table) -> pd.DataFrame:
    for column in REQUIRED_COLUMNS:
        table.require(column, f"a chain needs the columns {', '.join(REQUIRED_COLUMNS)}")
    dates = parse_dates(table, "date").normalize()
    expiries = parse_dates(table, "expiry").normalize()
    early = np.flatnonzero(np.asarray(expiries < dates))
    if early.size:
        first = int(early[0])
        raise table.error(
            f"expiry {expiries[first]:%Y-%m-%d} is before the quote date {dates[first]:%Y-%m-%d}",
            "check whether `date` and `expiry` are swapped; expired options belong in no chain",
            "expiry",
            first,
        )
    rights = _parse_rights(table)
    strike = parse_numbers(table, "strike", sign="positive")
    bid = parse_numbers(table, "bid", sign="non_negative")
    ask = parse_numbers(table, "ask", sign="non_negative")
    crossed = np.flatnonzero(bid > ask)
    if crossed.size:
        first = int(crossed[0])
        raise table.error(
            f"crossed market: bid {format_number(bid[first])} is above ask "
            f"{format_number(ask[first])}",
            "check whether `bid` and `ask` are swapped, or leave both empty for no quote",
            "bid",
            first,
        )
    iv = _optional(table, ("iv",), "positive")
    underlying = _optional(table, UNDERLYING_ALIASES, "positive")
    frame = pd.DataFrame(
        {
            "date": dates,
            "expiry": expiries,
            "strike": strike,
            "right": rights,
            "bid": bid,
            "ask": ask,
            "iv": iv,
            "underlying": underlying,
        }
    )
    frame["_row"] = np.arange(len(frame))
    frame["_code"] = frame["right"].map(_RIGHT_CODES)
    frame = frame.sort_values(["date", "expiry", "_code", "strike", "_row"], kind="stable")
    _check_repeats(table, frame)
    return frame.drop(columns=["_row", "_code"]).reset_index(drop=True)


def _optional(table: Table, names: tuple[str, ...], sign: Literal["positive"]) -> FloatArray:
    for name in names:
        if name in table.frame.columns:
            return parse_numbers(table, name, sign=sign)
    return np.full(len(table.frame), np.nan)


def _parse_rights(table: Table) -> npt.NDArray[np.object_]:
    texts = cell_texts(table.frame["right"])
    rights = texts.str.lower().map(_RIGHTS)
    unknown = np.flatnonzero(rights.isna().to_numpy(dtype=bool))
    if unknown.size:
        first = int(unknown[0])
        more = f" (and {unknown.size - 1} more rows like it)" if unknown.size > 1 else ""
        raise table.error(
            f"`{texts.iloc[first]}` is not an option right{more}",
            "write call or put (or C or P)",
            "right",
            first,
        )
    return rights.to_numpy(dtype=object)


def _check_repeats(table: Table, frame: pd.DataFrame) -> None:
    key = ["date", "expiry", "_code", "strike"]
    repeated = frame.duplicated(subset=key, keep="first").to_numpy()
    if not repeated.any():
        return
    position = int(np.flatnonzero(repeated)[0])
    row = frame.iloc[position]
    first = int(frame.iloc[position - 1]["_row"])
    earlier = f"line {int(table.lines[first])}" if table.lines is not None else f"row {first + 1}"
    raise table.error(
        f"the {row['right']} {format_number(row['strike'])} expiring {row['expiry']:%Y-%m-%d} "
        f"is quoted twice on {row['date']:%Y-%m-%d} (first on {earlier})",
        "keep one row per date, expiry, strike and right",
        "strike",
        int(row["_row"]),
    )
