"""Operators of the language on columns: the vectorised twin of :mod:`.scalar`.

Same names, same meaning, same reasons, one bar at a time or a million at once. An operand
may be a :class:`Column` or a scalar :class:`Value` (broadcast to every bar, e.g. a literal);
at least one operand must be a column. Unknown slots hold NaN/False (see
:mod:`condorrules.runtime.values`), which is what lets most operations skip masking:
``NaN + x`` is already NaN and a Kleene ``and`` only needs the known-false bars.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from condorrules.runtime.scalar import DIVISION_BY_ZERO, NOT_A_NUMBER
from condorrules.runtime.values import NO_REASON, BoolArray, Column, Reasons, Value

Operand: TypeAlias = Column | Value
_Origin: TypeAlias = tuple[BoolArray, str]


def _length(operands: Sequence[Operand]) -> int:
    for operand in operands:
        if isinstance(operand, Column):
            return len(operand)
    raise TypeError("a vector operation needs at least one Column operand")


def _values(operand: Operand) -> Any:
    if isinstance(operand, Column):
        return operand.values
    return np.bool_(operand.value) if operand.is_bool else np.float64(operand.value)


def _known(operand: Operand) -> Any:
    return operand.known if isinstance(operand, Column) else np.bool_(operand.known)


def _has_reasons(operand: Operand) -> bool:
    if isinstance(operand, Column):
        return operand.reasons is not None
    return not operand.known and operand.reason is not None


def _reasons(
    result_known: BoolArray,
    operands: Sequence[tuple[Operand, Any]],
    origins: Sequence[_Origin] = (),
) -> Reasons | None:
    """Reasons for the unknown bars of a result: the leftmost unknown operand's, then origins.

    ``operands`` pairs each operand with the bars where it decides the result (``None`` for
    all bars; ``if_else`` uses this to blame only the branch it took).
    """
    if not origins and not any(_has_reasons(operand) for operand, _ in operands):
        return None
    # Work on the indices of the unknown bars: usually few, so no full-length mask per operand.
    pending = np.flatnonzero(~result_known)
    if not len(pending):
        return None
    codes = np.full(result_known.shape, NO_REASON, dtype=np.int32)
    table: dict[str, int] = {}
    for operand, where in operands:
        if isinstance(operand, Value):
            if operand.known:
                continue
            take = np.ones(len(pending), dtype=np.bool_)
        else:
            take = ~operand.known[pending]
        if where is not None:
            take &= np.broadcast_to(where, result_known.shape)[pending]
        bars = pending[take]
        if isinstance(operand, Value):
            if operand.reason is not None:
                codes[bars] = table.setdefault(operand.reason, len(table))
        elif operand.reasons is not None:
            remap = [table.setdefault(text, len(table)) for text in operand.reasons.table]
            lookup = np.array([*remap, NO_REASON], dtype=np.int32)
            codes[bars] = lookup[operand.reasons.codes[bars]]
        pending = pending[~take]
    for mask, text in origins:
        take = np.broadcast_to(mask, result_known.shape)[pending]
        if take.any():
            codes[pending[take]] = table.setdefault(text, len(table))
            pending = pending[~take]
    return Reasons(codes, tuple(table)) if table else None


def _plain(operands: Sequence[Operand]) -> list[tuple[Operand, None]]:
    return [(operand, None) for operand in operands]


def _bool_column(value: BoolArray, known: BoolArray, operands: Sequence[Operand]) -> Column:
    return Column(value, known, _reasons(known, _plain(operands)))


# -- logic -------------------------------------------------------------------------------


def _mask(operand: Operand, n: int) -> BoolArray:
    """The operand's known mask as a fresh array (safe to update in place)."""
    return np.array(np.broadcast_to(_known(operand), (n,)))


def and_(*operands: Operand) -> Column:
    """Kleene ``and``: false where any operand is known false, true where all are true."""
    n = _length(operands)
    all_known = _mask(operands[0], n)
    any_false = all_known & ~_values(operands[0])
    for operand in operands[1:]:
        known = _known(operand)
        any_false |= known & ~_values(operand)
        all_known &= known
    return _bool_column(all_known & ~any_false, all_known | any_false, operands)


def or_(*operands: Operand) -> Column:
    """Kleene ``or``: true where any operand is known true, false where all are false."""
    n = _length(operands)
    # unknown slots hold False, so a value of True means "known true"
    any_true = np.array(np.broadcast_to(_values(operands[0]), (n,)))
    all_known = _mask(operands[0], n)
    for operand in operands[1:]:
        any_true |= _values(operand)
        all_known &= _known(operand)
    return _bool_column(any_true, any_true | all_known, operands)


def not_(operand: Column) -> Column:
    """Kleene ``not``."""
    return Column(~operand.values & operand.known, operand.known, operand.reasons)


def at_least(k: int, *operands: Operand) -> Column:
    """``at least k of (...)`` under Kleene semantics (see :func:`.logic.at_least`)."""
    n = _length(operands)
    true_count = np.zeros(n, dtype=np.int64)
    unknown_count = np.zeros(n, dtype=np.int64)
    for operand in operands:
        true_count += _values(operand)
        unknown_count += ~_known(operand)
    value = true_count >= k
    return _bool_column(value, value | (true_count + unknown_count < k), operands)


# -- arithmetic --------------------------------------------------------------------------


def _number_column(
    values: NDArray[np.float64], operands: Sequence[Operand], origins: Sequence[_Origin] = ()
) -> Column:
    known = ~np.isnan(values)
    operands_known = np.logical_and.reduce(
        [np.broadcast_to(_known(o), known.shape) for o in operands]
    )
    produced_nan = ~known & operands_known
    all_origins = [*origins, (produced_nan, NOT_A_NUMBER)]
    return Column(values, known, _reasons(known, _plain(operands), all_origins))


def _arithmetic(
    left: Operand, right: Operand, function: Callable[[Any, Any], NDArray[np.float64]]
) -> Column:
    n = _length((left, right))
    with np.errstate(invalid="ignore", over="ignore"):
        values = np.broadcast_to(function(_values(left), _values(right)), (n,)).astype(np.float64)
    return _number_column(values, (left, right))


def add(left: Operand, right: Operand) -> Column:
    """``left + right``."""
    return _arithmetic(left, right, np.add)


def sub(left: Operand, right: Operand) -> Column:
    """``left - right``."""
    return _arithmetic(left, right, np.subtract)


def mul(left: Operand, right: Operand) -> Column:
    """``left * right``."""
    return _arithmetic(left, right, np.multiply)


def div(left: Operand, right: Operand) -> Column:
    """``left / right``; bars dividing a known value by zero are unknown with a reason."""
    n = _length((left, right))
    denominator = _values(right)
    zero = np.broadcast_to((denominator == 0) & _known(right) & _known(left), (n,))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        values = np.broadcast_to(np.divide(_values(left), denominator), (n,)).astype(np.float64)
    values[zero] = np.nan
    return _number_column(values, (left, right), [(zero, DIVISION_BY_ZERO)])


def neg(operand: Column) -> Column:
    """Unary ``-``."""
    return Column(-operand.values, operand.known, operand.reasons)


# -- comparison --------------------------------------------------------------------------


def _compare(left: Operand, right: Operand, function: Callable[[Any, Any], BoolArray]) -> Column:
    n = _length((left, right))
    if isinstance(right, Value) and right.known:
        known = left.known if isinstance(left, Column) else np.ones(n, dtype=np.bool_)
    elif isinstance(left, Value) and left.known:
        known = right.known if isinstance(right, Column) else np.ones(n, dtype=np.bool_)
    else:
        known = np.broadcast_to(_known(left) & _known(right), (n,)).copy()
    with np.errstate(invalid="ignore"):
        value = np.broadcast_to(function(_values(left), _values(right)), (n,)) & known
    return _bool_column(value, known, (left, right))


def lt(left: Operand, right: Operand) -> Column:
    """``left < right``."""
    return _compare(left, right, np.less)


def le(left: Operand, right: Operand) -> Column:
    """``left <= right``."""
    return _compare(left, right, np.less_equal)


def gt(left: Operand, right: Operand) -> Column:
    """``left > right``."""
    return _compare(left, right, np.greater)


def ge(left: Operand, right: Operand) -> Column:
    """``left >= right``."""
    return _compare(left, right, np.greater_equal)


def eq(left: Operand, right: Operand) -> Column:
    """``left == right`` (exact)."""
    return _compare(left, right, np.equal)


def ne(left: Operand, right: Operand) -> Column:
    """``left != right`` (exact)."""
    return _compare(left, right, np.not_equal)


def between(operand: Operand, low: Operand, high: Operand) -> Column:
    """``operand between low and high``, inclusive: ``low <= operand and operand <= high``."""
    return and_(le(low, operand), le(operand, high))


def in_(operand: Column, options: Sequence[Operand]) -> Column:
    """``operand in [options]``: a Kleene ``or`` of equalities (false if empty)."""
    if not options:
        n = len(operand)
        return Column(np.zeros(n, dtype=np.bool_), np.ones(n, dtype=np.bool_))
    return or_(*(eq(operand, option) for option in options))


def if_else(condition: Column, then: Operand, otherwise: Operand) -> Column:
    """``if condition then then else otherwise``; unknown where the condition is unknown."""
    n = len(condition)
    chosen = condition.values
    values = np.broadcast_to(np.where(chosen, _values(then), _values(otherwise)), (n,))
    known = condition.known & np.where(chosen, _known(then), _known(otherwise))
    boolean = values.dtype == np.bool_
    values = np.where(known, values, False if boolean else np.nan)
    blame = [(condition, None), (then, chosen), (otherwise, ~chosen)]
    return Column(values, known, _reasons(known, blame))


# -- math functions ----------------------------------------------------------------------


def abs_(operand: Column) -> Column:
    """``abs(x)``."""
    return Column(np.abs(operand.values), operand.known, operand.reasons)


def _extreme(operands: Sequence[Operand], better: Callable[[Any, Any], Any]) -> Column:
    n = _length(operands)
    best = np.broadcast_to(_values(operands[0]), (n,)).astype(np.float64)
    known = np.broadcast_to(_known(operands[0]), (n,)).copy()
    for operand in operands[1:]:
        values = _values(operand)
        with np.errstate(invalid="ignore"):
            best = np.where(better(best, values), best, values)
        known &= _known(operand)
    best[~known] = np.nan
    return Column(best, known, _reasons(known, _plain(operands)))


def min_(*operands: Operand) -> Column:
    """``min(a, b, ...)``: unknown where any operand is unknown."""
    return _extreme(operands, np.less)


def max_(*operands: Operand) -> Column:
    """``max(a, b, ...)``: unknown where any operand is unknown."""
    return _extreme(operands, np.greater)


def round_(operand: Column, digits: int = 0) -> Column:
    """``round(x, digits)``: half to even (numpy's algorithm, as the scalar backend)."""
    return Column(np.round(operand.values, digits), operand.known, operand.reasons)
