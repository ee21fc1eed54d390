"""The lark boundary: grammar reductions → AST nodes, with spans taken from the tokens.

:class:`AstBuilder` is handed to Lark as an *embedded* transformer: LALR calls one method per
reduction, bottom-up, so no lark tree is ever built and nothing recurses (deep input cannot
exhaust Python's recursion limit). The grammar is parsed with ``keep_all_tokens=True`` so that
every node's span runs from its first token to its last, keywords and brackets included; this
replaces ``propagate_positions``, which costs more than the rest of the parse.

Per-item problems are collected as diagnostics: bad literals (E101), expressions deeper than
the limit and over-long names or strings (E102), positional arguments after named ones (E100).
An item with any of them is dropped (its method returns None) so later stages never see a
half-decoded literal.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, TypeVar

from lark import Token, Tree

from condorrules.diagnostics import Diagnostic, Span
from condorrules.syntax import ast
from condorrules.syntax.limits import Limits
from condorrules.syntax.literals import (
    LiteralError,
    decode_date,
    decode_money,
    decode_numeric,
    decode_string,
)

_ItemT = TypeVar("_ItemT")
Child = Any  # a lark Token, an AST node, a tuple of nodes, or None (an absent optional part)
Children = list[Child]

_EPOCH = datetime.date(1970, 1, 1)  # stands in for a bad date in an item that is dropped
# Token types that spell an action's verb or structure (the structure keywords of scenario
# steps are structure names inside an action).
_ACTION_WORDS = frozenset({"NAME", "CONDOR", "PUT_SPREAD", "CALL_SPREAD"})


class AstBuilder:
    """Embedded-transformer callbacks for one parse at a time (see :meth:`reset`)."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.file = "<string>"
        self.line_offset = 0
        self.diagnostics: list[Diagnostic] = []
        self._item_failed = False
        self._depth: dict[int, int] = {}

    def reset(self, file: str, line_offset: int = 0) -> None:
        """Start a new parse (or chunk) of ``file`` whose first line is ``line_offset + 1``."""
        self.file = file
        self.line_offset = line_offset
        self.diagnostics = []
        self._item_failed = False
        self._depth.clear()

    def __default__(self, data: str, children: Children, meta: object) -> Tree[Token]:
        # Lark's own helper rules (repetitions such as `item*`) must stay trees: the parent
        # reduction splices their children in. Any other rule without a method is a bug.
        if not data.startswith("_"):
            raise NotImplementedError(f"no AST handler for grammar rule {data!r}")
        return Tree(data, children)

    # -- spans, depth, diagnostics -----------------------------------------------------------

    def span(self, children: Sequence[Child]) -> Span:
        """From the start of the first present child to the end of the last."""
        first = _edge(children, 0)
        last = _edge(children, -1)
        start = self._start(first)
        end = self._end(last)
        return Span(self.file, start[0], start[1], end[0], end[1])

    def _start(self, part: Child) -> tuple[int, int]:
        if isinstance(part, Token):
            return (part.line or 1) + self.line_offset, part.column or 1
        return part.span.line, part.span.column

    def _end(self, part: Child) -> tuple[int, int]:
        if isinstance(part, Token):
            return (part.end_line or 1) + self.line_offset, part.end_column or 1
        return part.span.end_line, part.span.end_column

    def token_span(self, token: Token) -> Span:
        line = (token.line or 1) + self.line_offset
        end_line = (token.end_line or 1) + self.line_offset
        return Span(self.file, line, token.column or 1, end_line, token.end_column or 1)

    def error(self, code: str, message: str, span: Span, help: str | None = None) -> None:
        """Record a diagnostic and mark the current item as dropped."""
        self.diagnostics.append(Diagnostic(code, message, span, help))
        self._item_failed = True

    def _deep(self, node: ast.Expr, parts: Sequence[Child]) -> ast.Expr:
        """Record ``node``'s expression depth; E102 (once per item) past the limit."""
        depth = 1
        for part in parts:
            if isinstance(part, tuple):
                for element in part:
                    depth = max(depth, self._depth_of(element) + 1)
            elif part is not None and not isinstance(part, Token):
                depth = max(depth, self._depth.get(id(part), 0) + 1)
        self._depth[id(node)] = depth
        if depth == self.limits.max_depth + 1:
            self.error(
                "E102",
                f"expression nested deeper than {self.limits.max_depth} levels",
                node.span,
                "split it into named parts with `let`",
            )
        return node

    def _depth_of(self, element: Child) -> int:
        if isinstance(element, tuple):
            return max((self._depth_of(inner) for inner in element), default=0)
        return self._depth.get(id(element), 0)

    def _finish_item(self, item: _ItemT) -> _ItemT | None:
        failed = self._item_failed
        self._item_failed = False
        self._depth.clear()
        return None if failed else item

    # -- leaves ------------------------------------------------------------------------------

    def identifier(self, token: Token) -> ast.Identifier:
        span = self.token_span(token)
        name = str(token)
        if len(name) > self.limits.max_name_length:
            self.error(
                "E102",
                f"name longer than {self.limits.max_name_length} characters",
                span,
                "use a shorter name",
            )
        return ast.Identifier(name, span)

    def string_literal(self, token: Token) -> ast.StringLiteral:
        span = self.token_span(token)
        text = str(token)
        try:
            value = decode_string(text)
        except LiteralError as problem:
            self.error("E101", problem.message, span, problem.help)
            value = ""
        if len(value) > self.limits.max_string_length:
            self.error(
                "E102",
                f"string longer than {self.limits.max_string_length} characters",
                span,
                "shorten the text",
            )
        return ast.StringLiteral(value, text, span)

    def numeric_literal(self, token: Token) -> ast.Number | ast.Percent | ast.Duration:
        span = self.token_span(token)
        text = str(token)
        try:
            decoded = decode_numeric(text)
        except LiteralError as problem:
            self.error("E101", problem.message, span, problem.help)
            return ast.Number(0.0, text, span)
        if decoded.kind == "percent":
            return ast.Percent(decoded.value, text, span)
        if decoded.kind == "duration":
            assert decoded.unit is not None
            return ast.Duration(decoded.value, decoded.unit, text, span)
        return ast.Number(decoded.value, text, span)

    def plain_number(self, token: Token, what: str, sign: Token | None = None) -> ast.Number:
        """A NUMERIC token that must be a unitless number (strike, count, priority...)."""
        node = self.numeric_literal(token)
        if not isinstance(node, ast.Number):
            self.error(
                "E101",
                f"{what} must be a plain number, found `{node.text}`",
                node.span,
                "write it without a unit, e.g. 2",
            )
            return ast.Number(0.0, node.text, node.span)
        if sign is None:
            return node
        span = self.token_span(sign).merge(node.span)
        return ast.Number(-node.value, "-" + node.text, span)

    def date_literal(self, token: Token) -> ast.DateLiteral:
        span = self.token_span(token)
        text = str(token)
        try:
            value = decode_date(text)
        except LiteralError as problem:
            self.error("E101", problem.message, span, problem.help)
            value = _EPOCH
        return ast.DateLiteral(value, text, span)

    # -- literals and names ------------------------------------------------------------------

    def name(self, children: Children) -> ast.Name:
        identifier = self.identifier(children[0])
        return ast.Name(identifier.name, identifier.span)

    def numeric(self, children: Children) -> ast.Expr:
        return self.numeric_literal(children[0])

    def money(self, children: Children) -> ast.Money:
        token = children[0]
        span = self.token_span(token)
        try:
            value = decode_money(str(token))
        except LiteralError as problem:
            self.error("E101", problem.message, span, problem.help)
            value = 0.0
        return ast.Money(value, str(token), span)

    def date(self, children: Children) -> ast.DateLiteral:
        return self.date_literal(children[0])

    def string(self, children: Children) -> ast.StringLiteral:
        return self.string_literal(children[0])

    def true(self, children: Children) -> ast.Bool:
        return ast.Bool(True, self.token_span(children[0]))

    def false(self, children: Children) -> ast.Bool:
        return ast.Bool(False, self.token_span(children[0]))

    # -- expressions -------------------------------------------------------------------------

    def paren(self, children: Children) -> ast.Expr:
        inner: ast.Expr = children[1]
        # Parentheses only group, but they count towards the nesting limit.
        self._depth[id(inner)] = self._depth.get(id(inner), 0) + 1
        if self._depth[id(inner)] == self.limits.max_depth + 1:
            self.error(
                "E102",
                f"expression nested deeper than {self.limits.max_depth} levels",
                self.span(children),
                "split it into named parts with `let`",
            )
        return inner

    def neg(self, children: Children) -> ast.Expr:
        return self._deep(ast.Unary("-", children[1], self.span(children)), children)

    def not_op(self, children: Children) -> ast.Expr:
        return self._deep(ast.Not(children[1], self.span(children)), children)

    def or_op(self, children: Children) -> ast.Expr:
        return self._bool_op("or", children)

    def and_op(self, children: Children) -> ast.Expr:
        return self._bool_op("and", children)

    def _bool_op(self, op: ast.BoolOperator, children: Children) -> ast.Expr:
        operands = tuple(part for part in children if not isinstance(part, Token))
        return self._deep(ast.BoolOp(op, operands, self.span(children)), children)

    def compare(self, children: Children) -> ast.Expr:
        left, op, right = children
        node = ast.Compare(str(op), left, right, self.span(children))  # type: ignore[arg-type]
        return self._deep(node, children)

    def between(self, children: Children) -> ast.Expr:
        value, _, low, _, high = children
        return self._deep(ast.Between(value, low, high, self.span(children)), children)

    def in_list(self, children: Children) -> ast.Expr:
        options = _nodes(children[2:])
        return self._deep(ast.InList(children[0], options, self.span(children)), children)

    def binary(self, children: Children) -> ast.Expr:
        left, op, right = children
        node = ast.Binary(str(op), left, right, self.span(children))  # type: ignore[arg-type]
        return self._deep(node, children)

    def attribute(self, children: Children) -> ast.Expr:
        node = ast.Attribute(children[0], self.identifier(children[2]), self.span(children))
        return self._deep(node, children)

    def index(self, children: Children) -> ast.Expr:
        return self._deep(ast.Index(children[0], children[2], self.span(children)), children)

    def call(self, children: Children) -> ast.Expr:
        args, named = _arguments(children)
        node = ast.Call(self.identifier(children[0]), args, named, self.span(children))
        return self._deep(node, children)

    def if_else(self, children: Children) -> ast.Expr:
        _, condition, _, then_value, _, else_value = children
        node = ast.IfElse(condition, then_value, else_value, self.span(children))
        return self._deep(node, children)

    def at_least(self, children: Children) -> ast.Expr:
        node = ast.AtLeast(children[2], _nodes(children[5:]), self.span(children))
        return self._deep(node, children)

    def named_argument(self, children: Children) -> ast.NamedArgument:
        node = ast.NamedArgument(self.identifier(children[0]), children[2], self.span(children))
        self._depth[id(node)] = self._depth.get(id(children[2]), 0)
        return node

    def arguments(
        self, children: Children
    ) -> tuple[tuple[ast.Expr, ...], tuple[ast.NamedArgument, ...]]:
        args: list[ast.Expr] = []
        named: list[ast.NamedArgument] = []
        for part in _nodes(children):
            if isinstance(part, ast.NamedArgument):
                named.append(part)
            elif named:
                self.error(
                    "E100",
                    "positional argument after a named argument",
                    part.span,
                    "put positional arguments first, or name this one too",
                )
            else:
                args.append(part)
        return tuple(args), tuple(named)

    # -- actions and modifiers ---------------------------------------------------------------

    def action(self, children: Children) -> ast.Action:
        words = [
            self.identifier(part)
            for part in children
            if isinstance(part, Token) and part.type in _ACTION_WORDS
        ]
        structure = words[1] if len(words) > 1 else None
        args, named = _arguments(children)
        return ast.Action(words[0], structure, args, named, self.span(children))

    def action_structure(self, children: Children) -> Token:
        return children[0]  # type: ignore[no-any-return]

    def actions(self, children: Children) -> tuple[ast.Action, ...]:
        return _nodes(children)

    def cooldown(self, children: Children) -> ast.Cooldown:
        return ast.Cooldown(children[1], self.span(children))

    def limit(self, children: Children) -> ast.Limit:
        count = self.plain_number(children[1], "a limit's count")
        return ast.Limit(count, self.identifier(children[3]), self.span(children))

    def priority(self, children: Children) -> ast.Number:
        return self.plain_number(children[2], "a priority", sign=children[1])

    # -- items -------------------------------------------------------------------------------

    def start(self, children: Children) -> tuple[ast.Header | None, tuple[ast.Item, ...]]:
        return children[0], _nodes(children[1:])

    def header(self, children: Children) -> ast.Header | None:
        name = self.identifier(children[1])
        numbers = _tokens(children, "NUMERIC")
        strings = _tokens(children, "STRING")
        version = self.plain_number(numbers[0], "a version") if numbers else None
        description = self.string_literal(strings[0]) if strings else None
        return self._finish_item(ast.Header(name, version, description, self.span(children)))

    def import_item(self, children: Children) -> ast.Import | None:
        node = ast.Import(self.string_literal(children[1]), self.span(children))
        return self._finish_item(node)

    def param_item(self, children: Children) -> ast.Param | None:
        strings = _tokens(children[4:], "STRING")
        description = self.string_literal(strings[0]) if strings else None
        node = ast.Param(
            self.identifier(children[1]), children[3], description, self.span(children)
        )
        return self._finish_item(node)

    def input_item(self, children: Children) -> ast.Input | None:
        names = [self.identifier(part) for part in _tokens(children, "NAME")]
        strings = _tokens(children, "STRING")
        description = self.string_literal(strings[0]) if strings else None
        type_name = names[1] if len(names) > 1 else None
        node = ast.Input(names[0], type_name, description, self.span(children))
        return self._finish_item(node)

    def let_item(self, children: Children) -> ast.Let | None:
        node = ast.Let(self.identifier(children[1]), children[3], self.span(children))
        return self._finish_item(node)

    def rule_item(self, children: Children) -> ast.Rule | None:
        name = self.identifier(children[1])
        priority, condition, actions = children[2], children[5], children[7]
        modifiers = _nodes(children[8:])
        node = ast.Rule(name, priority, condition, actions, modifiers, self.span(children))
        return self._finish_item(node)

    def guard_item(self, children: Children) -> ast.Guard | None:
        names = [self.identifier(part) for part in _tokens(children, "NAME")]
        node = ast.Guard(names[0], tuple(names[1:]), children[-1], self.span(children))
        return self._finish_item(node)

    def scenario_item(self, children: Children) -> ast.Scenario | None:
        title = self.string_literal(children[1])
        steps: list[ast.Step] = children[3]
        node = ast.Scenario(title, tuple(steps), self.span([*children[:3], *steps]))
        return self._finish_item(node)

    # -- scenario steps ----------------------------------------------------------------------

    def steps_empty(self, children: Children) -> list[ast.Step]:
        return []

    def steps_more(self, children: Children) -> list[ast.Step]:
        # Left recursion hands the same list along: appending keeps a long scenario linear.
        steps: list[ast.Step] = children[0]
        added = children[1]
        if isinstance(added, tuple):
            steps.extend(added)
        else:
            steps.append(added)
        return steps

    def steps_then_bare_action(self, children: Children) -> list[ast.Step]:
        steps: list[ast.Step] = children[0]
        steps.append(self._bare_expect_action(children[1:]))
        return steps

    def expect_then_structure(self, children: Children) -> tuple[ast.Expect, ast.Structure]:
        return self._bare_expect_action(children[:3]), children[3]

    def _bare_expect_action(self, children: Children) -> ast.Expect:
        """``expect action VERB`` from its three tokens."""
        verb = self.identifier(children[2])
        action = ast.Action(verb, None, (), (), verb.span)
        return ast.Expect("action", None, None, action, self.span(children))

    def at_step(self, children: Children) -> ast.At:
        return ast.At(self.date_literal(children[1]), self.span(children))

    def market_assignment(self, children: Children) -> ast.MarketAssignment:
        path = tuple(self.identifier(part) for part in _tokens(children, "NAME"))
        return ast.MarketAssignment(path, children[-1], self.span(children))

    def market_step(self, children: Children) -> ast.MarketSet:
        return ast.MarketSet(_nodes(children[1:]), self.span(children))

    def structure_kind(self, children: Children) -> Token:
        return children[0]  # type: ignore[no-any-return]  # CONDOR, PUT_SPREAD or CALL_SPREAD

    def strikes(self, children: Children) -> tuple[ast.Number, ...]:
        return tuple(self.plain_number(part, "a strike") for part in _tokens(children, "NUMERIC"))

    def structure_step(self, children: Children) -> ast.Structure:
        kind, strikes, _, expiry, _, sign, credit, *rest = children
        extra_numbers = _tokens(rest, "NUMERIC")
        extra_dates = _tokens(rest, "DATE")
        return ast.Structure(
            str(kind),  # type: ignore[arg-type]
            strikes,
            self.date_literal(expiry),
            self.plain_number(credit, "a credit", sign=sign),
            self.plain_number(extra_numbers[0], "a quantity") if extra_numbers else None,
            self.date_literal(extra_dates[0]) if extra_dates else None,
            self.span(children),
        )

    def given_step(self, children: Children) -> ast.Given:
        return ast.Given(children[1], children[3], self.span(children))

    def _expect(self, kind: ast.ExpectKind, children: Children) -> ast.Expect:
        names = [self.identifier(part) for part in _tokens(children, "NAME")]
        rule = names[0] if names else None
        by = names[1] if len(names) > 1 else None
        return ast.Expect(kind, rule, by, None, self.span(children))

    def expect_fires(self, children: Children) -> ast.Expect:
        return self._expect("fires", children)

    def expect_not_fires(self, children: Children) -> ast.Expect:
        return self._expect("not_fires", children)

    def expect_vetoed(self, children: Children) -> ast.Expect:
        return self._expect("vetoed", children)

    def expect_suppressed(self, children: Children) -> ast.Expect:
        return self._expect("suppressed", children)

    def expect_nothing(self, children: Children) -> ast.Expect:
        return self._expect("nothing", children)

    def expect_action(self, children: Children) -> ast.Expect:
        return ast.Expect("action", None, None, children[2], self.span(children))


def _edge(children: Sequence[Child], index: int) -> Child:
    """The first (index 0) or last (index -1) present leaf-or-node among ``children``."""
    ordered = children if index == 0 else list(reversed(children))
    for part in ordered:
        if part is None:
            continue
        if isinstance(part, tuple):
            inner = _edge(part, index) if part else None
            if inner is not None:
                return inner
            continue
        return part
    return None


def _nodes(children: Sequence[Child]) -> tuple[Any, ...]:
    """The AST nodes among ``children`` (tokens and absent parts left out)."""
    return tuple(part for part in children if part is not None and not isinstance(part, Token))


def _tokens(children: Sequence[Child], kind: str) -> list[Token]:
    return [part for part in children if isinstance(part, Token) and part.type == kind]


def _arguments(
    children: Children,
) -> tuple[tuple[ast.Expr, ...], tuple[ast.NamedArgument, ...]]:
    for part in children:
        if isinstance(part, tuple):
            return part
    return (), ()
