"""The output folder of a run: trades.csv, equity.csv, decisions.jsonl, metrics.json, the PNG
charts and report.html. Byte-identical for identical results: fixed formats, sorted JSON
keys, ``\\n`` line ends, no time stamps."""

from __future__ import annotations

import datetime
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from condorrules import __version__
from condorrules.report.charts import DEFAULT_DPI, render_charts
from condorrules.report.html import render_html
from condorrules.report.record import ReportedRun
from condorrules.report.summary import metrics_of

METRIC_DIGITS = 12
"""Significant digits of the floats in metrics.json (hides last-bit noise, keeps cents)."""


def write_outputs(
    result: ReportedRun, out_dir: str | Path, *, chart_dpi: int = DEFAULT_DPI
) -> list[Path]:
    """Write every output file of ``result`` into ``out_dir`` (created if needed).

    Returns the paths written, in a fixed order. Existing files of the same names are
    replaced; other files in the folder are left alone.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    metrics = metrics_of(result)
    charts = render_charts(result, dpi=chart_dpi)
    footer = f"condorrules {__version__} · replay report"
    files: dict[str, bytes] = {
        "trades.csv": _csv(result.trades, index=False),
        "equity.csv": _csv(result.equity, index=True),
        "decisions.jsonl": decisions_jsonl(result.decisions),
        "metrics.json": metrics_json(metrics),
        **charts,
        "report.html": render_html(result, metrics, charts, footer=footer).encode("utf-8"),
    }
    paths = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def metrics_json(metrics: Mapping[str, Any]) -> bytes:
    """metrics.json: sorted keys, two-space indent, NaN as null, floats to 12 digits."""
    text = json.dumps(
        to_json(metrics, digits=METRIC_DIGITS),
        sort_keys=True,
        indent=2,
        allow_nan=False,
        ensure_ascii=False,
    )
    return (text + "\n").encode("utf-8")


def decisions_jsonl(decisions: list[dict[str, Any]]) -> bytes:
    """decisions.jsonl: one JSON object per line with sorted keys, NaN as null."""
    lines = [
        json.dumps(to_json(record), sort_keys=True, allow_nan=False, ensure_ascii=False)
        for record in decisions
    ]
    return "".join(line + "\n" for line in lines).encode("utf-8")


def to_json(value: Any, digits: int | None = None) -> Any:
    """``value`` as plain JSON data: NaN and infinities become None, numpy scalars Python
    numbers, dates ISO text, tuples lists; floats rounded to ``digits`` significant digits."""
    if isinstance(value, Mapping):
        return {str(key): to_json(item, digits) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item, digits) for item in value]
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.generic):
        return to_json(value.item(), digits)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return float(f"{value:.{digits}g}") if digits is not None else value
    if value is pd.NaT:
        return None
    if isinstance(value, datetime.datetime | pd.Timestamp):
        stamp = pd.Timestamp(value)
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _csv(frame: pd.DataFrame, index: bool) -> bytes:
    text = frame.to_csv(index=index, lineterminator="\n")
    return text.encode("utf-8")
