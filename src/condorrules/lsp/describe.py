"""Markdown descriptions of catalogue entries, shared by hover and completion.

Everything said here is read from :mod:`condorrules.catalogue`; this module only lays it out.
"""

from __future__ import annotations

from condorrules.catalogue import (
    EVENTS,
    Action,
    Argument,
    Field,
    Function,
    Namespace,
    Scope,
    Signature,
    Structure,
)

_SCOPE_WORDS = {
    Scope.PORTFOLIO: "portfolio (one value per bar)",
    Scope.POSITION: "position (one value per open position)",
}


_ACTION_SCOPE_WORDS = {
    Scope.PORTFOLIO: "portfolio (acts on the book, once per bar)",
    Scope.POSITION: "position (acts on each open position it fires for)",
}


def code_block(text: str) -> str:
    """``text`` as a fenced condor code block."""
    return f"```condor\n{text}\n```"


def field_markdown(field: Field) -> str:
    """Type, unit, range (the sign convention), scope and meaning of a field."""
    lines = [code_block(f"{field.name}: {field.type.value}"), "", field.description, ""]
    lines.append(f"- unit: {field.type.unit}")
    if field.range is not None:
        lines.append(f"- range: {field.range.describe()}")
    lines.append(f"- scope: {_SCOPE_WORDS[field.scope]}")
    return "\n".join(lines)


def namespace_markdown(namespace: Namespace, fields: list[Field]) -> str:
    """A namespace (``portfolio``, a leg, a side) and the fields it has."""
    names = ", ".join(f"`.{f.name.split('.', 1)[1]}`" for f in fields)
    return "\n".join(
        [
            code_block(namespace.name),
            "",
            namespace.description,
            "",
            f"- scope: {_SCOPE_WORDS[namespace.scope]}",
            f"- fields: {names}",
        ]
    )


def function_signature(function: Function) -> str:
    """``rsi(x, n = 14) -> number``."""
    params = ", ".join(
        p.name if p.default is None else f"{p.name} = {_number(p.default)}" for p in function.params
    )
    if function.variadic:
        params += ", ..."
    if function.attributes:
        result = "{" + ", ".join(f".{a}" for a in function.attributes) + "}"
    elif function.result is not None:
        result = function.result.value
    else:
        result = f"unit of {function.keeps_unit_of}"
    return f"{function.name}({params}) -> {result}"


def function_markdown(function: Function) -> str:
    """Signature, meaning, parameter kinds and warm-up of a function."""
    kinds = ", ".join(f"`{p.name}`: {p.kind.value}" for p in function.params)
    lines = [code_block(function_signature(function)), "", function.description, ""]
    lines.append(f"- arguments: {kinds}")
    if function.result_range is not None:
        lines.append(f"- range: {function.result_range.describe()}")
    lines.append(f"- warm-up: {function.warmup}")
    return "\n".join(lines)


def attribute_markdown(function: Function, attribute: str) -> str:
    """A part of a multi-valued function result (``macd(x).signal``)."""
    return "\n".join([code_block(f"{function.name}(...).{attribute}"), "", function.description])


def argument_markdown(argument: Argument) -> str:
    """Type, allowed values and meaning of an action argument."""
    lines = [code_block(f"{argument.name}: {argument.type.value}"), "", argument.description, ""]
    lines.append(f"- unit: {argument.type.unit}")
    if argument.constraint is not None:
        lines.append(f"- allowed: {argument.constraint.describe()}")
    if argument.symbols:
        lines.append("- or one of: " + ", ".join(f"`{s}`" for s in argument.symbols))
    if argument.default is not None:
        lines.append(f"- default: `{argument.default}`")
    return "\n".join(lines)


def signature_text(name: str, signature: Signature) -> str:
    """``roll(side, dte, ...)``: the argument names an action or structure accepts."""
    names = [a.name for a in signature.arguments]
    return f"{name}({', '.join(names)})"


def _signature_lines(signature: Signature) -> list[str]:
    lines: list[str] = []
    if signature.required:
        lines.append("- required: " + ", ".join(f"`{n}`" for n in signature.required))
    for group in signature.groups:
        choices = " | ".join(" + ".join(f"`{n}`" for n in alt) for alt in group.alternatives)
        quantity = "exactly one" if group.required else "at most one"
        lines.append(f"- {group.name}: {quantity} of {choices}")
    return lines


def action_markdown(action: Action) -> str:
    """Scope, meaning and arguments (or structures) of an action."""
    scope = _ACTION_SCOPE_WORDS[action.scope] if action.scope is not None else "either"
    header = (
        f"{action.name} " + " | ".join(s.name for s in action.structures) + "(...)"
        if action.structures
        else signature_text(action.name, action.signature)
    )
    lines = [code_block(header), "", action.description, "", f"- scope: {scope}"]
    lines.extend(_signature_lines(action.signature))
    return "\n".join(lines)


def structure_markdown(structure: Structure) -> str:
    """Meaning and arguments of a structure (``iron_condor``)."""
    lines = [code_block(signature_text(structure.name, structure.signature)), ""]
    lines.append(structure.description)
    lines.append("")
    lines.extend(_signature_lines(structure.signature))
    return "\n".join(lines)


def event_markdown(name: str) -> str:
    """An event name: built in or supplied by the user's events data."""
    event = EVENTS.get(name)
    description = event.description if event is not None else "an event from the events data"
    return "\n".join([code_block(f"{name}: event"), "", description])


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)
