"""`condorrules fmt`: rewrite in place, --check, --diff, errors and exit codes."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from condorrules.cli import build_app

MESSY = "rule r:\n  when vix>20\n  then close\n"
TIDY = "rule r:\n    when vix > 20\n    then close\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), list(args))
    return result.exit_code, result.stdout, result.stderr


def test_rewrites_files_in_place_and_recurses_into_directories(tmp_path: Path) -> None:
    nested = tmp_path / "deep" / "a.condor"
    nested.parent.mkdir()
    nested.write_text(MESSY)
    (tmp_path / "notes.txt").write_text(MESSY)
    code, _, err = run("fmt", str(tmp_path))
    assert code == 0
    assert nested.read_text() == TIDY
    assert (tmp_path / "notes.txt").read_text() == MESSY
    assert "reformatted" in err


def test_check_exits_1_with_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "a.condor"
    path.write_text(MESSY)
    code, out, _ = run("fmt", "--check", str(path))
    assert code == 1
    assert path.read_text() == MESSY
    assert "-  when vix>20\n" in out and "+    when vix > 20\n" in out
    assert out.startswith(f"--- {path} (original)\n+++ {path} (formatted)\n")


def test_check_passes_on_formatted_files(tmp_path: Path) -> None:
    path = tmp_path / "a.condor"
    path.write_text(TIDY)
    code, out, _ = run("fmt", "--check", str(path))
    assert (code, out) == (0, "")


def test_diff_prints_without_writing_and_exits_0(tmp_path: Path) -> None:
    path = tmp_path / "a.condor"
    path.write_text(MESSY)
    code, out, _ = run("fmt", "--diff", str(path))
    assert code == 0
    assert "+    then close" in out
    assert path.read_text() == MESSY


def test_syntax_error_is_reported_and_the_file_left_untouched(tmp_path: Path) -> None:
    bad = tmp_path / "bad.condor"
    bad.write_text("rule r:\n    when vix >\n    then close\n")
    good = tmp_path / "good.condor"
    good.write_text(MESSY)
    code, _, err = run("fmt", str(tmp_path))
    assert code == 1
    assert bad.read_text() == "rule r:\n    when vix >\n    then close\n"
    assert f"{bad}:3:5: error[E100]: expected an expression after `>`, found `then`" in err
    assert good.read_text() == TIDY


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("fmt", str(tmp_path / "nope.condor"))
    assert code == 2
    assert "no such file or directory" in err


def test_shipped_rulesets_pass_check() -> None:
    rulesets = Path(__file__).resolve().parents[2] / "rulesets"
    code, out, _ = run("fmt", "--check", str(rulesets))
    assert (code, out) == (0, "")


def test_no_condor_files_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("fmt", str(tmp_path))
    assert code == 2
    assert "no .condor files" in err


def test_no_paths_is_a_usage_error() -> None:
    code, _, _ = run("fmt")
    assert code == 2


def test_a_file_that_is_not_utf8_is_reported_as_e100(tmp_path: Path) -> None:
    # QA: reported "cannot read the file" with Python's decoding error.
    path = tmp_path / "latin1.condor"
    data = 'rule r:\n    when vix > 20\n    then alert("caf\xe9")\n'.encode("latin-1")
    path.write_bytes(data)
    code, _, err = run("fmt", str(path))
    assert code == 1
    assert f"{path}:3:20: error[E100]: the file is not valid UTF-8 text" in err
    assert "help: save the file with the UTF-8 encoding" in err
    assert path.read_bytes() == data
