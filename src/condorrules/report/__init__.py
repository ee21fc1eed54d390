"""Metrics, charts and the HTML report of a replay (see docs/replay.md, "Results and metrics").

metrics = compute_metrics(result)          # a JSON-ready dict
paths = write_outputs(result, "runs/x")    # csv, jsonl, json, png and report.html
rows = summary_rows(result)                # (label, value) pairs for a terminal table
"""

from __future__ import annotations

from condorrules.report.metrics import compute_metrics
from condorrules.report.outputs import write_outputs
from condorrules.report.record import ReportedRun, RunRecord
from condorrules.report.summary import summary_rows

__all__ = ["ReportedRun", "RunRecord", "compute_metrics", "summary_rows", "write_outputs"]
