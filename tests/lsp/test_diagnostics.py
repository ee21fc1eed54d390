"""Diagnostics as LSP diagnostics: links into docs/diagnostics.md, help, fixes."""

from __future__ import annotations

import re
from pathlib import Path

from condorrules.diagnostics import Diagnostic, Fix, Label, Span
from condorrules.diagnostics.codes import CODES
from condorrules.lsp.diagnostics import code_href, fix_from_data, to_lsp
from condorrules.lsp.positions import LineIndex

DOCS = Path(__file__).parents[2] / "docs" / "diagnostics.md"


def github_anchors(markdown: str) -> set[str]:
    """Anchors GitHub gives the headings of a Markdown file (its documented slug rule)."""
    anchors = set()
    for heading in re.findall(r"^#+ (.+)$", markdown, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug)
    return anchors


def test_every_code_links_to_an_existing_section() -> None:
    anchors = github_anchors(DOCS.read_text(encoding="utf-8"))
    for code in CODES:
        href = code_href(code, "https://example.org/diagnostics.md")
        assert href.split("#", 1)[1] in anchors, code


def test_docs_url_is_configurable() -> None:
    assert code_href("E301", "http://localhost/d.md") == "http://localhost/d.md#e301-unit-mismatch"


def test_help_follows_the_message_and_labels_become_related_information() -> None:
    text = "rule r:\n    when pnl_pct >= 50\n    then close\n"
    span = Span("f.condor", 2, 10, 2, 23)
    label = Label(Span("f.condor", 1, 6, 1, 7), "this rule")
    fix = Fix("write `50%`", Span("f.condor", 2, 21, 2, 23), "50%")
    diagnostic = Diagnostic("W502", "ratio vs 50", span, "did you mean 50%?", (label,), fix)
    result = to_lsp(diagnostic, LineIndex(text), "file:///f.condor")
    assert result.message == "ratio vs 50\nhelp: did you mean 50%?"
    assert result.related_information is not None
    assert result.related_information[0].message == "this rule"
    title, edit = fix_from_data(result.data) or ("", None)
    assert title == "write `50%`"
    assert edit is not None and edit.new_text == "50%"
    assert (edit.range.start.line, edit.range.start.character) == (1, 20)


def test_anything_else_in_data_is_not_a_fix() -> None:
    assert fix_from_data(None) is None
    assert fix_from_data({"fix": {"title": "x"}}) is None
