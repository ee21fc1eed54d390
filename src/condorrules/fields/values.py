"""Field values that may be unknown: a scalar :class:`Unknown` and the columnar :class:`Column`.

A field the state cannot supply is never an exception and never a silent NaN: it is unknown and
keeps the reason (LANGUAGE.md §3), which ``explain`` shows. One bar's scalar value is a plain
Python value (``float``, ``bool``, ``str``, ``datetime.date``) or an :class:`Unknown`; a column
holds the same for many rows (positions, or one position over many bars) as a value array and a
parallel array of reasons, ``None`` where the value is known.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[np.object_]

EPOCH = datetime.date(1970, 1, 1)
"""Day 0 of the day numbers used for dates inside the columns (numpy's datetime64 epoch)."""


@dataclass(frozen=True, slots=True)
class Unknown:
    """A field value that could not be computed, and why (shown by ``explain``)."""

    reason: str

    def __str__(self) -> str:
        return f"unknown ({self.reason})"


FieldValue = float | bool | str | datetime.date | Unknown
"""One field's value on one row: numbers as float, dates as ``datetime.date``, sides and
weekdays as strings (``"put"``, ``"mon"``), or :class:`Unknown`."""


@dataclass(frozen=True, slots=True)
class Column:
    """One field over n rows: ``values`` (float64, bool, datetime64[D] or str objects) and
    ``reasons`` (``None`` where known, else why unknown). Unknown rows hold a filler value
    (NaN, False, NaT or "") that must not be read; ``known`` is the mask to use."""

    values: npt.NDArray[Any]
    reasons: ObjectArray

    @property
    def known(self) -> BoolArray:
        """True where the value is known."""
        return is_known(self.reasons)

    def __len__(self) -> int:
        return len(self.values)

    def at(self, row: int) -> FieldValue:
        """The scalar value of ``row`` (a Python value or :class:`Unknown`)."""
        reason = self.reasons[row]
        if reason is not None:
            return Unknown(str(reason))
        value = self.values[row]
        if isinstance(value, np.datetime64):
            return day_from_number(int(value.astype("datetime64[D]").astype(int)))
        if isinstance(value, np.bool_ | bool):
            return bool(value)
        if isinstance(value, str):
            return value
        return float(value)


def is_known(reasons: ObjectArray) -> BoolArray:
    """True where a reasons array holds None (the value is known).

    Reasons are never empty strings, so truthiness tells a reason from None (twice as fast as
    comparing with None element by element).
    """
    result: BoolArray = ~reasons.astype(np.bool_)
    return result


def choose(mask: npt.ArrayLike, if_true: Any, if_false: Any) -> ObjectArray:
    """``np.where`` for reason arrays (either branch may be None, a string or an array)."""
    result: ObjectArray = np.where(mask, if_true, if_false).astype(object)
    return result


def no_reasons(n: int) -> ObjectArray:
    """A reasons array for n rows that are all known."""
    return np.full(n, None, dtype=object)


def known_column(values: npt.ArrayLike) -> Column:
    """A column whose every row is known."""
    array = np.asarray(values)
    return Column(array, no_reasons(len(array)))


def first_reason(*reason_arrays: ObjectArray) -> ObjectArray:
    """Row-wise the first non-None reason of the given arrays (the earliest input wins)."""
    result = reason_arrays[-1].copy()
    if not any(reasons.any() for reasons in reason_arrays[:-1]):  # the earlier ones are known
        return result
    for reasons in reversed(reason_arrays[:-1]):
        result = choose(is_known(reasons), result, reasons)
    return result


def derived(values: npt.ArrayLike, *inputs: Column, filler: Any = np.nan) -> Column:
    """A column computed from ``inputs``: unknown wherever an input is, with its reason."""
    if len(inputs) == 1:
        reasons = inputs[0].reasons
    else:
        reasons = first_reason(*(column.reasons for column in inputs))
    array = np.asarray(values)
    unknown = ~is_known(reasons)
    if unknown.any():
        array = np.where(unknown, filler, array)
    return Column(array, reasons)


def with_unknown(column: Column, where: npt.ArrayLike, reason: str | ObjectArray) -> Column:
    """``column`` made unknown where ``where`` holds (rows already unknown keep their reason)."""
    mask = np.asarray(where, dtype=np.bool_)
    if not mask.any():
        return column
    new = choose(mask & is_known(column.reasons), reason, column.reasons)
    filler = _filler(column.values)
    return Column(np.where(mask, filler, column.values), new)


def _filler(values: npt.NDArray[Any]) -> Any:
    if values.dtype == np.bool_:
        return False
    if np.issubdtype(values.dtype, np.datetime64):
        return np.datetime64("NaT")
    if values.dtype == object or np.issubdtype(values.dtype, np.str_):
        return ""
    return np.nan


def day_number(day: datetime.date) -> int:
    """Days since 1970-01-01 (the representation of dates inside columns)."""
    return (day - EPOCH).days


def day_from_number(number: int) -> datetime.date:
    """The date ``number`` days after 1970-01-01 (the inverse of :func:`day_number`)."""
    return EPOCH + datetime.timedelta(days=number)


__all__ = [
    "EPOCH",
    "Column",
    "FieldValue",
    "Unknown",
    "choose",
    "day_from_number",
    "day_number",
    "derived",
    "first_reason",
    "is_known",
    "known_column",
    "no_reasons",
    "with_unknown",
]
