"""Parse-time benchmark: a generated 1,000-rule file, our parser next to Lark's bare parse.

Run ``python benchmarks/bench_parse.py [--rules N] [--repeat R]``. Prints the file size, the
best-of-R time of Lark's bare LALR parse of the file (grammar loaded once, tree built, nothing
else), of ``condorrules.syntax.parse`` (Lark parse + AST + comments), and their ratio, both
per 1,000 rules. The generated rules are shaped like the shared examples.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

_TEMPLATES = (
    "rule take_{i} priority {p}:\n    when pnl_pct >= {pct}%\n    then close\n",
    "rule exit_{i}:\n    when dte <= {d}d\n    then close\n",
    "rule open_{i}:\n    when vix between 12 and {v}\n"
    "    then open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)\n",
    "rule put_{i} priority {p}:\n    when short_put.delta <= -0.{d}\n"
    "    then roll(side: put, dte: same)\n    limit 2 per position\n",
    'rule drift_{i}:\n    when abs(range_position) >= 0.{d}  # drift\n    then alert("drift")\n',
    "rule stop_{i}:\n    when pnl_pct <= -{pct}% or rsi(spot, 14) < {n}0\n    then close\n",
)


def generate(rules: int) -> str:
    """A ruleset with ``rules`` rules cycling through realistic templates."""
    parts = ["ruleset generated version 1\n\nparam profit_take = 50%\n"]
    for i in range(rules):
        template = _TEMPLATES[i % len(_TEMPLATES)]
        parts.append(
            template.format(
                i=i, p=i % 7 * 10, pct=20 + i % 60, d=10 + i % 30, n=1 + i % 5, v=30 + i % 15
            )
        )
    return "\n".join(parts)


def best_of_interleaved(
    repeat: int, first: Callable[[], object], second: Callable[[], object]
) -> tuple[float, float]:
    """The fastest of ``repeat`` runs of each, alternating them so load drifts hit both."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for run, bucket in ((first, times[0]), (second, times[1])):
            start = time.perf_counter()
            run()
            bucket.append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def main() -> None:
    from lark import Lark

    from condorrules.syntax import parse
    from condorrules.syntax.parser import grammar_text

    options = argparse.ArgumentParser(description=__doc__)
    options.add_argument("--rules", type=int, default=1000)
    options.add_argument("--repeat", type=int, default=7)
    args = options.parse_args()
    text = generate(args.rules)
    lark = Lark(grammar_text(), parser="lalr")  # bare: default options, builds a lark tree
    result = parse(text, "generated.condor")
    assert not result.diagnostics, result.diagnostics[:3]
    bare, ours = best_of_interleaved(
        args.repeat, lambda: lark.parse(text), lambda: parse(text, "generated.condor")
    )
    scale = 1000 / args.rules
    print(f"file: {args.rules} rules, {len(text.encode()) / 1024:.1f} KiB")
    print(f"lark bare LALR parse: {bare * 1000 * scale:.1f} ms per 1,000 rules")
    print(
        f"condorrules parse:    {ours * 1000 * scale:.1f} ms per 1,000 rules "
        f"({ours / bare:.2f}x lark)"
    )


if __name__ == "__main__":
    main()
