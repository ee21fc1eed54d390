"""The generated docs tables: deterministic, complete, and equal to docs/language.md's region."""

from __future__ import annotations

from pathlib import Path

import pytest

from condorrules import catalogue
from condorrules.catalogue.__main__ import main
from condorrules.catalogue.markdown import BEGIN, END, docs_region, render_markdown, rewrite_region

LANGUAGE_DOC = Path(__file__).parents[2] / "docs" / "language.md"


def test_tables_mention_every_field_function_and_action() -> None:
    text = render_markdown()
    for name in (*catalogue.FIELDS, *catalogue.FUNCTIONS):
        assert f"`{name}" in text, name
    for action in catalogue.ACTIONS:
        assert f"`{action}" in text


def test_rewrite_replaces_only_the_region(tmp_path: Path) -> None:
    doc = tmp_path / "language.md"
    doc.write_text(f"# Title\n\n{BEGIN}\nstale\n{END}\n\nafter\n", encoding="utf-8")
    assert rewrite_region(doc)
    text = doc.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\n") and text.endswith(f"{END}\n\nafter\n")
    assert docs_region(text) == render_markdown()


def test_rewrite_refuses_a_file_without_markers(tmp_path: Path) -> None:
    doc = tmp_path / "other.md"
    doc.write_text("no markers\n", encoding="utf-8")
    assert not rewrite_region(doc)
    assert main(["--write", str(doc)]) == 1


def test_language_doc_region_is_the_generated_text() -> None:
    if not LANGUAGE_DOC.exists() or BEGIN not in LANGUAGE_DOC.read_text(encoding="utf-8"):
        pytest.skip("docs/language.md (written by the syntax helper) has no catalogue region yet")
    region = docs_region(LANGUAGE_DOC.read_text(encoding="utf-8"))
    assert region == render_markdown(), (
        "docs/language.md is stale: run `python -m condorrules.catalogue --write docs/language.md`"
    )
