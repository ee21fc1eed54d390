"""The public API and side tables that the evaluator and the editor build on."""

from __future__ import annotations

from pathlib import Path

from condorrules.catalogue import Scope, Type
from condorrules.check import PASSES, RefKind, check_paths, check_source
from condorrules.syntax import ast

SOURCE = """\
param profit_take = 50%
param max_open = 3
let late = dte <= 21d

rule open_new:
    when portfolio.open_positions < max_open and weekday in [mon, fri]
    then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)

rule take_profit priority 100:
    when pnl_pct >= profit_take or late
    then close

rule defend:
    when tested == put
    then roll(side: tested, dte: same)
"""


def _names(result_tree: ast.Module) -> dict[str, ast.Name]:
    return {n.name: n for n in ast.walk(result_tree) if isinstance(n, ast.Name)}


def test_check_source_resolves_names_by_context() -> None:
    result = check_source(SOURCE)
    assert result.diagnostics == ()
    kinds = {}
    for node, reference in result.references.items():
        if isinstance(node, ast.Name):
            kinds.setdefault(node.name, set()).add(reference.kind)
    assert kinds["max_open"] == {RefKind.PARAM}
    assert kinds["late"] == {RefKind.LET}
    assert kinds["mon"] == {RefKind.WEEKDAY}
    assert kinds["tested"] == {RefKind.FIELD, RefKind.SIDE}  # condition vs `side: tested`
    assert kinds["same"] == {RefKind.SYMBOL}


def test_types_record_units_and_flexible_literals() -> None:
    result = check_source(SOURCE)
    rule = result.rules["take_profit"]
    assert isinstance(rule.condition, ast.BoolOp)
    comparison = rule.condition.operands[0]
    assert isinstance(comparison, ast.Compare)
    assert result.types[comparison].type is Type.BOOL
    assert result.types[comparison.left].type is Type.RATIO
    open_rule = result.rules["open_new"]
    assert isinstance(open_rule.condition, ast.BoolOp)
    first = open_rule.condition.operands[0]
    assert isinstance(first, ast.Compare)
    assert result.types[first.right].flexible  # `max_open = 3` adopts the other unit


def test_scopes_and_reasons() -> None:
    result = check_source(SOURCE)
    assert result.scopes[result.rules["open_new"]] is Scope.PORTFOLIO
    take_profit = result.rules["take_profit"]
    assert result.scopes[take_profit] is Scope.POSITION
    reason = result.scope_reasons[take_profit]
    assert isinstance(reason, ast.Name) and reason.name == "pnl_pct"
    late = result.definitions["late"]
    assert isinstance(late, ast.Let) and result.scopes[late] is Scope.POSITION


def test_passes_are_an_ordered_tuple_of_callables() -> None:
    names = [p.__name__ for p in PASSES]
    assert names[0] == "resolve_names" and names[-1] == "apply_ignores"
    assert len(set(names)) == len(names)


def test_diagnostics_are_sorted_and_checking_is_deterministic() -> None:
    text = (
        "rule b:\n    when vixx > 1\n    then close\nrule a:\n    when dtee < 1\n    then close\n"
    )
    first, second = check_source(text), check_source(text)
    assert first.diagnostics == second.diagnostics
    lines = [d.span.line for d in first.diagnostics]
    assert lines == sorted(lines) and len(lines) == 2


def test_percent_pitfall_fix_replaces_the_literal() -> None:
    result = check_source("rule r:\n    when pnl_pct >= 50\n    then close\n")
    (warning,) = result.diagnostics
    assert warning.code == "W502" and warning.fix is not None
    assert warning.fix.replacement == "50%"
    assert (warning.fix.span.line, warning.fix.span.column) == (2, 21)


def test_never_true_fix_flips_the_sign() -> None:
    result = check_source("rule r:\n    when short_call.delta < -0.2\n    then close\n")
    (warning,) = result.diagnostics
    assert warning.code == "W500" and warning.fix is not None
    assert warning.fix.replacement == "short_call.delta > 0.2"
    assert "abs(short_call.delta) > 0.2" in (warning.help or "")


def test_errors_in_one_pass_never_crash_later_ones() -> None:
    text = """\
let a = b + undefined_thing
let b = a * $3
rule r priority 2:
    when a > 5% and macd(vixx).nope and at least 5 of (a, b) and rsi(spot, x: 1)
    then open iron_condor(dte: a, short_delta: b, wing: same) and roll(side: a) and close
guard g:
    forbid nothing when short_put.delta
"""
    result = check_source(text)
    codes = {d.code for d in result.diagnostics}
    assert {"E200", "E201", "E203", "E300", "E400"} <= codes


def test_check_paths_reports_every_file(tmp_path: Path) -> None:
    (tmp_path / "good.condor").write_text("rule r:\n    when vix > 20\n    then close\n")
    (tmp_path / "bad.condor").write_text("rule r:\n    when vixx > 20\n    then close\n")
    found = check_paths([tmp_path])
    assert found[str(tmp_path / "good.condor")] == ()
    assert [d.code for d in found[str(tmp_path / "bad.condor")]] == ["E200"]


def test_extra_event_names_come_from_the_caller() -> None:
    text = "rule r:\n    when days_to(NFP) <= 1\n    then close\n"
    assert [d.code for d in check_source(text).diagnostics] == ["E204"]
    assert check_source(text, events={"NFP"}).diagnostics == ()
