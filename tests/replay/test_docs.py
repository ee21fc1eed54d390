"""The Python example of docs/replay.md runs as written (our own doc text, from the repository
root), and the page documents every column of the Result."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from condorrules.replay import EQUITY_COLUMNS, POSITION_COLUMNS, TRADE_COLUMNS, Costs

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "replay.md"
TEXT = PAGE.read_text(encoding="utf-8")


def test_the_backtest_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    [block] = [b for b in re.findall(r"```python\n(.*?)```", TEXT, flags=re.S) if "backtest(" in b]
    monkeypatch.chdir(REPO)
    namespace: dict[str, object] = {"__name__": "replay_example"}
    exec(compile(block, f"{PAGE.name} backtest example", "exec"), namespace)
    result = namespace["result"]
    assert result.parameters["params"]["short_delta"] == 0.20  # type: ignore[attr-defined]


def test_every_result_column_and_cost_setting_is_documented() -> None:
    section = TEXT[TEXT.index("## The Result") :]
    for column in (*TRADE_COLUMNS, *EQUITY_COLUMNS, *POSITION_COLUMNS):
        assert f"`{column}`" in section, column
    costs = TEXT[TEXT.index("## Fills and costs") :]
    for name in Costs().as_dict():
        assert f"`{name}`" in costs, name
