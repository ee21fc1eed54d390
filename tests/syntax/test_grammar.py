"""The grammar itself: LALR without conflicts, shipped where the parser finds it, and lark
kept inside the parser."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from lark import Lark, logger

from condorrules.resources import grammar_path
from condorrules.syntax import Parser, ast, parse
from condorrules.syntax.parser import grammar_text

SRC = Path(__file__).resolve().parents[2] / "src" / "condorrules"


def test_grammar_has_no_lalr_conflicts(caplog: pytest.LogCaptureFixture) -> None:
    # lark resolves shift/reduce conflicts silently as shifts; with debug=True it logs them.
    caplog.set_level(logging.DEBUG, logger=logger.name)
    Lark(grammar_text(), parser="lalr", debug=True)
    conflicts = [r.getMessage() for r in caplog.records if "conflict" in r.getMessage().lower()]
    assert conflicts == []


def test_grammar_path_points_at_the_grammar() -> None:
    assert grammar_path().is_file()
    assert "ruleset" in grammar_path().read_text(encoding="utf-8")


def test_no_module_after_the_parser_imports_lark() -> None:
    after_parser = [
        *(SRC / "fmt").glob("*.py"),
        SRC / "syntax" / "ast.py",
        SRC / "syntax" / "imports.py",
        SRC / "syntax" / "literals.py",
    ]
    for path in after_parser:
        assert "lark" not in path.read_text(encoding="utf-8").replace("larks", ""), path


def test_parsers_are_independent_and_deterministic() -> None:
    text = "rule r:\n    when vix > 20\n    then close\n"
    first, second = Parser(), Parser()
    assert first.parse(text, "a") == second.parse(text, "a") == parse(text, "a")
    assert parse("rule r:\n    when >\n", "a") == parse("rule r:\n    when >\n", "a")


def test_spread_structures_parse_after_open_and_as_scenario_steps() -> None:
    text = (
        "rule a:\n    when vix > 15\n"
        "    then open put_spread(dte: 30d, put_delta: 0.2, put_wing: 25)\n"
        "rule b:\n    when vix > 15\n"
        "    then open call_spread(dte: 30d, call_delta: 0.2, call_wing: 25)\n"
        'scenario "s":\n    at 2018-01-02\n    expect action close\n'
        "    condor 1/2/3/4 expiring 2018-02-16 credit 1\n    expect fires a\n"
    )
    result = parse(text)
    assert result.diagnostics == ()
    rule_a, rule_b, scenario = result.module.items
    assert rule_a.actions[0].structure.name == "put_spread"  # type: ignore[union-attr]
    assert rule_b.actions[0].structure.name == "call_spread"  # type: ignore[union-attr]
    assert [type(step).__name__ for step in scenario.steps] == [  # type: ignore[union-attr]
        "At",
        "Expect",
        "Structure",
        "Expect",
    ]


def _steps(text: str) -> tuple[ast.Step, ...]:
    result = parse('scenario "s":\n' + text)
    assert result.diagnostics == ()
    (scenario,) = result.module.items
    assert isinstance(scenario, ast.Scenario)
    return scenario.steps


@pytest.mark.parametrize("structure", ["put_spread", "call_spread", "condor"])
def test_expect_action_may_open_a_structure_named_by_a_step_keyword(structure: str) -> None:
    # QA: `expect action open put_spread(...)` was E100 (the keyword was not a structure here).
    (step,) = _steps(
        f"    expect action open {structure}(dte: 30d, put_delta: 0.2, put_wing: 25)\n"
    )
    assert isinstance(step, ast.Expect) and step.action is not None
    assert step.action.kind.name == "open"
    assert step.action.structure is not None and step.action.structure.name == structure
    assert [argument.name.name for argument in step.action.named] == [
        "dte",
        "put_delta",
        "put_wing",
    ]


def test_a_bare_expected_action_before_a_structure_step_stays_two_steps() -> None:
    steps = _steps(
        "    expect action open\n"
        "    put_spread 2200/2250 expiring 2020-04-17 credit 2.10\n"
        "    expect action close  # a comment between\n"
        "    call_spread 3000/3050 expiring 2020-04-17 credit 1.10 qty 2\n"
        "    expect action close\n"
    )
    kinds = [
        step.kind if isinstance(step, ast.Structure) else step.action.kind.name  # type: ignore[union-attr]
        for step in steps
    ]
    assert kinds == ["open", "put_spread", "close", "call_spread", "close"]
    assert all(
        step.action.structure is None  # type: ignore[union-attr]
        for step in steps
        if isinstance(step, ast.Expect)
    )


def test_the_structure_of_an_expected_action_may_be_followed_by_a_comment() -> None:
    (step,) = _steps("    expect action open put_spread  # why\n    (dte: 30d)\n")
    assert isinstance(step, ast.Expect) and step.action is not None
    assert step.action.structure is not None and step.action.structure.name == "put_spread"


def test_expected_action_spans_cover_the_verb_and_the_step() -> None:
    (step,) = _steps("    expect action close\n")
    assert isinstance(step, ast.Expect) and step.action is not None
    assert (step.span.line, step.span.column, step.span.end_column) == (2, 5, 24)
    assert (step.action.span.column, step.action.span.end_column) == (19, 24)


def test_a_long_scenario_parses_in_linear_time() -> None:
    steps = _steps("    expect action close\n    expect nothing\n" * 3000)
    assert len(steps) == 6000
