"""Where is the cursor? Completion context from the text before it, no parse needed.

Completion runs while a line is half-written (``when portfolio.``), where the parser has
nothing to offer for that item, so this module reads the tokens of the current item up to the
cursor. It decides only *what kind* of word fits there; the candidates themselves come from
the catalogue and the file's own definitions (:mod:`condorrules.lsp.completion`).

An item starts at a line that begins (in column 1) with an item keyword; everything before
that is ignored, so a broken earlier item cannot confuse the current one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from condorrules.catalogue import ACTIONS, FUNCTIONS, GUARD_KINDS, STRUCTURES, ParamKind, Type

ITEM_KEYWORDS: tuple[str, ...] = (
    "ruleset",
    "import",
    "param",
    "input",
    "let",
    "rule",
    "guard",
    "scenario",
)
STEP_KEYWORDS: tuple[str, ...] = ("at", "market", "condor", "put_spread", "call_spread", "given")
EXPECT_WORDS: tuple[str, ...] = ("fires", "not", "action", "vetoed", "suppressed", "nothing")
_VALUE_OPENERS = frozenset(
    {"when", "and", "or", "not", "if", "then", "else", "between", "in", "=", ",", "(", "[", ":"}
)
_OPERATORS = frozenset({"<", "<=", ">", ">=", "==", "!=", "+", "-", "*", "/"})
_ITEM_START = re.compile(r"^[ \t]*(?:" + "|".join(ITEM_KEYWORDS) + r")\b", re.MULTILINE)
_TOKEN = re.compile(
    r"""(?P<comment>\#[^\n]*)
      | (?P<string>"(?:[^"\\\n]|\\.)*(?:"|$))
      | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
      | (?P<number>\$?[0-9][0-9A-Za-z_.]*%?)
      | (?P<op><=|>=|==|!=|[-+*/<>=])
      | (?P<punct>[()\[\],:.])
      | (?P<space>\s+)
      | (?P<other>.)""",
    re.VERBOSE | re.MULTILINE,
)


class Where(StrEnum):
    """The kind of word that fits at the cursor."""

    NOTHING = "nothing"  # in a comment or string, naming something new, after a literal
    WORDS = "words"  # one of the fixed ``Context.words`` (keywords, modifiers, types...)
    FIELD = "field"  # after `namespace.`
    ATTRIBUTE = "attribute"  # after `macd(...).`
    EXPRESSION = "expression"  # a value: names, fields, functions
    ACTION = "action"  # after `then`, or `and` between actions
    STRUCTURE = "structure"  # after `open` or `hedge`
    ARGUMENT = "argument"  # a named argument's name inside an action's parentheses
    ARGUMENT_VALUE = "argument_value"  # after `name:` inside an action's parentheses
    EVENT = "event"  # the argument of days_to( / days_since(
    RULE = "rule"  # a rule name (expect fires / vetoed / suppressed)
    GUARD = "guard"  # a guard name (expect vetoed RULE by)
    MARKET_FIELD = "market_field"  # after `market` or between its assignments


@dataclass(frozen=True, slots=True)
class Context:
    """What fits at the cursor, with the details completion needs.

    ``prefix`` is the part of the word already typed; ``words`` the fixed choices (WORDS);
    ``namespace`` the name before the dot (FIELD) or the function (ATTRIBUTE); ``callee`` the
    action, structure or function whose parentheses the cursor is in; ``argument`` the named
    argument before ``:``; ``given`` the argument names already written; ``hint`` the value
    on the other side of a comparison or ``in`` (``weekday``, ``tested``) so that fitting
    symbols come first.
    """

    where: Where
    prefix: str = ""
    words: tuple[str, ...] = ()
    namespace: str | None = None
    callee: str | None = None
    argument: str | None = None
    given: tuple[str, ...] = ()
    hint: str | None = None


def _words(prefix: str, *words: str) -> Context:
    return Context(Where.WORDS, prefix, words=words)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str


def completion_context(text_before_cursor: str) -> Context:
    """The completion context at the end of ``text_before_cursor`` (the document up to the
    cursor)."""
    starts = list(_ITEM_START.finditer(text_before_cursor))
    item_text = text_before_cursor[starts[-1].start() :] if starts else text_before_cursor
    tokens = _tokenize(item_text)
    if tokens and tokens[-1].kind in ("comment", "string"):
        return Context(Where.NOTHING)
    prefix = ""
    if tokens and tokens[-1].kind == "word" and not item_text[-1:].isspace():
        prefix = tokens.pop().text
    elif tokens and tokens[-1].kind in ("number", "other") and not item_text[-1:].isspace():
        return Context(Where.NOTHING)
    tokens = [t for t in tokens if t.kind not in ("comment", "space")]
    current_line = item_text[item_text.rfind("\n") + 1 :]
    if "\n" in item_text and current_line == prefix:
        return _words(prefix, *ITEM_KEYWORDS)  # column 1 of a later line: a new item
    new_line = "\n" in item_text[len(item_text.rstrip()) :] or _ends_line(item_text, prefix)
    return _classify(tokens, prefix, new_line)


def _tokenize(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        tokens.append(_Token(kind, match.group()))
    return tokens


def _ends_line(item_text: str, prefix: str) -> bool:
    """True when the cursor's word is the first thing on its line."""
    before = item_text[: len(item_text) - len(prefix)]
    line = before[before.rfind("\n") + 1 :]
    return "\n" in before and not line.strip()


def _classify(tokens: list[_Token], prefix: str, new_line: bool) -> Context:
    if not tokens:
        return _words(prefix, *ITEM_KEYWORDS)
    if tokens[-1].text == ".":
        return _after_dot(tokens, prefix)
    open_index = _innermost_open(tokens)
    if open_index is not None:
        return _inside_brackets(tokens, open_index, prefix)
    item = tokens[0].text
    if item == "rule":
        return _in_rule(tokens, prefix)
    if item == "guard":
        return _in_guard(tokens, prefix)
    if item == "let":
        return _after_equals(tokens, prefix)
    if item == "input" and tokens[-1].text == ":":
        return _words(prefix, *(t.value for t in Type))
    if item == "scenario":
        return _in_scenario(tokens, prefix, new_line)
    return Context(Where.NOTHING, prefix)


def _after_dot(tokens: list[_Token], prefix: str) -> Context:
    before = tokens[-2] if len(tokens) >= 2 else None
    if before is not None and before.kind == "word":
        return Context(Where.FIELD, prefix, namespace=before.text)
    if before is not None and before.text == ")":
        opening = _matching_open(tokens, len(tokens) - 2)
        if opening is not None and opening > 0 and tokens[opening - 1].kind == "word":
            return Context(Where.ATTRIBUTE, prefix, namespace=tokens[opening - 1].text)
    return Context(Where.NOTHING, prefix)


def _innermost_open(tokens: list[_Token]) -> int | None:
    stack: list[int] = []
    for index, token in enumerate(tokens):
        if token.text in ("(", "["):
            stack.append(index)
        elif token.text in (")", "]") and stack:
            stack.pop()
    return stack[-1] if stack else None


def _matching_open(tokens: list[_Token], close_index: int) -> int | None:
    depth = 0
    for index in range(close_index, -1, -1):
        if tokens[index].text in (")", "]"):
            depth += 1
        elif tokens[index].text in ("(", "["):
            depth -= 1
            if depth == 0:
                return index
    return None


def _inside_brackets(tokens: list[_Token], open_index: int, prefix: str) -> Context:
    inner = tokens[open_index + 1 :]
    if tokens[open_index].text == "[":
        hint = (
            _dotted_before(tokens, open_index - 1) if tokens[open_index - 1].text == "in" else None
        )
        return _value_or_operator(_after_last(inner, (",",)), prefix, hint)
    callee = tokens[open_index - 1].text if open_index > 0 else ""
    if callee in ACTIONS or callee in STRUCTURES:
        return _in_action_call(callee, inner, prefix)
    function = FUNCTIONS.get(callee)
    if function is not None and function.params and function.params[0].kind is ParamKind.EVENT:
        return Context(Where.EVENT, prefix, callee=callee) if not inner else _nothing(prefix)
    segment = _after_last(inner, (",", ":"))
    return _value_or_operator(segment, prefix, _comparison_hint(segment))


def _in_action_call(callee: str, inner: list[_Token], prefix: str) -> Context:
    given = tuple(
        inner[i].text
        for i in range(len(inner) - 1)
        if inner[i].kind == "word"
        and inner[i + 1].text == ":"
        and (i == 0 or inner[i - 1].text == ",")
    )
    if not inner or inner[-1].text == ",":
        return Context(Where.ARGUMENT, prefix, callee=callee, given=given)
    if inner[-1].text == ":" and len(inner) >= 2 and inner[-2].kind == "word":
        return Context(Where.ARGUMENT_VALUE, prefix, callee=callee, argument=inner[-2].text)
    segment = _after_last(inner, (",", ":"))
    return _value_or_operator(segment, prefix, _comparison_hint(segment))


def _in_rule(tokens: list[_Token], prefix: str) -> Context:
    action_then = _action_then(tokens)
    if action_then is not None:
        return _in_actions(tokens[action_then + 1 :], prefix)
    when = _last_index(tokens, ("when",))
    if when is None:
        return _words(prefix, "when") if tokens[-1].text == ":" else _nothing(prefix)
    segment = tokens[when:]
    return _value_or_operator(segment, prefix, _comparison_hint(segment), rule_condition=True)


def _action_then(tokens: list[_Token]) -> int | None:
    """Index of the `then` that starts a rule's actions (not the `then` of an `if`)."""
    pending_ifs = 0
    depth = 0
    for index, token in enumerate(tokens):
        if token.text in ("(", "["):
            depth += 1
        elif token.text in (")", "]"):
            depth -= 1
        elif depth == 0 and token.text == "if":
            pending_ifs += 1
        elif depth == 0 and token.text == "then":
            if not pending_ifs:
                return index
            pending_ifs -= 1
    return None


def _in_actions(tokens: list[_Token], prefix: str) -> Context:
    if not tokens or tokens[-1].text == "and":
        return Context(Where.ACTION, prefix)
    last = tokens[-1]
    previous = tokens[-2].text if len(tokens) >= 2 else ""
    if last.text in ("open", "hedge"):
        return Context(Where.STRUCTURE, prefix, callee=last.text)
    if last.text in ("cooldown", "limit"):
        return _nothing(prefix)
    if last.text == "per":
        return _words(prefix, "position", "day", "run")
    if last.kind == "number" and previous == "limit":
        return _words(prefix, "per")
    return _words(prefix, "and", "cooldown", "limit")


def _in_guard(tokens: list[_Token], prefix: str) -> Context:
    when = _last_index(tokens, ("when",))
    if when is not None:
        segment = tokens[when:]
        return _value_or_operator(segment, prefix, _comparison_hint(segment))
    if tokens[-1].text in ("forbid", ","):
        return _words(prefix, *GUARD_KINDS)
    if tokens[-1].text == ":":
        return _words(prefix, "forbid")
    if _last_index(tokens, ("forbid",)) is not None:
        return _words(prefix, "when")
    return _nothing(prefix)


def _after_equals(tokens: list[_Token], prefix: str) -> Context:
    equals = next((i for i, t in enumerate(tokens) if t.text == "="), None)
    if equals is None:
        return _nothing(prefix)
    segment = tokens[equals:]
    return _value_or_operator(segment, prefix, _comparison_hint(segment))


def _in_scenario(tokens: list[_Token], prefix: str, new_line: bool) -> Context:
    last = tokens[-1]
    if last.text == ":" and len(tokens) <= 3:
        return _words(prefix, *STEP_KEYWORDS, "expect")
    continues = last.text in (",", "=", "/", "expect", "given", "market", "by") or (
        last.text in EXPECT_WORDS and last.text != "nothing"
    )
    if new_line and not continues:
        return _words(prefix, *STEP_KEYWORDS, "expect")
    step = _last_index(tokens, (*STEP_KEYWORDS, "expect"))
    if step is None:
        return _nothing(prefix)
    keyword = tokens[step].text
    rest = tokens[step + 1 :]
    if keyword == "expect":
        return _in_expect([t.text for t in rest], prefix)
    if keyword == "given":
        return _value_or_operator(rest, prefix, None, allow_operator=False)
    if keyword == "market" and (not rest or rest[-1].text == ","):
        return Context(Where.MARKET_FIELD, prefix)
    return _nothing(prefix)


def _in_expect(words: list[str], prefix: str) -> Context:
    if not words:
        return _words(prefix, *EXPECT_WORDS)
    if words == ["not"]:
        return _words(prefix, "fires")
    if words in (["fires"], ["not", "fires"], ["vetoed"], ["suppressed"]):
        return Context(Where.RULE, prefix)
    if words == ["action"]:
        return Context(Where.ACTION, prefix)
    if len(words) == 2 and words[0] in ("vetoed", "suppressed"):
        return _words(prefix, "by")
    if len(words) == 3 and words[2] == "by":
        return Context(Where.GUARD if words[0] == "vetoed" else Where.RULE, prefix)
    return _nothing(prefix)


def _value_or_operator(
    segment: list[_Token],
    prefix: str,
    hint: str | None,
    *,
    rule_condition: bool = False,
    allow_operator: bool = True,
) -> Context:
    """EXPRESSION where a value may start, operator words after a complete value."""
    if not segment:
        return Context(Where.EXPRESSION, prefix, hint=hint)
    last = segment[-1]
    if last.text in _VALUE_OPENERS or last.text in _OPERATORS:
        return Context(Where.EXPRESSION, prefix, hint=hint)
    complete = last.kind in ("word", "number", "string") or last.text in (")", "]")
    if not (allow_operator and complete):
        return _nothing(prefix)
    if rule_condition:
        return _words(prefix, "and", "or", "then", "between", "in")
    return _words(prefix, "and", "or", "between", "in", "then", "else")


def _comparison_hint(segment: list[_Token]) -> str | None:
    """The name before a trailing comparison operator or `between`, if any."""
    if segment and segment[-1].text in ("==", "!=", "<", "<=", ">", ">=", "between"):
        return _dotted_before(segment, len(segment) - 1)
    return None


def _dotted_before(tokens: list[_Token], index: int) -> str | None:
    """The dotted name (`short_put.delta`, `weekday`) that ends just before ``index``."""
    parts: list[str] = []
    position = index - 1
    while position >= 0 and tokens[position].kind == "word":
        parts.append(tokens[position].text)
        if position < 2 or tokens[position - 1].text != ".":
            break
        position -= 2
    return ".".join(reversed(parts)) or None


def _after_last(tokens: list[_Token], separators: tuple[str, ...]) -> list[_Token]:
    """The tokens after the last top-level separator (nested brackets skipped)."""
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        text = tokens[index].text
        if text in (")", "]"):
            depth += 1
        elif text in ("(", "["):
            depth -= 1
        elif depth == 0 and text in separators:
            return tokens[index + 1 :]
    return tokens


def _last_index(tokens: list[_Token], words: tuple[str, ...]) -> int | None:
    for index in range(len(tokens) - 1, -1, -1):
        if tokens[index].kind == "word" and tokens[index].text in words:
            return index
    return None


def _nothing(prefix: str) -> Context:
    return Context(Where.NOTHING, prefix)
