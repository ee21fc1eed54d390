"""Validation and decoding of literal spellings: numbers, percents, durations, money, dates,
strings.

The lexer accepts anything number-like, date-like or string-like, so that a malformed literal
reaches this module and gets a precise E101 message instead of a vague syntax error. These
functions are pure: text in, value out, or :class:`LiteralError` with a message and a help
line for the trader.
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

NUMBER_HELP = "numbers are written like 45, 0.30 or 1_000 (`_` only between digits)"
UNIT_HELP = "durations are written 21d, 4h or 30min, percentages 50%; a plain number has no unit"
DATE_HELP = "dates are written YYYY-MM-DD, e.g. 2018-02-05"
STRING_HELP = 'close the string with `"` on the same line; write `\\"` for a quote inside it'
SIZE_HELP = "a number is below 10^15: at most 15 digits before the decimal point"
DURATION_SIZE_HELP = "a duration is at most 100_000 days (2_400_000h, 144_000_000min)"

MAX_INTEGER_DIGITS = 15
"""Digits before the decimal point a number may have: below 10^15 every whole number is exact."""
MAX_DURATION_DAYS = 100_000.0
"""The longest duration, in days (about 273 years): date arithmetic never leaves the calendar."""
_ECHO_LIMIT = 30
# Characters shown as escapes when source text is quoted in a message: control and format
# characters (NUL, BiDi overrides, zero-width space...) would corrupt or hide the message.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})

_DIGITS = r"[0-9]+(?:_[0-9]+)*"
_DECIMAL = re.compile(rf"{_DIGITS}(?:\.{_DIGITS})?")
_UNITS: dict[str, Literal["d", "h", "min"]] = {"d": "d", "h": "h", "min": "min"}
_DAYS_PER_UNIT = {"d": 1.0, "h": 1.0 / 24.0, "min": 1.0 / 1440.0}
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t"}
_NUMERIC_PARTS = re.compile(r"([0-9_.]*)(.*)", re.DOTALL)


class LiteralError(ValueError):
    """A malformed literal: ``message`` names it, ``help`` says how it is written."""

    def __init__(self, message: str, help: str) -> None:
        super().__init__(message)
        self.message = message
        self.help = help


@dataclass(frozen=True, slots=True)
class NumericValue:
    """A decoded number-like token: ``kind`` says which literal it is."""

    kind: Literal["number", "percent", "duration"]
    value: float
    unit: Literal["d", "h", "min"] | None = None


def echo(text: str, limit: int = _ECHO_LIMIT) -> str:
    """``text`` fit to quote in a message: control characters escaped, cut to ``limit``."""
    shown = "".join(_escaped(char) for char in text[: limit + 1])
    return shown if len(shown) <= limit and len(text) <= limit else shown[: limit - 3] + "..."


def _escaped(char: str) -> str:
    if unicodedata.category(char) not in _UNPRINTABLE:
        return char
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def decode_decimal(text: str, whole: str | None = None) -> float:
    """The value of a plain decimal such as ``1_000`` or ``0.30``; ``whole`` names the literal.

    A number has at most :data:`MAX_INTEGER_DIGITS` digits before the decimal point.
    """
    shown = echo(whole if whole is not None else text)
    if _DECIMAL.fullmatch(text):
        integer_digits = text.split(".")[0].replace("_", "").lstrip("0")
        if len(integer_digits) > MAX_INTEGER_DIGITS:
            raise LiteralError(f"`{shown}` is too large a number", SIZE_HELP)
        return float(text.replace("_", ""))
    if text.count(".") > 1:
        raise LiteralError(
            f"`{shown}` is not a number: it has more than one decimal point", NUMBER_HELP
        )
    if text.endswith(".") or ".." in text:
        raise LiteralError(
            f"`{shown}` is not a number: a decimal point must be followed by digits", NUMBER_HELP
        )
    raise LiteralError(f"`{shown}` is not a number: `_` may only separate digits", NUMBER_HELP)


def decode_numeric(text: str) -> NumericValue:
    """Decode a NUMERIC token: a number, a percent (``50%`` → 0.5) or a duration (``21d``)."""
    match = _NUMERIC_PARTS.fullmatch(text)
    assert match is not None  # the pattern accepts any string
    digits, suffix = match.group(1), match.group(2)
    if digits.endswith("_") and suffix and suffix[0].isalpha():
        raise LiteralError(
            f"`{echo(text)}` is not a number: `_` may only separate digits", NUMBER_HELP
        )
    value = decode_decimal(digits, text)
    if not suffix:
        return NumericValue("number", value)
    if suffix == "%":
        return NumericValue("percent", value / 100.0)
    unit = _UNITS.get(suffix)
    if unit is None:
        raise LiteralError(f"`{echo(text)}` has an unknown unit `{echo(suffix)}`", UNIT_HELP)
    if value * _DAYS_PER_UNIT[unit] > MAX_DURATION_DAYS:
        raise LiteralError(f"`{echo(text)}` is too long a duration", DURATION_SIZE_HELP)
    return NumericValue("duration", value, unit)


def decode_money(text: str) -> float:
    """Decode a MONEY token such as ``$1_500.50`` into dollars."""
    return decode_decimal(text[1:], text)


def decode_date(text: str) -> datetime.date:
    """Decode a DATE token ``YYYY-MM-DD``, rejecting impossible days (``2018-02-30``).

    The lexer takes any number of year digits, so that ``99999-01-01`` is reported here
    rather than read as a subtraction.
    """
    shown = echo(text)
    parts = text.split("-")
    if len(parts) != 3 or [len(part) for part in parts] != [4, 2, 2]:
        reason = ": a year has four digits" if len(parts) == 3 and len(parts[0]) > 4 else ""
        raise LiteralError(f"`{shown}` is not a date{reason}", DATE_HELP)
    year, month, day = (int(part) for part in parts)
    if year < 1:
        raise LiteralError(f"`{shown}` is not a date: there is no year 0", DATE_HELP)
    if not 1 <= month <= 12:
        raise LiteralError(f"`{shown}` is not a date: there is no month {month}", DATE_HELP)
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        month_name = calendar.month_name[month]
        raise LiteralError(
            f"`{shown}` is not a date: {month_name} {year} has {days_in_month} days", DATE_HELP
        )
    return datetime.date(year, month, day)


def decode_string(text: str) -> str:
    """Decode a STRING token (with its quotes) into its value, resolving escapes."""
    if len(text) < 2 or not text.endswith('"') or _ends_in_escaped_quote(text):
        raise LiteralError("unterminated string", STRING_HELP)
    body = text[1:-1]
    if "\\" not in body:
        return body
    out: list[str] = []
    index = 0
    while index < len(body):
        char = body[index]
        if char == "\\":
            escaped = body[index + 1]
            if escaped not in _ESCAPES:
                raise LiteralError(
                    f"unknown escape `\\{echo(escaped)}` in a string",
                    'the escapes are \\" \\\\ \\n and \\t',
                )
            out.append(_ESCAPES[escaped])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def encode_string(value: str) -> str:
    """The canonical spelling of a string value, quotes included (inverse of decode_string)."""
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", "\\t") + '"'


def _ends_in_escaped_quote(text: str) -> bool:
    # `"abc\"` ends with a quote that is escaped: count the backslashes before it.
    backslashes = len(text) - 1 - len(text[:-1].rstrip("\\"))
    return backslashes % 2 == 1
