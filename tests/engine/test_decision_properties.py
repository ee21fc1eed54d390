"""The decision procedure against a direct reference implementation of LANGUAGE.md §6 on
random rulesets (no limits or cooldowns: a single bar)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import condorrules

ACTIONS = {"close": "close", "roll": "roll(side: put)", "resize": "resize(qty: 2)",
           "alert": 'alert("a")'}  # fmt: skip

rule_specs = st.lists(
    st.tuples(
        st.integers(0, 2),  # priority
        st.integers(1, 8),  # fires when credit > this
        st.sampled_from(sorted(ACTIONS)),
    ),
    min_size=1,
    max_size=6,
)
guard_specs = st.lists(
    st.tuples(st.sets(st.sampled_from(["close", "roll", "resize", "alert"]), min_size=1),
              st.integers(1, 8)),
    max_size=2,
)  # fmt: skip
credit_specs = st.lists(st.integers(1, 9), min_size=1, max_size=3)


def text(rules: list[tuple[int, int, str]], guards: list[tuple[set[str], int]]) -> str:
    lines = [
        f"rule r{i} priority {p}: when credit > {t} then {ACTIONS[kind]}"
        for i, (p, t, kind) in enumerate(rules)
    ]
    lines += [
        f"guard g{i}: forbid {', '.join(sorted(kinds))} when credit > {t}"
        for i, (kinds, t) in enumerate(guards)
    ]
    return "\n".join(lines) + "\n"


def state(credits: list[int]) -> dict[str, Any]:
    legs = [
        {"right": "put", "strike": 2500, "expiry": "2018-02-16", "qty": 1},
        {"right": "put", "strike": 2550, "expiry": "2018-02-16", "qty": -1},
    ]
    positions = [
        {"id": f"p{i}", "opened": "2018-01-02", "credit": float(c), "legs": legs}
        for i, c in enumerate(credits)
    ]
    return {"date": "2018-01-10", "spot": 2750, "vix": 15, "positions": positions}


def reference(
    rules: list[tuple[int, int, str]], guards: list[tuple[set[str], int]], credits: list[int]
) -> list[tuple[str, str, str, str | None]]:
    """Per position: fired rules by (-priority, file order); the first true guard (file
    order) forbidding the kind vetoes; the first remaining position change wins."""
    out = []
    for index, credit in enumerate(credits):
        order = sorted(range(len(rules)), key=lambda i: (-rules[i][0], i))
        winner = None
        for i in order:
            _, threshold, kind = rules[i]
            if not credit > threshold:
                continue
            guard = next(
                (f"g{g}" for g, (kinds, t) in enumerate(guards) if kind in kinds and credit > t),
                None,
            )
            if guard is not None:
                out.append((f"r{i}", f"p{index}", "vetoed", guard))
            elif kind != "alert" and winner is not None:
                out.append((f"r{i}", f"p{index}", "suppressed", winner))
            else:
                winner = f"r{i}" if kind != "alert" else winner
                out.append((f"r{i}", f"p{index}", "carried_out", None))
    return out


@settings(max_examples=60, deadline=None)
@given(rules=rule_specs, guards=guard_specs, credits=credit_specs)
def test_decisions_match_the_reference_procedure(
    rules: list[tuple[int, int, str]], guards: list[tuple[set[str], int]], credits: list[int]
) -> None:
    ruleset = condorrules.load(text(rules, guards))
    decision = ruleset.evaluate(state(credits))
    found = [(p.rule, p.position, p.status, p.by) for p in decision.proposals]
    assert found == reference(rules, guards, credits)
    changes = [a for a in decision.actions if a.kind != "alert"]
    assert len({a.position for a in changes}) == len(changes)  # one change per position
