"""The state document: the issue's minimal example, defaults, and error messages with paths."""

from __future__ import annotations

import copy
import datetime
import json
from typing import Any

import pytest

from condorrules.state import DEFAULT_MULTIPLIER, Position, State, StateError, parse_state


def broken(minimal_state: dict[str, Any], change: Any) -> str:
    """The StateError text for ``minimal_state`` after ``change(document)``."""
    document = copy.deepcopy(minimal_state)
    change(document)
    with pytest.raises(StateError) as caught:
        parse_state(document)
    return str(caught.value)


def test_minimal_document_is_valid_with_documented_defaults(minimal_state: dict[str, Any]) -> None:
    state = parse_state(minimal_state)
    assert state.date == datetime.date(2018, 1, 10)
    assert (state.spot, state.vix) == (2750.0, 12.0)
    assert (state.open, state.high, state.low, state.rate, state.div_yield) == (None,) * 5
    assert state.inputs == {}
    position = state.positions[0]
    assert (position.realised_pnl, position.rolls, position.multiplier) == (0.0, 0, 100.0)
    assert DEFAULT_MULTIPLIER == 100.0
    assert [leg.role for leg in position.legs] == [
        "long_put",
        "short_put",
        "short_call",
        "long_call",
    ]
    assert all(leg.mark is None and leg.iv is None for leg in position.legs)
    assert state.portfolio is not None
    assert state.portfolio.cash is None and state.portfolio.peak_equity is None
    assert state.portfolio.hedges == []


def test_json_text_is_accepted_and_round_trips(minimal_state: dict[str, Any]) -> None:
    state = parse_state(json.dumps(minimal_state))
    again = parse_state(state.model_dump(mode="json"))
    assert again == state


def test_empty_state_needs_only_date_and_spot() -> None:
    state = parse_state({"date": "2018-01-10", "spot": 2750})
    assert state.positions == [] and state.portfolio is None and state.vix is None


def test_negative_strike_names_path_and_value(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0]["legs"][1].update(strike=-5))
    assert "positions[0].legs[1].strike: -5 is not valid: must be greater than 0" in text


def test_misspelt_field_is_named_with_suggestion(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0]["legs"][2].update(strik=2900))
    assert "positions[0].legs[2].strik: is not a known field" in text
    assert "did you mean `strike`?" in text


def test_missing_required_field_is_named(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0].pop("credit"))
    assert "positions[0].credit: is required but missing" in text


def test_every_problem_is_listed(minimal_state: dict[str, Any]) -> None:
    def change(document: dict[str, Any]) -> None:
        document["vix"] = "12"
        document["positions"][0]["legs"][0]["qty"] = 0
        document["positions"][0]["legs"][3]["right"] = "cal"

    text = broken(minimal_state, change)
    assert "3 problems" in text
    assert 'vix: "12" is not valid: must be a number' in text
    assert "help: write the number without quotes: 12" in text
    assert "positions[0].legs[0].qty: 0 is not valid: must not be 0" in text
    assert "positions[0].legs[3].right: \"cal\" is not valid: must be 'call' or 'put'" in text


def test_iv_typed_as_percentage_gets_ratio_hint(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0]["legs"][0].update(iv=18))
    assert "positions[0].legs[0].iv: 18 is not valid" in text
    assert "iv is a ratio: 18 vol is 0.18" in text


def test_date_must_be_iso(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d.update(date="10/01/2018"))
    assert 'date: "10/01/2018" is not valid: must be a date written YYYY-MM-DD' in text
    text = broken(minimal_state, lambda d: d.update(date=1515542400))
    assert "date: 1515542400 is not valid" in text


def test_fractional_qty_is_rejected(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0]["legs"][0].update(qty=1.5))
    assert "positions[0].legs[0].qty: 1.5 is not valid: must be a whole number" in text


def test_second_leg_in_one_role_is_rejected(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"][0]["legs"][3].update(right="put", qty=-1))
    assert "positions[0]: legs[3] is a second short_put (legs[1] is one)" in text


def test_duplicate_ids_and_future_open_are_rejected(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d["positions"].append(copy.deepcopy(d["positions"][0])))
    assert "positions[1].id 'ic1' is also positions[0].id" in text
    text = broken(minimal_state, lambda d: d["positions"][0].update(opened="2018-01-11"))
    assert "positions[0].opened 2018-01-11 is after the state's date 2018-01-10" in text


def test_too_many_legs_and_nested_market_are_explained(minimal_state: dict[str, Any]) -> None:
    text = broken(
        minimal_state, lambda d: d["positions"][0]["legs"].append(d["positions"][0]["legs"][0])
    )
    assert "positions[0].legs" in text and "one to four legs" in text
    text = broken(minimal_state, lambda d: d.update(market={"spot": 2750}))
    assert "market: is not a known field" in text
    assert "go at the top level" in text


def test_bad_json_text_is_a_state_error() -> None:
    with pytest.raises(StateError, match="is not valid JSON"):
        parse_state("{bad")
    with pytest.raises(StateError, match="must be a JSON object"):
        parse_state("[1, 2]")


def test_models_are_immutable(minimal_state: dict[str, Any]) -> None:
    state = parse_state(minimal_state)
    with pytest.raises(ValueError):
        state.spot = 1.0  # type: ignore[misc]
    assert isinstance(state, State)


def test_scenario_condor_builds_the_same_position_as_the_document(
    minimal_state: dict[str, Any],
) -> None:
    built = Position.build(
        "iron_condor",
        [2500, 2550, 2900, 2950],
        datetime.date(2018, 2, 16),
        6.0,
        datetime.date(2018, 1, 2),
        id="ic1",
    )
    assert built == parse_state(minimal_state).positions[0]
    spread = Position.build(
        "call_spread",
        [2900, 2950],
        datetime.date(2018, 2, 16),
        2.0,
        datetime.date(2018, 1, 2),
        qty=3,
    )
    assert [(leg.role, leg.qty) for leg in spread.legs] == [("short_call", -3), ("long_call", 3)]
    with pytest.raises(ValueError, match="needs 2 strikes"):
        Position.build(
            "put_spread", [1, 2, 3], datetime.date(2018, 2, 16), 1.0, datetime.date(2018, 1, 2)
        )


def test_rate_typed_as_percentage_gets_ratio_hint(minimal_state: dict[str, Any]) -> None:
    text = broken(minimal_state, lambda d: d.update(rate=2))
    assert "rate: 2 is not valid: must be less than or equal to 1" in text
    assert "rate is a ratio: 2% is 0.02" in text
