"""report.html: one self-contained page (inline CSS, charts as data URIs, no scripts, no
network) with the run's parameters, headline numbers, charts, metrics, per-rule P&L, positions,
alerts and every fill. Every value that comes from data is HTML-escaped: rule names and alert
texts come from the user's files."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from string import Template
from typing import Any

import pandas as pd

from condorrules.report.charts import chart_titles
from condorrules.report.record import ReportedRun
from condorrules.report.summary import (
    METRIC_ROWS,
    MISSING,
    Kind,
    format_metric,
    format_value,
    period_text,
)

MAX_LOG_ROWS = 500
"""Alerts (and skipped actions) listed in the page; the rest are in decisions.jsonl."""

HEADLINE = ("total_return", "annual_return", "max_drawdown", "sharpe", "win_rate",
            "return_on_margin")  # fmt: skip

TRADE_COLUMNS: tuple[tuple[str, str, Kind], ...] = (
    ("date", "date", "text"),
    ("position", "position", "text"),
    ("rule", "rule", "text"),
    ("action", "action", "text"),
    ("leg", "leg", "text"),
    ("right", "right", "text"),
    ("strike", "strike", "number"),
    ("expiry", "expiry", "text"),
    ("qty", "qty", "count"),
    ("price", "price", "ratio"),
    ("fees", "fees", "money"),
    ("cash_flow", "cash flow", "money"),
    ("realised_pnl", "realised P&L", "money"),
)

POSITION_COLUMNS: tuple[tuple[str, str, Kind], ...] = (
    ("id", "position", "text"),
    ("structure", "structure", "text"),
    ("rule", "opened by", "text"),
    ("opened", "opened", "text"),
    ("closed", "closed", "text"),
    ("qty", "qty", "count"),
    ("credit", "credit / share", "ratio"),
    ("realised_pnl", "realised P&L", "money"),
    ("unrealised_pnl", "unrealised P&L", "money"),
    ("rolls", "rolls", "count"),
    ("max_profit", "max profit", "money"),
    ("max_loss", "max loss", "money"),
    ("exit_reason", "exit", "text"),
)

RULE_COLUMNS: tuple[tuple[str, str, Kind], ...] = (
    ("rule", "rule", "text"),
    ("realised_pnl", "P&L it realised", "money"),
    ("fills", "fills", "count"),
    ("fees", "fees", "money"),
    ("opened", "positions it opened", "count"),
    ("opened_pnl", "P&L of those positions", "money"),
)

STYLE = """
body { margin: 0; background: #f5f7f9; color: #1f2933;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 10px; border-bottom: 1px solid #d9dee3; padding-bottom: 4px; }
h3 { font-size: 14px; margin: 12px 0 6px; color: #52606d; }
.period { color: #52606d; margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px;
  margin-top: 18px; }
.card { background: #fff; border: 1px solid #d9dee3; border-radius: 6px; padding: 10px 12px; }
.card .label { font-size: 12px; color: #52606d; }
.card .value { font-size: 20px; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 16px; background: #fff; border: 1px solid #d9dee3; border-radius: 6px;
  padding: 8px; }
figure img { width: 100%; height: auto; display: block; }
figcaption { font-size: 12px; color: #52606d; padding: 4px 2px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
table { border-collapse: collapse; background: #fff; width: 100%; font-size: 13px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7eb; text-align: left;
  vertical-align: top; }
th { background: #eef1f4; font-weight: 600; position: sticky; top: 0; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.neg { color: #b03a2e; }
td.up { background: #e3f1e5; }
td.down { background: #f8e1de; }
.note { color: #7b8794; font-size: 12px; }
.scroll { max-height: 560px; overflow: auto; border: 1px solid #d9dee3; }
details summary { cursor: pointer; color: #1f5f8b; margin: 6px 0; }
footer { margin-top: 40px; color: #7b8794; font-size: 12px; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
"""

PAGE = Template("""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Replay of $ruleset</title>
<style>$style</style>
</head>
<body>
<main>
<header>
<h1>Replay of <code>$ruleset</code></h1>
<p class="period">$period · capital $capital</p>
</header>
<section class="cards">
$cards
</section>
<section>
<h2>Charts</h2>
$main_chart
<div class="grid">
$other_charts
</div>
</section>
<section>
<h2>Metrics</h2>
<div class="grid">
$metric_tables
</div>
<p class="note">Ratios are shown as percentages; definitions in docs/replay.md,
"Results and metrics".</p>
</section>
$monthly_section
<section>
<h2>P&amp;L by rule</h2>
<p class="note">A fill's realised P&amp;L goes to the rule that caused the fill: a position's
P&amp;L to the rule that closed or rolled it, expiry to <code>settlement</code>. Opening rules are
listed with the P&amp;L of the positions they opened.</p>
$rules_table
</section>
<section>
<h2>Positions</h2>
$positions_table
</section>
$log_sections
<section>
<h2>Trades</h2>
<details$trades_open>
<summary>$trade_count fills</summary>
<div class="scroll">
$trades_table
</div>
</details>
</section>
<section>
<h2>Run parameters</h2>
$parameters_table
</section>
<footer>$footer</footer>
</main>
</body>
</html>
""")


def render_html(result: ReportedRun, metrics: Mapping[str, Any], charts: Mapping[str, bytes],
                footer: str = "condorrules replay report") -> str:  # fmt: skip
    """The report page as text; ``charts`` maps PNG file names to their bytes."""
    parameters = result.parameters
    images = [_figure(name, data) for name, data in charts.items()]
    return PAGE.substitute(
        style=STYLE,
        ruleset=_text(parameters.get("ruleset", "ruleset")),
        period=_text(period_text(dict(metrics))),
        capital=_text(format_value(metrics.get("capital"), "money")),
        cards="\n".join(_card(key, metrics) for key in HEADLINE),
        main_chart=images[0] if images else "",
        other_charts="\n".join(images[1:]),
        metric_tables="\n".join(_metric_tables(metrics)),
        monthly_section=_monthly_section(metrics.get("monthly_returns", {})),
        rules_table=_table(RULE_COLUMNS, metrics.get("pnl_by_rule", [])),
        positions_table=_frame_table(POSITION_COLUMNS, result.positions, "No positions."),
        log_sections=_log_sections(result.decisions),
        trades_open=" open" if len(result.trades) <= 200 else "",
        trade_count=f"{len(result.trades):,}",
        trades_table=_frame_table(TRADE_COLUMNS, result.trades, "No trades."),
        parameters_table=_parameters_table(parameters),
        footer=_text(footer),
    )


def _figure(name: str, data: bytes) -> str:
    title = chart_titles().get(name, name)
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<figure><img alt="{_text(title)}" src="data:image/png;base64,{encoded}">'
        f"<figcaption>{_text(title)} ({_text(name)})</figcaption></figure>"
    )


def _card(key: str, metrics: Mapping[str, Any]) -> str:
    row = next(row for row in METRIC_ROWS if row.key == key)
    value = format_value(metrics.get(key), row.kind)
    return (
        f'<div class="card"><div class="label">{_text(row.label)}</div>'
        f'<div class="value{_sign_class(metrics.get(key))}">{_text(value)}</div></div>'
    )


def _metric_tables(metrics: Mapping[str, Any]) -> Iterable[str]:
    notes = metrics.get("notes", {})
    groups: dict[str, list[str]] = {}
    for row in METRIC_ROWS:
        note = notes.get(row.key, "")
        if row.key == "max_drawdown" and metrics.get("max_drawdown_peak"):
            recovery = metrics.get("max_drawdown_recovery") or "not recovered by the end"
            note = f"recovered: {recovery}"
        groups.setdefault(row.group, []).append(
            f"<tr><th>{_text(row.label)}</th>"
            f'<td class="num{_sign_class(metrics.get(row.key))}">'
            f"{_text(format_metric(row, dict(metrics)))}</td>"
            f'<td class="note">{_text(note)}</td></tr>'
        )
    for group, rows in groups.items():
        yield f"<div><h3>{_text(group)}</h3><table>{''.join(rows)}</table></div>"


def _monthly_section(monthly: Mapping[str, float]) -> str:
    """Years by months, each cell the month's return; the last column compounds the year."""
    if not monthly:
        return ""
    years: dict[str, dict[int, float]] = {}
    for month, value in monthly.items():
        years.setdefault(month[:4], {})[int(month[5:7])] = value
    names = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    head = "".join(f"<th>{name}</th>" for name in ("year", *names, "total"))
    rows = []
    for year, months in years.items():
        cells = [_return_cell(months.get(number)) for number in range(1, 13)]
        total = math.prod(1.0 + value for value in months.values()) - 1.0
        rows.append(f"<tr><th>{_text(year)}</th>{''.join(cells)}{_return_cell(total)}</tr>")
    return (
        "<section>\n<h2>Monthly returns</h2>\n"
        "<p class=\"note\">In percent: each month's last equity over the previous month's (the "
        "capital before the first month); the total compounds the year's months.</p>\n"
        f"<table><tr>{head}</tr>{''.join(rows)}</table>\n</section>"
    )


def _return_cell(value: float | None) -> str:
    if value is None or math.isnan(value):
        return '<td class="num"></td>'
    tone = " up" if value > 0 else " down" if value < 0 else ""
    return f'<td class="num{tone}">{_text(f"{value * 100:.1f}")}</td>'


def _log_sections(decisions: Sequence[Mapping[str, Any]]) -> str:
    """Sections from the decision log: a run that stopped, skipped actions, alerts."""
    stops = [
        (record.get("date"), record["stopped"]) for record in decisions if record.get("stopped")
    ]
    skipped = _log_entries(decisions, "skipped", "reason")
    alerts = _log_entries(decisions, "alerts", "text")
    parts = []
    if stops:
        date, reason = stops[0]
        parts.append(
            f'<section>\n<h2>The run stopped</h2>\n<p class="neg">{_cell(date)}: {_cell(reason)}'
            "</p>\n</section>"
        )
    if skipped:
        note = "Actions the rules ordered that could not be carried out, and why."
        keys = ("rule", "kind", "position", "reason")
        parts.append(_log_section("Skipped actions", note, keys, skipped))
    if alerts:
        parts.append(_log_section("Alerts", "", ("rule", "position", "text"), alerts))
    return "\n".join(parts)


def _log_entries(
    decisions: Sequence[Mapping[str, Any]], key: str, text_key: str
) -> list[tuple[Any, Mapping[str, Any]]]:
    entries = []
    for record in decisions:
        for item in record.get(key) or []:
            entries.append(
                (record.get("date"), item if isinstance(item, Mapping) else {text_key: item})
            )
    return entries


def _log_section(
    title: str,
    note: str,
    keys: Sequence[str],
    entries: Sequence[tuple[Any, Mapping[str, Any]]],
) -> str:
    head = "".join(f"<th>{_text(key)}</th>" for key in ("date", *keys))
    rows = []
    for date, item in entries[:MAX_LOG_ROWS]:
        cells = (date, *(item.get(key) for key in keys))
        rows.append("<tr>" + "".join(f"<td>{_cell(value)}</td>" for value in cells) + "</tr>")
    more = len(entries) - MAX_LOG_ROWS
    tail = f'<p class="note">… and {more:,} more in decisions.jsonl.</p>' if more > 0 else ""
    intro = f'<p class="note">{_text(note)}</p>' if note else ""
    return (
        f'<section>\n<h2>{_text(title)}</h2>\n{intro}<div class="scroll"><table><tr>{head}</tr>'
        f"{''.join(rows)}</table></div>{tail}\n</section>"
    )


def _parameters_table(parameters: Mapping[str, Any]) -> str:
    rows = []
    for key, value in parameters.items():
        if isinstance(value, Mapping):
            inner = ", ".join(f"{name} = {_plain(item)}" for name, item in value.items())
            text = inner or "(none)"
        else:
            text = _plain(value)
        rows.append(f"<tr><th>{_text(key)}</th><td>{_text(text)}</td></tr>")
    return f"<table>{''.join(rows)}</table>"


def _frame_table(columns: Sequence[tuple[str, str, Kind]], frame: pd.DataFrame, empty: str) -> str:
    if frame.empty:
        return f'<p class="note">{_text(empty)}</p>'
    present = [column for column in columns if column[0] in frame.columns]
    records = frame[[key for key, _, _ in present]].to_dict("records")
    return _table(present, [{str(key): value for key, value in row.items()} for row in records])


def _table(columns: Sequence[tuple[str, str, Kind]], rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return '<p class="note">None.</p>'
    head = "".join(f"<th>{_text(label)}</th>" for _, label, _ in columns)
    body = []
    for row in rows:
        cells = []
        for key, _, kind in columns:
            value = row.get(key)
            if kind == "text":
                cells.append(f"<td>{_cell(value)}</td>")
            else:
                css = "num" if kind in ("count", "number") else f"num{_sign_class(value)}"
                cells.append(f'<td class="{css}">{_text(format_value(value, kind))}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _cell(value: Any) -> str:
    """A text cell: dates as ISO dates, missing values as n/a, everything escaped."""
    return _text(_plain(value))


def _plain(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return MISSING
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def _sign_class(value: Any) -> str:
    return " neg" if isinstance(value, int | float) and value < 0 else ""


def _text(value: str) -> str:
    return html.escape(value, quote=True)
