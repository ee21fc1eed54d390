"""Small, sound reasoning about conditions, for the ranges and interactions passes.

- :func:`value_range`: an interval that surely contains every value of a numeric expression
  (from the catalogue's field ranges, function result ranges, params' literal values and
  interval arithmetic); unbounded when nothing is known.
- :func:`disjuncts`: a condition as an OR of ANDs of atoms. An atom is a comparison of one
  subexpression with constants (kept as a :class:`Range`), or an opaque condition compared
  by syntax. Conversion follows Kleene logic: a true atom means its subject is known, so
  De Morgan and negated comparisons (`not x > 5` is `x <= 5`) are sound.
- :func:`implies`: A surely implies B. Proofs only; "don't know" is False.

Everything here answers "provably", never "probably": a false alarm is worse than silence.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, fields
from typing import cast

from condorrules import catalogue
from condorrules.catalogue import Type
from condorrules.check.constants import constant
from condorrules.check.context import Context, RefKind
from condorrules.syntax import ast

MAX_DISJUNCTS = 64
MAX_ATOMS = 256  # per conjunction; beyond it no proof is tried


@dataclass(frozen=True, slots=True)
class Range:
    """An interval with open or closed ends; ``math.inf`` ends are always open."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = True
    high_open: bool = True

    @property
    def is_empty(self) -> bool:
        """True when no value lies in it."""
        return self.low > self.high or (self.low == self.high and (self.low_open or self.high_open))

    def intersect(self, other: Range) -> Range:
        """Values in both."""
        # The tighter bound wins; at equal values an open end is the tighter one.
        if (self.low, self.low_open) >= (other.low, other.low_open):
            low, low_open = self.low, self.low_open
        else:
            low, low_open = other.low, other.low_open
        if (self.high, not self.high_open) <= (other.high, not other.high_open):
            high, high_open = self.high, self.high_open
        else:
            high, high_open = other.high, other.high_open
        return Range(low, high, low_open, high_open)

    def contains(self, other: Range) -> bool:
        """True when every value of ``other`` lies in this range."""
        if other.is_empty:
            return True
        low_ok = self.low < other.low or (
            self.low == other.low and (not self.low_open or other.low_open)
        )
        high_ok = other.high < self.high or (
            self.high == other.high and (not self.high_open or other.high_open)
        )
        return low_ok and high_ok

    @property
    def is_unbounded(self) -> bool:
        """True for (-inf, inf)."""
        return self.low == -math.inf and self.high == math.inf

    def describe(self) -> str:
        """``[-1, 0]``, ``[0, inf)``."""
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        return f"{left}{_number(self.low)}, {_number(self.high)}{right}"


EVERYTHING = Range()


def closed(low: float, high: float) -> Range:
    """[low, high], with infinite ends open."""
    return Range(low, high, low == -math.inf, high == math.inf)


def point(value: float) -> Range:
    """[value, value]."""
    return closed(value, value)


def _number(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value + 0.0:g}"  # + 0.0 turns -0.0 into 0.0


def satisfying(op: str, value: float) -> Range | None:
    """The values of x for which ``x op value`` holds (None for ``!=``)."""
    return {
        ">": Range(value, math.inf, True, True),
        ">=": Range(value, math.inf, False, True),
        "<": Range(-math.inf, value, True, True),
        "<=": Range(-math.inf, value, True, False),
        "==": point(value),
    }.get(op)


FLIPPED = {">": "<", ">=": "<=", "<": ">", "<=": ">=", "==": "==", "!=": "!="}
NEGATED = {">": "<=", ">=": "<", "<": ">=", "<=": ">", "==": "!=", "!=": "=="}

# -- value ranges -----------------------------------------------------------------------

_PRESERVING = frozenset({"sma", "ema", "highest", "lowest"})


def value_range(expr: ast.Expr, context: Context, depth: int = 0) -> Range:
    """An interval surely containing every value of ``expr``."""
    if depth > 64:
        return EVERYTHING
    value = constant(expr, context)
    if value is not None:
        return point(value)
    match expr:
        case ast.Name() | ast.Attribute():
            return _reference_range(expr, context, depth)
        case ast.Index():
            return value_range(expr.value, context, depth + 1)
        case ast.Unary():
            inner = value_range(expr.operand, context, depth + 1)
            return Range(-inner.high, -inner.low, inner.high_open, inner.low_open)
        case ast.Binary():
            left = value_range(expr.left, context, depth + 1)
            right = value_range(expr.right, context, depth + 1)
            return _arithmetic(expr.op, left, right)
        case ast.IfElse():
            a = value_range(expr.then_value, context, depth + 1)
            b = value_range(expr.else_value, context, depth + 1)
            return _hull(a, b)
        case ast.Call():
            return _call_range(expr, context, depth)
    return EVERYTHING


def _reference_range(expr: ast.Name | ast.Attribute, context: Context, depth: int) -> Range:
    reference = context.references.get(expr)
    if reference is None:
        if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Call):
            call = expr.value
            if call.function.name == "bbands" and expr.name.name == "mid" and call.args:
                return value_range(call.args[0], context, depth + 1)
        return EVERYTHING
    if reference.field is not None and reference.field.range is not None:
        return closed(reference.field.range.low, reference.field.range.high)
    definition = reference.definition
    if isinstance(definition, ast.Let) and definition.name.name not in context.cyclic:
        found = per_let(context, "range", definition, lambda let: value_range(let.value, context))
        return found if isinstance(found, Range) else EVERYTHING
    return EVERYTHING


def per_let(
    context: Context, what: str, let: ast.Let, compute: Callable[[ast.Let], object]
) -> object | None:
    """A fact about ``let`` computed once per check (memoised as ``(what, id(let))``).

    On first use the fact is computed for every let in dependency order, so a let's
    dependencies are always ready: no chain of lets recurses, and a let reused many times
    (`let a1 = a0 + a0`) is walked once. Cyclic lets are skipped (None); callers treat a
    cyclic let as unknown anyway.
    """
    ready = (what, -1)
    if ready not in context.memo:
        context.memo[ready] = True
        for each in context.let_order:
            if each.name.name not in context.cyclic:
                context.memo[(what, id(each))] = compute(each)
    return context.memo.get((what, id(let)))


def _call_range(call: ast.Call, context: Context, depth: int) -> Range:
    function = catalogue.FUNCTIONS.get(call.function.name)
    if function is None:
        return EVERYTHING
    if function.result_range is not None:
        return closed(function.result_range.low, function.result_range.high)
    args = [value_range(a, context, depth + 1) for a in call.args]
    if not args or (call.named and function.name not in _PRESERVING):
        return EVERYTHING
    if function.name == "abs":
        inner = args[0]
        if inner.low >= 0:
            return inner
        if inner.high <= 0:
            return Range(-inner.high, -inner.low, inner.high_open, inner.low_open)
        return Range(0.0, max(-inner.low, inner.high), False, True)
    if function.name in ("min", "max") and len(args) >= 2 and not call.named:
        pick = min if function.name == "min" else max
        return closed(pick(a.low for a in args), pick(a.high for a in args))
    if function.name in _PRESERVING:
        return closed(args[0].low, args[0].high)
    if function.name == "round":
        return closed(args[0].low - 0.5, args[0].high + 0.5)
    return EVERYTHING


def _hull(a: Range, b: Range) -> Range:
    return closed(min(a.low, b.low), max(a.high, b.high))


def _arithmetic(op: str, a: Range, b: Range) -> Range:
    if a.is_empty or b.is_empty:
        return EVERYTHING
    if op == "+":
        return closed(a.low + b.low, a.high + b.high)
    if op == "-":
        return closed(a.low - b.high, a.high - b.low)
    if op == "*":
        return _product(a, b)
    if b.low <= 0 <= b.high:
        return EVERYTHING
    return _product(a, closed(1 / b.high, 1 / b.low))


def _product(a: Range, b: Range) -> Range:
    corners = [x * y for x in (a.low, a.high) for y in (b.low, b.high)]
    if any(math.isnan(c) for c in corners):
        return EVERYTHING
    return closed(min(corners), max(corners))


# -- atoms and disjunctive normal form --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Atom:
    """``subject in range`` (``range`` set), or an opaque condition that is ``positive``ly
    true or (negated) false. ``key`` identifies the subject by content, lets expanded."""

    key: Hashable
    range: Range | None
    positive: bool = True
    node: ast.Expr | None = field(default=None, compare=False)  # where it came from


Conjunction = tuple[Atom, ...]


def canonical(node: object, context: Context) -> Hashable:
    """A span-free image of ``node`` with lets expanded and params replaced by their values,
    so that two spellings of the same thing compare equal.

    Nodes are hash-consed: each distinct structure gets a small integer, so an image stays
    shallow (and cheap to hash) however often lets are reused inside one another."""
    table = context.memo.setdefault(("intern", 0), {})
    assert isinstance(table, dict)
    return _canonical(node, context, table)


def _canonical(node: object, context: Context, table: dict[Hashable, int]) -> Hashable:
    if isinstance(node, ast.Name):
        reference = context.references.get(node)
        if reference is not None and reference.kind is RefKind.PARAM:
            value = constant(node, context)
            return ("value", value) if value is not None else ("name", node.name)
        definition = reference.definition if reference is not None else None
        if isinstance(definition, ast.Let) and definition.name.name not in context.cyclic:
            found = per_let(
                context, "canonical", definition, lambda let: _canonical(let.value, context, table)
            )
            return found if found is not None else ("let", definition.name.name)
        return ("name", node.name)
    if isinstance(node, tuple):
        return tuple(_canonical(element, context, table) for element in node)
    if not hasattr(node, "__dataclass_fields__"):
        return node
    parts: list[Hashable] = [type(node).__name__]
    for member in fields(node):  # type: ignore[arg-type]
        if member.name in ("span", "text"):
            continue
        parts.append(_canonical(getattr(node, member.name), context, table))
    key = tuple(parts)
    return table.setdefault(key, len(table))


def disjuncts(expr: ast.Expr, context: Context) -> tuple[Conjunction, ...] | None:
    """``expr`` as an OR of ANDs of atoms, or None when that would be too large."""
    key = ("disjuncts", id(expr))
    if key not in context.memo:
        context.memo[key] = _dnf(expr, context, negate=False, depth=0)
    return cast("tuple[Conjunction, ...] | None", context.memo[key])


def _dnf(
    expr: ast.Expr, context: Context, *, negate: bool, depth: int
) -> tuple[Conjunction, ...] | None:
    if depth > 64:
        return None
    if isinstance(expr, ast.Not):
        return _dnf(expr.operand, context, negate=not negate, depth=depth + 1)
    if isinstance(expr, ast.BoolOp):
        parts = []
        for operand in expr.operands:
            part = _dnf(operand, context, negate=negate, depth=depth + 1)
            if part is None:
                return None
            parts.append(part)
        conjunctive = (expr.op == "and") != negate
        return _and_all(parts) if conjunctive else _or_all(parts)
    if isinstance(expr, ast.Bool):
        return ((),) if expr.value != negate else ()
    if isinstance(expr, ast.Name):
        reference = context.references.get(expr)
        definition = reference.definition if reference is not None else None
        if isinstance(definition, ast.Let) and definition.name.name not in context.cyclic:
            found = per_let(
                context,
                "dnf-negated" if negate else "dnf",
                definition,
                lambda let: _Lazy(_dnf(let.value, context, negate=negate, depth=0)),
            )
            return found.value if isinstance(found, _Lazy) else None
    atoms = _atoms(expr, context, negate)
    return tuple((atom,) for atom in atoms)


@dataclass(frozen=True, slots=True)
class _Lazy:
    """A memoised normal form (which may be None: too large)."""

    value: tuple[Conjunction, ...] | None


def _and_all(parts: list[tuple[Conjunction, ...]]) -> tuple[Conjunction, ...] | None:
    result: tuple[Conjunction, ...] = ((),)
    for part in parts:
        # A repeated atom adds nothing (`a and a`): dropping it keeps reused lets small.
        result = tuple(tuple(dict.fromkeys(a + b)) for a in result for b in part)
        if len(result) > MAX_DISJUNCTS or any(len(c) > MAX_ATOMS for c in result):
            return None
    return result


def _or_all(parts: list[tuple[Conjunction, ...]]) -> tuple[Conjunction, ...] | None:
    result = tuple(dict.fromkeys(c for part in parts for c in part))  # `a or a` is `a`
    return result if len(result) <= MAX_DISJUNCTS else None


def _atoms(expr: ast.Expr, context: Context, negate: bool) -> tuple[Atom, ...]:
    """The disjuncts (each one atom) that ``expr`` (or its negation) becomes."""
    if isinstance(expr, ast.Compare):
        comparison = _comparison(expr, context, negate)
        if comparison is not None:
            return comparison
    if isinstance(expr, ast.Between):
        low, high = constant(expr.low, context), constant(expr.high, context)
        if low is not None and high is not None and _numeric(expr.value, context):
            key = canonical(expr.value, context)
            domain = value_range(expr.value, context)
            if not negate:
                return (Atom(key, domain.intersect(closed(low, high)), node=expr),)
            below = domain.intersect(Range(-math.inf, low, True, True))
            above = domain.intersect(Range(high, math.inf, True, True))
            return (Atom(key, below, node=expr), Atom(key, above, node=expr))
    found = context.types.get(expr)
    is_reference = isinstance(expr, ast.Name | ast.Attribute)
    if is_reference and found is not None and found.type is Type.BOOL:
        key = canonical(expr, context)
        return (Atom(key, point(0.0 if negate else 1.0), node=expr),)
    return (Atom(canonical(expr, context), None, positive=not negate, node=expr),)


def _numeric(expr: ast.Expr, context: Context) -> bool:
    found = context.types.get(expr)
    return found is not None and found.type.is_numeric


def _comparison(expr: ast.Compare, context: Context, negate: bool) -> tuple[Atom, ...] | None:
    """One atom, or two for `!=` (below or above: under Kleene logic `x != c` is true exactly
    when x is known and on one side of c)."""
    op = NEGATED[expr.op] if negate else expr.op
    right_value = constant(expr.right, context)
    left_value = constant(expr.left, context)
    if right_value is not None and left_value is None:
        subject, value = expr.left, right_value
    elif left_value is not None and right_value is None:
        subject, value, op = expr.right, left_value, FLIPPED[op]
    else:
        return None
    if not _numeric(subject, context):
        return None
    key = canonical(subject, context)
    domain = value_range(subject, context)
    if op == "!=":
        below = domain.intersect(Range(-math.inf, value, True, True))
        above = domain.intersect(Range(value, math.inf, True, True))
        return (Atom(key, below, node=expr), Atom(key, above, node=expr))
    wanted = satisfying(op, value)
    assert wanted is not None
    return (Atom(key, domain.intersect(wanted), node=expr),)


def contradictory(conjunction: Conjunction) -> bool:
    """True when the atoms of one conjunction cannot all hold (same subject, disjoint)."""
    ranges: dict[Hashable, Range] = {}
    polarity: dict[Hashable, bool] = {}
    for atom in conjunction:
        if atom.range is None:
            if polarity.setdefault(atom.key, atom.positive) != atom.positive:
                return True
            continue
        merged = ranges.get(atom.key, EVERYTHING).intersect(atom.range)
        if merged.is_empty:
            return True
        ranges[atom.key] = merged
    return False


def conjunction_implies(a: Conjunction, b: Conjunction) -> bool:
    """Every atom of ``b`` follows from some atom of ``a`` (``a`` not contradictory)."""
    if contradictory(a):
        return False
    return all(any(_atom_implies(have, wanted) for have in a) for wanted in b)


def _atom_implies(have: Atom, wanted: Atom) -> bool:
    if have.key != wanted.key:
        return False
    if have.range is None or wanted.range is None:
        return have.range is None and wanted.range is None and have.positive == wanted.positive
    return wanted.range.contains(have.range)


def implies(a: tuple[Conjunction, ...], b: tuple[Conjunction, ...]) -> bool:
    """Whenever condition ``a`` is true, condition ``b`` is true."""
    return bool(a) and all(any(conjunction_implies(x, y) for y in b) for x in a)


def jointly_satisfiable(a: tuple[Conjunction, ...], b: tuple[Conjunction, ...]) -> bool:
    """``a`` and ``b`` can provably be true together.

    Proven when one disjunct of ``a`` implies one of ``b`` (or the reverse) - the stronger
    one is then the rule's own condition, which is taken to be satisfiable - or when the two
    disjuncts constrain one and the same subject to overlapping ranges.
    """
    for x in a:
        for y in b:
            if contradictory(x) or contradictory(y):
                continue
            if conjunction_implies(x, y) or conjunction_implies(y, x):
                return True
            atoms = x + y
            keys = {atom.key for atom in atoms}
            single = len(keys) == 1 and all(atom.range is not None for atom in atoms)
            if single and not contradictory(atoms):
                return True
    return False
