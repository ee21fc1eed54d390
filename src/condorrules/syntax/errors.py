"""Syntax errors in a trader's words: lark's UnexpectedInput → one E100 diagnostic.

lark reports the token it stopped at and the terminals it could have accepted (by internal
names such as ``COMP_OP`` or ``RPAR``). This module turns that into "expected an expression
after `>`, found `then`" or "expected `then` before the action, found `close`".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from condorrules.diagnostics import Diagnostic, Label, Span
from condorrules.syntax import ast
from condorrules.syntax.literals import STRING_HELP, LiteralError, decode_string, echo

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
# A param's value: any literal or a name, but no expression.
_LITERAL_STARTS = frozenset({"NUMERIC", "MONEY", "DATE", "STRING", "TRUE", "FALSE"})
_VALUE_HELP = (
    "a param's value is a literal (`0.16`, `50%`, `21d`, `$500`, a date, a string) or a name"
)
# How grammar/condor.lark spells a keyword terminal: the word, matched only as a whole word.
_KEYWORD_PATTERN = re.compile(r"([a-z_]+)\(\?!\[A-Za-z0-9_\]\)")
_RULE_HELP = "a rule reads `rule NAME: when CONDITION then ACTION`"
_ACTION_HELP = "actions read like `close`, `roll(side: put)` or `open iron_condor(dte: 45d, ...)`"


@dataclass(frozen=True, slots=True)
class NextItem:
    """The item keyword that starts the text after a chunk: where a cut-short item stopped."""

    line: int
    column: int
    keyword: str


def syntax_diagnostic(
    error: UnexpectedInput,
    lark: Lark,
    file: str,
    line_offset: int,
    next_item: NextItem | None = None,
) -> Diagnostic:
    """The E100 diagnostic for one lark error, at the token where the parser stopped.

    ``next_item`` is given when the parsed text was one item of a larger file: running out of
    text then means the parser got stuck at the keyword of the next item, not at the end of
    the file.
    """
    if isinstance(error, UnexpectedCharacters):
        line = error.line + line_offset
        char = error.char if error.char not in "\n\r" else "line break"
        return Diagnostic(
            "E100",
            f"unexpected character `{echo(char)}`",
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
                _token_span(suspect, file, line_offset),
                STRING_HELP,
            )
    if token.type == "$END" and next_item is not None:
        span = Span(
            file,
            next_item.line,
            next_item.column,
            next_item.line,
            next_item.column + len(next_item.keyword),
        )
        found = f"`{next_item.keyword}`, the start of the next item"
        message, help = _message(expected, token, found, previous, lark)
        cut_help = f"complete this item before `{next_item.keyword}` starts the next one"
        stop = Label(_token_span(token, file, line_offset), "the item stops here, unfinished")
        return Diagnostic("E100", message, span, help or cut_help, labels=(stop,))
    span = _token_span(token, file, line_offset)
    found = _describe_found(token)
    message, help = _message(expected, token, found, previous, lark)
    return Diagnostic("E100", message, span, help)


def _message(
    expected: set[str], token: Token, found: str, previous: Token | None, lark: Lark
) -> tuple[str, str | None]:
    after = f" after `{echo(str(previous))}`" if previous is not None else ""
    before = previous.type if previous is not None else None
    if expected >= _OPERAND_CORE:
        return f"expected an expression{after}, found {found}", None
    if expected >= _LITERAL_STARTS:
        return f"expected a value{after}, found {found}", _VALUE_HELP
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


def _token_span(token: Token, file: str, line_offset: int) -> Span:
    if token.type == "$END":
        # lark's end-of-input token borrows the last token's position; the honest place for
        # "found the end of the file" is the empty span just after that token.
        line = (token.end_line or token.line or 1) + line_offset
        column = token.end_column or token.column or 1
        return Span(file, line, column, line, column)
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
    return f"`{echo(str(token))}`"


def _terminal_text(name: str, lark: Lark) -> str:
    """How a terminal is written: `)` for RPAR, `then` for THEN; its name if it has no text."""
    try:
        pattern = lark.get_terminal(name).pattern
    except KeyError:
        return name
    if pattern.type == "str":
        return str(pattern.value)
    keyword = _KEYWORD_PATTERN.fullmatch(str(pattern.value))
    return keyword.group(1) if keyword is not None else name


def _unterminated(text: str) -> bool:
    try:
        decode_string(text)
    except LiteralError as problem:
        return problem.message == "unterminated string"
    return False
