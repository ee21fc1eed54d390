"""`condorrules eval` and `explain` from the command line, `--jsonl` driven by a process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from condorrules.cli import build_app

REPO = Path(__file__).resolve().parents[2]
TASTY = REPO / "rulesets" / "tasty_45dte.condor"


def test_eval_prints_the_decision_json(tmp_path: Path, minimal_state: dict[str, Any]) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(minimal_state))
    result = CliRunner().invoke(build_app(), ["eval", str(TASTY), "--state", str(state)])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert [(a["rule"], a["position"]) for a in decision["actions"]] == [
        ("take_profit", "ic1"),
        ("open_new", None),
    ]
    overridden = CliRunner().invoke(
        build_app(),
        ["eval", str(TASTY), "--state", str(state), "--param", "profit_take=90%"],
    )
    assert [a["rule"] for a in json.loads(overridden.output)["actions"]] == ["open_new"]


def test_eval_reports_an_invalid_state_file_with_exit_2(
    tmp_path: Path, minimal_state: dict[str, Any]
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps({**minimal_state, "spot": -5}))
    result = CliRunner().invoke(build_app(), ["eval", str(TASTY), "--state", str(state)])
    assert result.exit_code == 2
    assert "spot: -5 is not valid" in result.output


def test_jsonl_answers_every_line_once_in_order_and_survives_bad_lines(
    minimal_state: dict[str, Any],
) -> None:
    good = json.dumps(minimal_state)
    lines = [good, "{not json", "", json.dumps({"date": "2018-01-11"}), good, "[1, 2]", good]
    process = subprocess.Popen(
        [sys.executable, "-m", "condorrules", "eval", str(TASTY), "--jsonl"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None and process.stdout is not None
    answers = []
    for line in lines:  # one line out per line in, before the next is sent: flushed per line
        process.stdin.write(line + "\n")
        process.stdin.flush()
        answers.append(json.loads(process.stdout.readline()))
    process.stdin.close()
    assert process.stdout.read() == ""
    assert process.wait(timeout=60) == 0
    assert [a["line"] for a in answers] == list(range(1, len(lines) + 1))
    errors = [a["line"] for a in answers if "error" in a]
    assert errors == [2, 3, 4, 6]
    assert "spot: is required but missing" in " ".join(answers[3]["issues"])
    assert [a["rule"] for a in answers[0]["actions"]] == ["take_profit", "open_new"]


def test_explain_shows_the_tree_and_json(tmp_path: Path, minimal_state: dict[str, Any]) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(minimal_state))
    command = ["explain", str(TASTY), "--state", str(state), "--rule", "take_profit"]
    text = CliRunner().invoke(build_app(), command)
    assert text.exit_code == 0
    assert text.output.splitlines()[0] == ("rule take_profit (priority 100) on position ic1: FIRES")
    assert "    -> close: carried out" in text.output
    document = json.loads(CliRunner().invoke(build_app(), [*command, "--format", "json"]).output)
    (entry,) = document["rules"]
    assert entry["condition"]["text"] == "pnl_pct >= profit_take"
    assert [c["text"] for c in entry["condition"]["children"]] == ["pnl_pct", "profit_take"]
    missing = CliRunner().invoke(build_app(), ["explain", str(TASTY), "--state", str(state),
                                               "--rule", "nope"])  # fmt: skip
    assert missing.exit_code == 2


def test_a_bad_param_override_is_a_usage_error(
    tmp_path: Path, minimal_state: dict[str, Any]
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(minimal_state))
    for bad in ("nope=1", "profit_take=5x", "profit_take"):
        result = CliRunner().invoke(
            build_app(), ["eval", str(TASTY), "--state", str(state), "--param", bad]
        )
        assert result.exit_code == 2, (bad, result.output)


def test_jsonl_answers_a_too_deeply_nested_line_with_an_error_record_and_goes_on() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    good = json.dumps({"date": "2018-01-10", "spot": 2750, "vix": 12})
    result = CliRunner().invoke(
        build_app(), ["eval", str(TASTY), "--jsonl"], input=f"{deep}\n{good}\n"
    )
    assert result.exit_code == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {
        "line": 1,
        "error": "line 1: JSON nested too deeply",
        "issues": ["a state is a JSON object a few levels deep; this line is not"],
    }
    assert second["line"] == 2 and "actions" in second


def test_explain_with_an_unknown_rule_suggests_the_nearest(
    tmp_path: Path, minimal_state: dict[str, Any]
) -> None:
    state = tmp_path / "state.json"
    state.write_text(json.dumps(minimal_state))
    result = CliRunner().invoke(
        build_app(), ["explain", str(TASTY), "--state", str(state), "--rule", "take_proft"]
    )
    assert result.exit_code == 2
    assert "did you mean `take_profit`?" in result.stderr
