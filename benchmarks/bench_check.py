"""Check-time benchmark: a generated 1,000-rule file (about 60 KB), the full check next to
Lark's bare LALR parse of the same file.

Run ``python benchmarks/bench_check.py [--rules N] [--repeat R] [--profile]``. Prints, per
1,000 rules and best of R: Lark's bare parse (grammar loaded once, default options, a lark
tree built, nothing else), ``condorrules.syntax.parse`` (parse + AST), the checker passes
alone, and parse + check (``check_source``), with ratios to the bare parse. The file mixes
params, lets, guards and rules shaped like the shipped rulesets and checks clean, so every
pass does its full work (in particular the interaction pass compares rules that test the
same fields).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable

_HEADER = """\
ruleset generated version 1 "benchmark"

param profit_take = 50%
param stop_loss = -200%
param short_delta = 0.16
param entry_dte = 45d
param max_open = 3
param late_days = 15d
input ad_line "NYSE advance-decline line"

let fomc_near = days_to(FOMC) <= 1 or days_to(CPI) <= 1
let iv_pct = rank(vix, 252)
let test_level = if dte <= late_days then 0.22 else 0.30
let breadth_turn = crosses_below(ad_line, sma(ad_line, 20))

guard steward:
    forbid open when portfolio.bp_used > 50% or vix > 45

guard event_risk:
    forbid open, roll when fomc_near
"""

_TEMPLATES = (
    "rule t{i} priority 100:\n    when pnl_pct >= profit_take\n    then close\n",
    "rule x{i} priority 90:\n    when dte <= {d}d\n    then close\n",
    "rule o{i}:\n    when iv_pct < 90% and portfolio.open_positions < max_open\n"
    "    then open iron_condor(dte: entry_dte, short_delta: short_delta, wing: 50)\n",
    "rule p{i} priority 50:\n    when short_put.delta <= -test_level\n    then roll(side: put)\n",
    'rule d{i}:\n    when abs(range_position) >= 0.{d}\n    then alert("drift")\n',
    "rule s{i} priority 100:\n    when pnl_pct <= stop_loss or breadth_turn\n    then close\n",
)


def generate(rules: int) -> str:
    """A ruleset with ``rules`` rules cycling through realistic templates."""
    parts = [_HEADER]
    for i in range(rules):
        template = _TEMPLATES[i % len(_TEMPLATES)]
        parts.append(
            template.format(
                i=i,
                pct=20 + i % 60,
                d=10 + i % 30,
                n=1 + i % 5,
                v=30 + i % 15,
            )
        )
    return "\n".join(parts)


def best_of_interleaved(repeat: int, runs: dict[str, Callable[[], object]]) -> dict[str, float]:
    """The fastest of ``repeat`` rounds of each run, in seconds; the runs alternate within a
    round so that load from other processes hits all of them alike."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(repeat):
        for label, run in runs.items():
            start = time.perf_counter()
            run()
            best[label] = min(best[label], time.perf_counter() - start)
    return best


def main() -> None:
    from lark import Lark

    from condorrules.check import check_program, check_source
    from condorrules.syntax import Program, load_source, parse
    from condorrules.syntax.parser import grammar_text

    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rules", type=int, default=1000)
    options.add_argument("--repeat", type=int, default=5)
    options.add_argument("--profile", action="store_true", help="profile one check")
    args = options.parse_args()
    text = generate(args.rules)
    file = "generated.condor"
    lark = Lark(grammar_text(), parser="lalr")  # bare: default options, builds a lark tree
    result = check_source(text, file)
    assert not result.diagnostics, result.diagnostics[:3]
    program: Program = load_source(text, file)
    if args.profile:
        cProfile.runctx("check_program(program)", globals(), locals(), "/tmp/check.prof")
        pstats.Stats("/tmp/check.prof").sort_stats("cumulative").print_stats(25)
        return
    best = best_of_interleaved(
        args.repeat,
        {
            "lark bare LALR parse": lambda: lark.parse(text),
            "condorrules parse": lambda: parse(text, file),
            "checker passes only": lambda: check_program(program),
            "parse + check": lambda: check_source(text, file),
        },
    )
    bare = best["lark bare LALR parse"]
    scale = 1000 / args.rules
    print(
        f"file: {args.rules} rules, {len(text.encode()) / 1024:.1f} KiB, "
        f"{len(result.diagnostics)} diagnostics"
    )
    for label, seconds in best.items():
        print(
            f"{label + ':':22} {seconds * 1000 * scale:7.1f} ms per 1,000 rules "
            f"({seconds / bare:.2f}x lark)"
        )


if __name__ == "__main__":
    main()
