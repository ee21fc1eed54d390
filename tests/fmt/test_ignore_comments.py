"""Formatting never changes what `check --strict` reports, ignore comments included."""

from __future__ import annotations

from condorrules.check import check_source
from condorrules.fmt import format_source

# QA good/g33_ignore_long_line.condor: clean under --strict thanks to its ignore comment.
LONG_IGNORED_LINE = """\
ruleset g33_ignore_long_line

rule legacy_points:
    when portfolio.bp_used < 80 and vix > 20 and rsi(spot, 14) > 50 and spot > sma(spot, 200) \
and dte > 5d  # condorrules: ignore[W502]
    then alert("legacy rule written in points")
"""


def findings(text: str) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in check_source(text, "g33.condor").diagnostics]


def test_the_long_line_is_clean_before_formatting() -> None:
    assert findings(LONG_IGNORED_LINE) == []


def test_formatting_the_long_line_keeps_it_clean() -> None:
    formatted = format_source(LONG_IGNORED_LINE)
    assert formatted.count("\n") > LONG_IGNORED_LINE.count("\n")  # the chain was broken
    assert findings(formatted) == findings(LONG_IGNORED_LINE)
