"""Limits: past them is E102, never a RecursionError or a hang."""

from __future__ import annotations

import time

from condorrules.syntax import Limits, ast, parse


def codes(text: str, limits: Limits | None = None) -> list[str]:
    result = parse(text, "t.condor", limits) if limits else parse(text, "t.condor")
    return [d.code for d in result.diagnostics]


def test_ten_thousand_nested_parentheses_is_e102() -> None:
    assert codes("let x = " + "(" * 10_000 + "1" + ")" * 10_000 + "\n") == ["E102"]


def test_hundred_thousand_nots_is_e102_quickly_and_keeps_other_items() -> None:
    started = time.perf_counter()
    result = parse("let x = " + "not " * 100_000 + "a\nlet y = 1\n", "t.condor")
    assert time.perf_counter() - started < 10
    assert [d.code for d in result.diagnostics] == ["E102"]
    assert [item.name.name for item in result.module.items] == ["y"]  # type: ignore[union-attr]


def test_long_arithmetic_chain_and_nested_calls_are_e102() -> None:
    assert codes("let x = " + " + ".join(["a"] * 5000) + "\n") == ["E102"]
    assert codes("let x = " + "f(" * 3000 + ")" * 3000 + "\n") == ["E102"]
    assert codes("let x = " + "-" * 20_000 + "1\n") == ["E102"]


def test_long_and_chain_is_one_node_and_fine() -> None:
    result = parse("let x = " + " and ".join(["a"] * 5000) + "\n")
    assert result.diagnostics == ()
    let = result.module.items[0]
    assert isinstance(let, ast.Let) and isinstance(let.value, ast.BoolOp)
    assert len(let.value.operands) == 5000


def test_depth_at_the_limit_is_accepted_and_one_more_is_not() -> None:
    limits = Limits(max_depth=10)
    assert codes("let x = " + "-" * 10 + "1\n", limits) == []
    assert codes("let x = " + "-" * 11 + "1\n", limits) == ["E102"]


def test_file_size_limit() -> None:
    limits = Limits(max_file_bytes=100)
    result = parse("# " + "x" * 200 + "\n", "t.condor", limits)
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("E102", 1)]
    assert codes("param a = 1\n", limits) == []


def test_item_count_limit_keeps_the_first_items() -> None:
    limits = Limits(max_items=3)
    result = parse("".join(f"param p{i} = {i}\n" for i in range(5)), "t.condor", limits)
    assert [(d.code, d.span.line) for d in result.diagnostics] == [("E102", 4)]
    assert len(result.module.items) == 3


def test_name_and_string_length_limits() -> None:
    limits = Limits(max_name_length=5, max_string_length=3)
    assert codes("param abcdef = 1\n", limits) == ["E102"]
    assert codes('param a = "abcd"\n', limits) == ["E102"]
    assert codes('param a = "abc"\n', limits) == []
