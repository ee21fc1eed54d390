"""Params holding a text or an event name compile and evaluate like the literal they hold."""

from __future__ import annotations

import pytest

import condorrules
from condorrules import RulesetError

RULES = """\
param note = "earnings week"
param event_name = FOMC

rule fed_soon:
    when days_to(event_name) <= 2
    then alert(note)
"""

STATE = {"date": "2018-01-29", "spot": 2800, "vix": 12, "portfolio": {"equity": 100000}}


def test_a_text_param_is_the_alert_text_and_an_event_param_names_the_event() -> None:
    decision = condorrules.load(RULES).evaluate(STATE)  # FOMC statement on 2018-01-31
    assert [alert.text for alert in decision.alerts] == ["earnings week"]


def test_an_event_param_far_from_its_event_does_not_fire() -> None:
    quiet = {**STATE, "date": "2018-01-10"}
    assert condorrules.load(RULES).evaluate(quiet).alerts == ()


@pytest.mark.parametrize("name", ["note", "event_name"])
def test_text_and_event_params_cannot_be_overridden(name: str) -> None:
    with pytest.raises(RulesetError, match="cannot override"):
        condorrules.load(RULES, params={name: "CPI"})
