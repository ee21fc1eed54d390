"""The value model every evaluator shares: a value, or ``unknown`` with the reason why.

Two shapes with one meaning (LANGUAGE.md §3, "missing data"):

* :class:`Value` — one value (the per-state evaluator, live use).
* :class:`Column` — one value per bar (the vectorised evaluator, replay): a numpy array of
  values beside a boolean ``known`` mask, plus optional per-bar reason codes.

Invariants (every operation in :mod:`condorrules.runtime` keeps them, and :func:`column`
establishes them):

* numbers are ``float64`` and booleans ``bool``; nothing else flows through the evaluator
  (dates, sides and weekdays are encoded as numbers by the compiler);
* where a value is unknown its slot holds ``NaN`` (numbers) or ``False`` (booleans), so two
  results that mean the same thing are also bit-identical;
* a ``NaN`` in the data is unknown, never a number.

Reasons: a scalar carries ``reason: str | None``; a column carries :class:`Reasons`, an
``int32`` code per bar (``-1`` = none) into a small table of messages. Operations propagate
the reason of the leftmost operand that made the result unknown; see ``docs/indicators.md``.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
BoolArray: TypeAlias = NDArray[np.bool_]
CodeArray: TypeAlias = NDArray[np.int32]

NO_REASON = -1
"""Reason code of a known value, or of an unknown one nobody explained."""


class Truth(enum.Enum):
    """The three truth values of Kleene's logic."""

    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True, eq=False)
class Value:
    """One value of the per-state evaluator: a number or a bool, or unknown with a reason.

    Build with :func:`known`, :func:`unknown` or :func:`from_float`; an unknown number holds
    ``NaN`` and an unknown bool ``False`` in ``value``. Two values are equal when they mean
    the same: same kind (number or bool), same knownness and reason, and equal values.
    """

    value: float | bool
    known: bool = True
    reason: str | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Value):
            return NotImplemented
        if (self.known, self.reason, self.is_bool) != (other.known, other.reason, other.is_bool):
            return False
        return not self.known or self.value == other.value

    def __hash__(self) -> int:
        return hash((self.known, self.reason, self.is_bool, self.value if self.known else None))

    @property
    def is_bool(self) -> bool:
        """True when this is a truth value rather than a number."""
        return isinstance(self.value, bool)

    @property
    def truth(self) -> Truth:
        """The Kleene truth value of a boolean value."""
        if not self.known:
            return Truth.UNKNOWN
        return Truth.TRUE if self.value else Truth.FALSE

    def __str__(self) -> str:
        if not self.known:
            return "unknown" if self.reason is None else f"unknown ({self.reason})"
        if isinstance(self.value, bool):
            return "true" if self.value else "false"
        return repr(self.value)


def known(value: float | bool) -> Value:
    """A known value; a NaN number is turned into an unknown one (no reason)."""
    if isinstance(value, bool | np.bool_):
        return Value(bool(value))
    number = float(value)
    if math.isnan(number):
        return Value(math.nan, False, None)
    return Value(number)


def unknown(reason: str | None = None, *, boolean: bool = False) -> Value:
    """An unknown number (or, with ``boolean=True``, an unknown truth value)."""
    return Value(False if boolean else math.nan, False, reason)


def from_float(value: float | None, reason: str) -> Value:
    """A number from data: ``None`` or NaN become unknown with ``reason``."""
    if value is None or math.isnan(value):
        return Value(math.nan, False, reason)
    return Value(float(value))


UNKNOWN_BOOL = unknown(boolean=True)
TRUE = Value(True)
FALSE = Value(False)


@dataclass(frozen=True, slots=True, eq=False)
class Reasons:
    """Why each unknown bar is unknown: ``table[codes[i]]``, or none where ``codes[i] == -1``."""

    codes: CodeArray
    table: tuple[str, ...]

    def at(self, index: int) -> str | None:
        """The reason recorded for one bar, if any."""
        code = int(self.codes[index])
        return None if code == NO_REASON else self.table[code]


@dataclass(frozen=True, slots=True, eq=False)
class Column:
    """Values over bars with a ``known`` mask: the vectorised counterpart of :class:`Value`.

    ``values`` is ``float64`` or ``bool``; see the module docstring for the invariants.
    ``reasons`` is ``None`` when no unknown bar carries an explanation. Columns are
    immutable by contract: operations may share arrays between inputs and results, so never
    write into ``values`` or ``known``.
    """

    values: NDArray[Any]
    known: BoolArray
    reasons: Reasons | None = None

    def __len__(self) -> int:
        return int(self.values.shape[0])

    @property
    def is_bool(self) -> bool:
        """True for a column of truth values."""
        return bool(self.values.dtype == np.bool_)

    def reason_at(self, index: int) -> str | None:
        """The reason bar ``index`` is unknown (``None`` if known or unexplained)."""
        if self.reasons is None or self.known[index]:
            return None
        return self.reasons.at(index)

    def at(self, index: int) -> Value:
        """Bar ``index`` as a scalar :class:`Value` (for explain and the differential tests)."""
        if not self.known[index]:
            return unknown(self.reason_at(index), boolean=self.is_bool)
        item = self.values[index]
        return Value(bool(item)) if self.is_bool else Value(float(item))

    def truth(self) -> NDArray[np.object_]:
        """Per-bar :class:`Truth` of a boolean column (slow; for tests and reports)."""
        out = np.empty(len(self), dtype=object)
        out[:] = Truth.UNKNOWN
        out[self.known & self.values] = Truth.TRUE
        out[self.known & ~self.values] = Truth.FALSE
        return out

    def without_reasons(self) -> Column:
        """The same values and mask without reasons (the fast path for replay)."""
        return Column(self.values, self.known) if self.reasons is not None else self


def column(
    values: ArrayLike,
    known: ArrayLike | None = None,
    reason: str | None = None,
) -> Column:
    """Build a column from data, establishing the invariants.

    ``values`` becomes ``bool`` if it is boolean, ``float64`` otherwise; NaN is unknown.
    ``known`` (optional) marks further unknown bars; ``reason`` explains every unknown bar
    (e.g. ``"no VIX on this bar"``).
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"a column is one-dimensional, got shape {array.shape}")
    if array.dtype == np.bool_:
        data: NDArray[Any] = array.copy()
        mask = np.ones(array.shape, dtype=np.bool_)
        fill: float | bool = False
    else:
        data = array.astype(np.float64, copy=True)
        mask = ~np.isnan(data)
        fill = math.nan
    if known is not None:
        mask &= np.asarray(known, dtype=np.bool_)
    data[~mask] = fill
    reasons = None
    if reason is not None and not mask.all():
        codes = np.where(mask, NO_REASON, 0).astype(np.int32)
        reasons = Reasons(codes, (reason,))
    return Column(data, mask, reasons)


def constant(value: Value, length: int) -> Column:
    """A column repeating one scalar value (known or not) ``length`` times."""
    data: NDArray[Any] = np.full(
        length, value.value, dtype=np.bool_ if value.is_bool else np.float64
    )
    mask = np.full(length, value.known, dtype=np.bool_)
    reasons = None
    if not value.known and value.reason is not None:
        reasons = Reasons(np.zeros(length, dtype=np.int32), (value.reason,))
    return Column(data, mask, reasons)


def unknown_column(length: int, reason: str | None = None, *, boolean: bool = False) -> Column:
    """A column unknown on every bar."""
    return constant(unknown(reason, boolean=boolean), length)
