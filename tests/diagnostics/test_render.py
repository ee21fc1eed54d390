"""Snapshot tests of every renderer on hand-built diagnostics.

Expected outputs live in ``snapshots/``; run with ``CONDORRULES_UPDATE_SNAPSHOTS=1`` to rewrite
them after an intended change (and review the diff).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from condorrules.diagnostics import Diagnostic, Fix, Label, Span
from condorrules.diagnostics.codes import CODES
from condorrules.diagnostics.render import (
    render,
    render_github,
    render_json,
    render_sarif,
    render_text,
    summary,
)

SNAPSHOTS = Path(__file__).parent / "snapshots"

SOURCE = """\
ruleset demo

rule roll_put priority 100:
    when short_putt.delta < -0.30
    then roll(side: put, dte: same, short_delta: 0.16)

rule take_profit:
    when pnl_pct >= 50
    then close
"""
OTHER = 'param unused = 3  # a comment, with "quotes" and 100%\n'

SOURCES = {"demo.condor": SOURCE, "lib/other.condor": OTHER}


def _span(
    line: int, column: int, end_line: int, end_column: int, file: str = "demo.condor"
) -> Span:
    return Span(file, line, column, end_line, end_column)


DIAGNOSTICS = (
    Diagnostic(
        "E200",
        "unknown field `short_putt`",
        _span(4, 10, 4, 20),
        help="did you mean `short_put`?",
        fix=Fix("replace with `short_put`", _span(4, 10, 4, 20), "short_put"),
    ),
    Diagnostic(
        "W502",
        "`pnl_pct` is a ratio compared with the bare number 50",
        _span(8, 10, 8, 23),
        help="pnl_pct is a ratio: 50% is 0.5; did you mean 50%?",
        fix=Fix("write `50%`", _span(8, 21, 8, 23), "50%"),
    ),
    Diagnostic(
        "W503",
        "rule `take_profit` can never act",
        _span(7, 6, 7, 17),
        labels=(Label(_span(3, 6, 3, 14), "this rule acts first"),),
    ),
    Diagnostic(
        "W505",
        "param `unused` is never used",
        _span(1, 7, 1, 13, "lib/other.condor"),
        help="remove it, or silence with `# condorrules: ignore[W505]`",
        labels=(Label(_span(1, 1, 1, 13), "a multi\nline, note: 100%"),),
    ),
)


def _check_snapshot(name: str, actual: str) -> None:
    path = SNAPSHOTS / name
    if os.environ.get("CONDORRULES_UPDATE_SNAPSHOTS"):
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"missing snapshot {name}: run with CONDORRULES_UPDATE_SNAPSHOTS=1"
    assert actual == path.read_text(encoding="utf-8")


def test_text_snapshot() -> None:
    _check_snapshot("text.snap", render_text(DIAGNOSTICS, SOURCES, files_checked=2))


def test_text_colour_snapshot() -> None:
    _check_snapshot(
        "text_color.snap", render_text(DIAGNOSTICS, SOURCES, files_checked=2, color=True)
    )


def test_json_snapshot() -> None:
    _check_snapshot("json.snap", render_json(DIAGNOSTICS))


def test_sarif_snapshot() -> None:
    _check_snapshot("sarif.snap", render_sarif(DIAGNOSTICS, root="/srv/repo"))


def test_github_snapshot() -> None:
    _check_snapshot("github.snap", render_github(DIAGNOSTICS))


def test_text_without_colour_has_no_escape_codes() -> None:
    assert "\x1b[" not in render_text(DIAGNOSTICS, SOURCES, files_checked=2)


def test_text_shows_caret_under_the_span() -> None:
    lines = render_text(DIAGNOSTICS[:1], SOURCES, files_checked=1).splitlines()
    source_row = next(i for i, line in enumerate(lines) if "short_putt.delta" in line)
    source_line, caret_line = lines[source_row], lines[source_row + 1]
    start = source_line.index("short_putt")
    assert caret_line.index("^") == start
    assert caret_line.count("^") == len("short_putt")


def test_json_records_have_exactly_the_documented_keys() -> None:
    records = json.loads(render_json(DIAGNOSTICS))
    keys = ["code", "severity", "message", "help", "file", "line", "column", "end_line"]
    keys.append("end_column")
    assert [list(r) for r in records] == [keys] * len(DIAGNOSTICS)
    assert records[0]["severity"] == "error" and records[1]["severity"] == "warning"
    assert records[2]["help"] is None
    assert (records[0]["line"], records[0]["column"], records[0]["end_column"]) == (4, 10, 20)


def test_sarif_lists_every_code_as_a_rule() -> None:
    log = json.loads(render_sarif(DIAGNOSTICS))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert set(CODES) <= set(rule_ids)
    for result in run["results"]:
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["level"] in ("error", "warning")


def test_github_escapes_separators_in_properties() -> None:
    line = render_github(DIAGNOSTICS[3:]).splitlines()[0]
    assert line.startswith("::warning file=lib/other.condor,line=1,col=7,endLine=1,endColumn=13")
    assert "%0Ahelp" in line


@pytest.mark.parametrize(
    ("errors", "warnings", "files", "expected"),
    [
        (0, 0, 3, "No problems found in 3 files."),
        (2, 1, 3, "Found 2 errors and 1 warning in 3 files."),
        (1, 0, 1, "Found 1 error in 1 file."),
        (0, 2, 1, "Found 2 warnings in 1 file."),
    ],
)
def test_summary_counts(errors: int, warnings: int, files: int, expected: str) -> None:
    diagnostics = [DIAGNOSTICS[0]] * errors + [DIAGNOSTICS[1]] * warnings
    assert summary(diagnostics, files) == expected


def test_render_dispatches_by_format() -> None:
    assert render("json", DIAGNOSTICS, SOURCES, files_checked=2) == render_json(DIAGNOSTICS)
    assert render("github", DIAGNOSTICS, SOURCES, files_checked=2) == render_github(DIAGNOSTICS)


def _sarif_location(file: str, root: str) -> dict[str, object]:
    diagnostic = Diagnostic("E200", "x", Span(file, 1, 1, 1, 2))
    log = json.loads(render_sarif([diagnostic], root=root))
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert isinstance(location, dict)
    return location["artifactLocation"]  # type: ignore[no-any-return]


def test_sarif_uri_is_relative_and_percent_encoded_under_the_root() -> None:
    artifact = _sarif_location("/srv/repo/with space/a b.condor", "/srv/repo")
    assert artifact == {"uri": "with%20space/a%20b.condor", "uriBaseId": "%SRCROOT%"}
    assert _sarif_location("rules/ü.condor", "/srv/repo")["uri"] == "rules/%C3%BC.condor"


def test_sarif_uri_outside_the_root_is_a_file_uri() -> None:
    artifact = _sarif_location("/elsewhere/my rules.condor", "/srv/repo")
    assert artifact == {"uri": "file:///elsewhere/my%20rules.condor"}


def test_sarif_labels_are_related_locations_and_the_root_is_declared() -> None:
    log = json.loads(render_sarif(DIAGNOSTICS, root="/srv/repo"))
    run = log["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/repo/"}}
    [related] = run["results"][2]["relatedLocations"]
    assert related["message"]["text"] == "this rule acts first"
    assert related["physicalLocation"]["region"]["startLine"] == 3


def test_caret_is_aligned_after_wide_characters() -> None:
    source = 'rule r:\n    when vix > 20 and alert_text == "市場🚀" and vixx > 1\n'
    line = source.splitlines()[1]
    column = line.index("vixx") + 1
    diagnostic = Diagnostic(
        "E200", "unknown name `vixx`", Span("w.condor", 2, column, 2, column + 4)
    )
    lines = render_text([diagnostic], {"w.condor": source}, files_checked=1).splitlines()
    caret = next(row for row in lines if "^" in row)
    shown = next(row for row in lines if "vixx" in row and "|" in row)
    # Each of 市, 場 and 🚀 takes two terminal columns: the caret sits one extra column right
    # per wide character, i.e. under `vixx` as the terminal draws it.
    prefix = shown[: shown.index("vixx")]
    expected = len(prefix) + sum(1 for c in prefix if c in "市場🚀")
    assert caret.index("^") == expected and caret.count("^") == 4


def test_multi_line_span_shows_its_first_and_last_lines() -> None:
    source = "rule r:\n    when vix > 20\n     and dte < 5d\n     and vixx > 1\n    then close\n"
    diagnostic = Diagnostic("W500", "never true", Span("m.condor", 2, 10, 4, 18))
    text = render_text([diagnostic], {"m.condor": source}, files_checked=1)
    lines = text.splitlines()
    assert any(line.startswith("2 |     when vix > 20") for line in lines)
    assert any(line.startswith("4 |      and vixx > 1") for line in lines)
    assert "..." in lines  # line 3 is elided between them
    carets = [line for line in lines if "^" in line]
    assert len(carets) == 2
    assert carets[0].index("^") == lines[lines.index(carets[0]) - 1].index("vix")
    assert carets[1].index("^") == lines[lines.index(carets[1]) - 1].index("and")
