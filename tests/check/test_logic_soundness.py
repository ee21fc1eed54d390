"""The proofs behind W500, W501, W503, W504 and W506 against brute force.

Random conditions over three fields with catalogue ranges are evaluated by a tiny independent
evaluator on a grid of field values inside those ranges (every constant used, the points
between and beyond them). Whatever the checker's logic claims must hold on every grid point:
an implication has no counter-example, a "never true" comparison is never true, a "jointly
satisfiable" pair is true together somewhere.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.check.context import Context
from condorrules.check.logic import Atom, contradictory, disjuncts, implies, jointly_satisfiable
from condorrules.check.names import resolve_names
from condorrules.check.types import infer_types
from condorrules.syntax import ast, parse

# field -> (constants to compare with, the field's possible values are within [low, high])
FIELDS = {
    "dte": ([0, 5, 10, 21, 45], 0.0, 1000.0),
    "short_put.delta": ([-0.5, -0.3, -0.16, 0.0, 0.3], -1.0, 0.0),
    "pnl_pct": ([-2.0, -0.5, 0.0, 0.5, 1.0], -1000.0, 1000.0),
}
OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _literal(field: str, value: float) -> str:
    if field == "dte":
        return f"{value:g}d"
    return f"{value:g}" if value >= 0 else f"-{-value:g}"


@st.composite
def comparisons(draw: st.DrawFn) -> str:
    field = draw(st.sampled_from(sorted(FIELDS)))
    constants = FIELDS[field][0]
    if draw(st.booleans()):
        low, high = sorted(draw(st.lists(st.sampled_from(constants), min_size=2, max_size=2)))
        return f"{field} between {_literal(field, low)} and {_literal(field, high)}"
    op = draw(st.sampled_from(sorted(OPERATORS)))
    return f"{field} {op} {_literal(field, draw(st.sampled_from(constants)))}"


conditions = st.recursive(
    comparisons(),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]} and {pair[1]})"),
        st.tuples(inner, inner).map(lambda pair: f"({pair[0]} or {pair[1]})"),
        inner.map(lambda text: f"not ({text})"),
    ),
    max_leaves=5,
)


def _grid() -> list[dict[str, float]]:
    axes = []
    for field, (constants, low, high) in FIELDS.items():
        points = sorted({low, high, *constants})
        between = [(a + b) / 2 for a, b in itertools.pairwise(points)]
        axes.append([(field, v) for v in sorted({*points, *between}) if low <= v <= high])
    return [dict(choice) for choice in itertools.product(*axes)]


GRID = _grid()


def _value(expr: ast.Expr, point: dict[str, float]) -> float:
    match expr:
        case ast.Number() | ast.Percent():
            return expr.value
        case ast.Duration():
            return expr.days
        case ast.Unary():
            return -_value(expr.operand, point)
        case ast.Name():
            return point[expr.name]
        case ast.Attribute() if isinstance(expr.value, ast.Name):
            return point[f"{expr.value.name}.{expr.name.name}"]
    raise AssertionError(f"unexpected {expr!r}")


def _truth(expr: ast.Expr, point: dict[str, float]) -> bool:
    match expr:
        case ast.BoolOp():
            values = [_truth(o, point) for o in expr.operands]
            return all(values) if expr.op == "and" else any(values)
        case ast.Not():
            return not _truth(expr.operand, point)
        case ast.Compare():
            return OPERATORS[expr.op](_value(expr.left, point), _value(expr.right, point))
        case ast.Between():
            value = _value(expr.value, point)
            return _value(expr.low, point) <= value <= _value(expr.high, point)
    raise AssertionError(f"unexpected {expr!r}")


def _checked(*texts: str) -> tuple[Context, list[ast.Expr]]:
    source = "".join(
        f'rule r{i}:\n    when {text}\n    then alert("x")\n' for i, text in enumerate(texts)
    )
    result = parse(source, "generated.condor")
    assert not result.diagnostics, (source, result.diagnostics)
    context = Context(result.module)
    resolve_names(context)
    infer_types(context)
    rules = [item for item in result.module.items if isinstance(item, ast.Rule)]
    return context, [rule.condition for rule in rules]


@settings(max_examples=150, deadline=None)
@given(conditions, conditions)
def test_implication_has_no_counter_example(first: str, second: str) -> None:
    context, (a, b) = _checked(first, second)
    a_form, b_form = disjuncts(a, context), disjuncts(b, context)
    if a_form is None or b_form is None or not implies(a_form, b_form):
        return
    for point in GRID:
        assert not _truth(a, point) or _truth(b, point), (first, second, point)


@settings(max_examples=150, deadline=None)
@given(conditions, conditions)
def test_jointly_satisfiable_conditions_hold_together_somewhere(first: str, second: str) -> None:
    context, (a, b) = _checked(first, second)
    a_form, b_form = disjuncts(a, context), disjuncts(b, context)
    if a_form is None or b_form is None or not jointly_satisfiable(a_form, b_form):
        return
    assert any(_truth(a, point) and _truth(b, point) for point in GRID), (first, second)


@settings(max_examples=150, deadline=None)
@given(conditions)
def test_contradictory_conditions_are_never_true(text: str) -> None:
    context, (condition,) = _checked(text)
    form = disjuncts(condition, context)
    if form is None or not all(contradictory(branch) for branch in form):
        return
    assert not any(_truth(condition, point) for point in GRID), text


@settings(max_examples=150, deadline=None)
@given(conditions)
def test_the_normal_form_has_the_same_truth_table(text: str) -> None:
    context, (condition,) = _checked(text)
    form = disjuncts(condition, context)
    if form is None:
        return
    for point in GRID:
        expected = _truth(condition, point)
        found = any(all(_atom_truth(atom, point) for atom in branch) for branch in form)
        assert found == expected, (text, point)


def _atom_truth(atom: Atom, point: dict[str, float]) -> bool:
    """An atom holds when its subject's value is in its range (opaque: by the node)."""
    node = atom.node
    assert node is not None
    if atom.range is None:
        return _truth(node, point) == atom.positive
    subject = node.value if isinstance(node, ast.Between) else node.left  # type: ignore[union-attr]
    value = _value(subject, point)
    bounds = atom.range
    above = value > bounds.low or (value == bounds.low and not bounds.low_open)
    below = value < bounds.high or (value == bounds.high and not bounds.high_open)
    return above and below


@st.composite
def arithmetic(draw: st.DrawFn, depth: int = 0) -> str:
    if depth >= 2 or draw(st.booleans()):
        field = draw(st.sampled_from(["short_put.delta", "pnl_pct", "pop"]))
        return f"abs({field})" if draw(st.booleans()) else field
    left = draw(arithmetic(depth + 1))
    op = draw(st.sampled_from(["+", "-", "*"]))
    right = draw(st.sampled_from(["0.5", "2", "short_put.delta", "pop"])) if op != "*" else "2"
    return f"({left} {op} {right})"


RANGE_FIELDS = {"short_put.delta": (-1.0, 0.0), "pnl_pct": (-3.0, 3.0), "pop": (0.0, 1.0)}


def _arith_value(expr: ast.Expr, point: dict[str, float]) -> float:
    match expr:
        case ast.Call():
            return abs(_arith_value(expr.args[0], point))
        case ast.Binary():
            left, right = _arith_value(expr.left, point), _arith_value(expr.right, point)
            return {"+": left + right, "-": left - right, "*": left * right}[expr.op]
    return _value(expr, point)


@settings(max_examples=150, deadline=None)
@given(arithmetic(), st.sampled_from(sorted(OPERATORS)), st.sampled_from([-1.5, -0.3, 0, 0.3, 2]))
def test_never_and_always_claims_hold_on_every_point(subject: str, op: str, value: float) -> None:
    from condorrules.check import check_source

    literal = f"{value:g}" if value >= 0 else f"-{-value:g}"
    result = check_source(f'rule r:\n    when {subject} {op} {literal}\n    then alert("x")\n')
    codes = {d.code for d in result.diagnostics}
    if not codes & {"W500", "W501"}:
        return
    rule = result.rules["r"]
    assert isinstance(rule.condition, ast.Compare)
    axes = [
        [(f, v) for v in (low, (low + high) / 2, high, low + 0.1)]
        for f, (low, high) in RANGE_FIELDS.items()
    ]
    for choice in itertools.product(*axes):
        point = dict(choice)
        truth = OPERATORS[op](_arith_value(rule.condition.left, point), value)
        assert truth != ("W500" in codes), (subject, op, value, point)
