"""The report over a real replay of a shipped ruleset (a short window of the built-in history)."""

from __future__ import annotations

from pathlib import Path

import pytest

from condorrules.report import compute_metrics, summary_rows, write_outputs

replay = pytest.importorskip("condorrules.replay", reason="the replay package is not built yet")
RULESET = Path(__file__).resolve().parents[2] / "rulesets" / "tasty_45dte.condor"


@pytest.fixture(scope="module")
def result():  # type: ignore[no-untyped-def]
    return replay.backtest(RULESET, start="2018-01-02", end="2018-04-30")


def test_replay_carries_these_metrics(result) -> None:
    assert result.metrics.keys() == compute_metrics(result).keys()
    assert result.metrics["bars"] == len(result.equity)


def test_rule_attribution_adds_up_to_realised_pnl(result) -> None:
    metrics = compute_metrics(result)
    by_rule = sum(row["realised_pnl"] for row in metrics["pnl_by_rule"])
    assert by_rule == pytest.approx(result.trades["realised_pnl"].sum(), abs=1e-6)
    assert metrics["total_pnl"] == pytest.approx(
        result.equity["equity"].iloc[-1] - result.parameters["capital"], abs=1e-6
    )


def test_real_run_outputs_are_byte_identical(result, tmp_path: Path) -> None:
    first = write_outputs(result, tmp_path / "a", chart_dpi=30)
    second = write_outputs(result, tmp_path / "b", chart_dpi=30)
    assert [path.read_bytes() for path in first] == [path.read_bytes() for path in second]
    assert dict(summary_rows(result))["Period"].startswith("2018-01-02 to 2018-04-30")
