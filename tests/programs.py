"""Program generators shared by the property tests (hypothesis strategies).

- :func:`programs`: syntactically valid programs with random layout, parentheses and
  comments, over a small vocabulary that mostly does not type-check (the formatter's tests).
- :func:`typed_programs`: programs built from the catalogue (real fields, functions, actions
  and symbols, params of every literal kind, lets, guards, modifiers) that often check
  clean, with optional :func:`mutated` token swaps (field names, units, action arguments)
  that push them onto the checker's edge cases (the checker/compiler agreement tests);
  :func:`with_library` splits one into a main file and a library it imports.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hypothesis import strategies as st

from condorrules import catalogue
from condorrules.catalogue import Type

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


# -- programs built from the catalogue ----------------------------------------------------

NUMERIC_TYPES = (Type.NUMBER, Type.RATIO, Type.DAYS, Type.PRICE, Type.MONEY)
VALUE_TYPES = (*NUMERIC_TYPES, Type.BOOL, Type.DATE, Type.SIDE, Type.WEEKDAY)
FIELDS_BY_TYPE = {
    (kind, position): sorted(
        name
        for name, field in catalogue.FIELDS.items()
        if field.type is kind and (position or field.scope is catalogue.Scope.PORTFOLIO)
    )
    for kind in VALUE_TYPES
    for position in (False, True)
}
TYPED_LITERALS: dict[Type, list[str]] = {
    Type.NUMBER: ["0", "1", "2", "0.16", "14", "45", "1_000", "-3"],
    Type.RATIO: ["50%", "2.5%", "-200%", "100%", "0%"],
    Type.DAYS: ["21d", "4h", "30min", "1d", "0d"],
    Type.PRICE: ["50", "2750", "6.5"],
    Type.MONEY: ["$1500", "$0", "$1_000.50"],
    Type.BOOL: ["true", "false"],
    Type.DATE: ["2018-01-10", "2018-02-16"],
    Type.SIDE: list(catalogue.SIDE_VALUES),
    Type.WEEKDAY: list(catalogue.WEEKDAYS),
    Type.EVENT: list(catalogue.EVENTS),
    Type.STRING: ['"text"', '"close it"', '""'],
}
PARAM_TYPES = (*VALUE_TYPES, Type.EVENT, Type.STRING)
# Action argument values that fit their ranges (the mutations supply those that do not).
ARGUMENT_VALUES: dict[str, list[str]] = {
    "dte": ["45d", "30d", "7d"],
    "short_delta": ["0.16", "0.30"],
    "put_delta": ["0.16", "0.2"],
    "call_delta": ["0.16", "0.1"],
    "wing_delta": ["0.05"],
    "short_otm": ["5%", "0.05"],
    "short_em": ["1", "1.5"],
    "wing": ["50", "25"],
    "put_wing": ["50"],
    "call_wing": ["25"],
    "qty": ["1", "2"],
    "risk": ["2%"],
    "above": ["2", "0"],
    "width": ["5"],
    "budget": ["10%"],
}
COMPARISONS = ["<", "<=", ">", ">=", "==", "!="]


class Env:
    """The names a generated program defines, by type (params, inputs, lets), and whether
    the expression being written may use position fields (a position-scoped rule or let)."""

    def __init__(self) -> None:
        self.defined: dict[Type, list[tuple[str, bool]]] = {kind: [] for kind in PARAM_TYPES}
        self.position = True

    def add(self, kind: Type, name: str, position: bool = False) -> None:
        self.defined[kind].append((name, position))

    def names(self, kind: Type) -> list[str]:
        """The names of type ``kind`` usable here (position-scoped lets only in position
        scope)."""
        return [name for name, position in self.defined[kind] if self.position or not position]

    def scoped(self, position: bool) -> Env:
        """The same names, in a portfolio (False) or position (True) context."""
        other = Env()
        other.defined, other.position = self.defined, position
        return other


def _leaf(draw: Draw, kind: Type, env: Env) -> str:
    pools = [TYPED_LITERALS[kind], FIELDS_BY_TYPE.get((kind, env.position), []), env.names(kind)]
    if kind is Type.DAYS:
        events = TYPED_LITERALS[Type.EVENT] + env.names(Type.EVENT)
        function = draw(st.sampled_from(["days_to", "days_since"]))
        pools.append([f"{function}({event})" for event in events])
    if kind is Type.PRICE:
        pools.append(["expected_move(21d)", "expected_move(dte)" if env.position else "$1"])
    if kind is Type.NUMBER:
        pools.append(["rsi(spot)", "rsi(vix, n: 5)", "bars_since(vix > 30)", "macd(spot).hist"])
    if kind is Type.RATIO:
        pools.append(["hv(spot)", "rank(vix, 20)", "iv_rank(atm_iv, 10)", "pct_change(spot)"])
    return draw(st.sampled_from([name for pool in pools for name in pool]))


def _bars(draw: Draw, env: Env) -> str:
    return draw(st.sampled_from(["1", "2", "5", "14", *env.names(Type.NUMBER)[:2]]))


@st.composite
def typed_expressions(draw: Draw, kind: Type, env: Env, depth: int = 2) -> str:
    """An expression meant to have type ``kind`` (numbers and bools may nest)."""
    if depth <= 0 or draw(st.integers(0, 2)) == 0:
        return _leaf(draw, kind, env)
    if kind in (Type.EVENT, Type.STRING):  # only names and literals, or what is not allowed
        shape = draw(st.sampled_from(["leaf", "if", "index"]))
        if shape == "if":
            then, other = _leaf(draw, kind, env), _leaf(draw, kind, env)
            return f"if {draw(typed_expressions(Type.BOOL, env, 1))} then {then} else {other}"
        return _leaf(draw, kind, env) + ("[1]" if shape == "index" else "")

    def sub(of: Type = kind) -> str:
        return f"({draw(typed_expressions(of, env, depth - 1))})"

    if kind is Type.BOOL:
        return _bool_expression(draw, env, sub)
    if kind in NUMERIC_TYPES:
        return _numeric_expression(draw, kind, env, sub)
    if kind is Type.DATE:
        op = draw(st.sampled_from(["+", "-"]))
        return f"{sub()} {op} {sub(Type.DAYS)}"
    return _leaf(draw, kind, env)


def _numeric_expression(draw: Draw, kind: Type, env: Env, sub: Callable[..., str]) -> str:
    shape = draw(st.integers(0, 9))
    if shape == 0:
        return f"{sub()} {draw(st.sampled_from(['+', '-']))} {sub()}"
    if shape == 1:
        return f"{sub()} * {sub(Type.NUMBER)}" if draw(st.booleans()) else f"{sub()} / 2"
    if shape == 2:
        return f"-{sub()}"
    if shape == 3:
        function = draw(st.sampled_from(["abs", "min", "max", "round"]))
        extra = {"abs": "", "round": draw(st.sampled_from(["", ", 2", ", digits: 1"]))}
        return f"{function}({sub()}{extra.get(function, ', ' + sub())})"
    if shape == 4:
        function = draw(st.sampled_from(["sma", "ema", "highest", "lowest", "stdev"]))
        return f"{function}({sub()}, {_bars(draw, env)})"
    if shape == 5:
        part = draw(st.sampled_from(["bbands(X).upper", "bbands(X, 5, 1).mid", "macd(X).line"]))
        return part.replace("X", sub())
    if shape == 6:
        if draw(st.integers(0, 9)) == 0:  # the part of something that has none
            return f"{sub()}.{draw(st.sampled_from(['delta', 'line', 'open', 'x']))}"
        return f"{sub()}[{_bars(draw, env)}]"
    if shape == 7:
        return f"if {sub(Type.BOOL)} then {sub()} else {sub()}"
    if shape == 8 and kind is Type.NUMBER:
        unit = draw(st.sampled_from(NUMERIC_TYPES))
        return f"{sub(unit)} / {sub(unit)}"
    if shape == 8 and kind is Type.DAYS:
        return f"{sub(Type.DATE)} - {sub(Type.DATE)}"
    return f"change({sub()})" if draw(st.booleans()) else _leaf(draw, kind, env)


def _bool_expression(draw: Draw, env: Env, sub: Callable[..., str]) -> str:
    shape = draw(st.integers(0, 8))
    compared = draw(st.sampled_from([*NUMERIC_TYPES, Type.DATE, Type.SIDE, Type.WEEKDAY]))
    if draw(st.integers(0, 19)) == 0:
        compared = draw(st.sampled_from([Type.EVENT, Type.STRING]))
    if shape <= 1:
        symbolic = compared in (Type.SIDE, Type.WEEKDAY)
        op = draw(st.sampled_from(["==", "!="] if symbolic else COMPARISONS))
        return f"{sub(compared)} {op} {sub(compared)}"
    if shape == 2 and compared not in (Type.SIDE, Type.WEEKDAY):
        return f"{sub(compared)} between {sub(compared)} and {sub(compared)}"
    if shape in (2, 3):
        options = ", ".join(sub(compared) for _ in range(draw(st.integers(1, 3))))
        return f"{sub(compared)} in [{options}]"
    if shape == 4:
        op = draw(st.sampled_from([" and ", " or "]))
        return op.join(sub() for _ in range(draw(st.integers(2, 3))))
    if shape == 5:
        return f"not {sub()}"
    if shape == 6:
        count = draw(st.integers(1, 3))
        conditions = ", ".join(sub() for _ in range(count))
        return f"at least {draw(st.integers(1, count))} of ({conditions})"
    if shape == 7:
        function = draw(st.sampled_from(["held", "within"]))
        return f"{function}({sub()}, {_bars(draw, env)})"
    unit = draw(st.sampled_from(NUMERIC_TYPES))
    function = draw(st.sampled_from(["crosses_above", "crosses_below"]))
    return f"{function}({sub(unit)}, {sub(unit)})"


def _argument_value(draw: Draw, argument: catalogue.Argument, env: Env) -> str:
    choices = [*ARGUMENT_VALUES.get(argument.name, []), *argument.symbols]
    if argument.type is not Type.STRING:  # a text argument with symbols takes only those
        choices += env.names(argument.type)
    if draw(st.integers(0, 3)) == 0 and argument.type in NUMERIC_TYPES:
        fitting = draw(st.sampled_from(choices or ["1"]))
        other = draw(st.sampled_from(choices or ["1"]))
        return f"if {draw(typed_expressions(Type.BOOL, env, 1))} then {fitting} else {other}"
    return draw(st.sampled_from(choices or ["1"]))


def _arguments(draw: Draw, signature: catalogue.Signature, env: Env) -> list[str]:
    chosen: set[str] = set(signature.required)
    for group in signature.groups:
        if group.required or draw(st.booleans()):
            chosen.update(draw(st.sampled_from(group.alternatives)))
    grouped = {name for group in signature.groups for name in group.members}
    for argument in signature.arguments:
        if argument.name not in grouped and draw(st.integers(0, 2)) == 0:
            chosen.add(argument.name)
    written = []
    for argument in signature.arguments:
        if argument.name in chosen:
            value = _argument_value(draw, argument, env)
            written.append(
                value if argument.name in signature.positional else f"{argument.name}: {value}"
            )
    return written


@st.composite
def typed_actions(draw: Draw, env: Env) -> str:
    """An action from the catalogue with arguments of the right kinds, mostly of the scope
    of ``env`` (alerts in either)."""
    scope = catalogue.Scope.POSITION if env.position else catalogue.Scope.PORTFOLIO
    fitting = [a for a in catalogue.ACTION_LIST if a.scope in (scope, None)]
    action = draw(st.sampled_from(fitting if draw(st.integers(0, 9)) else catalogue.ACTION_LIST))
    head, signature = action.name, action.signature
    if action.structures:
        structure = draw(st.sampled_from(action.structures))
        head, signature = f"{action.name} {structure.name}", structure.signature
    if action.name == "alert":
        text = draw(st.sampled_from(TYPED_LITERALS[Type.STRING] + env.names(Type.STRING)))
        return f"alert({text})"
    arguments = _arguments(draw, signature, env)
    if not arguments and draw(st.booleans()):
        return head
    return f"{head}({', '.join(arguments)})"


def _param(draw: Draw, index: int, env: Env) -> str:
    kind = draw(st.sampled_from(PARAM_TYPES))
    name = f"p_{kind.value}_{index}"
    env.add(kind, name)
    value = draw(st.sampled_from(TYPED_LITERALS[kind]))
    note = draw(st.sampled_from(["", ' "a note"']))
    return f"param {name} = {value}{note}"


def _input(draw: Draw, index: int, env: Env) -> str:
    kind = draw(st.sampled_from(catalogue.INPUT_TYPES))
    name = f"in_{kind.value}_{index}"
    env.add(kind, name)
    written = "" if kind is Type.NUMBER and draw(st.booleans()) else f": {kind.value}"
    return f"input {name}{written}"


def _let(draw: Draw, index: int, env: Env) -> str:
    kind = draw(st.sampled_from(VALUE_TYPES if draw(st.integers(0, 9)) else PARAM_TYPES))
    position = draw(st.booleans())
    body = draw(typed_expressions(kind, env.scoped(position)))
    name = f"l_{kind.value}_{index}"
    env.add(kind, name, position)
    return f"let {name} = {body}"


def _rule(draw: Draw, index: int, env: Env) -> str:
    priority = draw(st.sampled_from(["", " priority 10", " priority -1"]))
    env = env.scoped(draw(st.booleans()))
    condition = draw(typed_expressions(Type.BOOL, env, 3))
    actions = " and ".join(draw(st.lists(typed_actions(env), min_size=1, max_size=2)))
    cooldowns = ["5d", "1h", "2", *env.names(Type.DAYS), *env.names(Type.NUMBER)]
    modifiers = [
        "",
        f" cooldown {draw(st.sampled_from(cooldowns))}",
        f" limit 2 per {draw(st.sampled_from(['position', 'day', 'run']))}",
    ]
    modifier = draw(st.sampled_from(modifiers))
    return f"rule r{index}{priority}: when {condition} then {actions}{modifier}"


def _guard(draw: Draw, index: int, env: Env) -> str:
    kinds = draw(st.lists(st.sampled_from(catalogue.GUARD_KINDS), min_size=1, max_size=3))
    condition = draw(typed_expressions(Type.BOOL, env, 2))
    return f"guard g{index}: forbid {', '.join(dict.fromkeys(kinds))} when {condition}"


@st.composite
def typed_programs(draw: Draw) -> str:
    """A program over the real catalogue, one item a line; about half check clean (most with
    warnings), the rest have errors."""
    env = Env()
    lines = ['ruleset generated version 1 "typed"'] if draw(st.booleans()) else []
    lines += [_param(draw, i, env) for i in range(draw(st.integers(0, 4)))]
    lines += [_input(draw, i, env) for i in range(draw(st.integers(0, 2)))]
    lines += [_let(draw, i, env) for i in range(draw(st.integers(0, 3)))]
    lines += [_rule(draw, i, env) for i in range(draw(st.integers(1, 3)))]
    lines += [_guard(draw, i, env) for i in range(draw(st.integers(0, 1)))]
    return "\n".join(lines) + "\n"


# -- mutations ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r'"[^"\n]*"|\d{4}-\d\d-\d\d|\$?\d[\d_]*(?:\.\d+)?(?:%|min|d|h)?|[A-Za-z_]\w*(?:\.\w+)?'
)
# Keywords are left alone: swapping them only makes syntax errors, which parse tests cover.
_KEEP = frozenset(
    {
        *("and", "or", "not", "if", "then", "else", "when", "between", "in", "ruleset"),
        *("import", "param", "input", "let", "rule", "guard", "scenario", "priority"),
        *("forbid", "cooldown", "limit", "per", "at", "least", "of", "version"),
    }
)
_LITERAL_POOL = sorted({value for pool in TYPED_LITERALS.values() for value in pool})
_NAME_POOL = sorted(
    {
        *catalogue.FIELDS,
        *catalogue.NAMESPACES,
        *catalogue.KEYWORD_SYMBOLS,
        *catalogue.EVENTS,
        *catalogue.FUNCTIONS,
        *catalogue.ACTIONS,
        *catalogue.STRUCTURES,
        *ARGUMENT_VALUES,
        "side",
        "layer",
        "text",
        "oldest",
        "all",
        "position",
        "day",
        "run",
    }
)


@st.composite
def mutated(draw: Draw, source: str, max_changes: int = 3) -> str:
    """``source`` with up to ``max_changes`` tokens swapped: a literal for another literal
    (another unit), a name for a field, symbol, function, action, argument or a name the
    program defines."""
    defined = sorted(set(re.findall(r"\b(?:param|let|input|rule|guard) (\w+)", source)))
    for _ in range(draw(st.integers(1, max_changes))):
        tokens = [m for m in _TOKEN.finditer(source) if m.group() not in _KEEP]
        if not tokens:
            break
        token = draw(st.sampled_from(tokens))
        pool = _NAME_POOL + defined if token.group()[0].isalpha() else _LITERAL_POOL
        if draw(st.integers(0, 3)) == 0:
            pool = _NAME_POOL + defined + _LITERAL_POOL
        replacement = draw(st.sampled_from(pool))
        source = source[: token.start()] + replacement + source[token.end() :]
    return source


@st.composite
def with_library(draw: Draw, source: str) -> tuple[str, str]:
    """``source`` (one item a line, as :func:`typed_programs` writes it) split in two files:
    (library, main). Some params, inputs, lets and guards move to the library, which the
    main file imports as ``lib.condor``."""
    main: list[str] = []
    library: list[str] = []
    for line in source.splitlines():
        movable = line.startswith(("param ", "input ", "let ", "guard "))
        (library if movable and draw(st.booleans()) else main).append(line)
    header = [line for line in main if line.startswith("ruleset ")]
    rest = [line for line in main if not line.startswith("ruleset ")]
    return "\n".join(library) + "\n", "\n".join([*header, 'import "lib.condor"', *rest]) + "\n"
