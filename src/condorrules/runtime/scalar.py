"""Operators of the language on single values: the obviously correct reference backend.

Every function here has a twin of the same name in :mod:`condorrules.runtime.vector`, and
``tests/runtime/data/logic_cases.json`` runs against both. Rules (docs/indicators.md):

* logic is Kleene's (:mod:`condorrules.runtime.logic`);
* arithmetic and comparisons are unknown when any operand is unknown; a division by zero,
  or arithmetic whose result is not a number (``inf - inf``), is unknown with a reason;
* an unknown result carries the reason of the leftmost operand that made it unknown.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence

import numpy as np

from condorrules.runtime.logic import AND, NOT, OR
from condorrules.runtime.logic import at_least as _quorum
from condorrules.runtime.values import Truth, Value, unknown

DIVISION_BY_ZERO = "division by zero"
NOT_A_NUMBER = "arithmetic result is not a number"

_FROM_TRUTH = {
    Truth.TRUE: Value(True),
    Truth.FALSE: Value(False),
}


def _first_unknown(values: Sequence[Value]) -> Value:
    return next(value for value in values if not value.known)


def _bool_result(truth: Truth, operands: Sequence[Value]) -> Value:
    if truth is Truth.UNKNOWN:
        return unknown(_first_unknown(operands).reason, boolean=True)
    return _FROM_TRUTH[truth]


def and_(*operands: Value) -> Value:
    """Kleene ``and`` of one or more truth values."""
    truth = Truth.TRUE
    for operand in operands:
        truth = AND[truth, operand.truth]
    return _bool_result(truth, operands)


def or_(*operands: Value) -> Value:
    """Kleene ``or`` of one or more truth values."""
    truth = Truth.FALSE
    for operand in operands:
        truth = OR[truth, operand.truth]
    return _bool_result(truth, operands)


def not_(operand: Value) -> Value:
    """Kleene ``not``."""
    return _bool_result(NOT[operand.truth], (operand,))


def at_least(k: int, *operands: Value) -> Value:
    """``at least k of (...)``: true if >= k known true, false if it cannot reach k."""
    return _bool_result(_quorum(k, [operand.truth for operand in operands]), operands)


def _arithmetic(left: Value, right: Value, function: Callable[[float, float], float]) -> Value:
    if not left.known:
        return unknown(left.reason)
    if not right.known:
        return unknown(right.reason)
    result = function(float(left.value), float(right.value))
    return unknown(NOT_A_NUMBER) if math.isnan(result) else Value(result)


def add(left: Value, right: Value) -> Value:
    """``left + right``."""
    return _arithmetic(left, right, operator.add)


def sub(left: Value, right: Value) -> Value:
    """``left - right``."""
    return _arithmetic(left, right, operator.sub)


def mul(left: Value, right: Value) -> Value:
    """``left * right``."""
    return _arithmetic(left, right, operator.mul)


def div(left: Value, right: Value) -> Value:
    """``left / right``; dividing by zero is unknown with a reason, never an error."""
    if left.known and right.known and right.value == 0:
        return unknown(DIVISION_BY_ZERO)
    return _arithmetic(left, right, operator.truediv)


def neg(operand: Value) -> Value:
    """Unary ``-``."""
    return Value(-float(operand.value)) if operand.known else unknown(operand.reason)


def _compare(left: Value, right: Value, function: Callable[[float, float], bool]) -> Value:
    if not left.known:
        return unknown(left.reason, boolean=True)
    if not right.known:
        return unknown(right.reason, boolean=True)
    return Value(bool(function(left.value, right.value)))


def lt(left: Value, right: Value) -> Value:
    """``left < right``."""
    return _compare(left, right, operator.lt)


def le(left: Value, right: Value) -> Value:
    """``left <= right``."""
    return _compare(left, right, operator.le)


def gt(left: Value, right: Value) -> Value:
    """``left > right``."""
    return _compare(left, right, operator.gt)


def ge(left: Value, right: Value) -> Value:
    """``left >= right``."""
    return _compare(left, right, operator.ge)


def eq(left: Value, right: Value) -> Value:
    """``left == right`` (exact)."""
    return _compare(left, right, operator.eq)


def ne(left: Value, right: Value) -> Value:
    """``left != right`` (exact)."""
    return _compare(left, right, operator.ne)


def between(operand: Value, low: Value, high: Value) -> Value:
    """``operand between low and high``, inclusive: ``low <= operand and operand <= high``."""
    return and_(le(low, operand), le(operand, high))


def in_(operand: Value, options: Sequence[Value]) -> Value:
    """``operand in [options]``: ``operand == o1 or operand == o2 or ...`` (false if empty)."""
    return or_(*(eq(operand, option) for option in options))


def if_else(condition: Value, then: Value, otherwise: Value) -> Value:
    """``if condition then then else otherwise``; an unknown condition gives unknown."""
    if not condition.known:
        return unknown(condition.reason, boolean=then.is_bool)
    return then if condition.value else otherwise


def abs_(operand: Value) -> Value:
    """``abs(x)``."""
    return Value(abs(float(operand.value))) if operand.known else operand


def min_(*operands: Value) -> Value:
    """``min(a, b, ...)``: unknown if any operand is unknown."""
    return _extreme(operands, operator.lt)


def max_(*operands: Value) -> Value:
    """``max(a, b, ...)``: unknown if any operand is unknown."""
    return _extreme(operands, operator.gt)


def _extreme(operands: Sequence[Value], better: Callable[[float, float], bool]) -> Value:
    for operand in operands:
        if not operand.known:
            return unknown(operand.reason)
    best = float(operands[0].value)
    for operand in operands[1:]:
        # Same tie rule as vector.min_/max_ (keep the later one on ties: numpy's where).
        best = best if better(best, float(operand.value)) else float(operand.value)
    return Value(best)


def round_(operand: Value, digits: int = 0) -> Value:
    """``round(x, digits)``: half to even, numpy's algorithm (identical to the vector one)."""
    if not operand.known:
        return operand
    return Value(float(np.round(np.float64(operand.value), digits)))
