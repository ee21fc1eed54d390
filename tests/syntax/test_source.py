"""Files that are not UTF-8: E100 at the first bad byte, from every way of reading a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from condorrules.syntax import decode_source, load, parse_file, read_source

# "café" in Latin-1 on line 3: the bad byte 0xe9 is the 20th character of that line.
LATIN1 = 'rule r:\n    when vix > 20\n    then alert("caf\xe9")\n'.encode("latin-1")


def where(diagnostic: object) -> tuple[str, int, int, int, int]:
    span = diagnostic.span  # type: ignore[attr-defined]
    code: str = diagnostic.code  # type: ignore[attr-defined]
    return code, span.line, span.column, span.end_line, span.end_column


def test_parse_file_reports_e100_at_the_bad_byte(tmp_path: Path) -> None:
    path = tmp_path / "latin1.condor"
    path.write_bytes(LATIN1)
    result = parse_file(path)
    (problem,) = result.diagnostics
    assert where(problem) == ("E100", 3, 20, 3, 21)
    assert problem.message == (
        "the file is not valid UTF-8 text: byte 0xe9 (invalid continuation byte)"
    )
    assert problem.help == "save the file with the UTF-8 encoding"
    assert problem.span.file == str(path)
    assert result.module.items == ()


def test_load_reports_the_same_e100(tmp_path: Path) -> None:
    # QA: `load` raised UnicodeDecodeError, so `check` exited 2 ("cannot read a file").
    path = tmp_path / "latin1.condor"
    path.write_bytes(LATIN1)
    program = load(path)
    assert [where(problem) for problem in program.diagnostics] == [("E100", 3, 20, 3, 21)]
    assert program.main.items == ()


def test_columns_count_characters_not_bytes() -> None:
    data = "let é = 1 # ü\n".encode() + b"let x = \xff\n"
    _, problem = decode_source("let é = 1 # ü\nlet x = \xff\n".encode("latin-1"), "a")
    assert problem is not None and where(problem)[1:3] == (1, 5)
    _, problem = decode_source(data, "b")
    assert problem is not None and where(problem)[1:3] == (2, 9)


def test_decoded_text_replaces_bad_bytes_so_source_lines_can_be_shown() -> None:
    text, problem = decode_source(LATIN1, "a")
    assert problem is not None
    assert text.splitlines()[2] == '    then alert("caf\ufffd")'
    assert decode_source(b"let x = 1\n", "a") == ("let x = 1\n", None)


def test_read_source_raises_oserror_for_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_source(tmp_path / "missing.condor")


def test_an_imported_file_that_is_not_utf8_is_e100_in_that_file(tmp_path: Path) -> None:
    (tmp_path / "lib.condor").write_bytes(b"param a = 1\nparam b = \x80\n")
    main = tmp_path / "main.condor"
    main.write_text('import "lib.condor"\nrule r:\n    when vix > 1\n    then close\n')
    program = load(main)
    (problem,) = program.diagnostics
    assert where(problem) == ("E100", 2, 11, 2, 12)
    assert Path(problem.span.file).name == "lib.condor"
    assert "0x80" in problem.message
