"""Every shipped and shared example parses; the bad examples fail only where they should."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from condorrules.syntax import ast, parse, parse_file

REPO = Path(__file__).resolve().parents[2]
SHARED_EXAMPLES = Path("/work/shared/spec/examples")


def example_files() -> list[Path]:
    """Every good example: the shipped rulesets and the shared spec examples (if present)."""
    files = sorted((REPO / "rulesets").glob("*.condor"))
    if SHARED_EXAMPLES.is_dir():
        files += sorted(SHARED_EXAMPLES.glob("*.condor"))
    return files


def bad_example_files() -> list[Path]:
    return sorted((SHARED_EXAMPLES / "bad").glob("*.condor")) if SHARED_EXAMPLES.is_dir() else []


@pytest.mark.parametrize("path", example_files(), ids=lambda path: path.name)
def test_example_parses_without_diagnostics(path: Path) -> None:
    result = parse_file(path)
    assert result.diagnostics == ()
    assert result.module.header is not None
    assert result.module.header.name.name == path.stem
    assert result.module.items


@pytest.mark.parametrize("path", bad_example_files(), ids=lambda path: path.name)
def test_bad_example_parses_unless_it_expects_a_syntax_error(path: Path) -> None:
    text = path.read_text()
    expected = re.findall(r"# expect: (E\d+) at (\d+):(\d+)", text)
    result = parse(text, str(path))
    syntax_expected = [
        (code, int(line), int(col))
        for code, line, col in expected
        if code in {"E100", "E101", "E102"}
    ]
    found = [(d.code, d.span) for d in result.diagnostics]
    if not syntax_expected:
        assert found == []
    for code, line, column in syntax_expected:
        assert any(c == code and span.covers(line, column) for c, span in found), found


def test_bad_syntax_example_is_e100_at_the_stuck_token(shared_examples: Path) -> None:
    result = parse_file(shared_examples / "bad" / "syntax.condor")
    assert [d.code for d in result.diagnostics] == ["E100"]
    diagnostic = result.diagnostics[0]
    assert (diagnostic.span.line, diagnostic.span.column) == (6, 5)
    assert (diagnostic.span.end_line, diagnostic.span.end_column) == (6, 10)
    assert diagnostic.message == "expected `then` before the action, found `close`"
    assert diagnostic.help is not None


def test_vixshield_items_in_order(shared_examples: Path) -> None:
    module = parse_file(shared_examples / "vixshield_alvh.condor").module
    kinds = [type(item).__name__ for item in module.items]
    assert kinds == (
        ["Param"] * 6 + ["Input"] + ["Let"] * 4 + ["Rule"] * 7 + ["Guard"] * 2 + ["Scenario"] * 3
    )
    assert module.header is not None
    assert module.header.version is not None and module.header.version.value == 1
    assert module.header.description is not None
    assert module.header.description.value == "Adaptive layered VIX hedge around a 45 DTE condor"


def test_vixshield_regime_vote_is_a_quorum_of_three(shared_examples: Path) -> None:
    module = parse_file(shared_examples / "vixshield_alvh.condor").module
    regime = next(
        i for i in module.items if isinstance(i, ast.Let) and i.name.name == "regime_turn"
    )
    assert isinstance(regime.value, ast.AtLeast)
    assert regime.value.count == ast.Number(2.0, "2", regime.value.count.span)
    assert len(regime.value.conditions) == 3
    third = regime.value.conditions[2]
    assert isinstance(third, ast.Call) and third.function.name == "crosses_above"
    line = third.args[0]
    assert isinstance(line, ast.Attribute) and line.name.name == "line"
    assert isinstance(line.value, ast.Call) and line.value.function.name == "macd"


def test_tasty_scenario_steps(shared_examples: Path) -> None:
    module = parse_file(shared_examples / "tasty_45dte.condor").module
    scenario = next(i for i in module.items if isinstance(i, ast.Scenario))
    assert scenario.title.value == "half the credit kept closes the trade"
    at, market, condor, given, fires, action = scenario.steps
    assert isinstance(at, ast.At) and at.date.value.isoformat() == "2016-03-01"
    assert isinstance(market, ast.MarketSet)
    assert [(a.path[0].name, a.value) for a in market.assignments] == [
        ("spot", ast.Number(1980.0, "1980", market.assignments[0].value.span)),
        ("vix", ast.Number(18.0, "18", market.assignments[1].value.span)),
    ]
    assert isinstance(condor, ast.Structure) and condor.kind == "condor"
    assert [s.value for s in condor.strikes] == [1800, 1850, 2100, 2150]
    assert condor.credit.value == 6.0 and condor.qty is None
    assert condor.opened is not None and condor.opened.value.isoformat() == "2016-02-26"
    assert isinstance(given, ast.Given) and isinstance(given.value, ast.Percent)
    assert given.value.value == pytest.approx(0.52)
    assert isinstance(fires, ast.Expect) and fires.kind == "fires"
    assert fires.rule is not None and fires.rule.name == "take_profit"
    assert isinstance(action, ast.Expect) and action.kind == "action"
    assert action.action is not None and action.action.kind.name == "close"


def test_expect_forms() -> None:
    text = """scenario "s":
    expect not fires a
    expect vetoed a by g
    expect suppressed b by a
    expect nothing
    expect action open iron_condor(dte: 45d)
"""
    result = parse(text)
    assert result.diagnostics == ()
    (scenario,) = result.module.items
    assert isinstance(scenario, ast.Scenario)
    kinds = [
        (s.kind, s.rule and s.rule.name, s.by and s.by.name)
        for s in scenario.steps
        if isinstance(s, ast.Expect)
    ]
    assert kinds == [
        ("not_fires", "a", None),
        ("vetoed", "a", "g"),
        ("suppressed", "b", "a"),
        ("nothing", None, None),
        ("action", None, None),
    ]
    last = scenario.steps[-1]
    assert isinstance(last, ast.Expect) and last.action is not None
    assert last.action.structure is not None and last.action.structure.name == "iron_condor"
