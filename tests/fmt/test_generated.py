"""Property tests on generated programs: the formatter is idempotent, keeps the AST (spans
aside) and keeps every comment in its order, whatever the layout, parentheses and comments of
the input.

The generator writes source text directly, parenthesising every compound operand (so any
grouping is valid), with random whitespace, line breaks and comments between tokens.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from condorrules.fmt import format_source
from condorrules.syntax import ast, parse

NAMES = ["vix", "dte", "spot", "pnl_pct", "tested", "none", "put", "qty", "a", "b_2", "FOMC"]
FUNCTIONS = ["abs", "max", "rsi", "sma", "days_to"]
LITERALS = [
    "0.30",
    "1_000",
    "45",
    "50%",
    "-200%",
    "21d",
    "4h",
    "30min",
    "$1500",
    "2018-02-05",
    '"text"',
    '"with # hash"',
    '"esc \\" q"',
    "1_000.5",
    "true",
    "false",
]
SEPARATORS = [" ", " ", " ", "\n    ", "  ", " # note\n  ", "\n# own line\n "]

Draw = Callable[..., str]


def sep(draw: Draw) -> str:
    return draw(st.sampled_from(SEPARATORS))


def paren(draw: Draw, text: str) -> str:
    return f"({sep(draw).strip(' ') or ''}{text})" if draw(st.booleans()) else f"({text})"


@st.composite
def expressions(draw: Draw, depth: int = 3) -> str:
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        choice = draw(st.sampled_from(NAMES + LITERALS))
        return choice if not choice.startswith("-") else f"({choice})"
    kind = draw(
        st.sampled_from(
            [
                "bool",
                "not",
                "compare",
                "arith",
                "neg",
                "call",
                "attr",
                "index",
                "between",
                "in",
                "if",
                "least",
            ]
        )
    )
    sub: Callable[[], str] = lambda: paren(draw, draw(expressions(depth - 1)))  # noqa: E731
    s = lambda: sep(draw)  # noqa: E731
    if kind == "bool":
        op = draw(st.sampled_from(["and", "or"]))
        count = draw(st.integers(2, 4))
        return f"{s()}{op}{s()}".join(sub() for _ in range(count))
    if kind == "not":
        return f"not{s()}{sub()}"
    if kind == "compare":
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"{sub()}{s()}{op}{s()}{sub()}"
    if kind == "arith":
        op = draw(st.sampled_from(["+", "-", "*", "/"]))
        return f"{sub()}{s()}{op}{s()}{sub()}"
    if kind == "neg":
        return f"-{sub()}"
    if kind == "call":
        args = [sub() for _ in range(draw(st.integers(0, 2)))]
        args += [f"n{i}:{s()}{sub()}" for i in range(draw(st.integers(0, 2)))]
        return f"{draw(st.sampled_from(FUNCTIONS))}({s()}{(',' + s()).join(args)})"
    if kind == "attr":
        return f"{sub()}.{draw(st.sampled_from(NAMES))}"
    if kind == "index":
        return f"{sub()}[{sub()}]"
    if kind == "between":
        return f"{sub()}{s()}between{s()}{sub()}{s()}and{s()}{sub()}"
    if kind == "in":
        options = (", " + s()).join(sub() for _ in range(draw(st.integers(1, 3))))
        return f"{sub()} in [{options}]"
    if kind == "if":
        return f"if{s()}{sub()}{s()}then{s()}{sub()}{s()}else{s()}{sub()}"
    conditions = ("," + s()).join(sub() for _ in range(draw(st.integers(1, 3))))
    return f"at least {sub()} of ({conditions})"


ACTIONS = [
    "close",
    "close()",
    "close(side: put)",
    "open iron_condor(dte: 45d, wing: 50)",
    'alert("x")',
    "roll(side: tested, dte: same, short_delta: 0.16)",
    "unhedge",
]


@st.composite
def items(draw: Draw) -> str:
    kind = draw(st.sampled_from(["import", "param", "input", "let", "rule", "guard", "scenario"]))
    name = draw(st.sampled_from(["p", "long_name", "x1"]))
    s = lambda: sep(draw)  # noqa: E731
    if kind == "import":
        return f'import{s()}"lib/{name}.condor"'
    if kind == "param":
        return f"param {name}{s()}={s()}{draw(st.sampled_from(LITERALS + NAMES))}"
    if kind == "input":
        return f'input {name}: number "desc"' if draw(st.booleans()) else f"input {name}"
    if kind == "let":
        return f"let {name} ={s()}{draw(expressions())}"
    if kind == "guard":
        return f"guard {name}:{s()}forbid open, roll when{s()}{draw(expressions())}"
    if kind == "scenario":
        steps = [
            "at 2018-01-02",
            "market spot = 2750, vix = 10",
            "condor 1/2/3/4 expiring 2018-02-16 credit 8.00 opened 2018-01-02",
            "given rsi(spot, 14) = 24",
            "expect fires r",
            "expect nothing",
        ]
        chosen = draw(st.lists(st.sampled_from(steps), max_size=4))
        return f'scenario "s":{s()}' + s().join(chosen)
    priority = draw(st.sampled_from(["", " priority 10", " priority -1"]))
    actions = f"{s()}and{s()}".join(
        draw(st.lists(st.sampled_from(ACTIONS), min_size=1, max_size=2))
    )
    modifiers = draw(st.sampled_from(["", f"{s()}cooldown 5d", f"{s()}limit 2 per position"]))
    return (
        f"rule {name}{priority}:{s()}when{s()}{draw(expressions())}{s()}then{s()}"
        f"{actions}{modifiers}"
    )


@st.composite
def programs(draw: Draw) -> str:
    parts = ['ruleset gen version 1 "g"'] if draw(st.booleans()) else []
    for item in draw(st.lists(items(), min_size=1, max_size=5)):
        lead = draw(st.sampled_from(["", "# lead\n", "\n# lead\n\n"]))
        trail = draw(st.sampled_from(["", "  # trail"]))
        parts.append(f"{lead}{item}{trail}")
    return "\n".join(parts) + draw(st.sampled_from(["\n", "", "\n# tail\n"]))


def numbered_comments(source: str) -> str:
    """Every generated comment made unique, so that a change of order shows."""
    counter = itertools.count()
    return re.sub(
        r"# (note|own line|lead|trail|tail)", lambda m: f"{m.group()} {next(counter)}", source
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(programs())
def test_formatting_is_idempotent_and_faithful(generated: str) -> None:
    source = numbered_comments(generated)
    parsed = parse(source)
    assert parsed.diagnostics == (), (source, parsed.diagnostics)
    once = format_source(source)
    assert format_source(once) == once
    reparsed = parse(once).module
    assert ast.equal_ignoring_spans(parsed.module, reparsed, comments=False)
    assert [c.text for c in parsed.module.comments] == [c.text for c in reparsed.comments]
