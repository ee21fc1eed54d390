"""Argument handling: rights, broadcasting, scalar results, and ValueError messages."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_array_equal

from condorrules import greeks as g


def test_scalar_inputs_give_python_floats() -> None:
    assert type(g.price("call", 100.0, 100.0, 0.5, 0.2)) is float
    assert type(g.greeks("put", 100, 100, 0.5, 0.2).theta) is float
    assert type(g.implied_vol("call", 6.0, 100.0, 100.0, 0.5)) is float
    assert type(g.price(np.array(True), np.float64(100.0), 100.0, 0.5, 0.2)) is float


def test_arguments_broadcast_like_numpy() -> None:
    strikes = np.array([90.0, 100.0, 110.0])
    vols = np.array([[0.1], [0.2]])
    values = g.price("call", 100.0, strikes, 0.5, vols)
    assert isinstance(values, np.ndarray)
    assert values.shape == (2, 3)
    assert values[1, 2] == g.price("call", 100.0, 110.0, 0.5, 0.2)


def test_right_accepts_strings_string_arrays_and_booleans() -> None:
    by_bool = g.price(np.array([True, False]), 100.0, 105.0, 0.5, 0.2)
    by_name = g.price(np.array(["call", "put"]), 100.0, 105.0, 0.5, 0.2)
    by_list = g.price(["call", "put"], 100.0, 105.0, 0.5, 0.2)
    expected = [g.price("call", 100.0, 105.0, 0.5, 0.2), g.price("put", 100.0, 105.0, 0.5, 0.2)]
    assert_array_equal(by_bool, expected)
    assert_array_equal(by_name, expected)
    assert_array_equal(by_list, expected)


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ({"spot": -1.0}, r"spot must be >= 0, got -1\.0$"),
        (
            {"strike": np.array([100.0, 90.0, -5.0, -6.0])},
            r"strike must be >= 0, got -5\.0 at index 2$",
        ),
        (
            {"t": np.array([[0.1, 0.2], [-0.3, 0.4]])},
            r"t must be >= 0, got -0\.3 at index \(1, 0\)$",
        ),
        ({"vol": np.array([0.2, -0.01])}, r"vol must be >= 0, got -0\.01 at index 1$"),
        (
            {"right": "straddle"},
            r"right must be 'call' or 'put' \(or True for call\), got 'straddle'$",
        ),
        ({"right": ["call", "Put"]}, r"right must be .* got 'Put' at index 1$"),
        ({"right": 3}, r"right must be 'call', 'put', a bool"),
        ({"spot": "abc"}, r"spot must be a number"),
        ({"rate": float("inf")}, r"rate must be finite"),
    ],
)
def test_bad_input_raises_value_error_naming_argument_and_index(
    argument: dict[str, object], message: str
) -> None:
    args: dict[str, object] = {
        "right": "call",
        "spot": 100.0,
        "strike": 100.0,
        "t": 0.5,
        "vol": 0.2,
    }
    args |= argument
    with pytest.raises(ValueError, match=message):
        g.greeks(**args)  # type: ignore[arg-type]


def test_black76_names_the_forward() -> None:
    with pytest.raises(ValueError, match=r"forward must be >= 0, got -1\.0 at index 1"):
        g.black76_price("call", np.array([1.0, -1.0]), 1.0, 0.5, 0.2)


def test_implied_vol_validates_spot_strike_and_t() -> None:
    with pytest.raises(ValueError, match=r"t must be >= 0"):
        g.implied_vol("call", 1.0, 100.0, 100.0, -0.5)
    with pytest.raises(ValueError, match=r"right must be"):
        g.implied_vol("cal", 1.0, 100.0, 100.0, 0.5)


def test_shapes_that_do_not_broadcast_are_named() -> None:
    with pytest.raises(ValueError, match=r"do not broadcast.*strike\(3,\).*vol\(2,\)"):
        g.price("call", 100.0, np.ones(3), 0.5, np.ones(2))


def test_results_are_deterministic_bit_for_bit() -> None:
    rng = np.random.default_rng(3)
    spot = rng.uniform(50, 150, 50_000)
    first = g.greeks("call", spot, 100.0, 0.3, 0.25, 0.01)
    second = g.greeks("call", spot, 100.0, 0.3, 0.25, 0.01)
    assert_array_equal(first.theta, second.theta)
    # Chunking must not change a value: the same option alone gives the same bits.
    assert first.theta[40_000] == g.greeks("call", spot[40_000], 100.0, 0.3, 0.25, 0.01).theta
