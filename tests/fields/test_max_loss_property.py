"""max_loss against a brute-force scan of the expiry payoff, for random structures."""

from __future__ import annotations

import math
from functools import reduce
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from condorrules.fields import Unknown, derive_fields

ROLES = (("put", 1), ("put", -1), ("call", -1), ("call", 1))  # long put, short put, ...


@st.composite
def structures(draw: st.DrawFn) -> tuple[list[dict[str, Any]], float]:
    chosen = draw(st.lists(st.sampled_from(range(4)), min_size=1, max_size=4, unique=True))
    legs = []
    for index in sorted(chosen):
        right, sign = ROLES[index]
        strike = 5 * draw(st.integers(400, 700))
        qty = sign * draw(st.integers(1, 3))
        legs.append({"right": right, "strike": strike, "expiry": "2018-02-16", "qty": qty})
    credit = draw(st.floats(-5, 20, allow_nan=False).map(lambda x: round(x, 2)))
    return legs, credit


def brute_force_worst(legs: list[dict[str, Any]], units: int) -> float:
    top = max(leg["strike"] for leg in legs) * 2 + 10
    settle = np.arange(0.0, top, 0.5)
    payoff = np.zeros_like(settle)
    for leg in legs:
        if leg["right"] == "call":
            intrinsic = np.maximum(settle - leg["strike"], 0.0)
        else:
            intrinsic = np.maximum(leg["strike"] - settle, 0.0)
        payoff += leg["qty"] / units * intrinsic
    return float(payoff.min())


@settings(max_examples=60, deadline=None)
@given(structures())
def test_max_loss_is_the_worst_expiry_payoff(structure: tuple[list[dict[str, Any]], float]) -> None:
    legs, credit = structure
    state = {
        "date": "2018-01-10",
        "spot": 2750,
        "vix": 15,
        "positions": [{"id": "p", "opened": "2018-01-02", "credit": credit, "legs": legs}],
    }
    max_loss = derive_fields(state, names=["max_loss"]).get("max_loss", 0)
    units = reduce(math.gcd, (abs(leg["qty"]) for leg in legs))
    net_calls = sum(leg["qty"] for leg in legs if leg["right"] == "call")
    if net_calls < 0:
        assert isinstance(max_loss, Unknown) and "unbounded" in max_loss.reason
        return
    expected = max(0.0, -brute_force_worst(legs, units) - credit) * 100 * units
    assert isinstance(max_loss, float)
    assert math.isclose(max_loss, expected, rel_tol=1e-12, abs_tol=1e-9)
