"""The checker against fixture files: expected diagnostics are written in each file's header.

- Every shared good example (``fixtures/spec_good``), every shipped ruleset and every file
  under ``fixtures/clean`` must check with no diagnostic at all (warnings included: false
  alarms are bugs).
- Every shared bad example (``fixtures/spec_bad``) and every file under ``fixtures/bad``
  must give each ``# expect: CODE at LINE:COL`` as a diagnostic of that code whose span
  covers the position; in our own bad fixtures every diagnostic must also be expected.
- ``fixtures/review_good`` and ``fixtures/review_bad`` are the files of an outside review
  written against LANGUAGE.md without reading the code (the good ones cover every item,
  operator, function, field and action form; the bad ones every code in several variants);
  they are held to the same rules as the shared examples.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from condorrules.check import check_paths
from condorrules.diagnostics import Diagnostic

HERE = Path(__file__).parent
REPO = HERE.parents[1]
# Verbatim copies of the shared spec's examples (good ones in spec_good, bad in spec_bad).
SPEC_BAD = HERE / "fixtures" / "spec_bad"
EXPECT = re.compile(r"^# expect: ([EW]\d{3}) at (\d+):(\d+)\s*$")


def _files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.condor")) if folder.is_dir() else []


GOOD = (
    _files(HERE / "fixtures" / "spec_good")  # the shared good examples, verbatim
    + _files(REPO / "rulesets")
    + _files(HERE / "fixtures" / "clean")
    + _files(HERE / "fixtures" / "review_good")
)
SHARED_BAD = _files(SPEC_BAD)
REVIEW_BAD = _files(HERE / "fixtures" / "review_bad")
OWN_BAD = _files(HERE / "fixtures" / "bad")


def _expectations(path: Path) -> list[tuple[str, int, int]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = EXPECT.match(line)
        if match is None:
            break
        found.append((match.group(1), int(match.group(2)), int(match.group(3))))
    return found


def _diagnostics(path: Path) -> tuple[Diagnostic, ...]:
    return check_paths([path]).get(str(path), ())


def _describe(diagnostics: tuple[Diagnostic, ...]) -> str:
    return "\n".join(
        f"  {d.code} {d.span.line}:{d.span.column}-{d.span.end_line}:{d.span.end_column} "
        f"{d.message}"
        for d in diagnostics
    )


@pytest.mark.parametrize("path", GOOD, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_good_file_checks_clean(path: Path) -> None:
    diagnostics = _diagnostics(path)
    assert not diagnostics, f"{path} should be clean:\n{_describe(diagnostics)}"


def _assert_expected(path: Path, *, exhaustive: bool) -> None:
    expected = _expectations(path)
    assert expected, f"{path} has no `# expect:` header"
    diagnostics = _diagnostics(path)
    matched: set[int] = set()
    for code, line, column in expected:
        hits = [
            i for i, d in enumerate(diagnostics) if d.code == code and d.span.covers(line, column)
        ]
        assert hits, f"{path.name}: no {code} at {line}:{column}; got:\n{_describe(diagnostics)}"
        matched.update(hits)
    if exhaustive:
        extra = tuple(d for i, d in enumerate(diagnostics) if i not in matched)
        assert not extra, f"{path.name}: unexpected diagnostics:\n{_describe(extra)}"


@pytest.mark.parametrize("path", SHARED_BAD, ids=lambda p: p.name)
def test_shared_bad_example_gives_expected_diagnostics(path: Path) -> None:
    _assert_expected(path, exhaustive=False)


@pytest.mark.parametrize("path", REVIEW_BAD, ids=lambda p: p.name)
def test_review_bad_file_gives_expected_diagnostics(path: Path) -> None:
    _assert_expected(path, exhaustive=False)


@pytest.mark.parametrize("path", OWN_BAD, ids=lambda p: p.name)
def test_bad_fixture_gives_exactly_expected_diagnostics(path: Path) -> None:
    _assert_expected(path, exhaustive=True)


def test_every_code_has_a_bad_fixture() -> None:
    from condorrules.diagnostics.codes import CODES

    covered = {code for path in SHARED_BAD + OWN_BAD for code, _, _ in _expectations(path)}
    assert set(CODES) - covered == set()


def test_the_good_examples_are_present() -> None:
    names = {p.name for p in GOOD}
    assert {"tasty_45dte.condor", "vixshield_alvh.condor"} <= names
    assert len(SHARED_BAD) >= 8
