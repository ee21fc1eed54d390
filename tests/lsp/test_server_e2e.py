"""End-to-end: start the real `condorrules lsp` over stdio and drive it as an editor does."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient

SERVER = [sys.executable, "-m", "condorrules", "lsp", "--debounce-ms", "20"]

GOOD = """\
ruleset demo version 1

param profit_take = 50%
param short_delta = 0.16

rule open_new:
    when portfolio.open_positions < 3 and vix between 12 and 40
    then open iron_condor(dte: 45d, short_delta: short_delta, wing: 50, qty: 1)

rule take_profit priority 100:
    when pnl_pct >= profit_take
    then close

scenario "half the credit closes":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 52%
    expect fires take_profit
"""


# One server for the module, as an editor keeps one: every test uses its own files.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_lsp.fixture(scope="module", config=ClientServerConfig(server_command=SERVER))
async def client(lsp_client: LanguageClient) -> AsyncIterator[None]:
    await lsp_client.initialize_session(
        lsp.InitializeParams(capabilities=pytest_lsp.client_capabilities("visual-studio-code"))
    )
    yield
    await lsp_client.shutdown_session()


async def diagnostics_after(
    client: LanguageClient, uri: str, send: Callable[[], None]
) -> list[lsp.Diagnostic]:
    """Send a notification, then wait (10 s at most) for the diagnostics of ``uri``."""
    client.diagnostics.pop(uri, None)
    send()

    async def arrived() -> None:
        while uri not in client.diagnostics:
            await client.wait_for_notification(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)

    await asyncio.wait_for(arrived(), timeout=10)
    return list(client.diagnostics[uri])


async def open_document(client: LanguageClient, path: Path, text: str) -> list[lsp.Diagnostic]:
    """Open ``text`` as the file ``path`` and return the diagnostics published for it."""
    item = lsp.TextDocumentItem(uri=path.as_uri(), language_id="condor", version=1, text=text)
    return await diagnostics_after(
        client,
        path.as_uri(),
        lambda: client.text_document_did_open(lsp.DidOpenTextDocumentParams(text_document=item)),
    )


async def change_document(
    client: LanguageClient, path: Path, text: str, version: int, *, watch: Path | None = None
) -> list[lsp.Diagnostic]:
    """Replace the whole text of ``path``; return the diagnostics then published for
    ``watch`` (by default ``path`` itself)."""
    params = lsp.DidChangeTextDocumentParams(
        text_document=lsp.VersionedTextDocumentIdentifier(uri=path.as_uri(), version=version),
        content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=text)],
    )
    return await diagnostics_after(
        client, (watch or path).as_uri(), lambda: client.text_document_did_change(params)
    )


def position_of(text: str, needle: str, offset: int = 0) -> lsp.Position:
    """The LSP position of the first ``needle`` in ``text`` (ASCII text), plus ``offset``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index)
    return lsp.Position(line=line, character=index - (text.rfind("\n", 0, index) + 1))


def identifier(path: Path) -> lsp.TextDocumentIdentifier:
    return lsp.TextDocumentIdentifier(uri=path.as_uri())


async def test_bad_file_gets_the_checkers_code_range_and_help(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "ruleset typo\n\nrule roll_put:\n    when short_putt.delta < -0.30\n    then close\n"
    diagnostics = await open_document(client, tmp_path / "typo.condor", text)
    [e200] = [d for d in diagnostics if d.code == "E200"]
    start = position_of(text, "short_putt")
    assert e200.range.start == start
    assert e200.range.end == lsp.Position(line=start.line, character=start.character + 10)
    assert e200.severity == lsp.DiagnosticSeverity.Error
    assert e200.source == "condorrules"
    assert "short_putt" in e200.message
    assert "\nhelp: " in e200.message and "short_put" in e200.message.split("help:")[1]
    assert e200.code_description is not None
    assert e200.code_description.href.endswith("docs/diagnostics.md#e200-unknown-name")


async def test_clean_file_has_no_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    assert await open_document(client, tmp_path / "good.condor", GOOD) == []


async def test_hover_on_a_field_shows_type_unit_and_range(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = GOOD.replace("pnl_pct >= profit_take", "short_put.delta <= -0.30")
    path = tmp_path / "hover.condor"
    await open_document(client, path, text)
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=identifier(path), position=position_of(text, "short_put.delta", 12)
        )
    )
    assert result is not None
    assert isinstance(result.contents, lsp.MarkupContent)
    value = result.contents.value
    assert "short_put.delta: number" in value
    assert "[-1, 0]" in value  # a put's delta is never positive
    assert "position" in value


async def test_completion_after_portfolio_dot_lists_portfolio_fields(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = "rule r:\n    when portfolio."
    path = tmp_path / "complete.condor"
    await open_document(client, path, text)
    result = await client.text_document_completion_async(
        lsp.CompletionParams(
            text_document=identifier(path), position=lsp.Position(line=1, character=19)
        )
    )
    items = result.items if isinstance(result, lsp.CompletionList) else result or []
    labels = {item.label for item in items}
    assert {"open_positions", "bp_used", "hedged", "drawdown"} <= labels
    assert "dte" not in labels  # a position field is not a field of portfolio


async def test_definition_of_a_param_use_jumps_to_the_param(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "definition.condor"
    await open_document(client, path, GOOD)
    use = position_of(GOOD, "short_delta: short_delta", 13)
    result = await client.text_document_definition_async(
        lsp.DefinitionParams(text_document=identifier(path), position=use)
    )
    assert isinstance(result, lsp.Location)
    assert result.uri == path.as_uri()
    start = position_of(GOOD, "short_delta = 0.16")
    assert result.range.start == start
    assert result.range.end.character == start.character + len("short_delta")


async def test_rename_a_param_edits_definition_and_every_use(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "rename.condor"
    await open_document(client, path, GOOD)
    result = await client.text_document_rename_async(
        lsp.RenameParams(
            text_document=identifier(path),
            position=position_of(GOOD, "profit_take = 50%"),
            new_name="take_at",
        )
    )
    assert result is not None and result.changes is not None
    edits = result.changes[path.as_uri()]
    assert {e.new_text for e in edits} == {"take_at"}
    assert sorted(e.range.start.line for e in edits) == [2, 10]  # definition and the one use


async def test_formatting_returns_the_formatters_text(
    client: LanguageClient, tmp_path: Path
) -> None:
    from condorrules.fmt import format_source

    messy = "ruleset   demo\nparam   x=1\nrule r:\n  when vix>x\n  then close\n"
    path = tmp_path / "format.condor"
    await open_document(client, path, messy)
    edits = await client.text_document_formatting_async(
        lsp.DocumentFormattingParams(
            text_document=identifier(path),
            options=lsp.FormattingOptions(tab_size=4, insert_spaces=True),
        )
    )
    assert edits is not None and len(edits) == 1
    assert edits[0].new_text == format_source(messy, str(path))
    assert edits[0].new_text != messy


async def test_syntax_error_keeps_the_server_alive_and_the_rest_checked(
    client: LanguageClient, tmp_path: Path
) -> None:
    broken = GOOD.replace("    then close\n", "    close\n") + (
        "\nrule late:\n    when short_putt.delta < -0.30\n    then close\n"
    )
    path = tmp_path / "broken.condor"
    diagnostics = await open_document(client, path, broken)
    codes = {d.code for d in diagnostics}
    assert "E100" in codes  # the broken rule
    assert "E200" in codes  # a later rule is still checked after the syntax error
    # Hover still works on an item the parser recovered.
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=identifier(path), position=position_of(broken, "open_positions")
        )
    )
    assert result is not None
    # A valid edit gets fresh diagnostics.
    assert await change_document(client, path, GOOD, version=2) == []


async def test_quick_fix_for_a_percent_pitfall(client: LanguageClient, tmp_path: Path) -> None:
    text = "ruleset pitfall\n\nrule take_profit:\n    when pnl_pct >= 50\n    then close\n"
    path = tmp_path / "pitfall.condor"
    diagnostics = await open_document(client, path, text)
    [w502] = [d for d in diagnostics if d.code == "W502"]
    actions = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=identifier(path),
            range=w502.range,
            context=lsp.CodeActionContext(diagnostics=[w502]),
        )
    )
    assert actions is not None
    [action] = actions
    assert isinstance(action, lsp.CodeAction)
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert action.edit is not None and action.edit.changes is not None
    [edit] = action.edit.changes[path.as_uri()]
    assert edit.new_text == "50%"
    assert edit.range.start == position_of(text, "50")


async def test_references_and_outline(client: LanguageClient, tmp_path: Path) -> None:
    path = tmp_path / "outline.condor"
    await open_document(client, path, GOOD)
    found = await client.text_document_references_async(
        lsp.ReferenceParams(
            text_document=identifier(path),
            position=position_of(GOOD, "take_profit priority"),
            context=lsp.ReferenceContext(include_declaration=True),
        )
    )
    assert found is not None
    assert [location.range.start.line for location in found] == [9, 18]  # rule, expect fires
    symbols = await client.text_document_document_symbol_async(
        lsp.DocumentSymbolParams(text_document=identifier(path))
    )
    assert symbols is not None
    names = [symbol.name for symbol in symbols]
    assert names == [
        "demo",
        "profit_take",
        "short_delta",
        "open_new",
        "take_profit",
        "half the credit closes",
    ]


async def test_completion_on_half_written_rules(client: LanguageClient, tmp_path: Path) -> None:
    text = GOOD + "\nrule defend:\n    when short_put.delta < -0.3\n    then roll(side: "
    path = tmp_path / "half.condor"
    await open_document(client, path, text)
    end = lsp.Position(line=text.count("\n"), character=len(text.rsplit("\n", 1)[1]))
    result = await client.text_document_completion_async(
        lsp.CompletionParams(text_document=identifier(path), position=end)
    )
    items = result.items if isinstance(result, lsp.CompletionList) else result or []
    assert {"both", "put", "call", "tested", "untested"} <= {item.label for item in items}


async def test_hover_on_a_rule_shows_priority_scope_and_actions(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = tmp_path / "rule.condor"
    await open_document(client, path, GOOD)
    result = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=identifier(path), position=position_of(GOOD, "take_profit priority")
        )
    )
    assert result is not None and isinstance(result.contents, lsp.MarkupContent)
    value = result.contents.value
    assert "priority: 100" in value
    assert "scope: position" in value
    assert "`close`" in value


async def test_ranges_count_utf16_units_after_non_ascii_text(
    client: LanguageClient, tmp_path: Path
) -> None:
    text = 'ruleset u\n\nrule r:\n    when "é😀" != "x" and short_putt.delta < 0\n    then close\n'
    diagnostics = await open_document(client, tmp_path / "utf16.condor", text)
    [e200] = [d for d in diagnostics if d.code == "E200"]
    line = text.split("\n")[3]
    before = line[: line.index("short_putt")]
    assert e200.range.start == lsp.Position(line=3, character=len(before.encode("utf-16-le")) // 2)
    assert e200.range.start.character == len(before) + 1  # the emoji is two UTF-16 units


async def test_editing_an_imported_file_rechecks_the_importing_one(
    client: LanguageClient, tmp_path: Path
) -> None:
    common = tmp_path / "common.condor"
    common.write_text("param max_vix = 30\n", encoding="utf-8")
    main = tmp_path / "main.condor"
    main_text = 'import "common.condor"\n\nrule r:\n    when vix > max_vix\n    then close\n'
    assert await open_document(client, main, main_text) == []
    await open_document(client, common, "param max_vix = 30\n")
    # Rename the param in the (unsaved) imported buffer: the importing file loses it.
    found = await change_document(client, common, "param top = 30\n", 2, watch=main)
    assert [d.code for d in found] == ["E200"]
