"""Random token soup: the parser never raises, spans are sane, and whatever parses formats."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.fmt import format_source
from condorrules.syntax import ast, parse

VOCABULARY = [
    "rule", "r", ":", "when", "then", "close", "open", "iron_condor", "(", ")", "[", "]", ",",
    "and", "or", "not", "vix", ">", "<=", "==", "20", "0.30", "50%", "21d", "1_", "45x",
    "2018-02-30", "2018-02-05", "$5", '"s"', '"open', "param", "=", "let", "guard", "forbid",
    "scenario", "at", "least", "of", "between", "in", "if", "else", "-", "+", "*", "/", ".",
    "priority", "limit", "per", "cooldown", "import", "ruleset", "#c", "\n", "  ", "@",
    "expect", "fires", "market", "given", "condor", "expiring", "credit", "true",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(VOCABULARY), max_size=40))
def test_parse_never_raises_and_good_parses_format(tokens: list[str]) -> None:
    text = " ".join(tokens)
    result = parse(text, "f.condor")
    last_line = text.count("\n") + 1
    for diagnostic in result.diagnostics:
        assert diagnostic.code in {"E100", "E101", "E102"}
        span = diagnostic.span
        assert 1 <= span.line <= span.end_line <= last_line
        assert span.column >= 1
    if not result.diagnostics:
        once = format_source(text)
        assert format_source(once) == once
        assert ast.equal_ignoring_spans(result.module, parse(once).module, comments=False)
