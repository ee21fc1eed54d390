"""One conformance corpus (data/logic_cases.json) run against the scalar and vector backends,
plus the Kleene truth table checked exhaustively against logic.AND/OR/NOT and the docs."""

from __future__ import annotations

import itertools
import json
import math
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from condorrules.runtime import logic, scalar, vector
from condorrules.runtime.values import Column, Truth, Value, column, known, unknown

DATA = Path(__file__).parent / "data" / "logic_cases.json"
DOCS = Path(__file__).parents[2] / "docs" / "indicators.md"
CASES: list[dict[str, Any]] = json.loads(DATA.read_text())["cases"]


def decode(item: Any) -> Any:
    """A JSON argument as a Value, a raw int, or a list of Values."""
    if isinstance(item, list):
        return [decode(option) for option in item]
    if isinstance(item, bool):
        return Value(item)
    if isinstance(item, int | float):
        return known(float(item))
    if "int" in item:
        return int(item["int"])
    if "number" in item:
        return known(float(item["number"]))  # data: NaN becomes unknown, inf stays a number
    return unknown(item["unknown"], boolean=bool(item.get("bool", False)))


def as_column(argument: Any) -> Any:
    """A Value as a one-bar column built the way data enters (NaN → unknown)."""
    if isinstance(argument, list):
        return [as_column(option) for option in argument]
    if not isinstance(argument, Value):
        return argument
    if argument.known:
        return column(np.array([argument.value]))
    built = column(np.array([argument.value]), known=[False], reason=argument.reason)
    return built


def assert_same(result: Value, expected: Value, name: str) -> None:
    assert result.known == expected.known, f"{name}: {result} != {expected}"
    if not expected.known:
        assert result.reason == expected.reason, f"{name}: reason {result.reason!r}"
        assert result.is_bool == expected.is_bool, f"{name}: type of unknown"
        return
    assert result.is_bool == expected.is_bool, f"{name}: {result!r} vs {expected!r}"
    if isinstance(expected.value, bool):
        assert result.value is expected.value, name
    else:
        assert float(result.value) == float(expected.value), f"{name}: {result} != {expected}"
        assert math.copysign(1, float(result.value)) == math.copysign(1, float(expected.value))


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_scalar_backend_matches_corpus(case: dict[str, Any]) -> None:
    arguments = [decode(argument) for argument in case["args"]]
    result = getattr(scalar, case["op"])(*arguments)
    assert_same(result, decode(case["expect"]), case["name"])


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_vector_backend_matches_corpus(case: dict[str, Any]) -> None:
    arguments = [as_column(decode(argument)) for argument in case["args"]]
    result = getattr(vector, case["op"])(*arguments)
    assert isinstance(result, Column) and len(result) == 1
    assert_same(result.at(0), decode(case["expect"]), case["name"])


# Operations whose first operand must be a column; the other cases can keep literals scalar.
COLUMN_FIRST = {"not_", "neg", "abs_", "round_", "if_else", "in_"}
BROADCAST = [case for case in CASES if case["op"] not in COLUMN_FIRST]


@pytest.mark.parametrize("case", BROADCAST, ids=[case["name"] for case in BROADCAST])
def test_vector_backend_broadcasts_scalar_operands(case: dict[str, Any]) -> None:
    """Only the first Value becomes a column; the rest stay scalars (literals)."""
    decoded = [decode(argument) for argument in case["args"]]
    first = next(i for i, a in enumerate(decoded) if isinstance(a, Value))
    arguments = [as_column(a) if i == first else a for i, a in enumerate(decoded)]
    result = getattr(vector, case["op"])(*arguments)
    assert_same(result.at(0), decode(case["expect"]), case["name"])


def test_vector_backend_keeps_rows_apart() -> None:
    """Cases of one operation and shape stacked into one column give each its own answer."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for case in CASES:
        shape = json.dumps(
            [type(a).__name__ if not isinstance(a, dict) else sorted(a) for a in case["args"]]
        )
        if case["op"] not in {"in_", "at_least", "round_"}:
            groups[case["op"], shape].append(case)
    stacked = 0
    for (op, _), members in groups.items():
        rows = [[decode(a) for a in case["args"]] for case in members]
        columns = []
        for position in range(len(rows[0])):
            values = [row[position] for row in rows]
            data = np.array([v.value for v in values])
            columns.append(column(data, known=[v.known for v in values]))
        result = getattr(vector, op)(*columns)
        for index, case in enumerate(members):
            expected = decode(case["expect"])
            got = result.at(index)
            assert got.known == expected.known, case["name"]
            if expected.known:
                assert got.value == expected.value, case["name"]
        stacked += len(members)
    assert stacked > 40


TRUTHS = [Truth.TRUE, Truth.FALSE, Truth.UNKNOWN]


def truth_value(truth: Truth) -> Value:
    return unknown("u", boolean=True) if truth is Truth.UNKNOWN else Value(truth is Truth.TRUE)


def truth_column(truths: list[Truth]) -> Column:
    return column(
        np.array([t is Truth.TRUE for t in truths]), known=[t is not Truth.UNKNOWN for t in truths]
    )


def test_truth_table_is_kleene() -> None:
    """The table itself: false absorbs `and`, true absorbs `or`, otherwise unknown spreads."""
    for a, b in itertools.product(TRUTHS, repeat=2):
        if Truth.FALSE in (a, b):
            assert logic.AND[a, b] is Truth.FALSE
        elif Truth.UNKNOWN in (a, b):
            assert logic.AND[a, b] is Truth.UNKNOWN
        if Truth.TRUE in (a, b):
            assert logic.OR[a, b] is Truth.TRUE
        elif Truth.UNKNOWN in (a, b):
            assert logic.OR[a, b] is Truth.UNKNOWN
    assert len(logic.AND) == len(logic.OR) == 9


@pytest.mark.parametrize("backend", ["scalar", "vector"])
def test_both_backends_follow_the_truth_table(backend: str) -> None:
    pairs = list(itertools.product(TRUTHS, repeat=2))
    if backend == "scalar":
        for a, b in pairs:
            assert scalar.and_(truth_value(a), truth_value(b)).truth is logic.AND[a, b]
            assert scalar.or_(truth_value(a), truth_value(b)).truth is logic.OR[a, b]
        for a in TRUTHS:
            assert scalar.not_(truth_value(a)).truth is logic.NOT[a]
        return
    left = truth_column([a for a, _ in pairs])
    right = truth_column([b for _, b in pairs])
    assert list(vector.and_(left, right).truth()) == [logic.AND[p] for p in pairs]
    assert list(vector.or_(left, right).truth()) == [logic.OR[p] for p in pairs]
    assert list(vector.not_(truth_column(TRUTHS)).truth()) == [logic.NOT[t] for t in TRUTHS]


@pytest.mark.parametrize("k", [0, 1, 2, 3, 4])
def test_quorum_matches_reference_on_every_combination(k: int) -> None:
    combos = list(itertools.product(TRUTHS, repeat=3))
    expected = [logic.at_least(k, list(combo)) for combo in combos]
    columns = [truth_column([combo[i] for combo in combos]) for i in range(3)]
    assert list(vector.at_least(k, *columns).truth()) == expected
    for combo, want in zip(combos, expected, strict=True):
        assert scalar.at_least(k, *(truth_value(t) for t in combo)).truth is want


def test_docs_print_the_same_truth_table() -> None:
    """docs/indicators.md shows `a and b` / `a or b` rows that must equal logic.AND/OR."""
    text = DOCS.read_text()
    rows = re.findall(
        r"^\| (true|false|unknown) \| (true|false|unknown) \| (\w+) \| (\w+) \|$", text, re.M
    )
    assert len(rows) == 9
    for a, b, conjunction, disjunction in rows:
        key = (Truth(a), Truth(b))
        assert logic.AND[key].value == conjunction
        assert logic.OR[key].value == disjunction


def test_docs_define_every_series_function() -> None:
    text = DOCS.read_text()
    names = [
        "sma", "ema", "rsi", "macd", "bbands", "stdev", "hv", "highest", "lowest", "change",
        "pct_change", "rank", "iv_rank", "crosses_above", "crosses_below", "held", "within",
        "bars_since",
    ]  # fmt: skip
    for name in names:
        assert re.search(rf"^\| (`[a-z_]+\([^`]*\)`, )?`{name}\(", text, re.M), name
