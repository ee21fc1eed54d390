"""Regressions from the QA review of the replay: skipped actions and limits, intraday time
stamps, unknown in-range days, settlement labels, capital text, chain gaps, events, --out."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import condorrules
from condorrules.cli import build_app
from condorrules.history import load_builtin
from condorrules.report import write_outputs

RULESETS = Path(__file__).resolve().parents[2] / "rulesets"
TASTY = RULESETS / "tasty_45dte.condor"
OPEN_ONCE = (
    "ruleset once\nrule o:\n    when spot > 0\n"
    "    then open iron_condor(dte: 30d, short_delta: 0.16, wing: 50, qty: 1)\n"
    "    limit 1 per run\n"
)
HOLD = (
    "ruleset hold\nrule o:\n    when portfolio.open_positions < 1\n"
    "    then open iron_condor(dte: 10d, short_delta: 0.16, wing: 50)\n    limit 1 per run\n"
)


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_an_open_the_replay_skips_does_not_use_up_its_limit() -> None:
    # The QA repro: the first two bars have no VIX, so the first opens cannot be priced.
    data = pd.DataFrame(
        {
            "date": ["2017-01-03", "2017-01-04", "2017-01-05", "2017-01-06"],
            "close": [2257.83, 2270.75, 2269.0, 2276.98],
            "vix": [np.nan, np.nan, 11.67, 11.32],
        }
    )
    result = condorrules.backtest(OPEN_ONCE, data=data)
    statuses = [[p["status"] for p in d["proposals"]] for d in result.decisions]
    assert statuses == [["skipped"], ["skipped"], ["carried_out"], ["limited"]]
    skipped = result.decisions[0]["proposals"][0]
    assert "no VIX" in skipped["detail"]
    assert len(result.positions) == 1 and result.positions["opened"].iloc[0].day == 5


def test_intraday_bars_keep_their_time_of_day_through_result_and_report(tmp_path: Path) -> None:
    data = pd.DataFrame(
        {
            "date": ["2018-01-02 10:00", "2018-01-02 16:00", "2018-01-03 10:00"],
            "close": [2700.0, 2710.0, 2720.0],
            "vix": [12.0, 12.0, 13.0],
        }
    )
    result = condorrules.backtest(TASTY, data=data)
    stamps = [str(stamp) for stamp in result.equity.index]
    assert stamps == ["2018-01-02 10:00:00", "2018-01-02 16:00:00", "2018-01-03 10:00:00"]
    assert str(result.trades["date"].iloc[0]) == "2018-01-03 10:00:00"
    assert [d["date"] for d in result.decisions][:2] == [
        "2018-01-02T10:00:00",
        "2018-01-02T16:00:00",
    ]
    paths = write_outputs(result, tmp_path)  # the charts used to fail on repeated dates
    assert (tmp_path / "vix_trades.png").stat().st_size > 0 and paths


def test_a_bar_without_a_close_has_an_unknown_in_range() -> None:
    history = load_builtin().loc["2017-01-01":"2017-03-31"].copy()
    first = condorrules.backtest(TASTY, data=history.reset_index())
    day = first.equity.index[first.equity["open_positions"] > 0][5]
    history.loc[day, ["open", "high", "low", "close"]] = np.nan
    result = condorrules.backtest(TASTY, data=history.reset_index())
    assert result.equity.loc[day, "open_positions"] > 0
    assert math.isnan(result.equity.loc[day, "in_range"])
    known = result.equity["in_range"].dropna()
    assert result.metrics["time_in_range"] == pytest.approx(known.mean())


def test_settlements_in_the_decision_log_keep_each_legs_role() -> None:
    result = condorrules.backtest(HOLD, start="2017-12-01", end="2018-01-31")
    settled = [s for d in result.decisions for s in d["settlements"] if "leg" in s]
    assert sorted(s["leg"] for s in settled[:4]) == [
        "long_call",
        "long_put",
        "short_call",
        "short_put",
    ]
    ledger = result.trades[result.trades["action"] == "settle"]
    assert sorted(ledger["leg"])[:4] == sorted(s["leg"] for s in settled[:4])


@pytest.mark.parametrize("capital", ["$50,000", "50k", 50_000])
def test_capital_takes_the_same_money_forms_as_the_command_line(capital: object) -> None:
    result = condorrules.backtest(
        TASTY,
        start="2018-01-02",
        end="2018-01-05",
        capital=capital,  # type: ignore[arg-type]
    )
    assert result.parameters["capital"] == 50_000.0


@pytest.mark.parametrize("capital", ["-5000", "0", "lots"])
def test_a_capital_that_is_not_positive_money_has_one_message(capital: str) -> None:
    with pytest.raises(ValueError, match="must be a positive amount of money"):
        condorrules.backtest(TASTY, capital=capital)
    code, _, err = _invoke("backtest", str(TASTY), "--capital", capital)
    assert code == 2 and "must be a positive amount of money" in err


def test_a_chain_without_quotes_on_the_run_is_recorded_and_warned(tmp_path: Path) -> None:
    from condorrules.chain import load_sample_chain

    chain = load_sample_chain()
    quoted = chain.dates()
    start = quoted[-1].isoformat()
    result = condorrules.backtest(TASTY, start=start, end="2018-12-31", chain=chain)
    gaps = result.parameters["chain_gaps"]
    assert gaps["bars"] == len(result.equity) - 1 and gaps["first"] > start
    assert "chain" not in result.decisions[0] and "chain" in result.decisions[1]
    sample = tmp_path / "chain.csv"
    chain.frame.to_csv(sample, index=False)
    code, _, err = _invoke(
        "backtest", str(TASTY), "--chain", str(sample), "--from", start, "--out",
        str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, err
    assert err.count("warning: the chain has no quotes") == 1


def test_out_into_a_folder_with_files_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    short = ["--from", "2018-01-02", "--to", "2018-01-10", "--out", str(out)]
    code, _, err = _invoke("backtest", str(TASTY), *short)
    assert code == 2 and "already has files" in err and "--force" in err
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]
    code, _, err = _invoke("backtest", str(TASTY), *short, "--force")
    assert code == 0, err
    assert (out / "notes.txt").read_text() == "mine" and (out / "trades.csv").exists()


EARNINGS = "date,event,note\n2018-01-25,EARNINGS,made up\n2018-04-26,EARNINGS,made up\n"
EVENT_RULES = (
    'ruleset ev\nrule near: when days_to(EARNINGS) <= 3 then alert("earnings")\n'
    'rule fomc: when days_to(FOMC) <= 1 then alert("fomc")\n'
)


def test_user_events_work_with_the_built_in_fomc_calendar(tmp_path: Path) -> None:
    events = tmp_path / "events.csv"
    events.write_text(EARNINGS)
    with pytest.raises(condorrules.RulesetError, match="EARNINGS"):
        condorrules.load(EVENT_RULES)
    ruleset = condorrules.load(EVENT_RULES, events=events)
    decision = ruleset.evaluate({"date": "2018-01-23", "spot": 2800})
    assert [alert.text for alert in decision.alerts] == ["earnings"]
    result = condorrules.backtest(EVENT_RULES, start="2018-01-22", end="2018-01-31", events=events)
    alerts = {d["date"]: [a["text"] for a in d["alerts"]] for d in result.decisions}
    assert alerts["2018-01-22"] == ["earnings"] and alerts["2018-01-26"] == []
    assert alerts["2018-01-30"] == ["fomc"]  # FOMC 2018-01-31 is still known
    rules = tmp_path / "ev.condor"
    rules.write_text(EVENT_RULES)
    state = tmp_path / "state.json"
    state.write_text(json.dumps({"date": "2018-01-23", "spot": 2800}))
    code, out, err = _invoke("eval", str(rules), "--state", str(state), "--events", str(events))
    assert code == 0, err
    assert json.loads(out)["alerts"][0]["text"] == "earnings"
    code, out, err = _invoke("explain", str(rules), "--state", str(state), "--events", str(events))
    assert code == 0, err
    code, _, err = _invoke(
        "backtest", str(rules), "--events", str(events), "--from", "2018-01-22", "--to",
        "2018-01-31", "--out", str(tmp_path / "o"),
    )  # fmt: skip
    assert code == 0, err
    code, _, err = _invoke("eval", str(rules), "--state", str(state))
    assert code == 1 and "EARNINGS" in err  # without --events the event is unknown
