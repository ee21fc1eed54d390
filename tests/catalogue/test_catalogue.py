"""The catalogue against LANGUAGE.md §4-§6, transcribed here by hand as the reference."""

from __future__ import annotations

import math

import pytest

from condorrules import catalogue
from condorrules.catalogue import ParamKind, Scope, Type

# LANGUAGE.md §4, word for word.
PORTFOLIO_FIELDS = [
    "date",
    "weekday",
    "spot",
    "spot.open",
    "spot.high",
    "spot.low",
    "vix",
    "rate",
    "div_yield",
    "atm_iv",
    "portfolio.equity",
    "portfolio.cash",
    "portfolio.margin",
    "portfolio.bp_used",
    "portfolio.open_positions",
    "portfolio.delta",
    "portfolio.gamma",
    "portfolio.vega",
    "portfolio.theta",
    "portfolio.hedged",
    "portfolio.hedge_count",
    "portfolio.drawdown",
]
POSITION_FIELDS = [
    "dte",
    "days_in_trade",
    "opened",
    "expiry",
    "qty",
    "rolls",
    "credit",
    "mark",
    "pnl",
    "pnl_pct",
    "max_profit",
    "max_loss",
    "margin",
    "return_on_margin",
    "delta",
    "gamma",
    "vega",
    "theta",
    "breakeven_low",
    "breakeven_high",
    "pop",
    "extrinsic",
    "range_low",
    "range_high",
    "range_position",
    "in_range",
    "tested",
]
LEG_FIELDS = ["strike", "delta", "gamma", "vega", "theta", "iv", "mark", "otm", "itm", "extrinsic"]
SIDE_FIELDS = ["width", "credit", "mark"]
LEGS = ["short_put", "long_put", "short_call", "long_call"]


def test_every_field_of_the_spec_is_catalogued_with_its_scope() -> None:
    expected = {name: Scope.PORTFOLIO for name in PORTFOLIO_FIELDS}
    expected |= {name: Scope.POSITION for name in POSITION_FIELDS}
    expected |= {f"{leg}.{f}": Scope.POSITION for leg in LEGS for f in LEG_FIELDS}
    expected |= {f"{s}.{f}": Scope.POSITION for s in ("put_side", "call_side") for f in SIDE_FIELDS}
    assert {name: field.scope for name, field in catalogue.FIELDS.items()} == expected


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pnl_pct", Type.RATIO),
        ("pnl", Type.MONEY),
        ("dte", Type.DAYS),
        ("credit", Type.PRICE),
        ("short_put.iv", Type.RATIO),
        ("portfolio.bp_used", Type.RATIO),
        ("portfolio.hedged", Type.BOOL),
        ("tested", Type.SIDE),
        ("expiry", Type.DATE),
        ("weekday", Type.WEEKDAY),
        ("range_position", Type.NUMBER),
        ("short_put.otm", Type.RATIO),
        ("put_side.width", Type.PRICE),
    ],
)
def test_field_types_follow_the_spec(name: str, kind: Type) -> None:
    assert catalogue.FIELDS[name].type is kind


def test_delta_signs_follow_black_scholes() -> None:
    for leg in ("short_put", "long_put"):
        delta = catalogue.FIELDS[f"{leg}.delta"].range
        assert delta is not None and (delta.low, delta.high) == (-1.0, 0.0)
    for leg in ("short_call", "long_call"):
        delta = catalogue.FIELDS[f"{leg}.delta"].range
        assert delta is not None and (delta.low, delta.high) == (0.0, 1.0)


def test_leg_gamma_and_vega_are_non_negative_and_theta_unconstrained() -> None:
    for leg in LEGS:
        for greek in ("gamma", "vega"):
            value_range = catalogue.FIELDS[f"{leg}.{greek}"].range
            assert value_range is not None and value_range.low == 0.0
        theta = catalogue.FIELDS[f"{leg}.theta"].range
        assert theta is not None and theta.is_unbounded  # deep ITM European puts: theta > 0


def test_position_greeks_have_any_sign() -> None:
    for greek in ("delta", "gamma", "vega", "theta"):
        value_range = catalogue.FIELDS[greek].range
        assert value_range is not None and value_range.is_unbounded


def test_probabilities_and_ratios_of_a_whole_are_in_the_unit_interval() -> None:
    for name in ("pop", "portfolio.drawdown"):
        value_range = catalogue.FIELDS[name].range
        assert value_range is not None and (value_range.low, value_range.high) == (0.0, 1.0)


def test_every_numeric_field_has_a_range_and_no_other_does() -> None:
    for field in catalogue.FIELD_LIST:
        assert (field.range is not None) == field.type.is_numeric, field.name
        assert field.description


SPEC_FUNCTIONS = [
    "abs",
    "min",
    "max",
    "round",
    "sma",
    "ema",
    "rsi",
    "macd",
    "bbands",
    "stdev",
    "hv",
    "highest",
    "lowest",
    "change",
    "pct_change",
    "rank",
    "iv_rank",
    "crosses_above",
    "crosses_below",
    "held",
    "within",
    "bars_since",
    "days_to",
    "days_since",
    "expected_move",
]


def test_every_function_of_the_spec_is_catalogued() -> None:
    assert set(catalogue.FUNCTIONS) == set(SPEC_FUNCTIONS)


@pytest.mark.parametrize(
    ("name", "defaults"),
    [
        ("rsi", {"n": 14}),
        ("macd", {"fast": 12, "slow": 26, "signal": 9}),
        ("bbands", {"n": 20, "k": 2}),
        ("hv", {"n": 20}),
        ("change", {"n": 1}),
        ("pct_change", {"n": 1}),
    ],
)
def test_function_defaults_follow_the_spec(name: str, defaults: dict[str, float]) -> None:
    function = catalogue.FUNCTIONS[name]
    assert {p.name: p.default for p in function.params if p.default is not None} == defaults


@pytest.mark.parametrize(
    ("name", "result"),
    [
        ("rsi", Type.NUMBER),
        ("pct_change", Type.RATIO),
        ("hv", Type.RATIO),
        ("rank", Type.RATIO),
        ("iv_rank", Type.RATIO),
        ("bars_since", Type.NUMBER),
        ("days_to", Type.DAYS),
        ("days_since", Type.DAYS),
        ("expected_move", Type.PRICE),
        ("held", Type.BOOL),
        ("crosses_above", Type.BOOL),
    ],
)
def test_function_result_types(name: str, result: Type) -> None:
    assert catalogue.FUNCTIONS[name].result is result


def test_unit_keeping_functions_name_a_real_parameter() -> None:
    for function in catalogue.FUNCTION_LIST:
        assert (function.result is None) == (function.keeps_unit_of is not None), function.name
        if function.keeps_unit_of is not None:
            assert function.param(function.keeps_unit_of) is not None
        assert function.warmup


def test_rsi_is_bounded_and_multi_valued_functions_have_their_parts() -> None:
    rsi = catalogue.FUNCTIONS["rsi"].result_range
    assert rsi is not None and (rsi.low, rsi.high) == (0.0, 100.0)
    assert catalogue.FUNCTIONS["macd"].attributes == ("line", "signal", "hist")
    assert catalogue.FUNCTIONS["bbands"].attributes == ("upper", "mid", "lower")
    assert catalogue.FUNCTIONS["days_to"].params[0].kind is ParamKind.EVENT


def test_actions_and_guard_kinds_follow_the_spec() -> None:
    assert set(catalogue.ACTIONS) == {
        "open",
        "close",
        "roll",
        "resize",
        "hedge",
        "unhedge",
        "alert",
    }
    assert set(catalogue.GUARD_KINDS) == set(catalogue.ACTIONS)
    assert {a.name for a in catalogue.ACTION_LIST if a.scope is Scope.POSITION} == {
        "close",
        "roll",
        "resize",
    }
    assert catalogue.ACTIONS["alert"].scope is None
    open_action = catalogue.ACTIONS["open"]
    assert {s.name for s in open_action.structures} == {"iron_condor", "put_spread", "call_spread"}
    assert catalogue.ACTIONS["hedge"].structure("vix_call_spread") is not None


def test_open_needs_dte_one_selector_and_one_wing() -> None:
    structure = catalogue.STRUCTURES["iron_condor"]
    groups = {g.name: g for g in structure.signature.groups}
    assert structure.signature.required == ("dte",)
    assert groups["strike selector"].required
    assert groups["strike selector"].alternatives == (
        ("short_delta",),
        ("put_delta", "call_delta"),
        ("short_otm",),
        ("short_em",),
    )
    assert groups["wing"].alternatives == (("wing",), ("put_wing", "call_wing"), ("wing_delta",))
    assert not groups["size"].required


@pytest.mark.parametrize(
    ("argument", "good", "bad"),
    [
        ("short_delta", [0.16, 0.5], [0.0, 1.0, -0.16, 16]),
        ("wing", [5, 50], [0, -50]),
        ("qty", [1, 10], [0, 1.5, -1]),
        ("risk", [0.02, 1.0], [0.0, 1.5]),
    ],
)
def test_argument_constraints(argument: str, good: list[float], bad: list[float]) -> None:
    found = catalogue.STRUCTURES["iron_condor"].signature.argument(argument)
    assert found is not None and found.constraint is not None
    assert all(found.constraint.allows(v) for v in good)
    assert not any(found.constraint.allows(v) for v in bad)


def test_symbols() -> None:
    assert catalogue.SIDE_VALUES == ("put", "call", "both", "tested", "untested", "none")
    assert catalogue.WEEKDAYS == ("mon", "tue", "wed", "thu", "fri")
    assert catalogue.EVENTS["FOMC"].built_in
    assert not catalogue.EVENTS["CPI"].built_in and not catalogue.EVENTS["PPI"].built_in


def test_interval_describe_uses_open_infinite_ends() -> None:
    assert catalogue.Interval(0.0, math.inf).describe() == "[0, inf)"
    assert catalogue.Interval(-1.0, 0.0).describe() == "[-1, 0]"
