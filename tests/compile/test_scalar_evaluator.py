"""The scalar evaluator: names, operators, Kleene logic, pins, history and the program dump."""

from __future__ import annotations

import math
from typing import Any

import pytest

import condorrules
from condorrules.compile import CompileError, compile_program, dump_ruleset, pin_key
from condorrules.compile.frame import Evaluation
from condorrules.runtime import Value
from condorrules.syntax import load_source, parse

STATE: dict[str, Any] = {
    "date": "2018-01-10",  # a Wednesday
    "spot": 2750,
    "vix": 15,
    "inputs": {"t": 1.0, "f": -1.0, "u": None, "zero": 0.0, "two": 2.0},
    "positions": [
        {
            "id": "ic1",
            "opened": "2018-01-02",
            "credit": 6.0,
            "legs": [
                {"right": "put", "strike": 2500, "expiry": "2018-02-16", "qty": 1},
                {"right": "put", "strike": 2550, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2900, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2950, "expiry": "2018-02-16", "qty": 1},
            ],
        }
    ],
    "portfolio": {"equity": 100000},
}
HEADER = "ruleset t\ninput t\ninput f\ninput u\ninput zero\ninput two\n"


def value_of(expression: str, extra: str = "", position: bool = False) -> Value:
    """The value of ``let x = expression`` on STATE (in the position's frame if asked)."""
    ruleset = condorrules.load(HEADER + extra + f"let x = {expression}\n")
    evaluation = ruleset.evaluation(STATE)
    let = next(let for let in ruleset.compiled.lets if let.name == "x")
    frame = evaluation.position(0) if position else evaluation.portfolio
    return let.body.evaluate(frame)


TRUTH = {"true": "t > 0", "false": "f > 0", "unknown": "u > 0"}
# Kleene's strong logic, written out (LANGUAGE.md §3).
AND_TABLE = {
    ("true", "true"): "true", ("true", "false"): "false", ("true", "unknown"): "unknown",
    ("false", "true"): "false", ("false", "false"): "false", ("false", "unknown"): "false",
    ("unknown", "true"): "unknown", ("unknown", "false"): "false",
    ("unknown", "unknown"): "unknown",
}  # fmt: skip
OR_TABLE = {
    ("true", "true"): "true", ("true", "false"): "true", ("true", "unknown"): "true",
    ("false", "true"): "true", ("false", "false"): "false", ("false", "unknown"): "unknown",
    ("unknown", "true"): "true", ("unknown", "false"): "unknown",
    ("unknown", "unknown"): "unknown",
}  # fmt: skip


def truth(value: Value) -> str:
    return value.truth.value


@pytest.mark.parametrize(("operands", "expected"), sorted(AND_TABLE.items()))
def test_and_is_kleene(operands: tuple[str, str], expected: str) -> None:
    assert truth(value_of(f"{TRUTH[operands[0]]} and {TRUTH[operands[1]]}")) == expected


@pytest.mark.parametrize(("operands", "expected"), sorted(OR_TABLE.items()))
def test_or_is_kleene(operands: tuple[str, str], expected: str) -> None:
    assert truth(value_of(f"{TRUTH[operands[0]]} or {TRUTH[operands[1]]}")) == expected


def test_not_unknown_is_unknown_and_keeps_the_reason() -> None:
    result = value_of("not u > 0")
    assert truth(result) == "unknown"
    assert result.reason is not None and "u" in result.reason


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("at least 2 of (t > 0, t > 0, f > 0)", "true"),
        ("at least 2 of (t > 0, f > 0, f > 0)", "false"),
        ("at least 2 of (t > 0, u > 0, f > 0)", "unknown"),
        ("at least 1 of (u > 0, t > 0)", "true"),
        ("at least 3 of (t > 0, u > 0, f > 0)", "false"),
    ],
)
def test_at_least_is_a_kleene_quorum(expression: str, expected: str) -> None:
    assert truth(value_of(expression)) == expected


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("two * 3 + 1", 7.0),
        ("(two + 1) * 3", 9.0),
        ("-two - 1", -3.0),
        ("two / 4", 0.5),
        ("abs(f) + max(1, two, 0.5) + min(3, two)", 5.0),
        ("round(1.234, 2)", 1.23),
        ("round(2.5) + round(3.5)", 6.0),  # half to even: 2 + 4
        ("if t > 0 then 10 else 20", 10.0),
        ("if f > 0 then 10 else 20", 20.0),
        ("50% * 2", 1.0),
        ("21d + 3", 24.0),
    ],
)
def test_arithmetic(expression: str, expected: float) -> None:
    assert value_of(expression) == Value(expected)


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("two between 2 and 3", True),
        ("two between 1 and 2", True),
        ("two between 2.5 and 3", False),
        ("two in [1, 2, 3]", True),
        ("two in [1, 3]", False),
        ("two == 2 and two != 3 and two >= 2 and two <= 2 and two > 1 and two < 3", True),
    ],
)
def test_comparisons(expression: str, expected: bool) -> None:
    assert value_of(expression) == Value(expected)


def test_unknown_propagates_through_arithmetic_with_its_reason() -> None:
    result = value_of("(u + 1) * 2")
    assert not result.known
    assert result.reason == "the data has no value for input u on this bar"


def test_division_by_zero_is_unknown_not_an_error() -> None:
    result = value_of("two / zero")
    assert not result.known and result.reason == "division by zero"


def test_an_unknown_if_condition_gives_unknown() -> None:
    assert not value_of("if u > 0 then 1 else 2").known


def test_dates_weekdays_and_sides() -> None:
    assert value_of("date - 2018-01-01") == Value(9.0)
    assert value_of("weekday in [mon, wed, fri]") == Value(True)
    assert value_of("weekday == tue") == Value(False)
    assert value_of("expiry - date == dte", position=True) == Value(True)
    assert value_of("date - opened", position=True) == Value(8.0)
    assert value_of("tested != none", position=True) == Value(False)
    assert value_of("none == tested", position=True) == Value(True)


def test_a_date_param() -> None:
    assert value_of("date - start", "param start = 2018-01-05\n") == Value(5.0)


def test_position_fields_come_from_the_position() -> None:
    assert value_of("credit * 2 - 1", position=True) == Value(11.0)
    assert value_of("qty + rolls", position=True) == Value(1.0)
    assert value_of("short_put.strike + long_call.strike", position=True) == Value(5500.0)


def test_days_to_reads_the_event_calendar() -> None:
    # The FOMC statement after 2018-01-10 was on 2018-01-31.
    assert value_of("days_to(FOMC)") == Value(21.0)
    cpi = value_of("days_to(CPI)")
    assert not cpi.known and cpi.reason is not None and "CPI" in cpi.reason


def test_expected_move_is_spot_times_atm_iv_times_root_time() -> None:
    ruleset = condorrules.load(HEADER + "let x = expected_move(30d)\n")
    atm_iv = ruleset.fields(STATE).portfolio["atm_iv"]
    assert isinstance(atm_iv, float)
    expected = 2750 * atm_iv * math.sqrt(30 / 365)
    assert value_of("expected_move(30d)").value == pytest.approx(expected, rel=1e-12)


def test_series_functions_without_history_are_unknown_with_the_bars_they_need() -> None:
    result = value_of("rsi(spot, 14) < 30")
    assert not result.known
    assert result.reason == "rsi(spot, 14) needs 15 bars of history, has 0"
    assert value_of("spot[2]").reason == "spot[2] needs 3 bars of history, has 0"
    assert value_of("spot[0]") == Value(2750.0)


def test_pins_match_by_structure_however_the_call_is_written() -> None:
    keys = {
        pin_key(parse(f"let x = {text}\n").module.items[0].value)  # type: ignore[union-attr]
        for text in ("rsi(spot, 14)", "rsi(spot, n: 14)", "rsi( spot )", "rsi(spot, 14.0)")
    }
    assert len(keys) == 1
    other = parse("let x = rsi(spot, 10)\n").module.items[0].value  # type: ignore[union-attr]
    assert pin_key(other) not in keys


def test_a_pin_replaces_the_value_wherever_the_expression_is_written() -> None:
    ruleset = condorrules.load(HEADER + "let x = rsi(spot, n: 14) < 30 and vix > 10\n")
    key = pin_key(parse("let y = rsi(spot)\n").module.items[0].value)  # type: ignore[union-attr]
    evaluation = ruleset.evaluation(STATE, {key: Value(24.0)})
    assert ruleset.compiled.lets[0].body.evaluate(evaluation.portfolio) == Value(True)


def test_params_can_be_overridden_with_values_or_their_written_form() -> None:
    text = HEADER + "param take = 50%\nparam wait = 21d\nparam on = true\nlet x = take\n"
    assert condorrules.load(text).params == {"take": 0.5, "wait": 21.0, "on": True}
    overridden = condorrules.load(text, params={"take": "60%", "wait": "2d", "on": False})
    assert overridden.params == {"take": 0.6, "wait": 2.0, "on": False}
    assert condorrules.load(text, params={"take": 0.7}).params["take"] == 0.7


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"nope": 1}, "no param `nope`"),
        ({"on": 3}, "`on` is a bool, not a number"),
        ({"take": "5x"}, "5x"),
    ],
)
def test_bad_param_overrides_are_errors_naming_the_param(
    params: dict[str, Any], message: str
) -> None:
    text = HEADER + "param take = 50%\nparam on = true\nlet x = take\n"
    with pytest.raises(condorrules.RulesetError) as raised:
        condorrules.load(text, params=params)
    assert message in str(raised.value)


def test_load_raises_with_the_checkers_diagnostics() -> None:
    with pytest.raises(condorrules.RulesetError) as raised:
        condorrules.load("rule r: when short_putt.delta < -0.3 then close\n")
    assert [d.code for d in raised.value.diagnostics] == ["E200"]
    assert "did you mean `short_put`?" in str(raised.value)


def test_the_compiler_refuses_open_in_a_position_rule_naming_the_cause() -> None:
    program = load_source(
        "rule r: when pnl_pct > 50% then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)\n",
        "<test>",
    )
    with pytest.raises(CompileError) as raised:
        compile_program(program)
    (diagnostic,) = raised.value.diagnostics
    assert diagnostic.code == "E400" and "pnl_pct" in diagnostic.message


def test_scopes_follow_position_fields_lets_and_actions() -> None:
    ruleset = condorrules.load(
        HEADER
        + "let near = dte < 10d\n"
        + "rule a: when vix > 40 then close\n"
        + 'rule b: when near then alert("x")\n'
        + 'rule c: when vix > 40 then alert("y")\n'
    )
    scopes = {rule.name: rule.scope.value for rule in ruleset.compiled.rules}
    assert scopes == {"a": "position", "b": "position", "c": "portfolio"}


def test_the_dump_maps_every_node_to_its_source_line_and_is_deterministic() -> None:
    text = HEADER + "let near = dte <= 21d\nrule r priority 5: when near and vix > 20 then close\n"
    first = dump_ruleset(compile_program(load_source(text, "<t>")))
    second = dump_ruleset(compile_program(load_source(text, "<t>")))
    assert first == second
    assert "rule r priority 5 (position) @8" in first
    assert "field vix [number] `vix` @8:" in first
    assert "let near (position) @7" in first


def _history_states(values: list[float | None]) -> list[dict[str, Any]]:
    return [
        {**STATE, "date": f"2018-03-{day + 1:02d}", "inputs": {"t": v}, "positions": []}
        for day, v in enumerate(values)
    ]


def test_a_runner_keeps_indicator_history_across_steps() -> None:
    ruleset = condorrules.load(
        "input t\nlet m = sma(t, 3)\nlet lag = t[2]\nlet up = crosses_above(t, 3)\n"
    )
    runner = ruleset.runner()
    series = [1.0, 2.0, 6.0, 4.0, 2.0]
    seen = []
    for state in _history_states(series):  # type: ignore[arg-type]
        runner.step(state)
        evaluation: Evaluation = ruleset.evaluation(state, history=runner.history)
        seen.append([let.body.evaluate(evaluation.portfolio) for let in ruleset.compiled.lets])
    means = [row[0] for row in seen]
    assert [m.known for m in means] == [False, False, True, True, True]
    assert [m.value for m in means[2:]] == pytest.approx([3.0, 4.0, 4.0])
    assert means[0].reason == "sma(t, 3) needs 3 bars of history, has 1"
    assert [row[1].value for row in seen[2:]] == [1.0, 2.0, 6.0]
    assert [row[2] for row in seen[1:]] == [Value(False), Value(True), Value(False), Value(False)]


def test_a_bool_input_arrives_as_one_or_zero() -> None:
    ruleset = condorrules.load('input flag: bool\nrule a: when flag then alert("x")\n')
    bar = {"date": "2018-01-02", "spot": 2700}
    assert len(ruleset.evaluate({**bar, "inputs": {"flag": 1}}).alerts) == 1
    assert ruleset.evaluate({**bar, "inputs": {"flag": 0}}).alerts == ()
    (entry,) = ruleset.explain({**bar, "inputs": {}}).entries
    assert entry.condition.reason == "the state's inputs have no value for flag"
