"""Pass 7, unused definitions: W505 for a param, let or input of the module that nothing
refers to (span on its name).

A file without rules is a library meant for `import`: its definitions are not reported.
A use anywhere counts, scenarios included (a scenario may pin a let).
"""

from __future__ import annotations

from condorrules.check.context import Context
from condorrules.diagnostics import Diagnostic
from condorrules.syntax import ast

_HELP = {
    "param": "remove it, or use it in a rule (a param is meant to be varied per run)",
    "let": "remove it, or use it in a rule or guard",
    "input": "remove it: an input the rules never read only makes the data requirements stricter",
}


def check_unused(context: Context) -> None:
    """Report W505 for every unused param, let and input of the checked module."""
    if context.incomplete() or not any(isinstance(i, ast.Rule) for i in context.own_items()):
        return
    used = {
        id(reference.definition)
        for reference in context.references.values()
        if reference.definition is not None
    }
    used.update(id(context.definitions.get(name)) for name in _market_names(context))
    for item in context.own_items():
        if not isinstance(item, ast.Param | ast.Let | ast.Input) or id(item) in used:
            continue
        if context.definitions.get(item.name.name) is not item:
            continue  # a duplicate, already reported
        kind = type(item).__name__.lower()
        context.report(
            Diagnostic(
                "W505",
                f"{kind} `{item.name.name}` is never used",
                item.name.span,
                help=_HELP[kind],
            )
        )


def _market_names(context: Context) -> set[str]:
    """Inputs a scenario's `market` line sets (written as plain names, not expressions)."""
    names: set[str] = set()
    for item in context.own_items():
        if isinstance(item, ast.Scenario):
            for step in item.steps:
                if isinstance(step, ast.MarketSet):
                    names.update(a.path[0].name for a in step.assignments if len(a.path) == 1)
    return names
