"""The docs tables generated from the catalogue (the region of docs/language.md between
``<!-- catalogue:begin -->`` and ``<!-- catalogue:end -->``), so the docs cannot drift."""

from __future__ import annotations

import re
from pathlib import Path

from condorrules.catalogue.actions import ACTION_LIST, GUARD_KINDS
from condorrules.catalogue.fields import FIELD_LIST, NAMESPACE_LIST
from condorrules.catalogue.functions import FUNCTION_LIST
from condorrules.catalogue.model import Action, Argument, Field, Function, Scope, Signature

CHOICES = (
    "Leg Greeks (`short_put.delta`, `.gamma`, ...) are the option's own per-share Greeks, not "
    "signed by the position's quantity: a put's delta is in [-1, 0], a call's in [0, 1], "
    "gamma and vega are >= 0. A leg's `.theta` and `.extrinsic` have no fixed sign (a deep "
    "in-the-money European put can have positive theta and trade below intrinsic). Position "
    "and portfolio Greeks are share-equivalent and signed by quantity.",
    "`max_profit` and `max_loss` are magnitudes in dollars (both >= 0); `vix` is a plain number "
    "(index points), `atm_iv` and a leg's `.iv` are ratios.",
    "A param is typed by its literal: `50%` a ratio, `45d` days, `$500` money; a param written "
    "as a bare number (`param max_open = 3`) takes the unit of the other operand, as a bare "
    "literal does. Params count as their literal values in the range and interaction "
    "analyses, except that a comparison of only params and literals (a switch) is never "
    "reported as always or never true.",
    "`number` and `ratio` are both dimensionless and mix freely (the result is a ratio): "
    "`pnl / margin > 10%`. `*` and `/` by a number or a ratio keep the other unit.",
    "`open` needs `dte`, exactly one strike selector and exactly one wing; the size is "
    "optional (`qty: 1`). `roll` takes at most one selector and one wing, a pair may be given "
    "in part (`roll(side: put, put_delta: 0.2)`); what is not given stays as it is "
    "(`dte: same`, `wing: same`). Deltas in actions are magnitudes in (0, 1).",
    "`close(side: ...)` takes `put` or `call` (LANGUAGE.md §6); `hedge vix_call_spread` "
    "needs all four arguments.",
    "FOMC dates are built in. CPI and PPI are accepted event names but have no built-in "
    "dates (`days_to(CPI)` stays unknown until their dates are supplied); any other event is "
    "E204 unless the events data defines it: `condorrules check --events FILE.csv` (columns "
    "`date,event,note`, like the shipped FOMC file), or `events=` in the Python API.",
    "A bare name means, in order: an action argument's own symbol (`side: tested`, "
    "`dte: same`); a param, input or let of the file (so `param entry_day = wed` works in "
    "`weekday == entry_day`, `param ev = FOMC` in `days_to(ev)`, `param defend_side = put` in "
    "`tested == defend_side`); what the place expects (an event inside `days_to(...)`, a "
    "weekday beside `weekday`, a side beside `tested`); then a field, `portfolio`, a leg or "
    "side namespace, a side or weekday word. Field names, sides and weekdays are reserved "
    "(E202 as a param, input or let name); event names are not.",
    "Params, inputs, lets, rules and guards share one namespace per ruleset, imports "
    "included: two of them with one name are E202.",
    "Dates compare and subtract only with dates (`date - opened` is days; `date + 5d` a "
    "date); a date against days or any other unit (`date > 21d`) is E301.",
    "Texts and event names only name things: a text is an alert's message (a string, or a "
    "param holding one) and an event the argument of `days_to`/`days_since` (written, or a "
    "param holding one). A let holding one, a comparison of them, an `if` choosing "
    "between them or their history (`FOMC[1]`) is E300.",
    "A rule's `cooldown` is a duration fixed in the file: a literal or a param holding one "
    "(`cooldown wait` with `param wait = 5d`); a let or an input there is E302.",
    "A guard that forbids `open`, `hedge` or `unhedge` but uses a position field is E400 (a new "
    "position has no position fields yet).",
    "A file without rules is a library for `import`: its unused params, lets and inputs are "
    "not reported (W505). An ignore comment that silences nothing, or names an error (errors "
    "cannot be ignored), is W507.",
)

BEGIN = "<!-- catalogue:begin -->"
END = "<!-- catalogue:end -->"


def _field_row(field: Field) -> str:
    value_range = field.range.describe() if field.range is not None else "—"
    return (
        f"| `{field.name}` | {field.type.value} | {field.type.unit} | {value_range} "
        f"| {field.description} |"
    )


def _fields(scope: Scope) -> list[str]:
    lines = ["| field | type | unit | range | meaning |", "|---|---|---|---|---|"]
    lines += [_field_row(f) for f in FIELD_LIST if f.scope is scope]
    return lines


def _signature_text(function: Function) -> str:
    return f"`{function.call_text()}`"


def _function_row(function: Function) -> str:
    if function.result is not None:
        result = function.result.value
    else:
        result = f"unit of `{function.keeps_unit_of}`"
    if function.result_range is not None:
        result += f" {function.result_range.describe()}"
    if function.attributes:
        result += "; " + ", ".join(f"`.{a}`" for a in function.attributes)
    kinds = ", ".join(f"{p.name}: {p.kind.value}" for p in function.params)
    signature = _signature_text(function)
    return f"| {signature} | {kinds} | {result} | {function.warmup} | {function.description} |"


def _argument_text(argument: Argument) -> str:
    parts = [argument.type.value]
    if argument.symbols:
        parts.append(" or ".join(f"`{s}`" for s in argument.symbols))
    if argument.constraint is not None:
        parts.append(argument.constraint.describe())
    if argument.default is not None:
        parts.append(f"default `{argument.default}`")
    return f"`{argument.name}` ({'; '.join(parts)}): {argument.description}"


def _signature_rules(signature: Signature) -> str:
    rules = [f"`{name}` required" for name in signature.required]
    for group in signature.groups:
        options = " \\| ".join(" + ".join(f"`{n}`" for n in alt) for alt in group.alternatives)
        if group.required:
            rules.append(f"exactly one {group.name}: {options}")
        else:
            rules.append(f"at most one {group.name}: {options} (a pair may be given in part)")
    return "; ".join(rules) if rules else "—"


def _action_rows(action: Action) -> list[str]:
    scope = action.scope.value if action.scope is not None else "either"
    targets: list[tuple[str, Signature]] = [
        (f"`{action.name} {s.name}(...)`", s.signature) for s in action.structures
    ] or [(f"`{action.name}`", action.signature)]
    rows = []
    for title, signature in targets:
        arguments = "<br>".join(_argument_text(a) for a in signature.arguments) or "—"
        rows.append(
            f"| {title} | {scope} | {arguments} | {_signature_rules(signature)} "
            f"| {action.description} |"
        )
    return rows


def render_markdown() -> str:
    """The generated catalogue tables, as markdown (ends with a newline)."""
    from condorrules.catalogue import EVENT_LIST, INPUT_TYPES, SIDE_VALUES, WEEKDAYS

    lines = [
        "<!-- Generated from src/condorrules/catalogue by "
        "`python -m condorrules.catalogue --write docs/language.md`; do not edit by hand. -->",
        "",
        "### Fields: portfolio scope",
        "",
        *_fields(Scope.PORTFOLIO),
        "",
        "### Fields: position scope",
        "",
        *_fields(Scope.POSITION),
        "",
        "Names that only have fields: "
        + ", ".join(f"`{n.name}` ({n.description})" for n in NAMESPACE_LIST)
        + ".",
        "",
        "### Functions",
        "",
        "| function | parameters | result | warm-up | meaning |",
        "|---|---|---|---|---|",
        *[_function_row(f) for f in FUNCTION_LIST],
        "",
        "### Actions",
        "",
        "| action | scope | arguments | rules | meaning |",
        "|---|---|---|---|---|",
        *[row for a in ACTION_LIST for row in _action_rows(a)],
        "",
        "### Symbols",
        "",
        "| kind | names |",
        "|---|---|",
        f"| sides | {', '.join(f'`{s}`' for s in SIDE_VALUES)} |",
        f"| weekdays | {', '.join(f'`{d}`' for d in WEEKDAYS)} |",
        "| events | "
        + ", ".join(
            f"`{e.name}` ({'built in' if e.built_in else 'needs user data'})" for e in EVENT_LIST
        )
        + " |",
        f"| guard kinds | {', '.join(f'`{k}`' for k in GUARD_KINDS)} |",
        f"| input types | {', '.join(f'`{t.value}`' for t in INPUT_TYPES)} (an input is a "
        "data column, and data columns are numeric: `input x: date`, `string`, `weekday`, "
        "`side` or `event` is E300) |",
        "",
        "### Checking conventions",
        "",
        *[f"- {choice}" for choice in CHOICES],
    ]
    return "\n".join(lines) + "\n"


_REGION = re.compile(re.escape(BEGIN) + r"\n.*?" + re.escape(END), re.DOTALL)


def docs_region(text: str) -> str | None:
    """The text between the markers of a docs file (without them), or None if absent."""
    match = _REGION.search(text)
    return None if match is None else match.group(0)[len(BEGIN) + 1 : -len(END)]


def rewrite_region(path: Path) -> bool:
    """Replace the catalogue region of ``path`` with freshly generated tables.

    Returns False (and leaves the file alone) when the markers are missing.
    """
    text = path.read_text(encoding="utf-8")
    if _REGION.search(text) is None:
        return False
    replacement = f"{BEGIN}\n{render_markdown()}{END}"
    path.write_text(_REGION.sub(lambda _: replacement, text, count=1), encoding="utf-8")
    return True
