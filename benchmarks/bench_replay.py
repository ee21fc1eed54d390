"""Replay speed: ``rulesets/tasty_45dte.condor`` over the whole built-in history (1,257 bars).

Run: ``python benchmarks/bench_replay.py [--repeats N]``. Prints bars per second of the whole
run (CPU time of this process, best of N; the ruleset is loaded once, outside the timing) and
where the time goes:

* Greeks: every call of ``greeks.greeks`` (and its unchecked internal entry
  ``greeks._trusted.greeks_rows``), ``greeks.implied_vol``, ``greeks.black76_price`` and the
  volatility model's ``implied_vol``, wherever it is made (the replay's marks and
  strike selection, and the engine's field derivation);
* rule evaluation: the engine's ``Runner.step`` (field derivation and the decision
  procedure) less the Greeks inside it;
* bookkeeping: the rest of the replay loop (settlement, state building, fills, margin,
  records, the result frames).

A third figure replays the same run without the engine: the actions it carried out, recorded
from the first run, fed back bar by bar by a stub decision maker (the trades come out
identical, which the script checks): the cost of the replay alone.

The split wraps those functions with CPU timers for one extra run (the wrappers cost a few
per cent, counted in the category of the function they wrap); the bars-per-second figure
comes from unwrapped runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from condorrules import greeks
from condorrules.api import Runner, load
from condorrules.greeks import _trusted
from condorrules.history import load_builtin
from condorrules.market import volatility
from condorrules.replay import Result, backtest, simulate

RULESET = Path(__file__).resolve().parents[1] / "rulesets" / "tasty_45dte.condor"


class Clock:
    """CPU time spent inside wrapped functions, by category, not counting nested calls twice."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {"greeks": 0.0, "step": 0.0, "greeks_in_step": 0.0}
        self.depth: dict[str, int] = {"greeks": 0, "step": 0}

    def wrap(self, category: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            if self.depth[category]:
                return function(*args, **kwargs)
            self.depth[category] += 1
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent = time.process_time() - start
                self.spent[category] += spent
                if category == "greeks" and self.depth["step"]:
                    self.spent["greeks_in_step"] += spent
                self.depth[category] -= 1

        return timed


@contextmanager
def instrumented(clock: Clock) -> Iterator[None]:
    """Wrap the Greeks entry points and the engine's step for the duration."""
    patches: list[tuple[Any, str, Any]] = [
        (greeks, "greeks", greeks.greeks),
        (_trusted, "greeks_rows", _trusted.greeks_rows),
        (greeks, "implied_vol", greeks.implied_vol),
        (greeks, "black76_price", greeks.black76_price),
        (volatility.VolatilityModel, "implied_vol", volatility.VolatilityModel.implied_vol),
        (Runner, "step", Runner.step),
    ]
    try:
        for owner, name, original in patches:
            category = "step" if name == "step" else "greeks"
            setattr(owner, name, clock.wrap(category, original))
        yield
    finally:
        for owner, name, original in patches:
            setattr(owner, name, original)


@dataclass(frozen=True)
class RecordedAction:
    """An action from a decision log, as the replay reads it."""

    rule: str
    kind: str
    structure: str | None
    position: str | None
    arguments: tuple[tuple[str, Any], ...]

    @property
    def args(self) -> dict[str, Any]:
        return dict(self.arguments)

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "kind": self.kind, "position": self.position}


@dataclass(frozen=True)
class RecordedDecision:
    actions: tuple[RecordedAction, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"proposals": [], "alerts": []}


class Recording:
    """A decision maker that repeats the actions of a finished run, bar by bar."""

    def __init__(self, result: Result) -> None:
        self.plan = {
            dt.date.fromisoformat(record["date"]): tuple(
                RecordedAction(
                    a["rule"],
                    a["kind"],
                    a["structure"],
                    a["position"],
                    tuple(a["arguments"].items()),
                )
                for a in record["actions"]
            )
            for record in result.decisions
        }

    def step(self, state: Any) -> RecordedDecision:
        return RecordedDecision(self.plan.get(state.date, ()))


def replay_alone(result: Result, repeats: int) -> float:
    """Best CPU time of replaying ``result``'s actions without the engine."""
    history = load_builtin()
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        again = simulate(Recording(result), history, {"capital": 100_000.0})
        best = min(best, time.process_time() - start)
    pd.testing.assert_frame_equal(again.trades, result.trades)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()
    ruleset = load(RULESET)
    backtest(ruleset, end="2014-03-31")  # warm caches and imports
    best = float("inf")
    bars = 0
    for _ in range(options.repeats):
        start = time.process_time()
        result = backtest(ruleset)
        best = min(best, time.process_time() - start)
        bars = len(result.equity)
    clock = Clock()
    start = time.process_time()
    with instrumented(clock):
        backtest(ruleset)
    total = time.process_time() - start
    inside = clock.spent["greeks_in_step"]
    greeks_time = clock.spent["greeks"]
    rules = clock.spent["step"] - inside
    bookkeeping = total - clock.spent["step"] - (greeks_time - inside)
    print(f"tasty_45dte over the built-in history: {bars} bars")
    print(f"  best of {options.repeats}: {best:.3f} s CPU, {bars / best:,.0f} bars/s")
    print(f"  instrumented run: {total:.3f} s CPU")
    for label, value in (
        ("Greeks and vol model", greeks_time),
        ("rule evaluation (engine, less Greeks)", rules),
        ("bookkeeping (replay, less Greeks)", bookkeeping),
    ):
        print(f"  {label:<40} {value:6.3f} s  {value / total:6.1%}")
    print(f"    (Greeks inside the engine's field derivation: {inside:.3f} s)")
    alone = replay_alone(result, options.repeats)
    print(f"  the replay alone (recorded actions, no engine): {alone:.3f} s CPU, best of "
          f"{options.repeats}, {bars / alone:,.0f} bars/s")  # fmt: skip


if __name__ == "__main__":
    main()
