"""The decision procedure of LANGUAGE.md §6: veto, suppression, order, cooldowns, limits.

Rules here read values the state gives directly (an input ``signal`` for portfolio rules, a
position's ``credit`` for position rules), so each test controls exactly which rules fire.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import condorrules
from condorrules.engine import Decision

OPEN = "open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)"
HEDGE = "hedge vix_call_spread(above: 2, width: 5, dte: 30d, budget: 10%)"


def ruleset(body: str) -> condorrules.Ruleset:
    return condorrules.load("ruleset t\ninput signal\n" + body)


def state(
    date: str = "2018-01-10", signal: float | None = 1.0, credits: dict[str, float] | None = None
) -> dict[str, Any]:
    positions = [
        {
            "id": ident,
            "opened": "2018-01-02",
            "credit": credit,
            "legs": [
                {"right": "put", "strike": 2500, "expiry": "2018-02-16", "qty": 1},
                {"right": "put", "strike": 2550, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2900, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2950, "expiry": "2018-02-16", "qty": 1},
            ],
        }
        for ident, credit in (credits or {}).items()
    ]
    return {
        "date": date,
        "spot": 2750,
        "vix": 15,
        "inputs": {"signal": signal},
        "positions": positions,
        "portfolio": {"equity": 100000},
    }


def statuses(decision: Decision) -> list[tuple[str, str | None, str, str | None]]:
    return [(p.rule, p.action.position, p.status, p.by) for p in decision.proposals]


def test_highest_priority_position_action_wins_and_the_others_are_suppressed_by_it() -> None:
    rules = ruleset(
        "rule low priority 10: when credit > 1 then close\n"
        "rule high priority 50: when credit > 1 then roll(side: put)\n"
    )
    decision = rules.evaluate(state(credits={"p1": 6.0}))
    assert [(a.rule, a.kind, a.position) for a in decision.actions] == [("high", "roll", "p1")]
    assert statuses(decision) == [
        ("high", "p1", "carried_out", None),
        ("low", "p1", "suppressed", "high"),
    ]


def test_equal_priorities_are_broken_by_file_order() -> None:
    rules = ruleset(
        "rule first: when credit > 1 then roll(side: call)\n"
        "rule second: when credit > 1 then close\n"
    )
    decision = rules.evaluate(state(credits={"p1": 6.0}))
    assert [a.rule for a in decision.actions] == ["first"]
    assert ("second", "p1", "suppressed", "first") in statuses(decision)


def test_competition_is_per_position() -> None:
    rules = ruleset(
        "rule big priority 5: when credit > 5 then close\n"
        "rule any: when credit > 1 then resize(qty: 2)\n"
    )
    decision = rules.evaluate(state(credits={"p1": 6.0, "p2": 2.0}))
    assert [(a.rule, a.position) for a in decision.actions] == [("big", "p1"), ("any", "p2")]
    assert ("any", "p1", "suppressed", "big") in statuses(decision)


def test_a_guard_vetoes_its_kinds_and_a_vetoed_proposal_suppresses_nothing() -> None:
    rules = ruleset(
        "rule close_it priority 100: when credit > 1 then close\n"
        "rule roll_it: when credit > 1 then roll(side: put)\n"
        "guard frozen: forbid close when signal > 0\n"
    )
    decision = rules.evaluate(state(signal=1.0, credits={"p1": 6.0}))
    assert statuses(decision) == [
        ("close_it", "p1", "vetoed", "frozen"),
        ("roll_it", "p1", "carried_out", None),
    ]
    assert decision.fired("close_it")
    calm = rules.evaluate(state(signal=-1.0, credits={"p1": 6.0}))
    assert [a.rule for a in calm.actions] == ["close_it"]


def test_an_unknown_guard_condition_vetoes_nothing() -> None:
    rules = ruleset("rule c: when credit > 1 then close\nguard g: forbid close when signal > 0\n")
    decision = rules.evaluate(state(signal=None, credits={"p1": 6.0}))
    assert [a.rule for a in decision.actions] == ["c"]


def test_the_first_true_guard_in_file_order_is_recorded() -> None:
    rules = ruleset(
        "rule c: when credit > 1 then close\n"
        "guard by_position: forbid close when credit > 5\n"
        "guard by_market: forbid close, roll when signal > 0\n"
    )
    decision = rules.evaluate(state(signal=1.0, credits={"p1": 6.0, "p2": 2.0}))
    assert statuses(decision) == [
        ("c", "p1", "vetoed", "by_position"),
        ("c", "p2", "vetoed", "by_market"),
    ]


def test_a_position_guard_vetoes_only_on_its_own_position() -> None:
    rules = ruleset(
        "rule c: when credit > 1 then close\nguard rich: forbid close when credit > 5\n"
    )
    decision = rules.evaluate(state(credits={"p1": 6.0, "p2": 2.0}))
    assert statuses(decision) == [("c", "p1", "vetoed", "rich"), ("c", "p2", "carried_out", None)]


def test_alerts_always_pass_beside_the_winning_position_action() -> None:
    rules = ruleset(
        'rule warn: when credit > 1 then alert("rich")\n'
        "rule shut priority 9: when credit > 1 then close\n"
        'rule trim priority 3: when credit > 1 then resize(qty: 1) and alert("trim")\n'
    )
    decision = rules.evaluate(state(credits={"p1": 6.0}))
    assert [a.rule for a in decision.actions] == ["shut"]
    assert [(a.rule, a.text) for a in decision.alerts] == [("trim", "trim"), ("warn", "rich")]
    assert ("trim", "p1", "suppressed", "shut") in statuses(decision)


def test_portfolio_actions_come_after_position_actions_in_priority_order() -> None:
    rules = ruleset(
        f"rule open_low priority 1: when signal > 0 then {OPEN}\n"
        f"rule hedge_high priority 5: when signal > 0 then {HEDGE}\n"
        "rule shut: when credit > 1 then close\n"
        f"rule open_high priority 5: when signal > 0 then {OPEN}\n"
    )
    decision = rules.evaluate(state(credits={"p1": 6.0}))
    assert [(a.rule, a.kind) for a in decision.actions] == [
        ("shut", "close"),
        ("hedge_high", "hedge"),
        ("open_high", "open"),
        ("open_low", "open"),
    ]
    assert all(a.position is None for a in decision.actions[1:])


def test_action_arguments_are_the_evaluated_values() -> None:
    rules = ruleset(
        "param wing = 25\n"
        "rule o: when signal > 0 then open iron_condor(dte: 30d, short_delta: "
        "if signal > 2 then 0.12 else 0.16, wing: wing * 2, risk: 2%)\n"
    )
    (action,) = rules.evaluate(state(signal=1.0)).actions
    assert action.args == {"dte": 30.0, "short_delta": 0.16, "wing": 50.0, "risk": 0.02}
    (action,) = rules.evaluate(state(signal=3.0)).actions
    assert action.args["short_delta"] == 0.12


def test_an_unknown_argument_is_not_carried_out() -> None:
    rules = ruleset(
        "rule o: when vix > 0 then open iron_condor(dte: 30d, "
        "short_delta: if signal > 2 then 0.12 else 0.16, wing: 50)\n"
    )
    decision = rules.evaluate(state(signal=None))
    assert decision.actions == ()
    (proposal,) = decision.proposals
    assert proposal.status == "unknown_argument"
    assert proposal.detail is not None and "short_delta" in proposal.detail
    assert "signal" in proposal.detail


def test_a_rule_whose_condition_is_unknown_does_not_fire() -> None:
    rules = ruleset(f"rule o: when signal > 0 or false then {OPEN}\n")
    decision = rules.evaluate(state(signal=None))
    assert decision.proposals == () and not decision.fired("o")


def test_limit_per_position_counts_executed_actions_only() -> None:
    rules = ruleset(
        "rule shut priority 100: when signal > 0 and credit > 1 then close\n"
        "rule nudge: when credit > 1 then roll(side: put)\n  limit 1 per position\n"
    )
    runner = rules.runner()
    first = runner.step(state("2018-01-10", 1.0, {"p1": 6.0}))
    assert ("nudge", "p1", "suppressed", "shut") in statuses(first)
    second = runner.step(state("2018-01-11", -1.0, {"p1": 6.0}))
    assert [a.rule for a in second.actions] == ["nudge"]  # the suppressed bar did not count
    third = runner.step(state("2018-01-12", -1.0, {"p1": 6.0, "p2": 6.0}))
    assert statuses(third) == [
        ("nudge", "p1", "limited", None),
        ("nudge", "p2", "carried_out", None),
    ]


def test_limited_and_cooling_rules_do_not_suppress_others() -> None:
    rules = ruleset(
        "rule once priority 100: when credit > 1 then close\n  limit 1 per run\n"
        "rule other: when credit > 1 then resize(qty: 1)\n"
    )
    runner = rules.runner()
    assert [a.rule for a in runner.step(state("2018-01-10", 1, {"p1": 6.0})).actions] == ["once"]
    later = runner.step(state("2018-01-11", 1, {"p2": 6.0}))
    assert statuses(later) == [
        ("once", "p2", "limited", None),
        ("other", "p2", "carried_out", None),
    ]


def test_limit_per_day_resets_the_next_day() -> None:
    rules = ruleset("rule c: when credit > 1 then close\n  limit 1 per day\n")
    runner = rules.runner()
    today = runner.step(state("2018-01-10", 1, {"p1": 6.0, "p2": 6.0}))
    assert [p.status for p in today.proposals] == ["carried_out", "limited"]
    tomorrow = runner.step(state("2018-01-11", 1, {"p2": 6.0}))
    assert [p.status for p in tomorrow.proposals] == ["carried_out"]


def test_cooldown_counts_from_the_last_execution_and_ignores_vetoed_bars() -> None:
    rules = ruleset(
        f"rule layer: when signal > 0 then {HEDGE}\n  cooldown 5d\n"
        "guard quiet: forbid hedge when signal > 10\n"
    )
    runner = rules.runner()
    days = ["2018-01-08", "2018-01-09", "2018-01-10", "2018-01-13", "2018-01-14"]
    signals = [20.0, 1.0, 1.0, 1.0, 1.0]
    seen = [runner.step(state(d, s)).proposals[0] for d, s in zip(days, signals, strict=True)]
    assert [p.status for p in seen] == [
        "vetoed",
        "carried_out",
        "cooling",
        "cooling",
        "carried_out",
    ]
    assert seen[2].detail is not None and "2018-01-09" in seen[2].detail


def test_a_position_cooldown_is_per_position() -> None:
    rules = ruleset("rule r: when credit > 1 then roll(side: put)\n  cooldown 3d\n")
    runner = rules.runner()
    runner.step(state("2018-01-10", 1, {"p1": 6.0}))
    decision = runner.step(state("2018-01-11", 1, {"p1": 6.0, "p2": 6.0}))
    assert statuses(decision) == [("r", "p1", "cooling", None), ("r", "p2", "carried_out", None)]


def test_evaluate_keeps_no_state_between_calls() -> None:
    rules = ruleset("rule c: when credit > 1 then close\n  limit 1 per run\n")
    for _ in range(3):
        assert [a.rule for a in rules.evaluate(state(credits={"p1": 6.0})).actions] == ["c"]


def test_identical_input_gives_bit_identical_decisions() -> None:
    text = (
        "rule a priority 3: when credit > 1 then close\n"
        "rule b priority 3: when credit > 2 then roll(side: untested, short_delta: 0.3)\n"
        f"rule o: when signal > 0 then {OPEN}\n"
        'rule w: when credit > 0 then alert("x")\n'
    )
    documents = {
        json.dumps(ruleset(text).evaluate(state(credits={"p1": 6.0, "p2": 3.0})).to_dict())
        for _ in range(3)
    }
    assert len(documents) == 1


def test_one_ruleset_is_safe_to_share_between_threads() -> None:
    rules = ruleset(
        "rule a priority 3: when credit > 1 then close\n"
        "rule b: when credit > 2 then roll(side: put)\n"
    )
    inputs = [state(credits={"p1": 6.0 + i % 3, "p2": 1.5}) for i in range(30)]
    expected = [json.dumps(rules.evaluate(s).to_dict()) for s in inputs]
    results: dict[int, list[str]] = {}

    def work(worker: int) -> None:
        results[worker] = [json.dumps(rules.evaluate(s).to_dict()) for s in inputs]

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(found == expected for found in results.values())


def test_decision_to_dict_is_json_with_a_stable_key_order() -> None:
    rules = ruleset("rule c: when credit > 1 then close\n")
    document = rules.evaluate(state(credits={"p1": 6.0})).to_dict()
    assert list(document) == ["date", "actions", "proposals", "alerts"]
    assert list(document["proposals"][0]) == [
        "rule", "kind", "structure", "position", "arguments", "priority", "status", "by", "detail"
    ]  # fmt: skip
    assert json.loads(json.dumps(document)) == document


def test_proposals_name_who_vetoed_or_suppressed_them() -> None:
    rules = ruleset(
        "rule low: when credit > 1 then close\n"
        "rule high priority 5: when credit > 1 then roll(side: put)\n"
        "guard g: forbid resize when credit > 1\n"
        "rule grow: when credit > 1 then resize(qty: 3)\n"
    )
    proposals = {p.rule: p for p in rules.evaluate(state(credits={"p1": 6.0})).proposals}
    assert proposals["low"].suppressed_by == "high" and proposals["low"].vetoed_by is None
    assert proposals["grow"].vetoed_by == "g" and proposals["grow"].kind == "resize"
    assert proposals["high"].position == "p1" and proposals["high"].by is None
