"""The data examples in docs/replay.md are real: they load, and match the shipped data."""

from __future__ import annotations

import re
from pathlib import Path

from condorrules.chain import load_sample_chain
from condorrules.history import load_builtin, load_history

DOC = Path(__file__).resolve().parents[2] / "docs" / "replay.md"


def code_block(starting_with: str) -> str:
    blocks: list[str] = re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    return next(block for block in blocks if block.startswith(starting_with))


def test_history_example_loads_and_matches_the_builtin(tmp_path: Path) -> None:
    path = tmp_path / "prices.csv"
    path.write_text(code_block("date,open,high"), encoding="utf-8")
    frame = load_history(path, inputs=("ad_line",))
    builtin = load_builtin().loc[frame.index]
    assert frame[builtin.columns].equals(builtin)
    assert frame["ad_line"].isna().tolist() == [False, False, True]


def test_chain_example_rows_are_in_the_sample() -> None:
    sample = load_sample_chain()
    for line in code_block("date,expiry").splitlines()[1:]:
        date, expiry, strike, right, bid, ask, iv, underlying = line.split(",")
        quote = sample.quote(date, expiry, float(strike), right)
        assert quote is not None
        assert (quote.bid, quote.ask, quote.iv, quote.underlying) == (
            float(bid),
            float(ask),
            float(iv),
            float(underlying),
        )
