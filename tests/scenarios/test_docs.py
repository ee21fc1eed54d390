"""The Python examples of docs/embedding.md run as written (our own doc text, from the
repository root, as the page says)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "embedding.md"
BLOCKS = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)


def test_the_page_has_examples() -> None:
    assert len(BLOCKS) >= 5


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_embedding_example_runs(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code = compile(BLOCKS[index], f"{PAGE.name} example {index + 1}", "exec")
    exec(code, {"__name__": f"embedding_example_{index + 1}"})
