"""Matching a call's arguments to a function's parameters (shared by the passes)."""

from __future__ import annotations

from dataclasses import dataclass

from condorrules.catalogue import Function
from condorrules.check.suggest import did_you_mean
from condorrules.diagnostics import Span
from condorrules.syntax import ast


@dataclass(frozen=True, slots=True)
class Problem:
    """Why the arguments do not fit: message, where, and a help line."""

    message: str
    span: Span
    help: str | None


@dataclass(frozen=True, slots=True)
class Binding:
    """Arguments by parameter name (``extra`` holds a variadic call's further arguments)."""

    arguments: dict[str, ast.Expr]
    extra: tuple[ast.Expr, ...]
    problems: tuple[Problem, ...]


def bind(call: ast.Call, function: Function) -> Binding:
    """Match positional then named arguments to ``function``'s parameters."""
    names = [p.name for p in function.params]
    arguments: dict[str, ast.Expr] = {}
    problems: list[Problem] = []
    extra: list[ast.Expr] = []
    usage = _usage(function)
    for position, value in enumerate(call.args):
        if position < len(names):
            arguments[names[position]] = value
        elif function.variadic:
            extra.append(value)
        else:
            problems.append(
                Problem(
                    f"`{function.name}` takes at most {len(names)} argument"
                    f"{'' if len(names) == 1 else 's'}, found {len(call.args)}",
                    value.span,
                    usage,
                )
            )
            break
    for named in call.named:
        name = named.name.name
        if name not in names:
            help = did_you_mean(name, names) or usage
            problems.append(
                Problem(f"`{function.name}` has no parameter `{name}`", named.name.span, help)
            )
        elif name in arguments:
            problems.append(
                Problem(f"`{name}` of `{function.name}` is given twice", named.span, usage)
            )
        else:
            arguments[name] = named.value
    for param in function.params:
        if param.default is None and param.name not in arguments:
            problems.append(Problem(f"`{function.name}` needs `{param.name}`", call.span, usage))
    return Binding(arguments, tuple(extra), tuple(problems))


def _usage(function: Function) -> str:
    return f"use `{function.call_text()}`"
