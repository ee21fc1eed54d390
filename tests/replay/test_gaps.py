"""Missing data: bars without a VIX, data without any VIX, a settlement day missing."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd

from condorrules.history import history_from_frame, load_builtin, slice_dates
from condorrules.replay import simulate

D = dt.date
CONDOR = {"dte": 45.0, "short_delta": 0.16, "wing": 50.0, "qty": 1.0}


def test_a_bar_without_vix_is_priced_at_the_last_known_vix(script: Any, make_action: Any) -> None:
    frame = slice_dates(load_builtin(), "2016-03-01", "2016-03-10").copy()
    frame.loc["2016-03-04", "vix"] = np.nan
    plan = {D(2016, 3, 1): [make_action("a", "open", "iron_condor", **CONDOR)]}
    maker = script(plan)
    result = simulate(maker, frame, {"capital": 100_000.0})
    assert result.equity["equity"].notna().all()
    state = next(s for s in maker.states if s.date == D(2016, 3, 4))
    assert state.vix is None
    assert all(leg.mark is not None and leg.iv is not None for leg in state.positions[0].legs)
    # Priced at the VIX of 2016-03-03, so the marks equal a run where that bar had that VIX.
    filled = frame.copy()
    filled.loc["2016-03-04", "vix"] = frame.loc["2016-03-03", "vix"]
    other = script(plan)
    twin_result = simulate(other, filled, {"capital": 100_000.0})
    twin = next(s for s in other.states if s.date == D(2016, 3, 4))
    assert twin.positions[0].legs[0].mark is None  # with a VIX the engine prices it itself
    value = result.equity.loc["2016-03-04", "position_value"]
    assert math.isclose(value, twin_result.equity.loc["2016-03-04", "position_value"], abs_tol=1e-9)


def test_data_without_vix_cannot_price_an_open(script: Any, make_action: Any) -> None:
    frame = slice_dates(load_builtin(), "2016-03-01", "2016-03-03")[["close"]]
    history = history_from_frame(frame)
    plan = {D(2016, 3, 1): [make_action("a", "open", "iron_condor", **CONDOR)]}
    result = simulate(script(plan), history, {"capital": 100_000.0})
    assert result.positions.empty
    [skip] = result.decisions[0]["skipped"]
    assert "no VIX" in skip["reason"]


def test_a_missing_expiry_bar_settles_on_the_next_bar(script: Any, make_action: Any) -> None:
    frame = slice_dates(load_builtin(), "2017-12-01", "2018-01-31")
    frame = frame.drop(pd.Timestamp("2018-01-19"))
    args = {**CONDOR, "dte": 49.0}
    plan = {D(2017, 12, 1): [make_action("a", "open", "iron_condor", **args)]}
    result = simulate(script(plan), frame, {"capital": 100_000.0})
    settled = result.trades[result.trades["action"] == "settle"]
    assert set(settled["date"]) == {pd.Timestamp("2018-01-22")}
    level = frame.loc["2018-01-22", "open"]  # AM settlement: that bar's open
    call = settled.set_index("leg").loc["short_call"]
    assert call["price"] == max(level - call["strike"], 0.0)
