"""The value model's invariants and the travel of reasons through columns."""

from __future__ import annotations

import math

import numpy as np
import pytest

from condorrules.runtime import Truth, Value, column, constant, known, unknown, vector
from condorrules.runtime.values import unknown_column


def test_column_turns_nan_into_unknown_and_keeps_the_reason() -> None:
    built = column([1.0, math.nan, 3.0], reason="no VIX on this bar")
    assert list(built.known) == [True, False, True]
    assert built.at(1) == unknown("no VIX on this bar")
    assert built.at(0) == Value(1.0)


def test_unknown_slots_hold_nan_or_false() -> None:
    numbers = column([1.0, 2.0], known=[False, True])
    flags = column(np.array([True, True]), known=[False, True])
    assert math.isnan(numbers.values[0]) and flags.values[0] == np.False_
    assert flags.is_bool and not numbers.is_bool


def test_column_rejects_two_dimensional_data() -> None:
    with pytest.raises(ValueError, match="one-dimensional"):
        column(np.zeros((2, 2)))


def test_scalar_helpers() -> None:
    assert not known(math.nan).known and known(math.nan).reason is None
    assert known(True).truth is Truth.TRUE
    assert str(unknown("why")) == "unknown (why)"
    assert str(Value(False)) == "false"


def test_reasons_from_many_operands_share_one_table() -> None:
    a = column([math.nan, 1.0, 1.0], reason="no a")
    b = column([1.0, math.nan, 1.0], reason="no b")
    total = vector.add(vector.add(a, b), a)
    assert [total.reason_at(i) for i in range(3)] == ["no a", "no b", None]
    assert total.reasons is not None and sorted(total.reasons.table) == ["no a", "no b"]


def test_if_else_blames_only_the_branch_it_took() -> None:
    condition = column(np.array([True, False, True]), known=[True, True, False], reason="no c")
    then = column([math.nan, 1.0, 1.0], reason="no then")
    otherwise = column([2.0, math.nan, 2.0], reason="no else")
    result = vector.if_else(condition, then, otherwise)
    assert [result.reason_at(i) for i in range(3)] == ["no then", "no else", "no c"]


def test_constant_and_unknown_column_broadcast_a_scalar() -> None:
    assert list(constant(Value(2.0), 3).values) == [2.0, 2.0, 2.0]
    assert unknown_column(2, "closed", boolean=True).at(1) == unknown("closed", boolean=True)


def test_without_reasons_keeps_values_and_mask() -> None:
    built = column([math.nan, 1.0], reason="x")
    stripped = built.without_reasons()
    assert stripped.reasons is None and list(stripped.known) == [False, True]


def test_division_by_zero_emits_no_numpy_warning() -> None:
    with np.errstate(all="raise"):
        result = vector.div(column([1.0, 0.0, 1.0]), column([0.0, 0.0, 2.0]))
    assert [result.reason_at(i) for i in range(3)] == ["division by zero", "division by zero", None]
    assert result.at(2) == Value(0.5)


def test_values_compare_by_meaning() -> None:
    assert unknown("r") == unknown("r") and unknown("r") != unknown("s")
    assert unknown("r") != unknown("r", boolean=True)
    assert Value(1.0) != Value(True) and Value(0.5) == known(0.5)
    assert len({unknown("r"), Value(math.nan, False, "r")}) == 1
