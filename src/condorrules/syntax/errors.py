"""Syntax errors in a trader's words: lark's UnexpectedInput → one E100 diagnostic.

lark reports the token it stopped at and the terminals it could have accepted (by internal
names such as ``COMP_OP`` or ``RPAR``). This module turns that into "expected an expression
after `>`, found `then`" or "expected `then` before the action, found `close`".
"""

from __future__ import annotations

from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from condorrules.diagnostics import Diagnostic, Span
from condorrules.syntax import ast
from condorrules.syntax.literals import STRING_HELP, LiteralError, decode_string

# Terminals that can start an expression: when all the core ones are acceptable the parser is
# waiting for an operand, whatever else it would also take.
_OPERAND_CORE = frozenset({"NAME", "NUMERIC", "LPAR"})
_OPERATORS = frozenset(
    {"COMP_OP", "PLUS", "MINUS", "STAR", "SLASH", "AND", "OR", "BETWEEN", "IN", "DOT", "LSQB"}
)
_ITEM_KEYWORDS = ("rule", "guard", "let", "param", "input", "scenario", "import")
_STEP_KEYWORDS = ("at", "market", "condor", "put_spread", "call_spread", "given", "expect")
_WORDS = {
    "NAME": "a name",
    "NUMERIC": "a number",
    "DATE": "a date (YYYY-MM-DD)",
    "MONEY": "a dollar amount",
    "STRING": 'a string ("...")',
    "COMP_OP": "a comparison",
    "$END": "the end of the file",
}
# The order in which expected things are listed: the likeliest fix first.
_LISTING_ORDER = (
    "THEN",
    "WHEN",
    "COLON",
    "EQUAL",
    "RPAR",
    "RSQB",
    "COMMA",
    "ELSE",
    "OF",
    "BY",
    "PER",
    "EXPIRING",
    "CREDIT",
    "FORBID",
    "FIRES",
    "LEAST",
    "NAME",
    "NUMERIC",
    "DATE",
    "STRING",
)
_MAX_LISTED = 6
_RULE_HELP = "a rule reads `rule NAME: when CONDITION then ACTION`"
_ACTION_HELP = "actions read like `close`, `roll(side: put)` or `open iron_condor(dte: 45d, ...)`"


def syntax_diagnostic(
    error: UnexpectedInput, lark: Lark, file: str, line_offset: int
) -> Diagnostic:
    """The E100 diagnostic for one lark error, at the token where the parser stopped."""
    if isinstance(error, UnexpectedCharacters):
        line = error.line + line_offset
        char = error.char if error.char not in "\n\r" else "line break"
        return Diagnostic(
            "E100",
            f"unexpected character `{char}`",
            Span(file, line, error.column, line, error.column + 1),
            "only letters, digits, `_` and the language's operators may appear outside strings "
            "and comments",
        )
    assert isinstance(error, UnexpectedToken)
    token = error.token
    expected = _accepted(error)
    previous = _previous_token(error)
    stacked = _last_stacked(error)
    if isinstance(stacked, ast.StringLiteral) and _unterminated(stacked.text):
        return Diagnostic("E101", "unterminated string", stacked.span, STRING_HELP)
    for suspect in (token, previous):
        if suspect is not None and suspect.type == "STRING" and _unterminated(str(suspect)):
            return Diagnostic(
                "E101",
                "unterminated string",
                _token_span(suspect, None, file, line_offset),
                STRING_HELP,
            )
    span = _token_span(token, previous, file, line_offset)
    found = _describe_found(token)
    message, help = _message(expected, token, found, previous, lark)
    return Diagnostic("E100", message, span, help)


def _message(
    expected: set[str], token: Token, found: str, previous: Token | None, lark: Lark
) -> tuple[str, str | None]:
    after = f" after `{_shorten(str(previous))}`" if previous is not None else ""
    before = previous.type if previous is not None else None
    if expected >= _OPERAND_CORE:
        return f"expected an expression{after}, found {found}", None
    if "THEN" in expected and token.type == "NAME":
        return f"expected `then` before the action, found {found}", _RULE_HELP
    if "WHEN" in expected:
        return f"expected `when` before the condition, found {found}", _RULE_HELP
    if expected == {"NAME"} and before in ("THEN", "AND", "ACTION"):
        return f"expected an action{after}, found {found}", _ACTION_HELP
    if expected == {"NAME"} and before == "PER":
        return f"expected `position`, `day` or `run`{after}, found {found}", None
    return f"expected {_describe_expected(expected, lark)}{after}, found {found}", None


def _describe_expected(expected: set[str], lark: Lark) -> str:
    closers = [f"`{_terminal_text(name, lark)}`" for name in ("RPAR", "RSQB") if name in expected]
    if closers:  # inside brackets, the useful news is how to go on or close them
        if "COMMA" in expected:
            closers.append("`,`")
        return closers[0] if len(closers) == 1 else ", ".join(closers[:-1]) + " or " + closers[-1]
    words: list[str] = []
    listed = sorted(
        (name for name in expected if name not in _OPERATORS),
        key=lambda name: (_LISTING_ORDER.index(name) if name in _LISTING_ORDER else 99, name),
    )
    keywords = {_terminal_text(name, lark) for name in expected}
    items = [word for word in _ITEM_KEYWORDS if word in keywords]
    steps = [word for word in _STEP_KEYWORDS if word in keywords]
    for name in listed:
        text = _terminal_text(name, lark)
        if (items and text in items) or (steps and text in steps):
            continue
        words.append(_WORDS.get(name, f"`{text}`"))
    # A lone `-` next to a number is a sign (`priority -5`), not an operator to suggest.
    if expected & _OPERATORS and not (expected & _OPERATORS == {"MINUS"} and "NUMERIC" in expected):
        words.append("an operator")
    if steps:
        words.append("a scenario step (`at`, `market`, `condor`, `given`, `expect`)")
    if items:
        words.append("a new item (`rule`, `guard`, `let`, `param`, ...)")
    if not words:
        return "something else"
    if len(words) > _MAX_LISTED:
        words = [*words[: _MAX_LISTED - 1], "..."]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def _accepted(error: UnexpectedToken) -> set[str]:
    # The LALR tables merge look-aheads across contexts; the interactive parser knows exactly
    # which terminals this state accepts.
    interactive = getattr(error, "interactive_parser", None)
    if interactive is not None:
        try:
            return set(interactive.accepts())
        except Exception:  # pragma: no cover - fall back to lark's approximation
            pass
    return set(error.expected)


def _previous_token(error: UnexpectedToken) -> Token | None:
    history = getattr(error, "token_history", None)
    if history and history[-1] is not None:
        return history[-1]  # type: ignore[no-any-return]
    last = _last_stacked(error)
    while isinstance(last, Tree):  # iterative: trees can be deep
        children = [child for child in last.children if child is not None]
        if not children:
            return None
        last = children[-1]
    return last if isinstance(last, Token) else None


def _last_stacked(error: UnexpectedToken) -> Any:
    """The last value the parser shifted or reduced before it stopped (token or AST node)."""
    interactive = getattr(error, "interactive_parser", None)
    if interactive is None:
        return None
    stack: list[Any] = interactive.parser_state.value_stack
    return stack[-1] if stack else None


def _token_span(token: Token, previous: Token | None, file: str, line_offset: int) -> Span:
    if token.type == "$END" and previous is not None:
        line = (previous.end_line or 1) + line_offset
        column = previous.end_column or 1
        return Span(file, line, column, line, column + 1)
    line = (token.line or 1) + line_offset
    end_line = (token.end_line or token.line or 1) + line_offset
    column = token.column or 1
    end_column = token.end_column or column + 1
    return Span(
        file,
        line,
        column,
        end_line,
        max(end_column, column + 1) if end_line == line else end_column,
    )


def _describe_found(token: Token) -> str:
    if token.type == "$END":
        return "the end of the file"
    return f"`{_shorten(str(token))}`"


def _terminal_text(name: str, lark: Lark) -> str:
    try:
        pattern = lark.get_terminal(name).pattern
    except KeyError:
        return name
    if pattern.type == "str":
        return str(pattern.value)
    return name


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _unterminated(text: str) -> bool:
    try:
        decode_string(text)
    except LiteralError as problem:
        return problem.message == "unterminated string"
    return False
