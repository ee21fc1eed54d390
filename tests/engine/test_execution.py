"""§6(5) counts executed actions only: a runner told an action could not be carried out does
not count it; position counters survive a state that omits the position; unknown rule names
raise instead of answering False."""

from __future__ import annotations

import copy
from typing import Any

import pytest

import condorrules
from condorrules.engine import FORGET_AFTER_DAYS, ActionRecord, UnknownRuleError

OPEN_ONCE = (
    "rule o:\n    when spot > 0\n"
    "    then open iron_condor(dte: 30d, short_delta: 0.16, wing: 50)\n    limit 1 per run\n"
)
RESIZE_ONCE = "rule rz:\n    when dte > 0d\n    then resize(qty: 2)\n    limit 1 per position\n"
COOL = "rule rz:\n    when dte > 0d\n    then resize(qty: 2)\n    cooldown 5d\n"
POSITION = {
    "id": "ic1",
    "opened": "2018-01-02",
    "credit": 6.0,
    "legs": [
        {"right": "put", "strike": 2500, "expiry": "2018-03-16", "qty": 1},
        {"right": "put", "strike": 2550, "expiry": "2018-03-16", "qty": -1},
        {"right": "call", "strike": 2900, "expiry": "2018-03-16", "qty": -1},
        {"right": "call", "strike": 2950, "expiry": "2018-03-16", "qty": 1},
    ],
}


def _bar(day: str, *positions: str) -> dict[str, Any]:
    held = [dict(copy.deepcopy(POSITION), id=p) for p in positions]
    return {"date": day, "spot": 2750, "vix": 15, "positions": held}


def test_an_action_the_caller_could_not_carry_out_is_skipped_and_not_counted() -> None:
    runner = condorrules.load(OPEN_ONCE).runner()
    handed: list[ActionRecord] = []

    def no_margin(action: ActionRecord) -> str | None:
        handed.append(action)
        return "margin: not enough buying power"

    first = runner.step(_bar("2018-01-08"), no_margin)
    assert [(p.status, p.detail) for p in first.proposals] == [
        ("skipped", "margin: not enough buying power")
    ]
    assert first.actions == () and [a.kind for a in handed] == ["open"]
    second = runner.step(_bar("2018-01-09"), lambda action: None)
    assert [p.status for p in second.proposals] == ["carried_out"]
    assert [a.kind for a in second.actions] == ["open"]
    third = runner.step(_bar("2018-01-10"), lambda action: None)
    assert [p.status for p in third.proposals] == ["limited"]


def test_without_a_callback_every_decided_action_counts_as_before() -> None:
    runner = condorrules.load(OPEN_ONCE).runner()
    assert [p.status for p in runner.step(_bar("2018-01-08")).proposals] == ["carried_out"]
    assert [p.status for p in runner.step(_bar("2018-01-09")).proposals] == ["limited"]


def test_a_skipped_action_does_not_start_a_cooldown() -> None:
    runner = condorrules.load(COOL).runner()
    runner.step(_bar("2018-01-08", "ic1"), lambda action: "no quote")
    decision = runner.step(_bar("2018-01-09", "ic1"))
    assert [p.status for p in decision.proposals] == ["carried_out"]


def test_a_position_missing_from_one_state_keeps_its_limit() -> None:
    runner = condorrules.load(RESIZE_ONCE).runner()
    statuses = [
        [p.status for p in runner.step(_bar(day, *ids)).proposals]
        for day, ids in [
            ("2018-01-10", ["ic1"]),
            ("2018-01-11", []),
            ("2018-01-12", ["ic1"]),
        ]
    ]
    assert statuses == [["carried_out"], [], ["limited"]]


def test_a_position_missing_for_longer_than_the_bound_is_forgotten() -> None:
    runner = condorrules.load(RESIZE_ONCE).runner()
    runner.step(_bar("2018-01-10", "ic1"))
    runner.step(_bar("2018-01-11"))
    assert FORGET_AFTER_DAYS == 30
    runner.step(_bar("2018-02-10"))  # 31 days after ic1 was last seen
    decision = runner.step(_bar("2018-02-12", "ic1"))
    assert [p.status for p in decision.proposals] == ["carried_out"]


def test_a_position_reported_closed_is_forgotten_at_once() -> None:
    runner = condorrules.load(RESIZE_ONCE).runner()
    runner.step(_bar("2018-01-10", "ic1"))
    runner.position_closed("ic1")
    decision = runner.step(_bar("2018-01-11", "ic1"))
    assert [p.status for p in decision.proposals] == ["carried_out"]


def test_fired_with_an_unknown_rule_raises_and_suggests() -> None:
    ruleset = condorrules.load(TASTY_TEXT)
    decision = ruleset.evaluate(_bar("2018-01-10"))
    assert decision.fired("take_profit") is False
    with pytest.raises(UnknownRuleError) as raised:
        decision.fired("take_proft")
    assert "no rule `take_proft`" in str(raised.value)
    assert "did you mean `take_profit`?" in str(raised.value)
    assert "`open_new`" in str(raised.value)  # the rules are listed


def test_explain_with_an_unknown_rule_raises() -> None:
    ruleset = condorrules.load(TASTY_TEXT)
    with pytest.raises(UnknownRuleError, match="no rule `nope`"):
        ruleset.explain(_bar("2018-01-10"), rule="nope")
    runner = ruleset.runner()
    runner.step(_bar("2018-01-10"))
    with pytest.raises(UnknownRuleError):
        runner.explain("nope")


TASTY_TEXT = (
    "rule open_new: when vix > 0 then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)\n"
    "rule take_profit priority 100: when pnl_pct >= 50% then close\n"
)
