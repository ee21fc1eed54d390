"""`Ruleset.explain`: condition trees with values, reasons of unknowns, proposals' fate."""

from __future__ import annotations

import json
from pathlib import Path

import condorrules

REPO = Path(__file__).resolve().parents[2]
RULES = """\
input signal
let hot = vix > 30
rule shut priority 100: when hot and credit > 1 then close
rule nudge: when credit > 1 then roll(side: put)
rule grow: when signal > 0 or vix < 50 then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)
guard brake: forbid open when hot
"""
STATE = {
    "date": "2018-02-06",
    "spot": 2695,
    "vix": 37,
    "inputs": {"signal": None},
    "positions": [
        {
            "id": "ic1",
            "opened": "2018-01-02",
            "credit": 7.0,
            "legs": [
                {"right": "put", "strike": 2450, "expiry": "2018-02-16", "qty": 1},
                {"right": "put", "strike": 2500, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2850, "expiry": "2018-02-16", "qty": -1},
                {"right": "call", "strike": 2900, "expiry": "2018-02-16", "qty": 1},
            ],
        }
    ],
    "portfolio": {"equity": 100000},
}


def test_every_rule_and_guard_is_explained_in_each_scope() -> None:
    explanation = condorrules.load(RULES).explain(STATE)
    assert [(e.kind, e.name, e.position, e.fired) for e in explanation.entries] == [
        ("rule", "shut", "ic1", True),
        ("rule", "nudge", "ic1", True),
        ("rule", "grow", None, True),
        ("guard", "brake", None, True),
    ]


def test_the_tree_has_every_value_and_the_let_expanded() -> None:
    (shut,) = condorrules.load(RULES).explain(STATE, rule="shut").entries
    tree = shut.condition
    assert (tree.text, tree.value) == ("hot and credit > 1", True)
    hot, credit = tree.children
    assert (hot.text, hot.value, hot.children[0].text) == ("hot", True, "vix > 30")
    assert [(c.text, c.value) for c in hot.children[0].children] == [("vix", 37.0)]
    assert [(c.text, c.value) for c in credit.children] == [("credit", 7.0)]


def test_outcomes_say_who_won_and_who_vetoed() -> None:
    text = condorrules.load(RULES).explain(STATE).text()
    assert "    -> close: carried out" in text
    assert "    -> roll(side: put): suppressed by rule shut" in text
    assert "vetoed by guard brake" in text
    assert "guard brake: ACTIVE (vetoes)" in text


def test_an_unknown_is_shown_with_its_reason_even_where_kleene_decides() -> None:
    (grow,) = condorrules.load(RULES).explain(STATE, rule="grow").entries
    signal_part = grow.condition.children[0]
    assert signal_part.truth == "unknown"
    assert signal_part.reason == "the data has no value for input signal on this bar"
    assert grow.condition.truth == "true"  # unknown or true is true


def test_explain_json_is_stable_and_serialisable() -> None:
    ruleset = condorrules.load(REPO / "rulesets" / "vixshield_alvh.condor")
    first = json.dumps(ruleset.explain(STATE).to_dict())
    assert first == json.dumps(ruleset.explain(STATE).to_dict())
    document = json.loads(first)
    assert list(document) == ["date", "rules", "decision"]
    guard = next(e for e in document["rules"] if e["name"] == "event_risk")
    reasons = {c["reason"] for c in guard["condition"]["children"][0]["children"]}
    assert "the event calendar has no CPI date on or after 2018-02-06" in reasons
