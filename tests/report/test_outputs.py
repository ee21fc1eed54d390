"""The output folder: every file present, byte-identical across runs, well-formed, safe HTML."""

from __future__ import annotations

import base64
import io
import json
import re
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest

from condorrules.report import compute_metrics, summary_rows, write_outputs

DPI = 30  # small charts keep the tests fast; the format is the same at any size
EXPECTED_FILES = [
    "trades.csv",
    "equity.csv",
    "decisions.jsonl",
    "metrics.json",
    "equity_drawdown.png",
    "margin.png",
    "greeks.png",
    "vix_trades.png",
    "report.html",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def written_paths(sample_run, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("outputs") / "new" / "folder"
    return write_outputs(sample_run, folder, chart_dpi=DPI)


@pytest.fixture(scope="module")
def written(written_paths: list[Path]) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in written_paths}


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """PNG chunks (type, payload), checking each CRC as a decoder does."""
    assert data.startswith(PNG_SIGNATURE)
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        payload = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + payload) == crc
        chunks.append((kind, payload))
        offset += 12 + length
    return chunks


def test_every_file_is_written(written_paths: list[Path]) -> None:
    assert [path.name for path in written_paths] == EXPECTED_FILES
    assert all(path.is_file() and path.stat().st_size > 0 for path in written_paths)


def test_second_run_is_byte_identical(sample_run, written, tmp_path: Path) -> None:
    again = write_outputs(sample_run, tmp_path / "again", chart_dpi=DPI)
    assert [path.name for path in again] == list(written)
    for path in again:
        assert path.read_bytes() == written[path.name], path.name


def test_charts_are_valid_png_without_software_or_time(written) -> None:
    from PIL import Image

    for name in EXPECTED_FILES:
        if not name.endswith(".png"):
            continue
        chunks = _png_chunks(written[name])
        kinds = [kind for kind, _ in chunks]
        assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
        assert b"tIME" not in kinds
        assert all(b"Software" not in payload for kind, payload in chunks if kind == b"tEXt")
        width, height = struct.unpack(">II", chunks[0][1][:8])
        assert (width, height) == (8 * DPI, int(4.5 * DPI))
        with Image.open(io.BytesIO(written[name])) as image:
            image.load()
            assert image.size == (width, height)


def test_html_is_self_contained(written) -> None:
    page = written["report.html"].decode("utf-8")
    assert not re.search(r"https?:", page, re.IGNORECASE)
    assert "<link" not in page and "@import" not in page and "url(" not in page

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.sources: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            self.sources += [value or "" for key, value in attrs if key in ("src", "href")]

    parser = Tags()
    parser.feed(page)
    assert "script" not in parser.tags and "iframe" not in parser.tags
    assert len(parser.sources) == 4
    prefix = "data:image/png;base64,"
    embedded = [base64.b64decode(source.removeprefix(prefix)) for source in parser.sources]
    assert all(source.startswith(prefix) for source in parser.sources)
    charts = [written[name] for name in EXPECTED_FILES if name.endswith(".png")]
    assert embedded == charts


def test_html_escapes_rule_names_and_alert_texts(written) -> None:
    page = written["report.html"].decode("utf-8")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "tested &lt;put&gt; &amp; more" in page
    assert "Skipped actions" in page and "needs margin &gt; &lt;b&gt;cash&lt;/b&gt;" in page


def test_html_shows_parameters_metrics_rules_and_trades(written, sample_run) -> None:
    page = written["report.html"].decode("utf-8")
    for text in ("Run parameters", "commission = 0.65", "Max drawdown", "P&amp;L by rule",
                 "roll_tested", "vix_unhedge", "8 fills", "2450"):  # fmt: skip
        assert text in page
    assert "Monthly returns" in page and '<td class="num up">' in page
    # Total return: 101,150 / 100,000 - 1.
    assert "1.15 %" in page
    assert page.count("<tr>") >= len(sample_run.trades) + len(sample_run.positions)


def test_metrics_json_is_sorted_with_nan_as_null(written, sample_run) -> None:
    text = written["metrics.json"].decode("utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    assert data["average_loss"] is None  # no losing position: NaN
    assert data["final_equity"] == 101_150.0
    assert data["total_return"] == pytest.approx(0.0115, abs=1e-12)
    assert data["pnl_by_rule"] == compute_metrics(sample_run)["pnl_by_rule"]


def test_decisions_jsonl_has_one_sorted_object_per_bar(written, sample_run) -> None:
    lines = written["decisions.jsonl"].decode("utf-8").splitlines()
    assert len(lines) == len(sample_run.decisions)
    records = [json.loads(line) for line in lines]
    assert all(line == json.dumps(record, sort_keys=True, ensure_ascii=False)
               for line, record in zip(lines, records, strict=True))  # fmt: skip
    assert records[5]["score"] is None
    assert records[3]["alerts"][0]["text"] == "tested <put> & more"


def test_csv_files_read_back(written, sample_run, tmp_path: Path) -> None:
    (tmp_path / "trades.csv").write_bytes(written["trades.csv"])
    (tmp_path / "equity.csv").write_bytes(written["equity.csv"])
    trades = pd.read_csv(tmp_path / "trades.csv")
    assert list(trades.columns) == list(sample_run.trades.columns)
    assert trades["realised_pnl"].sum() == pytest.approx(620.0)
    assert trades["date"].iloc[0] == "2018-01-03"
    equity = pd.read_csv(tmp_path / "equity.csv", index_col="date", parse_dates=True)
    pd.testing.assert_frame_equal(equity, sample_run.equity, check_dtype=False, check_freq=False)
    assert b"\r\n" not in written["trades.csv"]


def test_summary_rows(sample_run) -> None:
    rows = dict(summary_rows(sample_run))
    assert rows["Period"] == "2018-01-02 to 2018-01-17 (12 bars)"
    assert rows["Total return"] == "1.15 %"
    assert rows["Final equity"] == "101,150.00"
    assert rows["Max drawdown"] == "0.50 % (2018-01-04 to 2018-01-05)"  # 1 - 99,800 / 100,300
    assert rows["Average loss"] == "n/a"
    assert all(isinstance(label, str) and isinstance(value, str) for label, value in rows.items())


def test_summary_uses_the_results_own_metrics(frames, sample_run) -> None:
    carried = type(sample_run)(**{**sample_run.__dict__, "metrics": {"total_return": 0.5}})
    assert dict(summary_rows(carried))["Total return"] == "50.00 %"


def test_empty_run_writes_every_file(frames, tmp_path: Path) -> None:
    result = frames.result(frames.equity([], []))
    paths = write_outputs(result, tmp_path, chart_dpi=DPI)
    assert [path.name for path in paths] == EXPECTED_FILES
    assert "No trades." in (tmp_path / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "decisions.jsonl").read_bytes() == b""
