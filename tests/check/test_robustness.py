"""The checker never raises, whatever the text: every shipped example with each line removed,
and with seeded random edits, checks to diagnostics (a crash here is a bug)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from condorrules.check import check_source

HERE = Path(__file__).parent
SOURCES = sorted((HERE / "fixtures" / "spec_good").glob("*.condor")) + sorted(
    (HERE / "fixtures" / "clean").glob("*.condor")
)
TOKENS = ["(", ")", "and", "or", "not", ">", "-", "%", "d", ".", ",", ":", "x", "then", "0"]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_removing_any_line_never_crashes(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index in range(len(lines)):
        text = "".join(lines[:index] + lines[index + 1 :])
        check_source(text, str(path))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_random_edits_never_crash(path: Path) -> None:
    original = path.read_text(encoding="utf-8")
    generator = random.Random(path.name)  # seeded: the same edits every run
    for _ in range(40):
        text = original
        for _ in range(generator.randint(1, 3)):
            at = generator.randrange(len(text))
            if generator.random() < 0.5:
                text = text[:at] + text[at + generator.randint(1, 6) :]
            else:
                text = text[:at] + f" {generator.choice(TOKENS)} " + text[at:]
        check_source(text, str(path))
