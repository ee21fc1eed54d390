"""Param overrides of a run (``--param NAME=VALUE``, API ``params={...}``), checked against the
param's type and unit, and against the ranges of the action arguments the param flows into.

A param is typed by the literal it is written with (LANGUAGE.md §1). An override must be a
value of that type:

=========  ==========================================================================
number     a number: ``0.2`` (text or a Python int/float)
ratio      a percent ``20%`` or a fraction ``0.2``; a bare number beyond ±1.5 is refused
           (``60`` for ``60%`` is the usual slip, as W502 warns in a file)
days       a duration ``21d``, ``4h``, ``30min``, or a bare number of **days** (``21``)
money      ``$500`` or a bare number of dollars
date       ``2018-01-02`` (text or a :class:`datetime.date`)
bool       ``true``/``false`` (text or a Python bool)
side,      one of the symbols (``put``, ``call``, ...; ``mon`` ... ``fri``)
weekday
=========  ==========================================================================

Problems are diagnostics whose primary span is on the override itself, in a pseudo-source
named :data:`API_FILE` (``params``) or :data:`CLI_FILE` (``--param``) with one line per
override, and a label on the param's declaration in the rule file.
"""

from __future__ import annotations

import datetime
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from condorrules import catalogue
from condorrules.catalogue import Type
from condorrules.check.printer import show as source_text
from condorrules.check.suggest import did_you_mean
from condorrules.compile.encoding import symbol_code
from condorrules.diagnostics import Diagnostic, Label, Span
from condorrules.fields.values import day_number
from condorrules.runtime import Value
from condorrules.syntax import ast
from condorrules.syntax.literals import LiteralError, decode_date, decode_numeric

ParamOverride = float | int | bool | str | datetime.date
"""A param's value given by a run: a number, a bool, a date, or text as written in a file
(``"50%"``, ``"21d"``, ``"put"``, ``"2018-01-02"``)."""

Origin = Literal["api", "cli"]
"""Where the overrides came from: ``params={...}`` or ``--param NAME=VALUE``."""

API_FILE = "params"
CLI_FILE = "--param"

RATIO_BARE_LIMIT = 1.5
"""A bare number beyond this magnitude is refused for a ratio param (W502's threshold)."""

_DATE = re.compile(r"^\d{1,6}-\d{1,2}-\d{1,2}$")
_NUMBER = re.compile(r"^\d[\d_]*(\.\d+)?$")
_PERCENT = re.compile(r"^\d[\d_]*(\.\d+)?%$")
_DURATION = re.compile(r"^\d[\d_]*(\.\d+)?(d|h|min)$")
_MONEY = re.compile(r"^\$\d[\d_,]*(\.\d+)?$")

_EXAMPLES: dict[Type, str] = {
    Type.NUMBER: "a number such as 0.2",
    Type.RATIO: "a percent such as 20% (or the fraction 0.2)",
    Type.DAYS: "a duration such as 21d (a bare number counts days)",
    Type.MONEY: "an amount such as $500 (or 500)",
    Type.DATE: "a date such as 2018-01-02",
    Type.BOOL: "true or false",
    Type.SIDE: "one of " + ", ".join(catalogue.SIDE_VALUES),
    Type.WEEKDAY: "one of " + ", ".join(catalogue.WEEKDAYS),
}

_KIND_NAMES: dict[str, str] = {
    "number": "a number",
    "percent": "a percent",
    "duration": "a duration",
    "money": "an amount of money",
    "date": "a date",
    "bool": "a bool",
    "symbol": "a name",
}


class OverrideProblem(Exception):
    """An override that does not fit its param: ``why`` and ``help`` in words."""

    def __init__(self, why: str, help: str) -> None:
        super().__init__(why)
        self.why = why
        self.help = help


@dataclass(frozen=True, slots=True)
class OverrideSource:
    """The overrides as a pseudo-source: one line per override, so a diagnostic can point a
    caret at the value that is wrong."""

    origin: Origin
    overrides: Mapping[str, object]

    @property
    def file(self) -> str:
        """The pseudo-file's name."""
        return CLI_FILE if self.origin == "cli" else API_FILE

    def line(self, name: str) -> tuple[str, str]:
        """``(prefix, value text)`` of ``name``'s line."""
        value = self.overrides[name]
        if self.origin == "cli":
            return f"{name}=", str(value)
        shown = f'"{value}"' if isinstance(value, str) else repr(value)
        return f'"{name}": ', shown

    def text(self) -> str:
        """The whole pseudo-source."""
        return "".join("".join(self.line(name)) + "\n" for name in self.overrides)

    def span(self, name: str) -> Span:
        """The span of ``name``'s value."""
        number = list(self.overrides).index(name) + 1
        prefix, value = self.line(name)
        start = len(prefix) + 1
        return Span(self.file, number, start, number, start + max(len(value), 1))

    def name_span(self, name: str) -> Span:
        """The span of ``name`` itself on its line."""
        number = list(self.overrides).index(name) + 1
        start = 2 if self.origin == "api" else 1
        return Span(self.file, number, start, number, start + len(name))

    def shown(self, name: str) -> str:
        """How ``name``'s override reads in a message (``--param short_delta=21d``)."""
        prefix, value = self.line(name)
        if self.origin == "cli":
            return f"`--param {prefix}{value}`"
        return f"`params[{name!r}] = {value}`"

    def example(self, name: str, value: str) -> str:
        """How to write ``value`` for ``name`` here."""
        if self.origin == "cli":
            return f"--param {name}={value}"
        return f'params={{"{name}": "{value}"}}'


def override_value(param: ast.Param, written: Type, given: object) -> Value:
    """The value of ``given`` as ``param`` (written with a literal of type ``written``);
    raises :class:`OverrideProblem`."""
    expected = _EXAMPLES.get(written, written.value)
    if written in (Type.STRING, Type.EVENT):
        what = "a text" if written is Type.STRING else "an event name"
        raise OverrideProblem(
            f"`{param.name.name}` holds {what}, which a run cannot override",
            "change it in the rule file",
        )
    if isinstance(given, bool):
        if written is not Type.BOOL:
            raise OverrideProblem(
                f"`{param.name.name}` is {_a(written)}, not a bool", f"give {expected}"
            )
        return Value(given)
    if isinstance(given, datetime.datetime):
        raise OverrideProblem("a date and time is not a date", f"give {expected}")
    if isinstance(given, datetime.date):
        return _date(param, written, given, expected)
    if isinstance(given, int | float):
        return _number(param, written, float(given), "number", expected)
    if not isinstance(given, str):
        raise OverrideProblem(
            f"{type(given).__name__} is not a value a param can take", f"give {expected}"
        )
    return _text(param, written, given.strip(), expected)


def _text(param: ast.Param, written: Type, text: str, expected: str) -> Value:
    name = param.name.name
    if written is Type.BOOL:
        if text not in ("true", "false"):
            raise OverrideProblem(f"`{text}` is not true or false", f"give {expected}")
        return Value(text == "true")
    if written in (Type.SIDE, Type.WEEKDAY):
        names = catalogue.SIDE_VALUES if written is Type.SIDE else catalogue.WEEKDAYS
        if text not in names:
            hint = did_you_mean(text, names)
            raise OverrideProblem(f"`{text}` is not {_a(written)}", hint or f"give {expected}")
        return Value(float(symbol_code(text, written)))
    kind = _kind(text)
    if kind is None:
        raise OverrideProblem(f"`{text}` is not a value condorrules can read", f"give {expected}")
    if written is Type.DATE:
        if kind != "date":
            raise OverrideProblem(
                f"`{name}` is a date, not {_KIND_NAMES[kind]}", f"give {expected}"
            )
        try:
            return _date(param, written, decode_date(text), expected)
        except LiteralError as error:
            raise OverrideProblem(error.message, f"give {expected}") from None
    if kind == "symbol":
        raise OverrideProblem(f"`{text}` is not {_a(written)}", f"give {expected}")
    if kind in ("date", "bool"):
        raise OverrideProblem(
            f"`{name}` is {_a(written)}, not {_KIND_NAMES[kind]}", f"give {expected}"
        )
    negative = text.startswith("-")
    body = text.lstrip("+-")
    try:
        if kind == "money":
            value = float(body[1:].replace(",", "").replace("_", ""))
        else:
            decoded = decode_numeric(body)
            value = decoded.value
            if decoded.kind == "duration" and decoded.unit is not None:
                value = ast.Duration(decoded.value, decoded.unit, body, param.span).days
    except (LiteralError, ValueError) as error:
        message = error.message if isinstance(error, LiteralError) else str(error)
        raise OverrideProblem(message, f"give {expected}") from None
    return _number(param, written, -value if negative else value, kind, expected)


def _number(param: ast.Param, written: Type, value: float, kind: str, expected: str) -> Value:
    name = param.name.name
    if not math.isfinite(value):
        raise OverrideProblem(f"{value} is not a finite number", f"give {expected}")
    accepted = {
        Type.NUMBER: ("number",),
        Type.RATIO: ("number", "percent"),
        Type.DAYS: ("number", "duration"),
        Type.MONEY: ("number", "money"),
        Type.PRICE: ("number",),
    }.get(written, ())
    if kind not in accepted:
        what = _KIND_NAMES.get(kind, kind)
        raise OverrideProblem(f"`{name}` is {_a(written)}, not {what}", f"give {expected}")
    if written is Type.RATIO and kind == "number" and abs(value) > RATIO_BARE_LIMIT:
        raise OverrideProblem(
            f"`{name}` is a ratio and {value:g} would mean {value * 100:g}%",
            f"did you mean {value:g}%? A ratio takes a percent (60%) or a fraction (0.6)",
        )
    return Value(value)


def _date(param: ast.Param, written: Type, day: datetime.date, expected: str) -> Value:
    if written is not Type.DATE:
        raise OverrideProblem(
            f"`{param.name.name}` is {_a(written)}, not a date", f"give {expected}"
        )
    return Value(float(day_number(day)))


def _kind(text: str) -> str | None:
    body = text.lstrip("+-") if text[:1] in "+-" else text
    if text in ("true", "false"):
        return "bool"
    if _DATE.match(text):
        return "date"
    for kind, pattern in (
        ("number", _NUMBER),
        ("percent", _PERCENT),
        ("duration", _DURATION),
        ("money", _MONEY),
    ):
        if pattern.match(body):
            return kind
    if re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", text):
        return "symbol"
    return None


def _a(kind: Type) -> str:
    return {
        Type.NUMBER: "a number",
        Type.RATIO: "a ratio",
        Type.DAYS: "a duration (days)",
        Type.MONEY: "an amount of money",
        Type.DATE: "a date",
        Type.BOOL: "a bool",
        Type.SIDE: "a side",
        Type.WEEKDAY: "a weekday",
        Type.PRICE: "a price",
    }.get(kind, kind.value)


def override_diagnostic(
    source: OverrideSource, param: ast.Param, written: Type, problem: OverrideProblem
) -> Diagnostic:
    """E300 on the override, labelled at the param's declaration."""
    name = param.name.name
    label = Label(
        param.value.span, f"`{name}` is declared here as {source_text(param.value)} ({written})"
    )
    return Diagnostic(
        "E300",
        f"{source.shown(name)}: {problem.why}",
        source.span(name),
        help=problem.help,
        labels=(label,),
    )


def unknown_param_diagnostic(
    source: OverrideSource, name: str, known: tuple[str, ...]
) -> Diagnostic:
    """E200 for an override naming no param."""
    hint = did_you_mean(name, known)
    listing = ", ".join(sorted(known)) or "none"
    help = f"{hint}; the ruleset's params are: {listing}" if hint else f"the params: {listing}"
    return Diagnostic("E200", f"{source.shown(name)}: the ruleset has no param `{name}`",
                      source.name_span(name), help=help)  # fmt: skip


def range_diagnostic(
    source: OverrideSource,
    name: str,
    value: float,
    argument: str,
    action: str,
    rule: str,
    constraint: catalogue.Constraint,
    where: Span,
) -> Diagnostic:
    """E302 for an override that makes an action argument leave its catalogue range."""
    return Diagnostic(
        "E302",
        f"{source.shown(name)}: `{argument}` of `{action}` in rule `{rule}` would be "
        f"{value:g}, but it must be {constraint.describe()}",
        source.span(name),
        help=f"give `{name}` a value that keeps `{argument}` {constraint.describe()}",
        labels=(Label(where, f"`{name}` flows into `{argument}` here"),),
    )
