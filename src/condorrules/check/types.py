"""Pass 2, types and units (LANGUAGE.md §3): fills ``types``; reports E300 (type mismatch,
e.g. a condition that is not bool), E301 (unit mismatch, both units named), E201 (a
function's arguments of the wrong kind or count) and W502 (the percent pitfall).

A bare number (``50``, or a param written as one) is *flexible*: it takes the unit of the
other operand. ``+``/``-`` need equal units (date - date = days, date ± days = date);
``*``/``/`` by a number or a ratio keep the unit; equal units divide to a number.
"""

from __future__ import annotations

from condorrules import catalogue
from condorrules.catalogue import ParamKind, Type
from condorrules.check.calls import bind
from condorrules.check.constants import constant, literal_of
from condorrules.check.context import Context, ExprType, RefKind, dotted
from condorrules.check.logic import FLIPPED, satisfying, value_range
from condorrules.check.printer import show
from condorrules.check.suggest import did_you_mean
from condorrules.diagnostics import Diagnostic, Fix, Span
from condorrules.syntax import ast

BOOL = ExprType(Type.BOOL)
NUMBER = ExprType(Type.NUMBER)
FLEXIBLE = ExprType(Type.NUMBER, flexible=True)
PITFALL_THRESHOLD = 1.5
# Both are pure numbers: a quotient of equal units (a number) is often compared with a
# percent (`pnl / margin > 10%`), so the two mix freely; the result is a ratio.
DIMENSIONLESS = frozenset({Type.NUMBER, Type.RATIO})

INPUT_TYPES = {t.value: t for t in catalogue.INPUT_TYPES}
# Texts and event names only name things: a param's value, an alert's text, the event of
# `days_to`/`days_since`. Nothing computes with them (no let, comparison, `if` or history).
NAMING_TYPES = {Type.STRING: "a text", Type.EVENT: "an event name"}
NAMING_PLURALS = {Type.STRING: "texts", Type.EVENT: "event names"}
NAMING_HELP = "a text is an alert's message and an event the argument of `days_to(...)`"


def infer_types(context: Context) -> None:
    """Type every expression of every visible item; report type and unit errors."""
    typer = _Typer(context)
    for let in context.let_order:  # dependencies first: typing a let never recurses far
        typer.let(let)
    for item in context.visible_items():
        if isinstance(item, ast.Param):
            typer.param(item)
        elif isinstance(item, ast.Let):
            typer.let(item)
        elif isinstance(item, ast.Rule):
            typer.condition(item.condition, f"rule `{item.name.name}`")
            for action in item.actions:
                typer.action(action)
            for modifier in item.modifiers:
                if isinstance(modifier, ast.Cooldown):
                    typer.expect_unit(modifier.duration, Type.DAYS, "a cooldown")
        elif isinstance(item, ast.Guard):
            typer.condition(item.condition, f"guard `{item.name.name}`")
        elif isinstance(item, ast.Scenario):
            typer.scenario(item)
        elif isinstance(item, ast.Input):
            _input_type(context, item)


def _input_type(context: Context, item: ast.Input) -> None:
    if item.type_name is None or item.type_name.name in INPUT_TYPES:
        return
    name = item.type_name.name
    allowed = ", ".join(f"`{t}`" for t in INPUT_TYPES)
    if name in {t.value for t in Type}:
        message = (
            f"`{name}` is not an input type: an input is a data column, and data columns "
            "hold numbers (or true/false)"
        )
        help = f"declare it as one of {allowed} (a date as the days until it, for example)"
    else:
        message = f"unknown input type `{name}`"
        help = did_you_mean(name, INPUT_TYPES) or f"an input's type is one of {allowed}"
    context.report(Diagnostic("E300", message, item.type_name.span, help=help))


class _Typer:
    def __init__(self, context: Context) -> None:
        self.context = context
        self.in_progress: set[str] = set()
        self.lets: dict[int, ExprType | None] = {}  # by id(let), untypable ones included

    def report(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        self.context.report(Diagnostic(code, message, span, help=help))

    # -- items -----------------------------------------------------------------------

    def param(self, param: ast.Param) -> ExprType | None:
        known = self.context.types.get(param.value)
        if known is not None:
            return known
        value = param.value
        literal = value.operand if isinstance(value, ast.Unary) else value
        literal_types = (ast.Name, ast.Number, ast.Percent, ast.Duration, ast.Money)
        if not isinstance(literal, literal_types) and not isinstance(
            value, ast.DateLiteral | ast.StringLiteral | ast.Bool
        ):
            self.report(
                "E300",
                f"the value of param `{param.name.name}` must be a literal",
                value.span,
                "write a number, percent, duration, money, date, string, side or weekday; "
                "use `let` for an expression",
            )
            return None
        return self.expr(value)

    def let(self, let: ast.Let) -> ExprType | None:
        if id(let) in self.lets:
            return self.lets[id(let)]
        name = let.name.name
        if name in self.in_progress or (name in self.context.cyclic and self.in_progress):
            return None  # a cycle (E203): each let of it is typed on its own, once
        self.in_progress.add(let.name.name)
        try:
            found = self.expr(let.value)
        finally:
            self.in_progress.discard(let.name.name)
        if found is not None and found.type in NAMING_TYPES:
            self.report(
                "E300",
                f"let `{name}` cannot hold {NAMING_TYPES[found.type]}: `{show(let.value)}`",
                let.value.span,
                f"name it with a param instead: `param {name} = {show(let.value)}`",
            )
            found = None
        self.lets[id(let)] = found
        return found

    def condition(self, expr: ast.Expr, owner: str) -> None:
        found = self.expr(expr)
        if found is not None and found.type is not Type.BOOL:
            self.report(
                "E300",
                f"the condition of {owner} is {_a(found)}, not true/false",
                expr.span,
                "a condition is a comparison or a bool, e.g. `dte <= 21d`",
            )

    def expect_unit(self, expr: ast.Expr, unit: Type, what: str) -> None:
        """Type ``expr`` and require ``unit`` (a bare number is accepted as that unit)."""
        found = self.expr(expr)
        if found is None or found.flexible or found.type is unit:
            return
        code = "E301" if _has_unit(found.type) and _has_unit(unit) else "E300"
        self.report(
            code,
            f"{what} takes {unit.value}, but `{show(expr)}` is {_a(found)}",
            expr.span,
            _unit_help(unit),
        )

    def action(self, action: ast.Action) -> None:
        for expr in (*action.args, *(named.value for named in action.named)):
            if not (isinstance(expr, ast.Name) and self._is_symbol(expr)):
                self.expr(expr)

    def _is_symbol(self, name: ast.Name) -> bool:
        reference = self.context.references.get(name)
        return reference is not None and reference.kind in (RefKind.SYMBOL, RefKind.SIDE)

    def scenario(self, scenario: ast.Scenario) -> None:
        for step in scenario.steps:
            if isinstance(step, ast.MarketSet):
                for assignment in step.assignments:
                    self.expr(assignment.value)
            elif isinstance(step, ast.Given):
                if dotted(step.target) is None:
                    self.expr(step.target)
                self.expr(step.value)
            elif isinstance(step, ast.Expect) and step.action is not None:
                self.action(step.action)

    # -- expressions -----------------------------------------------------------------

    def expr(self, expr: ast.Expr) -> ExprType | None:
        """The type of ``expr`` (recorded in ``types``), or None when it cannot be known."""
        found = self._infer(expr)
        if found is not None:
            self.context.types[expr] = found
        return found

    def _infer(self, expr: ast.Expr) -> ExprType | None:  # one branch per node type
        match expr:
            case ast.Number():
                return FLEXIBLE
            case ast.Percent():
                return ExprType(Type.RATIO)
            case ast.Duration():
                return ExprType(Type.DAYS)
            case ast.Money():
                return ExprType(Type.MONEY)
            case ast.DateLiteral():
                return ExprType(Type.DATE)
            case ast.StringLiteral():
                return ExprType(Type.STRING)
            case ast.Bool():
                return BOOL
            case ast.Name():
                return self._name(expr)
            case ast.Attribute():
                return self._attribute(expr)
            case ast.Index():
                return self._index(expr)
            case ast.Call():
                return self._call(expr, attribute=None)
            case ast.Unary():
                return self._negate(expr)
            case ast.Not():
                self._bool_operand(expr.operand, "`not`")
                return BOOL
            case ast.BoolOp():
                for operand in expr.operands:
                    self._bool_operand(operand, f"`{expr.op}`")
                return BOOL
            case ast.Binary():
                return self._binary(expr)
            case ast.Compare():
                self._compare(expr, expr.left, (expr.right,), ordered=expr.op not in ("==", "!="))
                return BOOL
            case ast.Between():
                self._compare(expr, expr.value, (expr.low, expr.high), ordered=True)
                return BOOL
            case ast.InList():
                self._compare(expr, expr.value, expr.options, ordered=False)
                return BOOL
            case ast.IfElse():
                self._bool_operand(expr.condition, "`if`")
                return self._unify(expr, expr.then_value, expr.else_value, "the two branches of")
            case ast.AtLeast():
                return self._at_least(expr)
        return None

    def _name(self, name: ast.Name) -> ExprType | None:
        reference = self.context.references.get(name)
        if reference is None:
            return None
        kind = reference.kind
        if kind is RefKind.FIELD and reference.field is not None:
            return ExprType(reference.field.type)
        if kind is RefKind.NAMESPACE:
            example = next(f for f in catalogue.FIELDS if f.startswith(f"{name.name}."))
            self.report(
                "E300",
                f"`{name.name}` is not a value: it has fields",
                name.span,
                f"use one of its fields, e.g. `{example}`",
            )
            return None
        definition = reference.definition
        if isinstance(definition, ast.Param):
            found = self.param(definition)
            return None if found is None else found
        if isinstance(definition, ast.Let):
            return self.let(definition)
        if isinstance(definition, ast.Input):
            return self._input(definition)
        simple = {RefKind.SIDE: Type.SIDE, RefKind.WEEKDAY: Type.WEEKDAY, RefKind.EVENT: Type.EVENT}
        return ExprType(simple[kind]) if kind in simple else None

    def _input(self, item: ast.Input) -> ExprType | None:
        if item.type_name is None:
            return NUMBER
        found = INPUT_TYPES.get(item.type_name.name)
        if found is None:
            return None  # reported once, where the input is declared
        return ExprType(found)

    def _attribute(self, expr: ast.Attribute) -> ExprType | None:
        reference = self.context.references.get(expr)
        if reference is not None and reference.field is not None:
            return ExprType(reference.field.type)
        if isinstance(expr.value, ast.Call):
            return self._call(expr.value, attribute=expr.name.name)
        return None

    def _index(self, expr: ast.Index) -> ExprType | None:
        found = self.expr(expr.value)
        if found is not None and found.type in NAMING_TYPES:
            what = NAMING_TYPES[found.type]
            self.report("E300", f"{what} has no past values: `{show(expr)}`", expr.span, None)
            return None
        bars = constant(expr.bars_ago, self.context)
        counted = self.expr(expr.bars_ago)
        with_unit = counted is not None and not _is_count(counted)
        if with_unit or bars is None or bars < 0 or bars != int(bars):
            self.report(
                "E300",
                f"`{show(expr)}` needs a whole number of bars ago",
                expr.bars_ago.span,
                "write a constant such as `x[1]` (the previous bar); `n` counts bars, not days",
            )
        return found

    def _negate(self, expr: ast.Unary) -> ExprType | None:
        found = self.expr(expr.operand)
        if found is not None and not found.type.is_numeric:
            self.report("E300", f"cannot negate {_a(found)}", expr.span, None)
            return None
        return found

    def _bool_operand(self, operand: ast.Expr, operator: str) -> None:
        found = self.expr(operand)
        if found is not None and found.type is not Type.BOOL:
            self.report(
                "E300",
                f"{operator} needs true/false, but `{show(operand)}` is {_a(found)}",
                operand.span,
                "compare it with something, e.g. `x > 0`",
            )

    def _at_least(self, expr: ast.AtLeast) -> ExprType:
        count = constant(expr.count, self.context)
        total = len(expr.conditions)
        counted = self.expr(expr.count)
        if counted is not None and not _is_count(counted):
            self.report(
                "E301" if _has_unit(counted.type) else "E300",
                f"`at least K of (...)` counts conditions, but `{show(expr.count)}` is "
                f"{_a(counted)}",
                expr.count.span,
                f"write a plain whole number from 1 to {total}",
            )
        elif count is None or count != int(count) or not 1 <= count <= total:
            self.report(
                "E300",
                f"`at least K of (...)` needs a whole K from 1 to {total}",
                expr.count.span,
                f"there are {total} conditions",
            )
        for condition in expr.conditions:
            self._bool_operand(condition, "`at least`")
        return BOOL

    # -- arithmetic and comparison ---------------------------------------------------

    def _binary(self, expr: ast.Binary) -> ExprType | None:
        left, right = self.expr(expr.left), self.expr(expr.right)
        if left is None or right is None:
            return None
        if not (left.type.is_numeric or left.type is Type.DATE) or not (
            right.type.is_numeric or right.type is Type.DATE
        ):
            self.report(
                "E300",
                f"`{expr.op}` needs numbers, found {_a(left)} and {_a(right)}",
                expr.span,
                None,
            )
            return None
        result = _arithmetic(expr.op, left, right)
        if result is None:
            self.report(
                "E301",
                f"unit mismatch: cannot {_VERBS[expr.op]} {_noun(left)} (`{show(expr.left)}`) "
                f"and {_noun(right)} (`{show(expr.right)}`)",
                expr.span,
                _ARITHMETIC_HELP[expr.op],
            )
        return result

    def _unify(
        self, node: ast.Expr, first: ast.Expr, second: ast.Expr, what: str
    ) -> ExprType | None:
        a, b = self.expr(first), self.expr(second)
        if a is None or b is None:
            return None
        common = _common(a, b)
        if common is None:
            code = "E301" if _has_unit(a.type) and _has_unit(b.type) else "E300"
            self.report(
                code,
                f"{what} `{show(node)}` differ: `{show(first)}` is {_a(a)}, "
                f"`{show(second)}` is {_a(b)}",
                node.span,
                None,
            )
        elif common.type in NAMING_TYPES:
            what = NAMING_PLURALS[common.type]
            message = f"`if` cannot choose between {what}: `{show(node)}`"
            self.report("E300", message, node.span, NAMING_HELP)
            return None
        return common

    def _compare(
        self, node: ast.Expr, subject: ast.Expr, others: tuple[ast.Expr, ...], *, ordered: bool
    ) -> None:
        a = self.expr(subject)
        warned = False
        for other in others:
            b = self.expr(other)
            if a is None or b is None:
                continue
            if _common(a, b) is None:
                code = "E301" if _has_unit(a.type) and _has_unit(b.type) else "E300"
                self.report(
                    code,
                    f"{'unit' if code == 'E301' else 'type'} mismatch: `{show(subject)}` is "
                    f"{_a(a)} but `{show(other)}` is {_a(b)}",
                    node.span,
                    _compare_help(a, b),
                )
                return
            kind = a.type if not a.flexible else b.type
            if kind in NAMING_TYPES:
                message = f"{NAMING_PLURALS[kind]} cannot be compared: `{show(node)}`"
                self.report("E300", message, node.span, NAMING_HELP)
                return
            if ordered and not (kind.is_numeric or kind is Type.DATE):
                self.report(
                    "E300",
                    f"{kind.value} values have no order: `{show(node)}`",
                    node.span,
                    "use `==`, `!=` or `in [...]`",
                )
                return
            if not warned:
                warned = self._percent_pitfall(node, subject, a, other, b)

    def _percent_pitfall(
        self, node: ast.Expr, subject: ast.Expr, a: ExprType, other: ast.Expr, b: ExprType
    ) -> bool:
        for ratio, ratio_type, bare, bare_type in ((subject, a, other, b), (other, b, subject, a)):
            if ratio_type.type is not Type.RATIO or ratio_type.flexible or not bare_type.flexible:
                continue
            if _is_scaled(ratio):
                continue  # `pnl_pct * 100 > 50`: already scaled to points, not a plain ratio
            value = constant(bare, self.context)
            literal = literal_of(bare, self.context)
            if value is None or abs(value) <= PITFALL_THRESHOLD or literal is None:
                continue
            self.context.report(self._pitfall(node, ratio, bare, value, literal))
            return True
        return False

    def _pitfall(
        self, node: ast.Expr, ratio: ast.Expr, bare: ast.Expr, value: float, literal: ast.Number
    ) -> Diagnostic:
        """W502. As written, `-2` against a ratio means -200%; the pitfall is that `-2%` was
        meant. Only when one reading is implausible is there an automatic fix: a ratio above
        150% (`pnl_pct >= 50`), or a value the catalogue says the ratio never reaches."""
        name = show(ratio)
        sign = "-" if value < 0 else ""
        as_points = f"{sign}{literal.text}%"  # the same digits, read as percent points
        as_ratio = f"{_percent_digits(value)}%"  # the value as written, spelt as a percent
        if isinstance(bare, ast.Name):
            what = f"`{bare.name}`, a bare number ({value:g})"
            points = f"`param {bare.name} = {as_points}`"
            ratio_spelt = f"`param {bare.name} = {as_ratio}`"
        else:
            what = f"the bare number {show(bare)}"
            points, ratio_spelt = f"`{as_points}`", f"`{as_ratio}`"
        message = f"`{name}` is a ratio compared with {what}"
        if _only_points_make_sense(node, ratio, value, self.context):
            return Diagnostic(
                "W502",
                message,
                node.span,
                help=f"{name} is a ratio: 50% is 0.5; did you mean {points}?",
                fix=Fix(f"write `{literal.text}%`", literal.span, f"{literal.text}%"),
            )
        return Diagnostic(
            "W502",
            message,
            node.span,
            help=f"{name} is a ratio, so {value:g} means {as_ratio}: write {ratio_spelt} if "
            f"that is meant, or {points} for {as_points.lstrip('-')} "
            f"{'below zero' if value < 0 else ''}".rstrip(),
        )

    # -- calls -----------------------------------------------------------------------

    def _call(self, call: ast.Call, attribute: str | None) -> ExprType | None:
        function = catalogue.FUNCTIONS.get(call.function.name)
        if function is None:
            for unknown in (*call.args, *(n.value for n in call.named)):
                self.expr(unknown)
            return None
        binding = bind(call, function)
        for problem in binding.problems:
            self.report("E201", problem.message, problem.span, problem.help)
        kept: ExprType | None = None
        for param in function.params:
            argument = binding.arguments.get(param.name)
            if argument is None:
                continue
            found = self._argument(function.name, param.name, param.kind, argument)
            if param.name == function.keeps_unit_of:
                kept = found
        for extra in binding.extra:
            found = self._argument(function.name, "...", ParamKind.SERIES, extra)
            if kept is not None and found is not None:
                common = _common(kept, found)
                if common is None:
                    self._variadic_mismatch(call, kept, found)
                kept = common
        if function.attributes and attribute is None:
            parts = ", ".join(f"`.{a}`" for a in function.attributes)
            self.report(
                "E300",
                f"`{function.name}(...)` has several values: use one of {parts}",
                call.span,
                f"e.g. `{show(call)}.{function.attributes[0]}`",
            )
            return None
        if function.result is not None:
            return ExprType(function.result)
        return kept

    def _variadic_mismatch(self, call: ast.Call, a: ExprType, b: ExprType) -> None:
        self.report(
            "E301",
            f"`{call.function.name}` of values in different units: {_a(a)} and {_a(b)}",
            call.span,
            None,
        )

    def _argument(
        self, function: str, param: str, kind: ParamKind, argument: ast.Expr
    ) -> ExprType | None:
        found = self.expr(argument)
        if found is None:
            return None
        problem: str | None = None
        if kind is ParamKind.SERIES and not found.type.is_numeric:
            problem = "a numeric series"
        elif kind is ParamKind.CONDITION and found.type is not Type.BOOL:
            problem = "a condition (true/false)"
        elif kind is ParamKind.EVENT and found.type is not Type.EVENT:
            problem = "an event such as `FOMC`"
        elif kind is ParamKind.DURATION and not (found.flexible or found.type is Type.DAYS):
            problem = "a duration such as `30d`"
        elif kind in (ParamKind.BARS, ParamKind.NUMBER):
            value = constant(argument, self.context)
            if not found.flexible or value is None:
                problem = "a constant number"
            elif kind is ParamKind.BARS and (value < 1 or value != int(value)):
                problem = "a whole number of bars >= 1"
        if problem is not None:
            self.report(
                "E201",
                f"`{param}` of `{function}` must be {problem}, found `{show(argument)}`",
                argument.span,
                None,
            )
        return found


_VERBS = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}
_ARITHMETIC_HELP = {
    "+": "both sides of `+` need the same unit (date + days is a date)",
    "-": "both sides of `-` need the same unit (date - date is days)",
    "*": "multiply by a plain number or a ratio",
    "/": "divide by a plain number or a ratio, or by the same unit to get a number",
}


def _is_scaled(expr: ast.Expr) -> bool:
    """A ratio multiplied or divided by something: no longer a plain ratio field."""
    return isinstance(expr, ast.Binary) and expr.op in ("*", "/")


def _percent_digits(value: float) -> str:
    """``-200`` for -2.0, ``250`` for 2.5: a ratio written as percent points."""
    return f"{round(value * 100, 10):g}"


def _only_points_make_sense(
    node: ast.Expr, ratio: ast.Expr, value: float, context: Context
) -> bool:
    """True when the number as written cannot be what is meant: a ratio above +150% (no
    ratio the language knows gets there in practice), or a comparison that the catalogue's
    range of the ratio makes never or always true as written."""
    if value > 0:
        return True
    if not isinstance(node, ast.Compare):
        return False
    op = node.op if node.left is ratio else FLIPPED[node.op]
    wanted = satisfying(op, value)
    domain = value_range(ratio, context)
    if wanted is None or domain.is_unbounded:
        return False
    return domain.intersect(wanted).is_empty or wanted.contains(domain)


def _is_count(found: ExprType) -> bool:
    """A plain number: a bare literal, a number param, or a unitless expression."""
    return found.flexible or found.type is Type.NUMBER


def _has_unit(kind: Type) -> bool:
    """Numbers and dates: values on a scale, so a clash between two of them is a unit
    mismatch (E301: `date > 21d`), while one with a bool or a side is a type mismatch."""
    return kind.is_numeric or kind is Type.DATE


def _arithmetic(op: str, left: ExprType, right: ExprType) -> ExprType | None:
    """The result type of ``left op right``, or None for a unit mismatch."""
    if op in "+-":
        if Type.DATE in (left.type, right.type):
            return _date_arithmetic(op, left, right)
        return _common(left, right)
    if left.type is Type.DATE or right.type is Type.DATE:
        return None
    scalar = (Type.NUMBER, Type.RATIO)
    if op == "*":
        if left.flexible or right.flexible:
            return right if left.flexible else left
        if right.type in scalar:
            return left if right.type is Type.NUMBER or left.type is not Type.NUMBER else right
        if left.type in scalar:
            return right
        return None
    if right.flexible or right.type in scalar:
        return left if not (left.flexible and not right.flexible) else right
    if left.flexible:
        return None
    if left.type is right.type:
        return NUMBER
    return None


def _date_arithmetic(op: str, left: ExprType, right: ExprType) -> ExprType | None:
    is_days = {t: t.flexible or t.type is Type.DAYS for t in (left, right)}
    if left.type is Type.DATE and right.type is Type.DATE:
        return ExprType(Type.DAYS) if op == "-" else None
    if left.type is Type.DATE and is_days[right]:
        return left
    if op == "+" and right.type is Type.DATE and is_days[left]:
        return right
    return None


def _common(a: ExprType, b: ExprType) -> ExprType | None:
    """The type two operands share, a bare number taking the other's unit."""
    if a.flexible and b.flexible:
        return a
    if a.flexible:
        return b if b.type.is_numeric else None
    if b.flexible:
        return a if a.type.is_numeric else None
    if {a.type, b.type} == DIMENSIONLESS:
        return ExprType(Type.RATIO)
    return a if a.type is b.type else None


def _a(found: ExprType) -> str:
    if found.flexible:
        return "a bare number"
    article = "an" if found.type.value[0] in "aeiou" else "a"
    words = {
        Type.BOOL: "true/false",
        Type.DAYS: "in days",
        Type.MONEY: "money",
        Type.NUMBER: "a plain number",
    }
    if found.type in words:
        return words[found.type]
    return f"{article} {found.type.value}"


def _noun(found: ExprType) -> str:
    """``days``, ``money``, ``a price``: the unit as the object of a verb."""
    if found.flexible:
        return "a bare number"
    if found.type in (Type.DAYS, Type.MONEY):
        return found.type.value
    return _a(found)


def _unit_help(unit: Type) -> str:
    examples = {
        Type.DAYS: "write days like `21d`",
        Type.RATIO: "write a ratio as a percent like `50%`",
        Type.PRICE: "write index points as a plain number, e.g. `50`",
        Type.MONEY: "write money like `$1500`",
        Type.NUMBER: "write a plain number, e.g. `0.16`",
    }
    return examples.get(unit, f"expected {unit.value}")


def _compare_help(a: ExprType, b: ExprType) -> str | None:
    units = {a.type, b.type}
    if units == {Type.DAYS, Type.RATIO}:
        return "days are written like `21d`; a percent is a ratio"
    if Type.RATIO in units and Type.NUMBER in units:
        return "a percent is a ratio (50% is 0.5); write the other side as a ratio too"
    if units == {Type.DATE, Type.DAYS}:
        return (
            "a date is a point in time and days a length: compare `date - opened` with "
            "days, or `date` with a date like `2018-02-05`"
        )
    if Type.DATE in units and a.type is not b.type:
        return "compare a date with a date like `2018-02-05`"
    if a.type.is_numeric and b.type.is_numeric:
        return "compare values of the same unit"
    return None
