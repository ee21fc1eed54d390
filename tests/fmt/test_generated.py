"""Property tests on generated programs: the formatter is idempotent, keeps the AST (spans
aside) and keeps every comment in its order, whatever the layout, parentheses and comments of
the input.

The generator (`programs` in tests/programs.py) writes source text directly, parenthesising
every compound operand (so any grouping is valid), with random whitespace, line breaks and
comments between tokens.
"""

from __future__ import annotations

import itertools
import re

from hypothesis import HealthCheck, given, settings

from condorrules.fmt import format_source
from condorrules.syntax import ast, parse
from programs import programs


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
