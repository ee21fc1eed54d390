"""Language-server responsiveness on a 500-line ruleset.

Run ``python benchmarks/bench_lsp.py [--lines N] [--repeat R]``. Prints:

1. ``analyze``: what the server does after an edit, in process: parse, resolve imports, run
   every checker pass (``condorrules.check.check_program``), build the name index. Also
   ``check_source`` alone, the library call ``condorrules check`` makes, for comparison.
2. ``didChange -> publishDiagnostics``: the real server (``condorrules lsp --debounce-ms 0``)
   over stdio, driven by a pygls client: the time from sending a full-text change (one
   number edited, alternating, so every change is new text) to receiving the diagnostics.
   With the debounce set to 0 this is check time plus protocol and process overhead; in an
   editor the default 150 ms debounce comes on top, by design.

The target (issue 7) is diagnostics within 50 ms of a change for a 500-line file.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

_HEADER = """\
ruleset generated version 1 "benchmark ruleset"

param entry_dte = 45d
param short_delta = 0.16
param profit_take = 50%
param max_bp = 50%
input ad_line "NYSE advance-decline line"

let fomc_near = days_to(FOMC) <= 1
let iv_pct = rank(vix, 252)
let turn = at least 2 of (rsi(spot, 14) < 30, crosses_below(ad_line, sma(ad_line, 20)),
                          crosses_above(macd(vix).line, macd(vix).signal))

guard steward:
    forbid open when portfolio.bp_used > max_bp or vix > 45
"""
_BLOCK = """\
# block {i}: an entry, exits, a defence, an alert and a scenario
rule open_{i}:
    when portfolio.open_positions < 3 and vix between 12 and {v} and not fomc_near
    then open iron_condor(dte: entry_dte, short_delta: short_delta, wing: 50, qty: 1)

rule take_{i} priority {p}:
    when pnl_pct >= profit_take or (dte <= 7d and pnl_pct >= 25%)
    then close

rule defend_{i} priority 60:
    when short_put.delta <= -0.{d} and dte > 10d
    then roll(side: put, dte: same, short_delta: 0.16)
    limit 2 per position

rule drift_{i}:
    when abs(range_position) >= 0.{d}
    then alert("drift {i}")

scenario "block {i} takes profit":
    at 2016-03-01
    market spot = 1980, vix = 18
    condor 1800/1850/2100/2150 expiring 2016-04-15 credit 6.00 opened 2016-02-26
    given pnl_pct = 52%
    expect fires take_{i}

"""


def generate(lines: int) -> str:
    """A realistic ruleset of about ``lines`` lines (blocks of rules and a scenario)."""
    parts = [_HEADER, "\n"]
    i = 0
    while sum(part.count("\n") for part in parts) < lines:
        parts.append(_BLOCK.format(i=i, v=30 + i % 15, p=100 - i % 5, d=20 + i % 20))
        i += 1
    return "".join(parts)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def in_process(text: str, path: Path, repeat: int) -> None:
    from condorrules.check import check_source
    from condorrules.lsp.analysis import analyze

    analysis = analyze(text, path.as_uri())
    print(f"  diagnostics in the file: {len(analysis.diagnostics)}")
    check = best_of(repeat, lambda: check_source(text, str(path)))
    full = best_of(repeat, lambda: analyze(text, path.as_uri()))
    print(f"  check_source (parse + imports + checker): {check * 1000:7.1f} ms (best of {repeat})")
    print(f"  analyze (check_source + name index):      {full * 1000:7.1f} ms (best of {repeat})")


async def over_stdio(text: str, path: Path, repeat: int) -> list[float]:
    """Seconds from each didChange to its publishDiagnostics, through the real server."""
    client = LanguageClient("bench", "1")
    arrived: asyncio.Queue[lsp.PublishDiagnosticsParams] = asyncio.Queue()

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        arrived.put_nowait(params)

    command = [sys.executable, "-m", "condorrules", "lsp", "--debounce-ms", "0"]
    await client.start_io(*command)
    await client.initialize_async(lsp.InitializeParams(capabilities=lsp.ClientCapabilities()))
    client.initialized(lsp.InitializedParams())
    uri = path.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(uri=uri, language_id="condor", version=1, text=text)
        )
    )
    await arrived.get()
    latencies = []
    for version in range(2, repeat + 2):
        edited = text.replace("wing: 50, qty: 1", f"wing: {version}, qty: 1", 1)  # new text
        start = time.perf_counter()
        client.text_document_did_change(
            lsp.DidChangeTextDocumentParams(
                text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=version),
                content_changes=[lsp.TextDocumentContentChangeWholeDocument(text=edited)],
            )
        )
        await arrived.get()
        latencies.append(time.perf_counter() - start)
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return latencies


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--lines", type=int, default=500)
    options.add_argument("--repeat", type=int, default=20)
    args = options.parse_args()
    text = generate(args.lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.condor"
        path.write_text(text, encoding="utf-8")
        print(f"ruleset: {text.count(chr(10))} lines, {len(text):,} characters")
        print("in process:")
        in_process(text, path, args.repeat)
        latencies = asyncio.run(over_stdio(text, path, args.repeat))
    ms = sorted(t * 1000 for t in latencies)
    print(f"didChange -> publishDiagnostics over stdio ({len(ms)} changes, debounce 0):")
    print(f"  best {ms[0]:.1f} ms, median {statistics.median(ms):.1f} ms, worst {ms[-1]:.1f} ms")


if __name__ == "__main__":
    main()
