"""docs/diagnostics.md is executable: every code has a section whose wrong example gives that
code with the message shown, and whose fixed example checks clean; the codes in the doc, in
the code table and in ``src/`` are the same set."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from condorrules.check import check_source
from condorrules.diagnostics.codes import CODES

REPO = Path(__file__).parents[2]
DOC = REPO / "docs" / "diagnostics.md"
SECTION = re.compile(r"^## ([EW]\d{3}): (.+)$", re.MULTILINE)
BLOCK = re.compile(r"^```(condor|text)\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def _sections() -> dict[str, str]:
    text = DOC.read_text(encoding="utf-8")
    starts = list(SECTION.finditer(text))
    sections = {}
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        sections[match.group(1)] = text[match.start() : end]
    return sections


SECTIONS = _sections()


def _blocks(section: str, kind: str) -> list[str]:
    return [m.group(2) for m in BLOCK.finditer(section) if m.group(1) == kind]


def _codes_in_source() -> set[str]:
    found: set[str] = set()
    for path in (REPO / "src").rglob("*.py"):
        found.update(re.findall(r"\"([EW]\d{3})\"", path.read_text(encoding="utf-8")))
    return found


def test_every_code_has_a_section_and_every_section_a_code() -> None:
    assert set(SECTIONS) == set(CODES)


def test_every_code_used_in_the_source_is_documented() -> None:
    assert _codes_in_source() == set(CODES)


@pytest.mark.parametrize("code", sorted(SECTIONS))
def test_wrong_example_gives_its_code_and_message(code: str, tmp_path: Path) -> None:
    section = SECTIONS[code]
    wrong, fixed = _blocks(section, "condor")[0], _blocks(section, "condor")[-1]
    shown = _blocks(section, "text")[0].splitlines()[0]
    file = str(tmp_path / "example.condor")
    found = [d for d in check_source(wrong, file).diagnostics if d.code == code]
    assert found, f"the wrong example of {code} does not give {code}"
    rendered = {f"{d.severity.value}[{d.code}]: {d.message}" for d in found}
    assert shown in rendered
    assert check_source(fixed, file).diagnostics == ()
