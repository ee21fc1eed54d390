"""The function table agrees with the implementations: names, defaults, warm-up, fields."""

from __future__ import annotations

import numpy as np
import pytest

from condorrules.runtime import column
from condorrules.runtime.functions import SERIES_FUNCTIONS

SPEC_NAMES = {
    "sma", "ema", "rsi", "macd", "bbands", "stdev", "hv", "highest", "lowest", "change",
    "pct_change", "rank", "iv_rank", "crosses_above", "crosses_below", "held", "within",
    "bars_since",
}  # fmt: skip
ARGUMENTS = {"n": 5, "k": 2.0, "fast": 3, "slow": 6, "signal": 4}


def test_table_lists_exactly_the_language_series_functions() -> None:
    assert set(SERIES_FUNCTIONS) == SPEC_NAMES


def test_defaults_are_the_language_defaults() -> None:
    assert SERIES_FUNCTIONS["rsi"].defaults == {"n": 14}
    assert SERIES_FUNCTIONS["macd"].defaults == {"fast": 12, "slow": 26, "signal": 9}
    assert SERIES_FUNCTIONS["bbands"].defaults == {"n": 20, "k": 2.0}
    assert SERIES_FUNCTIONS["hv"].defaults == {"n": 20}
    assert SERIES_FUNCTIONS["change"].defaults == SERIES_FUNCTIONS["pct_change"].defaults


@pytest.mark.parametrize("name", sorted(SPEC_NAMES))
def test_warmup_is_the_first_bar_with_a_known_value(name: str) -> None:
    """On always-true conditions / rising prices, the first known bar is the stated warm-up."""
    function = SERIES_FUNCTIONS[name]
    parameters = [ARGUMENTS[p] for p in function.parameters]
    if function.series == ("c",):
        # held is decided early by a false bar, within by a true one: feed the other
        inputs = [column(np.full(40, name != "within"))]
    elif function.series == ("a", "b"):
        # bar 0 must not be decided by `a > b` (above) or `a < b` (below) being false
        inputs = [column(np.arange(40.0) % 7 + 4), column(np.full(40, 3.5))]
        if name == "crosses_below":
            inputs.reverse()
    else:
        inputs = [column(100 + np.arange(40.0) + np.sin(np.arange(40.0)))]
    result = function.batch(*inputs, *parameters)
    outputs = [getattr(result, f) for f in function.fields] or [result]
    warmup = function.warmup(*parameters)
    last = outputs[-1]  # for macd the last field (hist) has the longest warm-up
    assert not last.known[:warmup].any(), name
    if name.startswith("crosses"):
        assert last.known[warmup:].all()
    else:
        assert last.known[warmup], name


@pytest.mark.parametrize("name", sorted(SPEC_NAMES))
def test_incremental_factory_takes_the_same_parameters(name: str) -> None:
    function = SERIES_FUNCTIONS[name]
    indicator = function.incremental(*[ARGUMENTS[p] for p in function.parameters], label="f(x)")
    assert callable(indicator.update)
