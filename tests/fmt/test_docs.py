"""The `condor` examples in docs/language.md parse cleanly and are in the canonical layout."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from condorrules.fmt import format_source
from condorrules.syntax import parse

DOC = Path(__file__).resolve().parents[2] / "docs" / "language.md"
BLOCKS = re.findall(r"^( *)```condor\n(.*?)^ *```", DOC.read_text(encoding="utf-8"), re.M | re.S)


def test_the_doc_has_condor_examples() -> None:
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_doc_example_parses_and_is_canonical(index: int) -> None:
    indent, body = BLOCKS[index]
    text = textwrap.dedent(body) if indent else body
    assert parse(text).diagnostics == ()
    assert format_source(text) == text
