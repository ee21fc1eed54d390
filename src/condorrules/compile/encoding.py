"""How values of every type travel through the evaluators: as numbers or truth values.

The runtime carries only ``float64`` and ``bool`` (see :mod:`condorrules.runtime.values`), so
the compiler encodes the other types as numbers and decodes them for people:

* a date is its day number (days since 1970-01-01), so ``date - date`` is days;
* a weekday is its index, ``mon`` = 0 .. ``sun`` = 6 (``datetime.date.weekday()`` order);
* a side is its index in :data:`condorrules.catalogue.SIDE_VALUES`.

Strings (alert texts) and events never reach the runtime: they are compile-time constants.
"""

from __future__ import annotations

import datetime
import functools
import math
from collections.abc import Callable
from typing import Any

import numpy as np

from condorrules.catalogue import SIDE_VALUES, Type
from condorrules.fields import WEEKDAYS, Column, Unknown
from condorrules.fields.values import FieldValue, day_from_number, day_number
from condorrules.runtime import Value, known, unknown

WEEKDAY_NAMES: tuple[str, ...] = WEEKDAYS
"""Weekday names in ``datetime.date.weekday()`` order: a weekday's code is its index here."""

JSONValue = float | bool | str | None


def encode(value: FieldValue, value_type: Type) -> Value:
    """A field value (a Python value or :class:`Unknown`) as a runtime value."""
    if isinstance(value, Unknown):
        return unknown(value.reason, boolean=value_type is Type.BOOL)
    if isinstance(value, bool):
        return Value(value)
    if isinstance(value, datetime.date):
        return Value(float(day_number(value)))
    if isinstance(value, str):
        return Value(float(symbol_code(value, value_type)))
    return known(value)


def encode_column(column: Column, value_type: Type) -> list[Value]:
    """``encode(column.at(row), value_type)`` for every row, converting the arrays once
    (the per-state evaluator reads each position field of every position)."""
    reasons = column.reasons.tolist()
    kind = column.values.dtype.kind
    encoded: Callable[[Any], Value]
    if kind == "M":
        plain: list[Any] = column.values.astype("datetime64[D]").astype(np.int64).tolist()
        encoded = _day_value
    else:
        plain = column.values.tolist()
        if kind == "f":
            encoded = _number_value
        elif kind == "b":
            encoded = Value
        elif kind == "O" and all(isinstance(value, str) for value in plain):
            encoded = functools.partial(_symbol_value, value_type=value_type)
        else:
            return [encode(column.at(row), value_type) for row in range(len(column))]
    boolean = value_type is Type.BOOL
    return [
        encoded(value) if reason is None else unknown(str(reason), boolean=boolean)
        for value, reason in zip(plain, reasons, strict=True)
    ]


def _number_value(number: float) -> Value:
    """``known(number)`` for a Python float (NaN is unknown), without its type dispatch."""
    return Value(number) if number == number else Value(math.nan, False, None)


def _day_value(day: int) -> Value:
    return Value(float(day))


def _symbol_value(name: str, value_type: Type) -> Value:
    return Value(float(symbol_code(name, value_type)))


def symbol_code(name: str, value_type: Type) -> int:
    """The number standing for a side or weekday name."""
    if value_type is Type.WEEKDAY:
        return WEEKDAY_NAMES.index(name)
    return SIDE_VALUES.index(name)


def decode(value: Value, value_type: Type) -> JSONValue:
    """A runtime value as a plain JSON value: dates ISO, sides and weekdays by name,
    unknown as None."""
    if not value.known:
        return None
    if isinstance(value.value, bool):
        return value.value
    number = float(value.value)
    if value_type is Type.DATE and math.isfinite(number):
        return day_from_number(int(number)).isoformat()
    if value_type is Type.WEEKDAY and 0 <= number < len(WEEKDAY_NAMES):
        return WEEKDAY_NAMES[int(number)]
    if value_type is Type.SIDE and 0 <= number < len(SIDE_VALUES):
        return SIDE_VALUES[int(number)]
    return number


def show(value: Value, value_type: Type) -> str:
    """A value as a trader reads it: ``true``, ``0.52``, ``2018-02-16``, ``put``, ``unknown``."""
    if not value.known:
        return "unknown"
    plain = decode(value, value_type)
    if isinstance(plain, bool):
        return "true" if plain else "false"
    if isinstance(plain, float):
        return format_number(plain)
    return str(plain)


def format_number(number: float) -> str:
    """Shortest faithful spelling of a number, without a trailing ``.0`` for whole numbers."""
    if math.isfinite(number) and number == int(number) and abs(number) < 1e15:
        return str(int(number))
    return f"{number:.6g}" if abs(number) >= 1e-4 or number == 0 else repr(number)
