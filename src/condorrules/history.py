"""Daily market history for replay: the built-in S&P 500/VIX series and a user's own file.

A history is a :class:`pandas.DataFrame` indexed by a ``DatetimeIndex`` named ``date`` (sorted,
unique) with float64 columns, in this order where present: ``open``, ``high``, ``low``,
``close``, ``vix``, ``rate``, ``div_yield``, then one column per declared input. ``close`` is
always there. NaN means "unknown at this bar"; the evaluator turns it into ``unknown``.

Reading a file checks it once, up front, and stops at the first problem with a
:class:`HistoryError` naming the file, the column and the row, and saying how to fix it.
The file-reading building blocks here are shared with :mod:`condorrules.chain`.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from condorrules.resources import data_path

__all__ = [
    "BUILTIN_FILE",
    "BUILTIN_SOURCE",
    "DateLike",
    "HistoryError",
    "Table",
    "check_inputs",
    "history_from_frame",
    "load_builtin",
    "load_history",
    "missing_input_message",
    "missing_inputs",
    "read_table",
    "resolve_history",
    "slice_dates",
]

BUILTIN_FILE = "sp500_vix_2014_2018.csv.gz"
"""Package data file of the built-in history (regenerate with ``scripts/make_history.py``)."""

BUILTIN_SOURCE = "the built-in S&P 500/VIX history"
"""How messages name the built-in history."""

PRICE_COLUMNS = ("open", "high", "low", "close", "vix")
"""Columns that must be positive where known."""

OPTIONAL_COLUMNS = ("open", "high", "low", "vix", "rate", "div_yield")
"""Recognised columns besides ``date`` and ``close``/``spot``."""

_MISSING_TOKENS = frozenset({"", "nan", "na", "n/a", "#n/a", "null", "none"})
_CSV_SUFFIXES = (".csv", ".csv.gz", ".txt")
_PARQUET_SUFFIXES = (".parquet", ".pq")
_DATE_HELP = "write dates as YYYY-MM-DD (ISO 8601), e.g. 2018-02-05"

FloatArray = npt.NDArray[np.float64]
Sign = Literal["any", "positive", "non_negative"]


class HistoryError(ValueError):
    """A problem in market data a user supplied, located by file, column and row.

    ``str(error)`` is the whole message: location, what is wrong, and a ``help:`` line.
    ``line`` is the 1-based line in a CSV file (the header is line 1); ``row`` is the 1-based
    data row (the first row after the header is row 1); either may be ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        help: str,
        file: str | None = None,
        column: str | None = None,
        row: int | None = None,
        line: int | None = None,
    ) -> None:
        self.message = message
        self.help = help
        self.file = file
        self.column = column
        self.row = row
        self.line = line
        super().__init__(self._render())

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only fields: rebuild through a helper so the error survives pickling
        # (parameter sweeps may run in worker processes).
        fields = (self.message, self.help, self.file, self.column, self.row, self.line)
        return (_rebuild_error, (type(self), *fields))

    def _render(self) -> str:
        where = [self.file] if self.file else []
        if self.line is not None:
            where.append(f"line {self.line} (data row {self.row})")
        elif self.row is not None:
            where.append(f"data row {self.row}")
        if self.column is not None:
            where.append(f"column `{self.column}`")
        prefix = ", ".join(where)
        head = f"{prefix}: {self.message}" if prefix else self.message
        return f"{head}\nhelp: {self.help}"


def _rebuild_error(
    cls: type[HistoryError],
    message: str,
    help: str,
    file: str | None,
    column: str | None,
    row: int | None,
    line: int | None,
) -> HistoryError:
    return cls(message, help=help, file=file, column=column, row=row, line=line)


@dataclass(frozen=True, slots=True)
class Table:
    """A data file read as raw cells, before any column is interpreted.

    ``frame`` has lower-cased, trimmed column names and one row per data row; ``lines[i]`` is
    the CSV line of row ``i`` (``None`` for Parquet), counting one record per physical line.
    """

    file: str
    frame: pd.DataFrame
    lines: npt.NDArray[np.int64] | None

    def error(self, message: str, help: str, column: str | None, index: int) -> HistoryError:
        """A :class:`HistoryError` at row ``index`` (0-based position in ``frame``)."""
        line = None if self.lines is None else int(self.lines[index])
        return HistoryError(
            message, help=help, file=self.file, column=column, row=index + 1, line=line
        )

    def require(self, column: str, help: str) -> None:
        """Raise unless ``column`` is present."""
        if column not in self.frame.columns:
            names = [str(name) for name in self.frame.columns]
            present = ", ".join(names) or "none"
            if len(names) == 1 and (";" in names[0] or "\t" in names[0]):
                help = "the cells seem to be separated by `;` or tabs: save the file with commas"
            raise HistoryError(
                f"column `{column}` is missing (the file has: {present})",
                help=help,
                file=self.file,
                column=column,
            )


def read_table(path: str | Path) -> Table:
    """Read a CSV (optionally ``.gz``) or Parquet file into a :class:`Table`.

    Column names are trimmed and lower-cased; fully empty CSV lines are skipped.
    """
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise HistoryError(
            "file not found",
            help="check the path (it is relative to the current directory)",
            file=file,
        )
    name = path.name.lower()
    if name.endswith(_PARQUET_SUFFIXES):
        frame, lines = _read_parquet(path), None
    elif name.endswith(_CSV_SUFFIXES):
        frame, lines = _read_csv(path)
    else:
        raise HistoryError(
            "unknown file type",
            help="name the file `.csv`, `.csv.gz` or `.parquet` according to its format",
            file=file,
        )
    if len(frame) == 0:
        raise HistoryError("the file has no data rows", help="add at least one row", file=file)
    return Table(file, _normalise_columns(frame, file), lines)


def _read_csv(path: Path) -> tuple[pd.DataFrame, npt.NDArray[np.int64]]:
    try:
        with warnings.catch_warnings():
            # pandas only warns (and drops cells) when a row is longer than the header.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            # Blank lines are kept (as empty rows) so that row i is line i + 2; dropped below.
            frame = pd.read_csv(
                path, dtype=str, keep_default_na=False, skip_blank_lines=False, index_col=False
            )
    except pd.errors.EmptyDataError:
        raise HistoryError(
            "the file is empty", help="the first line must name the columns", file=str(path)
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning, UnicodeDecodeError) as error:
        raise HistoryError(
            f"cannot read the file as CSV: {str(error).strip()}",
            help="every line needs the same number of comma-separated cells as the header",
            file=str(path),
        ) from None
    blank = (frame == "").all(axis=1).to_numpy(dtype=bool)
    lines = (np.flatnonzero(~blank) + 2).astype(np.int64)
    return frame.loc[~blank].reset_index(drop=True), lines


def _read_parquet(path: Path) -> pd.DataFrame:
    if not any(importlib.util.find_spec(engine) for engine in ("pyarrow", "fastparquet")):
        raise HistoryError(
            "reading Parquet needs pyarrow (or fastparquet), which is not installed",
            help="`pip install pyarrow`, or save the data as CSV",
            file=str(path),
        )
    try:
        frame = pd.read_parquet(path)
    except Exception as error:  # the engines raise many unrelated types for a bad file
        raise HistoryError(
            f"cannot read the file as Parquet: {error}",
            help="check that the file is a valid Parquet file",
            file=str(path),
        ) from None
    if not isinstance(frame.index, pd.RangeIndex):
        frame = frame.reset_index()
    return frame


def _normalise_columns(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    names = [str(name).strip().lower() for name in frame.columns]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise HistoryError(
                f"two columns are named `{name}` (names ignore case and surrounding spaces)",
                help="rename or remove one of them",
                file=file,
                column=name,
            )
        seen.add(name)
    frame = frame.copy()
    frame.columns = pd.Index(names)
    return frame


def parse_dates(table: Table, column: str) -> pd.DatetimeIndex:
    """The ``column`` as dates; an empty or unreadable cell raises :class:`HistoryError`."""
    values = table.frame[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        parsed = pd.DatetimeIndex(values)
    else:
        texts = cell_texts(values)
        # utc=True: a file mixing time-zone offsets is read (as UTC) instead of raising.
        parsed = pd.DatetimeIndex(
            pd.to_datetime(texts, format="ISO8601", errors="coerce", utc=True)
        )
    if parsed.tz is not None:
        parsed = parsed.tz_convert(None)
    bad = np.flatnonzero(np.asarray(parsed.isna()))
    if bad.size:
        first = int(bad[0])
        text = _cell_text(values.iloc[first])
        what = "the cell is empty" if text == "" else f"`{text}` is not a date"
        raise table.error(f"{what}{_more(bad.size)}", _DATE_HELP, column, first)
    return parsed.as_unit("ns")


def parse_numbers(table: Table, column: str, *, sign: Sign = "any") -> FloatArray:
    """The ``column`` as float64; empty/NaN cells become NaN, anything else unreadable raises.

    ``sign="positive"`` also rejects known values <= 0, ``"non_negative"`` known values < 0.
    """
    values = table.frame[column]
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values):
        numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    else:
        texts = cell_texts(values)
        missing = texts.str.lower().isin(_MISSING_TOKENS).to_numpy(dtype=bool)
        numbers = pd.to_numeric(texts.where(~missing, ""), errors="coerce").to_numpy(
            dtype=np.float64, na_value=np.nan
        )
        unreadable = np.flatnonzero(np.isnan(numbers) & ~missing)
        if unreadable.size:
            first = int(unreadable[0])
            raise table.error(
                f"`{_cell_text(values.iloc[first])}` is not a number{_more(unreadable.size)}",
                "write a plain number such as 2648.94 (no thousands separators or units), "
                "or leave the cell empty (or NaN) where the value is unknown",
                column,
                first,
            )
    infinite = np.flatnonzero(np.isinf(numbers))
    if infinite.size:
        first = int(infinite[0])
        raise table.error(
            f"`{_cell_text(values.iloc[first])}` is not a finite number{_more(infinite.size)}",
            "leave the cell empty (or NaN) where the value is unknown",
            column,
            first,
        )
    if sign != "any":
        wrong = np.flatnonzero(numbers <= 0 if sign == "positive" else numbers < 0)
        if wrong.size:
            first = int(wrong[0])
            bound = "greater than zero" if sign == "positive" else "zero or more"
            raise table.error(
                f"`{_cell_text(values.iloc[first])}` is "
                f"{'not positive' if sign == 'positive' else 'negative'}"
                f"{_more(wrong.size)}",
                f"values in `{column}` must be {bound}; fix the value or leave the cell "
                "empty (or NaN) where it is unknown",
                column,
                first,
            )
    return numbers


def cell_texts(values: pd.Series) -> pd.Series:
    """The cells of a column as trimmed text, ``""`` where missing (vectorised for text)."""
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("").str.strip()
    return values.map(_cell_text).astype(object)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return format_number(float(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def format_number(value: float) -> str:
    """A number as a person would write it in the file: ``2648.94``, ``98``, ``0.1``."""
    return f"{float(value):.12g}"


def _more(count: int) -> str:
    return f" (and {count - 1} more rows like it)" if count > 1 else ""


def check_unique_sorted(table: Table, column: str, dates: pd.DatetimeIndex) -> None:
    """Raise unless ``dates`` strictly increase (no duplicates, no row out of order)."""
    duplicated = np.flatnonzero(np.asarray(dates.duplicated(keep="first")))
    if duplicated.size:
        index = int(duplicated[0])
        first = int(np.flatnonzero(np.asarray(dates == dates[index]))[0])
        where = _where(table, first)
        raise table.error(
            f"{_fmt(dates[index])} appears twice (first on {where})",
            "keep one row per date",
            column,
            index,
        )
    steps = np.diff(dates.asi8)
    backwards = np.flatnonzero(steps < 0)
    if backwards.size:
        index = int(backwards[0]) + 1
        raise table.error(
            f"{_fmt(dates[index])} comes after {_fmt(dates[index - 1])} "
            f"(on {_where(table, index - 1)}): dates must increase",
            "sort the rows by date, oldest first",
            column,
            index,
        )


def _where(table: Table, index: int) -> str:
    return f"line {int(table.lines[index])}" if table.lines is not None else f"data row {index + 1}"


def _fmt(stamp: pd.Timestamp) -> str:
    return stamp.strftime("%Y-%m-%d") if stamp == stamp.normalize() else stamp.isoformat()


def load_history(path: str | Path, inputs: Sequence[str] = ()) -> pd.DataFrame:
    """Read and check a user's daily history (CSV, CSV.gz or Parquet).

    Required: ``date`` and ``close`` (or ``spot``, read as ``close``). Optional: ``open``,
    ``high``, ``low``, ``vix``, ``rate``, ``div_yield``, and one column per name in ``inputs``
    (every one of which must be present). Other columns are ignored. Column names ignore case
    and surrounding spaces. Raises :class:`HistoryError` on the first problem found.
    """
    return _history(read_table(path), inputs)


def history_from_frame(
    frame: pd.DataFrame, inputs: Sequence[str] = (), *, name: str = "<data frame>"
) -> pd.DataFrame:
    """Check an in-memory history exactly as :func:`load_history` checks a file.

    ``frame`` has a ``date`` column or a ``DatetimeIndex``; errors name ``name`` and data rows.
    """
    if "date" not in [str(column).strip().lower() for column in frame.columns]:
        frame = frame.rename_axis("date").reset_index()
    table = table_from_frame(frame, name)
    if len(table.frame) == 0:
        raise HistoryError("the data has no rows", help="add at least one row", file=name)
    return _history(table, inputs)


def table_from_frame(frame: pd.DataFrame, name: str) -> Table:
    """An in-memory frame as a :class:`Table` (errors then name ``name`` and data rows)."""
    return Table(name, _normalise_columns(frame.reset_index(drop=True), name), None)


def resolve_history(
    data: str | Path | pd.DataFrame | None = None, inputs: Sequence[str] = ()
) -> pd.DataFrame:
    """The history a run uses: built-in (``None``), a file path, or a data frame.

    Every declared input must be a column; otherwise :class:`HistoryError` says how to add it.
    """
    if data is None:
        frame = load_builtin()
        check_inputs(frame, inputs)
        return frame
    if isinstance(data, pd.DataFrame):
        return history_from_frame(data, inputs)
    return load_history(data, inputs)


def _history(table: Table, inputs: Sequence[str]) -> pd.DataFrame:
    columns = table.frame.columns
    table.require("date", "add a `date` column with one date per row, as YYYY-MM-DD")
    if "close" in columns and "spot" in columns:
        raise HistoryError(
            "the file has both `close` and `spot`",
            help="keep one of them: both name the underlying's price",
            file=table.file,
            column="spot",
        )
    price_column = "spot" if "spot" in columns else "close"
    table.require(price_column, "add a `close` column (or `spot`) with the underlying's price")
    absent = [name for name in _unique(inputs) if name.strip().lower() not in columns]
    if absent:
        raise HistoryError(
            "; ".join(missing_input_message(name, table.file) for name in absent),
            help=_input_help(absent),
            file=table.file,
        )
    dates = parse_dates(table, "date")
    check_unique_sorted(table, "date", dates)
    data: dict[str, FloatArray] = {}
    for name in (*OPTIONAL_COLUMNS[:3], "close", *OPTIONAL_COLUMNS[3:]):
        source = price_column if name == "close" else name
        if source in columns:
            sign: Sign = "positive" if name in PRICE_COLUMNS else "any"
            data[name] = parse_numbers(table, source, sign=sign)
    for name in _unique(inputs):
        if name not in data:
            data[name] = parse_numbers(table, name.strip().lower())
    if "high" in data and "low" in data:
        _check_high_low(table, data["high"], data["low"])
    return _frame(dates, data, table.file)


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _check_high_low(table: Table, high: FloatArray, low: FloatArray) -> None:
    inverted = np.flatnonzero(high < low)
    if inverted.size:
        first = int(inverted[0])
        raise table.error(
            f"high {format_number(high[first])} is below low {format_number(low[first])}"
            f"{_more(inverted.size)}",
            "check whether the `high` and `low` columns are swapped",
            "high",
            first,
        )


def _frame(dates: pd.DatetimeIndex, data: dict[str, FloatArray], source: str) -> pd.DataFrame:
    frame = pd.DataFrame(data, index=pd.DatetimeIndex(dates, name="date"))
    frame.attrs["source"] = source
    return frame


def load_builtin() -> pd.DataFrame:
    """The built-in daily history: S&P 500 open/high/low/close and VIX close.

    1,257 trading days from 2014-01-03 to 2018-12-31 (Yahoo Finance data as shipped by the
    ``arch`` package; see docs/replay.md). Each call returns a fresh frame.
    """
    frame = load_history(data_path(BUILTIN_FILE))
    frame.attrs["source"] = BUILTIN_SOURCE
    return frame


def missing_inputs(frame: pd.DataFrame, inputs: Iterable[str]) -> list[str]:
    """The declared ``inputs`` that ``frame`` has no column for, in declaration order."""
    return [name for name in _unique(inputs) if name not in frame.columns]


def missing_input_message(name: str, source: str | None = None) -> str:
    """The message for a declared input the data lacks; ``source`` names the data."""
    data = source or BUILTIN_SOURCE
    message = f"the ruleset declares input `{name}` but {data} has no column `{name}`"
    if data == BUILTIN_SOURCE:
        return (
            f"{message}: supply your own history (`--data FILE`, API `data=`) with a column "
            f"named `{name}` beside `date` and `close`"
        )
    return (
        f"{message}: add a column named `{name}` with one value per date "
        "(leave a cell empty where it is unknown)"
    )


def _input_help(names: Sequence[str]) -> str:
    listed = ", ".join(f"`{name}`" for name in names)
    return f"every `input` a ruleset declares must be a column of the data: add {listed}"


def check_inputs(frame: pd.DataFrame, inputs: Iterable[str]) -> None:
    """Raise :class:`HistoryError` if ``frame`` lacks a column for any declared input."""
    absent = missing_inputs(frame, inputs)
    if absent:
        source = frame.attrs.get("source")
        raise HistoryError(
            "; ".join(missing_input_message(name, source) for name in absent),
            help=_input_help(absent),
            file=source if source != BUILTIN_SOURCE else None,
        )


DateLike = str | dt.date | pd.Timestamp


def slice_dates(
    frame: pd.DataFrame, start: DateLike | None = None, end: DateLike | None = None
) -> pd.DataFrame:
    """The rows of ``frame`` from ``start`` to ``end`` (both inclusive; ``None`` = open end).

    Raises :class:`HistoryError` for an unreadable date, ``start`` after ``end``, a date outside
    the data's first..last date, or a range that holds no bar.
    """
    source = frame.attrs.get("source") or "the data"
    first, last = frame.index[0], frame.index[-1]
    begin = _as_timestamp(start, "start") if start is not None else first
    finish = _as_timestamp(end, "end") if end is not None else last
    span = f"{source} covers {_fmt(first)} to {_fmt(last)}"
    if begin > finish:
        raise HistoryError(
            f"the start {_fmt(begin)} is after the end {_fmt(finish)}",
            help="swap them, or pick a start on or before the end",
        )
    if begin < first or begin > last:
        raise HistoryError(
            f"the start {_fmt(begin)} is outside the data: {span}",
            help=f"pick a start between {_fmt(first)} and {_fmt(last)}, or leave it out",
        )
    if finish > last or finish < first:
        raise HistoryError(
            f"the end {_fmt(finish)} is outside the data: {span}",
            help=f"pick an end between {_fmt(first)} and {_fmt(last)}, or leave it out",
        )
    sliced = frame.loc[begin:finish].copy()
    if len(sliced) == 0:
        raise HistoryError(
            f"there is no bar from {_fmt(begin)} to {_fmt(finish)} in {source}",
            help="widen the range to include a trading day",
        )
    sliced.attrs = dict(frame.attrs)
    return sliced


def _as_timestamp(value: DateLike, which: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        stamp = None
    if not isinstance(stamp, pd.Timestamp) or pd.isna(stamp):
        raise HistoryError(
            f"cannot read the {which} `{value}` as a date",
            help=_DATE_HELP,
        )
    return stamp
