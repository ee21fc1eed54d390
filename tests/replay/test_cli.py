"""`condorrules backtest`: outputs, the default folder, byte-identical reruns, clear errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from condorrules.cli import build_app
from condorrules.cli.backtest import parse_capital

RULESETS = Path(__file__).resolve().parents[2] / "rulesets"
TASTY = str(RULESETS / "tasty_45dte.condor")
SHORT = ["--from", "2018-01-02", "--to", "2018-03-29"]


def invoke(*args: str) -> tuple[int, str, str]:
    runner = CliRunner()
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_run_writes_its_outputs_and_a_rerun_is_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = invoke("backtest", TASTY, *SHORT)
    assert code == 0, err
    first = tmp_path / "runs" / "tasty_45dte-2018-01-02-2018-03-29"
    assert "Final equity" in out
    names = {path.name for path in first.iterdir()}
    assert {"trades.csv", "equity.csv", "decisions.jsonl"} <= names
    code, _, err = invoke("backtest", TASTY, *SHORT)
    assert code == 0, err
    second = tmp_path / "runs" / "tasty_45dte-2018-01-02-2018-03-29-2"
    assert sorted(p.name for p in second.iterdir()) == sorted(names)
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_out_and_param_and_capital(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    code, _, err = invoke(
        "backtest", TASTY, *SHORT, "--param", "max_open=1", "--capital", "$50k", "--out", str(out)
    )
    assert code == 0, err
    equity = pd.read_csv(out / "equity.csv")
    assert equity["equity"].iloc[0] == 50_000.0  # a Tuesday: nothing opened yet
    assert (equity["equity"] != 50_000.0).any()
    assert equity["open_positions"].max() == 1


def test_a_missing_input_is_a_clear_error(tmp_path: Path) -> None:
    code, out, err = invoke(
        "backtest", str(RULESETS / "vixshield_alvh.condor"), "--out", str(tmp_path / "x")
    )
    assert code == 2
    assert "input `ad_line`" in err
    assert "--data" in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "2013-01-01"], "outside the data"),
        (["--capital", "lots"], "must be a positive amount of money"),
        (["--data", "no/such/file.csv"], "no/such/file.csv"),
    ],
)
def test_usage_problems_exit_2(args: list[str], expected: str, tmp_path: Path) -> None:
    code, out, err = invoke("backtest", TASTY, *args, "--out", str(tmp_path / "x"))
    assert code == 2
    assert expected in err
    assert "Traceback" not in err + out


def test_a_bad_param_is_a_usage_error_with_the_diagnostic(tmp_path: Path) -> None:
    code, _, err = invoke("backtest", TASTY, "--param", "nope=1", "--out", str(tmp_path / "x"))
    assert code == 2
    assert "`--param nope=1`: the ruleset has no param `nope`" in err
    assert "tasty_45dte.condor:1:1" not in err  # about the command line, not the file


def test_capital_spellings() -> None:
    assert parse_capital("100000") == 100_000
    assert parse_capital("$100,000") == 100_000
    assert parse_capital("250k") == 250_000
    assert parse_capital("1.5m") == 1_500_000
    with pytest.raises(ValueError):
        parse_capital("-5")


def test_a_ruleset_with_errors_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.condor"
    bad.write_text("rule r:\n    when vixx > 1\n    then close\n", encoding="utf-8")
    code, _, err = invoke("backtest", str(bad), "--out", str(tmp_path / "x"))
    assert code == 1
    assert "vixx" in err
    assert not (tmp_path / "x").exists()
