"""Features on an analysed document, without the protocol: imports, hover, rename, safety."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types as lsp

from condorrules.lsp import hover, navigation
from condorrules.lsp.actions import format_document
from condorrules.lsp.analysis import analyze
from condorrules.lsp.completion import complete
from condorrules.lsp.context import completion_context
from condorrules.lsp.server import _safe

MAIN = """\
ruleset main
import "common.condor"

param take = 50%
input breadth "advance-decline line"
let calm = vix < max_vix and breadth > 0

rule open_pool:
    when calm
    then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)

rule harvest priority 100:
    when pnl_pct >= take
    then close
"""
COMMON = 'param max_vix = 30 "highest VIX for new positions"\n'


def at(text: str, needle: str, offset: int = 0) -> lsp.Position:
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return lsp.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


def hover_text(text: str, path: Path, needle: str, offset: int = 0) -> str:
    result = hover.hover(analyze(text, path.as_uri()), at(text, needle, offset))
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    return result.contents.value


@pytest.fixture
def main_file(tmp_path: Path) -> Path:
    (tmp_path / "common.condor").write_text(COMMON, encoding="utf-8")
    path = tmp_path / "main.condor"
    path.write_text(MAIN, encoding="utf-8")
    return path


def test_definition_of_an_imported_param_is_in_the_imported_file(main_file: Path) -> None:
    analysis = analyze(MAIN, main_file.as_uri())
    location = navigation.definition(analysis, at(MAIN, "max_vix"))
    assert location is not None
    assert location.uri == (main_file.parent / "common.condor").as_uri()
    assert location.range.start == lsp.Position(line=0, character=6)


def test_hover_on_an_imported_param_shows_its_value_and_description(main_file: Path) -> None:
    value = hover_text(MAIN, main_file, "max_vix")
    assert "param max_vix = 30" in value
    assert "highest VIX for new positions" in value
    assert "imported" in value


def test_renaming_an_imported_param_is_refused(main_file: Path) -> None:
    analysis = analyze(MAIN, main_file.as_uri())
    assert navigation.prepare_rename(analysis, at(MAIN, "max_vix")) is None
    with pytest.raises(navigation.RenameRefused):
        navigation.rename(analysis, at(MAIN, "max_vix"), "ceiling")


def test_rename_to_a_field_or_taken_name_is_refused(main_file: Path) -> None:
    analysis = analyze(MAIN, main_file.as_uri())
    for bad in ("vix", "calm", "2x", "when", "FOMC"):
        with pytest.raises(navigation.RenameRefused):
            navigation.rename(analysis, at(MAIN, "take ="), bad)


def test_syntax_error_in_an_imported_file_shows_on_the_import(main_file: Path) -> None:
    (main_file.parent / "common.condor").write_text("param max_vix = \n", encoding="utf-8")
    analysis = analyze(MAIN, main_file.as_uri())
    on_import = [d for d in analysis.diagnostics if d.span.line == 2]
    assert on_import and on_import[0].code.startswith("E1")
    assert "common.condor" in on_import[0].message


def test_hover_on_a_let_input_and_function(main_file: Path) -> None:
    assert "let calm = vix < max_vix and breadth > 0" in hover_text(MAIN, main_file, "calm\n")
    assert "advance-decline line" in hover_text(MAIN, main_file, "breadth >")
    function = hover_text("let r = rsi(spot, 14) < 30\n", main_file, "rsi")
    assert "rsi(x, n = 14) -> number" in function
    assert "warm-up: n+1 bars" in function


def test_hover_on_an_action_argument(main_file: Path) -> None:
    value = hover_text(MAIN, main_file, "short_delta:")
    assert "short_delta: number" in value
    assert "(0, 1)" in value


def test_a_failing_handler_is_logged_and_answered_empty() -> None:
    logged: list[str] = []

    class Server:
        def log_exception(self, what: str) -> None:
            logged.append(what)

    def broken(params: Any) -> list[str]:
        raise RuntimeError("bug")

    handler = _safe(Server(), "completing", list)(broken)  # type: ignore[arg-type]
    assert handler(None) == []
    assert logged == ["completing"]


JUNK = ("(", ")", '"', ".", ":", "é😀", "\n", "[", "#", "rule ", "then ", "1_", "%", "$", "")


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_no_feature_raises_on_broken_text(data: st.DataObject) -> None:
    text = MAIN + COMMON
    cut = data.draw(st.integers(0, len(text)))
    drop = data.draw(st.integers(0, 5))
    broken = text[:cut] + data.draw(st.sampled_from(JUNK)) + text[cut + drop :]
    analysis = analyze(broken, "file:///nonexistent/broken.condor")
    lines = broken.split("\n")
    line = data.draw(st.integers(0, len(lines) - 1))
    position = lsp.Position(line=line, character=data.draw(st.integers(0, len(lines[line]))))
    hover.hover(analysis, position)
    navigation.definition(analysis, position)
    navigation.references(analysis, position, True)
    navigation.document_symbols(analysis)
    before = broken[: analysis.index.offset(position)]
    complete(completion_context(before), analysis.symbols)
    format_document(analysis)
    assert all(d.span.file == analysis.file for d in analysis.diagnostics)
