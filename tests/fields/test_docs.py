"""docs/state.md documents every derived field and every state key."""

from __future__ import annotations

from pathlib import Path

from condorrules.fields import LEG_ATTRIBUTES, PORTFOLIO_FIELDS, POSITION_FIELDS, SIDE_ATTRIBUTES
from condorrules.state import Bar, HedgeLayer, Leg, Portfolio, Position, State

DOC = (Path(__file__).parents[2] / "docs" / "state.md").read_text(encoding="utf-8")


def test_every_field_has_a_row() -> None:
    plain = [name for name in POSITION_FIELDS if "." not in name]
    missing = [name for name in (*PORTFOLIO_FIELDS, *plain) if f"`{name}`" not in DOC]
    missing += [f".{a}" for a in (*LEG_ATTRIBUTES, *SIDE_ATTRIBUTES) if f"`.{a}`" not in DOC]
    # portfolio.delta and friends share one row.
    missing = [
        name
        for name in missing
        if name not in {"portfolio.gamma", "portfolio.vega", "portfolio.theta"}
    ]
    assert missing == []


def test_every_state_key_is_documented() -> None:
    models = (Bar, State, Position, Leg, Portfolio, HedgeLayer)
    keys = {key for model in models for key in model.model_fields}
    assert [key for key in sorted(keys) if f"`{key}`" not in DOC] == []
