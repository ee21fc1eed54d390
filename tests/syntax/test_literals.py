"""Literals: values decoded exactly, malformed ones are E101 with a help line."""

from __future__ import annotations

import datetime

import pytest

from condorrules.syntax import ast, parse


def value_of(literal: str) -> ast.Expr:
    result = parse(f"let x = {literal}\n")
    assert result.diagnostics == (), result.diagnostics
    (let,) = result.module.items
    assert isinstance(let, ast.Let)
    return let.value


@pytest.mark.parametrize(
    ("literal", "kind", "value"),
    [
        ("0.30", ast.Number, 0.30),
        ("1_000", ast.Number, 1000.0),
        ("45", ast.Number, 45.0),
        ("50%", ast.Percent, 0.5),
        ("2.5%", ast.Percent, 0.025),
        ("$1500", ast.Money, 1500.0),
        ("$1_500.50", ast.Money, 1500.5),
    ],
)
def test_numeric_literals(literal: str, kind: type, value: float) -> None:
    node = value_of(literal)
    assert isinstance(node, kind)
    assert node.value == pytest.approx(value)  # type: ignore[attr-defined]
    assert node.text == literal  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("literal", "amount", "unit", "days"),
    [("21d", 21.0, "d", 21.0), ("4h", 4.0, "h", 4 / 24), ("30min", 30.0, "min", 30 / 1440)],
)
def test_durations(literal: str, amount: float, unit: str, days: float) -> None:
    node = value_of(literal)
    assert isinstance(node, ast.Duration)
    assert (node.amount, node.unit) == (amount, unit)
    assert node.days == pytest.approx(days)


def test_dates_strings_and_bools() -> None:
    date = value_of("2018-02-05")
    assert isinstance(date, ast.DateLiteral) and date.value == datetime.date(2018, 2, 5)
    leap = value_of("2016-02-29")
    assert isinstance(leap, ast.DateLiteral) and leap.value == datetime.date(2016, 2, 29)
    string = value_of(r'"say \"hi\"\n"')
    assert isinstance(string, ast.StringLiteral) and string.value == 'say "hi"\n'
    assert value_of("true") == ast.Bool(True, value_of("true").span)
    negative = value_of("-200%")
    assert isinstance(negative, ast.Unary) and isinstance(negative.operand, ast.Percent)


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("2018-02-30", "`2018-02-30` is not a date: February 2018 has 28 days"),
        ("2017-13-01", "`2017-13-01` is not a date: there is no month 13"),
        ("2018-2-05", "`2018-2-05` is not a date"),
        ("1_", "`1_` is not a number: `_` may only separate digits"),
        ("1__0", "`1__0` is not a number: `_` may only separate digits"),
        ("45x", "`45x` has an unknown unit `x`"),
        ("21dte", "`21dte` has an unknown unit `dte`"),
        ("1.2.3", "`1.2.3` is not a number: it has more than one decimal point"),
        ("1.", "`1.` is not a number: a decimal point must be followed by digits"),
        ("$1.2.3", "`$1.2.3` is not a number: it has more than one decimal point"),
        ('"abc', "unterminated string"),
        ('"abc\\"', "unterminated string"),
        ('"bad \\q escape"', "unknown escape `\\q` in a string"),
    ],
)
def test_bad_literal_is_e101_with_help(literal: str, message: str) -> None:
    result = parse(f"let x = {literal}\nlet y = 1\n", "t.condor")
    problems = [d for d in result.diagnostics if d.code == "E101"]
    assert [d.message for d in problems] == [message]
    assert problems[0].help
    assert (problems[0].span.line, problems[0].span.column) == (1, 9)
    assert [item.name.name for item in result.module.items] == ["y"]  # type: ignore[union-attr]


def test_unit_where_a_plain_number_is_needed_is_e101() -> None:
    result = parse("rule r:\n    when vix > 1\n    then close\n    limit 2d per day\n")
    assert [(d.code, d.span.line, d.span.column) for d in result.diagnostics] == [("E101", 4, 11)]


def test_version_with_two_dots_is_e101() -> None:
    result = parse("ruleset r version 1.2.3\n")
    assert [d.code for d in result.diagnostics] == ["E101"]
