"""`condorrules check`: exit statuses, formats and usage errors, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from condorrules.cli import main

HERE = Path(__file__).parent
SPEC_BAD = HERE / "fixtures" / "spec_bad"
CLEAN = HERE / "fixtures" / "clean"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exit_info:
        main(["check", *args])
    captured = capsys.readouterr()
    code = exit_info.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def test_clean_folder_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "--strict", str(CLEAN))
    assert status == 0
    assert out.strip() == f"No problems found in {len(list(CLEAN.glob('*.condor')))} files."


def test_an_error_exits_one(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, str(SPEC_BAD / "typo_field.condor"))
    assert status == 1
    assert "error[E200]: unknown field `short_putt`" in out
    assert "help: did you mean `short_put`?" in out
    assert out.rstrip().endswith("Found 1 error in 1 file.")


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(SPEC_BAD / "percent_pitfall.condor")
    assert _run(capsys, path)[0] == 0
    assert _run(capsys, "--strict", path)[0] == 1


def test_json_format_matches_the_documented_records(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "--format", "json", str(SPEC_BAD / "units.condor"))
    assert status == 1
    records = json.loads(out)
    assert records == [
        {
            "code": "E301",
            "severity": "error",
            "message": "unit mismatch: `dte` is in days but `50%` is a ratio",
            "help": "days are written like `21d`; a percent is a ratio",
            "file": str(SPEC_BAD / "units.condor"),
            "line": 5,
            "column": 10,
            "end_line": 5,
            "end_column": 19,
        }
    ]


@pytest.mark.parametrize("output", ["sarif", "github"])
def test_other_formats_report_the_code(capsys: pytest.CaptureFixture[str], output: str) -> None:
    status, out, _ = _run(capsys, "--format", output, str(SPEC_BAD / "cycle.condor"))
    assert status == 1
    assert "E203" in out


def test_folder_is_searched_recursively(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    (nested / "r.condor").write_text("rule r:\n    when vixx > 1\n    then close\n")
    (tmp_path / "notes.txt").write_text("not a rule file")
    status, out, _ = _run(capsys, str(tmp_path))
    assert status == 1 and "E200" in out and "in 1 file." in out


def test_missing_path_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "no/such/path.condor")
    assert status == 2
    assert "does not exist" in err


def test_folder_without_rule_files_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    status, _, err = _run(capsys, str(tmp_path))
    assert status == 2
    assert "no .condor files" in err


def test_unknown_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "--format", "xml", str(CLEAN))[0] == 2


def test_output_does_not_depend_on_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2"):
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "condorrules",
                "check",
                "--format",
                "json",
                str(HERE / "fixtures"),
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=False,
        )
        assert completed.returncode == 1, completed.stderr
        outputs.add(completed.stdout)
    assert len(outputs) == 1
