"""Regression tests for the front-end review: name resolution, recovery after syntax errors,
ignore comments, fixes, units and messages (each test names the behaviour it pins)."""

from __future__ import annotations

from pathlib import Path

import pytest

from condorrules.check import check_program, check_source
from condorrules.cli import main
from condorrules.diagnostics import Diagnostic
from condorrules.fmt import format_source
from condorrules.syntax import load_source

HERE = Path(__file__).parent


def _codes(text: str, **kwargs: object) -> list[tuple[str, int, int]]:
    result = check_source(text, **kwargs)  # type: ignore[arg-type]
    return [(d.code, d.span.line, d.span.column) for d in result.diagnostics]


def _only(text: str, code: str) -> Diagnostic:
    found = [d for d in check_source(text).diagnostics if d.code == code]
    assert len(found) == 1, check_source(text).diagnostics
    return found[0]


# -- params holding a weekday, a side or an event ---------------------------------------


def test_params_holding_a_weekday_side_or_event_are_used_where_those_belong() -> None:
    text = (
        "param entry_day = wed\nparam defend_side = put\nparam ev = FOMC\n"
        "rule a:\n    when weekday == entry_day and days_to(ev) > 2d\n"
        '    then alert("x")\n'
        "rule b:\n    when tested == defend_side\n    then roll(side: defend_side)\n"
    )
    assert _codes(text) == []


def test_a_symbol_param_may_come_first_and_plain_words_still_resolve() -> None:
    text = (
        "param entry_day = fri\n"
        "rule a:\n    when entry_day == weekday and none != tested and wed != weekday\n"
        "    then close\n"
    )
    assert _codes(text) == []


def test_a_param_of_the_wrong_kind_is_a_type_error_not_an_unknown_weekday() -> None:
    text = "param ev = FOMC\nrule a:\n    when weekday == ev\n    then close\n"
    assert [code for code, _, _ in _codes(text)] == ["E300"]


# -- recovery after a syntax error ------------------------------------------------------


def test_items_after_a_syntax_error_are_still_checked() -> None:
    text = (HERE / "fixtures" / "bad" / "e100_checker_still_runs.condor").read_text()
    assert [c for c, _, _ in _codes(text)] == ["E100", "E200"]


def test_a_name_a_dropped_item_may_define_is_not_reported() -> None:
    text = (
        "let wide = vix >\n"  # broken: dropped by the parser, but it may define `wide`
        "rule r:\n    when wide and vixx > 1\n    then close\n"
    )
    codes = _codes(text)
    assert [c for c, _, _ in codes] == ["E100", "E200"]
    assert codes[1][1:] == (3, 19)  # `vixx`, not `wide`


# -- ignore comments --------------------------------------------------------------------


def test_an_ignore_ending_a_split_clause_still_silences_after_formatting() -> None:
    path = HERE / "fixtures" / "clean" / "ignore_long_line.condor"
    text = path.read_text(encoding="utf-8")
    formatted = format_source(text, str(path))
    assert formatted.count("\n") > text.count("\n")  # the condition was split
    assert _codes(text, file=str(path)) == []
    assert _codes(formatted, file=str(path)) == []


def test_an_ignore_ending_a_one_line_rule_still_silences_after_formatting() -> None:
    text = "rule r: when pnl_pct >= 50 then close  # condorrules: ignore[W502]\n"
    formatted = format_source(text, "one.condor")
    assert formatted.count("\n") == 3  # header, condition, action
    assert _codes(text) == [] and _codes(formatted) == []


def test_an_ignore_in_the_middle_of_a_clause_covers_only_its_line() -> None:
    text = (
        "rule r:\n    when pnl_pct >= 50\n     and vix > 20  # condorrules: ignore[W502]\n"
        "     and dte > 5d\n    then close\n"
    )
    assert [c for c, _, _ in _codes(text)] == ["W502", "W507"]


def test_errors_cannot_be_ignored() -> None:
    text = "rule r:\n    when vixx > 20  # condorrules: ignore[E200]\n    then close\n"
    result = check_source(text)
    assert [d.code for d in result.diagnostics] == ["E200", "W507"]
    assert "errors cannot be ignored" in result.diagnostics[1].message


def test_a_comment_that_mentions_the_directive_is_not_one() -> None:
    text = (
        "rule r:\n    when pnl_pct >= 50  # use `# condorrules: ignore[W502]` to keep points\n"
        "    then close\n"
    )
    assert [c for c, _, _ in _codes(text)] == ["W502"]
    with_reason = text.replace(
        "# use `# condorrules: ignore[W502]` to keep points",
        "# condorrules: ignore[W502] legacy points",
    )
    assert _codes(with_reason) == []


# -- fixes, units, names ----------------------------------------------------------------


def test_unknown_name_carries_a_fix_to_the_suggestion() -> None:
    error = _only("rule r:\n    when vixx > 20\n    then close\n", "E200")
    assert error.fix is not None and error.fix.replacement == "vix"
    assert error.fix.span == error.span
    field = _only("rule r:\n    when short_put.dleta < -0.3\n    then close\n", "E200")
    assert field.fix is not None and field.fix.replacement == "delta"
    assert (field.fix.span.column, field.fix.span.end_column) == (20, 25)


def test_date_against_days_is_a_unit_mismatch() -> None:
    error = _only("rule r:\n    when date > 21d\n    then close\n", "E301")
    assert "date" in error.message and "days" in error.message
    assert [c for c, _, _ in _codes("rule r:\n    when date + 5 > 3\n    then close\n")] == ["E301"]


def test_a_rule_and_a_guard_share_one_namespace() -> None:
    text = "rule take:\n    when vix > 20\n    then close\n"
    text += "guard take:\n    forbid open when vix > 40\n"
    error = _only(text, "E202")
    assert (error.span.line, error.span.column) == (4, 7)
    assert error.message == "guard `take` has the name of a rule"
    assert error.labels[0].span.line == 1


def test_input_types_are_the_numeric_ones_and_the_message_lists_them() -> None:
    error = _only(
        'input next_earnings: date "x"\nrule r:\n    when next_earnings\n    then close\n', "E300"
    )
    assert "data columns" in error.message
    assert error.help is not None
    for name in ("number", "ratio", "price", "money", "days", "bool"):
        assert f"`{name}`" in error.help


def test_events_from_the_caller_are_known() -> None:
    text = "rule r:\n    when days_to(EARNINGS) <= 2d\n    then close\n"
    assert [c for c, _, _ in _codes(text)] == ["E204"]
    assert _codes(text, events=("EARNINGS",)) == []


def _exit_code(*args: str) -> object:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", *args])
    return exit_info.value.code


def test_cli_events_option_reads_an_events_csv(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "r.condor"
    rules.write_text("rule r:\n    when days_to(EARNINGS) <= 2d\n    then close\n")
    events = tmp_path / "events.csv"
    events.write_text("date,event,note\n2024-01-25,EARNINGS,big tech\n")
    assert _exit_code(str(rules)) == 1
    assert _exit_code("--events", str(events), str(rules)) == 0
    assert _exit_code("--events", str(tmp_path / "no.csv"), str(rules)) == 2
    assert "events file" in capsys.readouterr().err


# -- W502 and W500 messages -------------------------------------------------------------


def test_negative_bare_number_offers_both_readings_without_a_fix() -> None:
    warning = _only("rule r:\n    when pnl_pct <= -2\n    then close\n", "W502")
    assert warning.fix is None
    assert warning.help is not None and "`-200%`" in warning.help and "`-2%`" in warning.help


def test_positive_bare_number_above_one_and_a_half_is_fixed_to_percent() -> None:
    warning = _only("rule r:\n    when pnl_pct >= 50\n    then close\n", "W502")
    assert warning.fix is not None and warning.fix.replacement == "50%"


def test_a_scaled_ratio_is_not_the_percent_pitfall() -> None:
    assert _codes("rule r:\n    when pnl_pct * 100 > 50\n    then close\n") == []


def test_reversed_between_bounds_are_named_with_a_fix() -> None:
    warning = _only("rule r:\n    when vix between 40 and 12\n    then close\n", "W500")
    assert "reversed" in warning.message
    assert warning.help == "write `vix between 12 and 40`"
    assert warning.fix is not None and warning.fix.replacement == "vix between 12 and 40"


def test_an_empty_list_is_never_matched() -> None:
    warning = _only("rule r:\n    when weekday in []\n    then close\n", "W500")
    assert "empty" in warning.message


def test_a_rule_never_true_because_of_a_let_names_the_let() -> None:
    text = "let calm = dte > 5d and dte < 2d\nrule r:\n    when calm and vix > 10\n    then close\n"
    warning = _only(text, "W500")
    assert "let `calm`" in warning.message


def test_a_quorum_count_with_a_unit_is_a_unit_mismatch() -> None:
    text = "rule r:\n    when at least 2d of (vix > 20, dte < 5d)\n    then close\n"
    assert [c for c, _, _ in _codes(text)] == ["E301"]


def test_without_the_source_unknown_bare_names_after_a_syntax_error_are_left_out() -> None:
    text = "rule a:\n    when vix > 20 close\nrule b:\n    when vixx > 30\n    then close\n"
    with_source = check_program(load_source(text, "x.condor"), source=text)
    without = check_program(load_source(text, "x.condor"))
    assert [d.code for d in with_source.diagnostics] == ["E100", "E200"]
    assert [d.code for d in without.diagnostics] == ["E100"]
