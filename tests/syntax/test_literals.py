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


def e101(literal: str) -> list[tuple[int, int, str]]:
    result = parse(f"let x = {literal}\n", "t.condor")
    return [(d.span.column, d.span.end_column, d.message) for d in result.diagnostics]


def test_year_zero_is_not_a_year() -> None:
    # QA: said "January 0 has 31 days".
    assert e101("0000-01-01") == [(9, 19, "`0000-01-01` is not a date: there is no year 0")]


def test_a_five_digit_year_is_a_bad_date_not_a_subtraction() -> None:
    # QA: `99999-01-01` was read as 99999 - 01 - 01 and reported as a type error.
    assert e101("99999-01-01") == [(9, 20, "`99999-01-01` is not a date: a year has four digits")]


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        ("9" * 5000, "`999999999999999999999999999...` is too large a number"),
        ("1_000_000_000_000_000", "`1_000_000_000_000_000` is too large a number"),
        ("$" + "9" * 400, "`$99999999999999999999999999...` is too large a number"),
        ("9" * 400 + "d", "`999999999999999999999999999...` is too large a number"),
        ("100_001d", "`100_001d` is too long a duration"),
        ("2_400_001h", "`2_400_001h` is too long a duration"),
    ],
)
def test_numbers_past_the_documented_magnitude_are_e101(literal: str, message: str) -> None:
    result = parse(f"let x = {literal}\n", "t.condor")
    assert [(d.code, d.message) for d in result.diagnostics] == [("E101", message)]
    assert result.diagnostics[0].help is not None


@pytest.mark.parametrize(
    ("literal", "value"),
    [("999_999_999_999_999.75", 999_999_999_999_999.75), ("000_000_000_000_000_001", 1.0)],
)
def test_fifteen_integer_digits_are_allowed(literal: str, value: float) -> None:
    node = value_of(literal)
    assert isinstance(node, ast.Number) and node.value == value


def test_the_longest_duration_is_allowed() -> None:
    node = value_of("100_000d")
    assert isinstance(node, ast.Duration) and node.days == 100_000.0


def test_control_characters_in_a_bad_literal_are_escaped_in_its_message() -> None:
    result = parse('let x = "a\\q\x07"\n', "t.condor")
    assert [d.message for d in result.diagnostics] == ["unknown escape `\\q` in a string"]
    result = parse("let x = 5\x1bx\n", "t.condor")
    assert "\x1b" not in result.diagnostics[0].message
