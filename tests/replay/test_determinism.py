"""A run is deterministic and never looks ahead, with the real rule engine deciding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import condorrules
from condorrules.api import Runner
from condorrules.history import HistoryError, load_builtin, slice_dates
from condorrules.replay import EQUITY_COLUMNS, TRADE_COLUMNS, Result, backtest, simulate
from condorrules.state import State

RULESETS = Path(__file__).resolve().parents[2] / "rulesets"
TASTY = RULESETS / "tasty_45dte.condor"


@pytest.fixture(scope="module")
def window() -> pd.DataFrame:
    return slice_dates(load_builtin(), "2015-06-01", "2015-10-30")


@pytest.fixture(scope="module")
def first(window: pd.DataFrame) -> Result:
    return backtest(TASTY, data=window)


def test_the_result_has_the_contracted_shape(first: Result) -> None:
    assert list(first.trades.columns) == list(TRADE_COLUMNS)
    assert list(first.equity.columns)[: len(EQUITY_COLUMNS)] == list(EQUITY_COLUMNS)
    assert isinstance(first.equity.index, pd.DatetimeIndex)
    assert first.equity.index.name == "date"
    assert len(first.decisions) == len(first.equity)
    assert set(first.trades["action"]) >= {"open", "close", "roll"}
    assert first.positions["rolls"].sum() > 0
    assert first.parameters["ruleset"] == "tasty_45dte"
    assert first.parameters["params"]["short_delta"] == 0.16
    json.dumps(first.decisions, allow_nan=False)  # JSON-serialisable, no NaN


def test_two_runs_give_identical_frames_and_bytes(first: Result, window: pd.DataFrame) -> None:
    second = backtest(TASTY, data=window)
    for name in ("trades", "equity", "positions"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
        assert getattr(first, name).to_csv().encode() == getattr(second, name).to_csv().encode()
    assert json.dumps(first.decisions) == json.dumps(second.decisions)
    assert first.parameters == second.parameters


def test_changing_the_data_after_a_date_changes_nothing_before_it(
    first: Result, window: pd.DataFrame
) -> None:
    cut = pd.Timestamp("2015-08-14")
    altered = window.copy()
    later = altered.index > cut
    altered.loc[later, ["open", "high", "low", "close"]] *= 0.85  # a crash after the cut
    altered.loc[later, "vix"] = 45.0
    changed = backtest(TASTY, data=altered)
    before = first.trades["date"] <= cut
    assert before.sum() > 10
    pd.testing.assert_frame_equal(
        first.trades[before].reset_index(drop=True),
        changed.trades[changed.trades["date"] <= cut].reset_index(drop=True),
    )
    pd.testing.assert_frame_equal(first.equity.loc[:cut], changed.equity.loc[:cut])
    upto = [r for r in first.decisions if r["date"] <= cut.date().isoformat()]
    assert upto == changed.decisions[: len(upto)]
    assert not first.equity.loc[cut:].equals(changed.equity.loc[cut:])


def test_the_package_exposes_backtest() -> None:
    assert condorrules.backtest is backtest


def test_a_missing_input_stops_the_run_before_the_first_bar() -> None:
    text = 'ruleset needs_input\ninput breadth\nrule r:\n when breadth > 0\n then alert("x")\n'
    with pytest.raises(HistoryError) as raised:
        backtest(text)
    message = str(raised.value)
    assert "input `breadth`" in message
    assert "--data" in message


def test_params_override_the_ruleset(window: pd.DataFrame) -> None:
    result = backtest(TASTY, data=window, params={"max_open": 1})
    assert result.parameters["params"]["max_open"] == 1
    assert result.equity["open_positions"].max() == 1


class Validating:
    """Forwards to the engine's runner after validating the state the replay built."""

    def __init__(self, runner: Runner) -> None:
        self.runner = runner
        self.states = 0

    def step(self, state: State) -> Any:
        State.model_validate(state.model_dump())
        self.states += 1
        return self.runner.step(state)


def test_every_state_the_replay_builds_is_valid(window: pd.DataFrame) -> None:
    ruleset = condorrules.load(RULESETS / "amm_recentering.condor")
    maker = Validating(ruleset.runner())
    result = simulate(maker, window, {"capital": 100_000.0})
    assert maker.states == len(window)
    assert result.positions["rolls"].sum() > 0  # recentring rolls happened and were valid


def test_progress_is_reported_after_every_bar(window: pd.DataFrame) -> None:
    calls: list[tuple[int, int]] = []
    backtest(TASTY, data=window.iloc[:5], progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_replaying_the_logged_actions_gives_the_same_trades(
    first: Result, window: pd.DataFrame, script: Any, make_action: Any
) -> None:
    plan = {
        pd.Timestamp(record["date"]).date(): [
            make_action(a["rule"], a["kind"], a["structure"], a["position"], **a["arguments"])
            for a in record["actions"]
        ]
        for record in first.decisions
    }
    again = simulate(script(plan), window, {"capital": 100_000.0})
    pd.testing.assert_frame_equal(again.trades, first.trades)
    pd.testing.assert_frame_equal(again.equity, first.equity)
