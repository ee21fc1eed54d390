"""Pass 3, actions: each action, its structure and arguments against the catalogue (E201
unknown action or argument, E204 unknown structure, E302 invalid value: a delta outside
(0, 1), a negative wing, two strike selectors, a missing required argument), guard kinds
and rule modifiers.
"""

from __future__ import annotations

from condorrules import catalogue
from condorrules.catalogue import Argument, Signature, Type
from condorrules.check.constants import constant, constant_choices
from condorrules.check.context import Context, RefKind
from condorrules.check.printer import show
from condorrules.check.suggest import did_you_mean
from condorrules.diagnostics import Diagnostic, Span
from condorrules.syntax import ast

LIMIT_PERIODS = ("position", "day", "run")


def check_actions(context: Context) -> None:
    """Check every rule's actions and modifiers, every guard's kinds (imported ones too), and
    scenario actions."""
    own = set(map(id, context.module.items))
    for item in context.visible_items():  # imported guards are part of the ruleset too
        if id(item) not in own and not isinstance(item, ast.Guard):
            continue
        if isinstance(item, ast.Rule):
            _priority(context, item)
            for action in item.actions:
                _action(context, action, complete=True)
            for modifier in item.modifiers:
                _modifier(context, modifier)
        elif isinstance(item, ast.Guard):
            for kind in item.kinds:
                if kind.name not in catalogue.GUARD_KINDS:
                    _report(
                        context,
                        "E201",
                        f"unknown action kind `{kind.name}` in guard `{item.name.name}`",
                        kind.span,
                        did_you_mean(kind.name, catalogue.GUARD_KINDS)
                        or f"a guard forbids {', '.join(catalogue.GUARD_KINDS)}",
                    )
        elif isinstance(item, ast.Scenario):
            for step in item.steps:
                if isinstance(step, ast.Expect) and step.action is not None:
                    _action(context, step.action, complete=False)


def _report(context: Context, code: str, message: str, span: Span, help: str | None) -> None:
    context.report(Diagnostic(code, message, span, help=help))


def _priority(context: Context, rule: ast.Rule) -> None:
    if rule.priority is not None and not rule.priority.is_integer:
        _report(
            context,
            "E300",
            f"the priority of rule `{rule.name.name}` must be a whole number",
            rule.priority.span,
            "e.g. `priority 100`; higher wins",
        )


def _modifier(context: Context, modifier: ast.Modifier) -> None:
    if isinstance(modifier, ast.Limit):
        if modifier.per.name not in LIMIT_PERIODS:
            _report(
                context,
                "E201",
                f"unknown limit period `{modifier.per.name}`",
                modifier.per.span,
                did_you_mean(modifier.per.name, LIMIT_PERIODS)
                or "write `limit N per position`, `per day` or `per run`",
            )
        count = modifier.count
        if not count.is_integer or count.value < 1:
            _report(
                context,
                "E302",
                f"a limit must be a whole number >= 1, found `{count.text}`",
                count.span,
                None,
            )
        return
    days = constant(modifier.duration, context)
    found = context.types.get(modifier.duration)
    if days is None and found is not None and (found.flexible or found.type is Type.DAYS):
        # A cooldown is part of the rule, fixed when the file loads: a let or an input
        # could change from bar to bar (docs/language.md: a duration or a param holding one).
        _report(
            context,
            "E302",
            f"a cooldown must be a duration fixed in the file, found `{show(modifier.duration)}`",
            modifier.duration.span,
            "write a duration such as `cooldown 5d`, or a param that holds one",
        )
    elif days is not None and days <= 0:
        _report(
            context,
            "E302",
            f"a cooldown must be longer than zero, found `{show(modifier.duration)}`",
            modifier.duration.span,
            "e.g. `cooldown 5d`",
        )


def _action(context: Context, action: ast.Action, *, complete: bool) -> None:
    kind = action.kind.name
    definition = catalogue.ACTIONS.get(kind)
    if definition is None:
        help = did_you_mean(kind, catalogue.ACTIONS) or "actions are " + ", ".join(
            f"`{a}`" for a in catalogue.ACTIONS
        )
        _report(context, "E201", f"unknown action `{kind}`", action.kind.span, help)
        return
    signature: Signature = definition.signature
    title = kind
    if definition.structures:
        names = [s.name for s in definition.structures]
        if action.structure is None:
            if not complete:
                return
            _report(
                context,
                "E201",
                f"`{kind}` needs a structure",
                action.span,
                f"write `{kind} {names[0]}(...)`; structures: {', '.join(names)}",
            )
            return
        structure = definition.structure(action.structure.name)
        if structure is None:
            known = action.structure.name in catalogue.STRUCTURES
            _report(
                context,
                "E201" if known else "E204",
                f"`{kind}` cannot trade `{action.structure.name}`"
                if known
                else f"unknown structure `{action.structure.name}`",
                action.structure.span,
                did_you_mean(action.structure.name, names) or f"`{kind}` trades {', '.join(names)}",
            )
            return
        signature = structure.signature
        title = f"{kind} {structure.name}"
    elif action.structure is not None:
        _report(
            context,
            "E201",
            f"`{kind}` takes no structure",
            action.structure.span,
            f"write `{kind}(...)`",
        )
        return
    given = _arguments(context, action, signature, title)
    for named in action.named:
        argument = signature.argument(named.name.name)
        if argument is not None and given.get(argument.name) is named.value:
            _value(context, title, argument, named.value)
    if complete:
        _groups(context, action, signature, title)
        for name in signature.required:
            if name not in given:
                _report(
                    context,
                    "E302",
                    f"`{title}` needs `{name}`",
                    action.span,
                    f"add `{name}: ...`",
                )


def _arguments(
    context: Context, action: ast.Action, signature: Signature, title: str
) -> dict[str, ast.Expr]:
    given: dict[str, ast.Expr] = {}
    names = [a.name for a in signature.arguments]
    for position, value in enumerate(action.args):
        if position < len(signature.positional):
            name = signature.positional[position]
            given[name] = value
            argument = signature.argument(name)
            if argument is not None:
                _value(context, title, argument, value)
            continue
        help = "write arguments as `name: value`" if not signature.positional else None
        _report(context, "E201", f"`{title}` takes no positional argument here", value.span, help)
    for named in action.named:
        name = named.name.name
        if name not in names:
            help = did_you_mean(name, names) or (
                f"`{title}` takes {', '.join(names)}" if names else f"`{title}` takes none"
            )
            _report(context, "E201", f"`{title}` has no argument `{name}`", named.name.span, help)
        elif name in given:
            _report(context, "E201", f"`{name}` is given twice", named.span, None)
        else:
            given[name] = named.value
    return given


def _symbol_value(context: Context, value: ast.Expr) -> str | None:
    """The bare word an argument is given: written directly, or as a param's value."""
    if not isinstance(value, ast.Name):
        return None
    reference = context.references.get(value)
    if reference is None:
        return None
    if reference.kind in (RefKind.SYMBOL, RefKind.SIDE):
        return value.name
    definition = reference.definition
    if isinstance(definition, ast.Param) and isinstance(definition.value, ast.Name):
        return definition.value.name
    return None


def _value(context: Context, title: str, argument: Argument, value: ast.Expr) -> None:
    symbol = _symbol_value(context, value) if argument.symbols else None
    if symbol is not None:
        if symbol not in argument.symbols:
            _report(
                context,
                "E302",
                f"`{argument.name}: {symbol}` is not allowed in `{title}`",
                value.span,
                f"`{argument.name}` takes {', '.join(argument.symbols)}",
            )
        return
    found = context.types.get(value)
    if found is None:
        return
    if argument.type is Type.SIDE or argument.type is Type.STRING:
        if found.type is not argument.type or argument.symbols:
            expected = ", ".join(argument.symbols) if argument.symbols else "a string"
            _report(
                context,
                "E300",
                f"`{argument.name}` of `{title}` must be {expected}, found `{show(value)}`",
                value.span,
                None,
            )
        return
    dimensionless = {found.type, argument.type} <= {Type.NUMBER, Type.RATIO}
    if not found.flexible and found.type is not argument.type and not dimensionless:
        code = "E301" if found.type.is_numeric else "E300"
        _report(
            context,
            code,
            f"`{argument.name}` of `{title}` takes {argument.type.value}, "
            f"but `{show(value)}` is {_UNIT_NOUNS.get(found.type, found.type.value)}",
            value.span,
            _UNIT_EXAMPLES.get(argument.type),
        )
        return
    _constraint(context, title, argument, value)


_UNIT_NOUNS = {
    Type.DAYS: "in days",
    Type.MONEY: "money",
    Type.PRICE: "a price",
    Type.RATIO: "a ratio",
    Type.NUMBER: "a plain number",
    Type.DATE: "a date",
}

_UNIT_EXAMPLES = {
    Type.DAYS: "write days like `45d`",
    Type.RATIO: "write a ratio as a percent, e.g. `2%`",
    Type.PRICE: "write index points as a plain number, e.g. `50`",
    Type.NUMBER: "write a plain number, e.g. `0.16`",
}


def _constraint(context: Context, title: str, argument: Argument, value: ast.Expr) -> None:
    constraint = argument.constraint
    choices = constant_choices(value, context)
    if constraint is None or choices is None:
        return
    for choice in choices:
        if constraint.allows(choice):
            continue
        help = None
        if argument.name.endswith("delta") and -1 < choice < 0:
            help = f"deltas here are magnitudes: write `{-choice:g}`"
        elif argument.name.endswith("delta") and 1 < choice < 100:
            help = f"a {choice:g}-delta option has delta {choice / 100:g}"
        elif argument.type is Type.RATIO and choice > 1 and _is_bare(context, value):
            help = f"`{argument.name}` is a ratio: write `{choice:g}%` for {choice:g} percent"
        _report(
            context,
            "E302",
            f"`{argument.name}` of `{title}` must be {constraint.describe()}, "
            f"found `{show(value)}`",
            value.span,
            help,
        )
        return


def _is_bare(context: Context, value: ast.Expr) -> bool:
    found = context.types.get(value)
    return found is not None and found.flexible


def _groups(context: Context, action: ast.Action, signature: Signature, title: str) -> None:
    for group in signature.groups:
        chosen: list[int] = []
        for named in action.named:
            alternative = next(
                (i for i, alt in enumerate(group.alternatives) if named.name.name in alt), None
            )
            if alternative is None or alternative in chosen:
                continue
            if chosen:
                first = group.alternatives[chosen[0]]
                _report(
                    context,
                    "E302",
                    f"two {group.name}s in `{title}`: `{' + '.join(first)}` and "
                    f"`{named.name.name}`",
                    named.span,
                    f"give exactly one {group.name}: "
                    + " | ".join(" + ".join(alt) for alt in group.alternatives),
                )
                break
            chosen.append(alternative)
        given = {n.name.name for n in action.named}
        if not chosen:
            if group.required:
                options = ", ".join(" + ".join(alt) for alt in group.alternatives)
                _report(
                    context,
                    "E302",
                    f"`{title}` needs a {group.name}",
                    action.span,
                    f"add one of: {options}",
                )
            continue
        names = group.alternatives[chosen[0]]
        missing = [n for n in names if n not in given]
        if group.required and missing:
            _report(
                context,
                "E302",
                f"`{' + '.join(names)}` must be given together in `{title}`",
                action.span,
                f"add `{missing[0]}: ...`",
            )
