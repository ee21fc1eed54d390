"""Param overrides must fit the param's type and unit and the ranges of the action arguments
they flow into; a bad one is a RulesetError naming the param, the value and what it takes."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

import condorrules

TASTY = Path(__file__).resolve().parents[2] / "rulesets" / "tasty_45dte.condor"
DATED = 'param cutoff = 2018-03-01\nrule r: when date > cutoff then alert("late")\n'


def _error(params: dict[str, Any], source: str | Path = TASTY) -> condorrules.RulesetError:
    with pytest.raises(condorrules.RulesetError) as raised:
        condorrules.load(source, params=params)
    return raised.value


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"short_delta": "21d"}, "`short_delta` is a number, not a duration"),
        ({"profit_take": "$500"}, "`profit_take` is a ratio, not an amount of money"),
        ({"entry_dte": "50%"}, "`entry_dte` is a duration (days), not a percent"),
        ({"short_delta": [1]}, "list is not a value a param can take"),
        ({"short_delta": None}, "NoneType is not a value a param can take"),
        ({"profit_take": "abc"}, "`abc` is not a ratio"),
        ({"profit_take": "2018-01-01"}, "`profit_take` is a ratio, not a date"),
        ({"profit_take": "60"}, "did you mean 60%?"),
        ({"max_open": True}, "`max_open` is a number, not a bool"),
    ],
)
def test_an_override_of_the_wrong_type_or_unit_is_refused(
    params: dict[str, Any], words: str
) -> None:
    error = _error(params)
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "E300"
    assert words in str(error)
    assert diagnostic.span.file == "params"  # the caret is on the override, not the file
    assert diagnostic.help
    assert "declared here" in str(error)  # and a label shows the param's declaration


@pytest.mark.parametrize(
    ("params", "argument", "expected_range"),
    [
        ({"short_delta": 1.5}, "`short_delta` of `open iron_condor`", "a value in (0, 1)"),
        ({"short_delta": -0.2}, "`short_delta` of `open iron_condor`", "a value in (0, 1)"),
        ({"wing_points": -50}, "`wing` of `open iron_condor`", "a value > 0"),
    ],
)
def test_an_override_that_breaks_an_action_argument_range_is_e302(
    params: dict[str, Any], argument: str, expected_range: str
) -> None:
    error = _error(params)
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "E302"
    name = next(iter(params))
    assert f"params['{name}']" in diagnostic.message
    assert argument in diagnostic.message and expected_range in diagnostic.message
    assert f"`{name}` flows into" in str(error)


def test_a_range_is_checked_on_each_branch_of_a_market_dependent_if() -> None:
    text = (
        "param calm = 0.16\nparam wild = 0.10\n"
        "rule o: when vix > 0 then open iron_condor(dte: 45d, "
        "short_delta: if vix > 30 then wild else calm, wing: 50)\n"
    )
    assert condorrules.load(text, params={"wild": 0.3}).params["wild"] == 0.3
    error = _error({"wild": 2}, text)
    assert error.diagnostics[0].code == "E302"


@pytest.mark.parametrize(
    ("params", "values"),
    [
        ({"short_delta": "0.2"}, {"short_delta": 0.2}),
        ({"profit_take": "60%"}, {"profit_take": 0.6}),
        ({"profit_take": 0.6}, {"profit_take": 0.6}),
        ({"stop_loss": "-300%"}, {"stop_loss": -3.0}),
        ({"entry_dte": "30d"}, {"entry_dte": 30.0}),
        ({"entry_dte": 30}, {"entry_dte": 30.0}),  # a bare number of a duration is days
        ({"entry_dte": "30"}, {"entry_dte": 30.0}),
        ({"entry_dte": "36h"}, {"entry_dte": 1.5}),
        ({"max_open": "1_000"}, {"max_open": 1000.0}),
    ],
)
def test_an_override_of_the_right_type_is_taken(
    params: dict[str, Any], values: dict[str, float]
) -> None:
    ruleset = condorrules.load(TASTY, params=params)
    assert {name: ruleset.params[name] for name in values} == values


def test_a_date_param_takes_a_date_or_its_iso_text() -> None:
    as_text = condorrules.load(DATED, params={"cutoff": "2018-04-02"})
    as_date = condorrules.load(DATED, params={"cutoff": datetime.date(2018, 4, 2)})
    assert as_text.params["cutoff"] == as_date.params["cutoff"] == "2018-04-02"
    assert "is a date, not a number" in str(_error({"cutoff": "3"}, DATED))


def test_an_unknown_param_names_the_override_and_suggests_the_nearest() -> None:
    error = _error({"short_delt": 0.2})
    (diagnostic,) = error.diagnostics
    assert diagnostic.code == "E200"
    assert diagnostic.span.file == "params"  # not line 1 of the rule file
    assert "did you mean `short_delta`?" in (diagnostic.help or "")


def test_every_bad_override_is_reported_at_once() -> None:
    error = _error({"short_delta": "21d", "nope": 1, "profit_take": "x"})
    assert [d.code for d in error.diagnostics] == ["E300", "E200", "E300"]
