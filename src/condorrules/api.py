"""The embedding API: load a ruleset, evaluate states, keep a runner for live use.

    import condorrules
    ruleset = condorrules.load("tasty_45dte.condor", params={"profit_take": "60%"})
    decision = ruleset.evaluate(state)          # a State or a plain dict (JSON document)
    decision.actions, decision.proposals, decision.alerts, decision.to_dict()
    runner = ruleset.runner()                   # indicator history, cooldowns and limits
    for state in feed: runner.step(state)

The pipeline reads in a few lines (jinja's ``Environment.compile``): parse → check → compile
(:func:`load`), then per state derive the fields → evaluate → decide (:meth:`Ruleset.evaluate`).
A :class:`Ruleset` is immutable and safe to share between threads; a :class:`Runner` keeps
state and serialises its own steps with a lock.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from condorrules.check import check_program
from condorrules.compile import (
    CompiledRuleset,
    CompileError,
    Evaluation,
    ParamOverride,
    compile_program,
    dump_ruleset,
)
from condorrules.compile.explain import Explanation, explain
from condorrules.compile.frame import History
from condorrules.compile.history import SeriesHistory
from condorrules.compile.nodes import PinKey
from condorrules.compile.overrides import Origin
from condorrules.diagnostics import Diagnostic
from condorrules.diagnostics.render import render_text
from condorrules.engine import Decision, Execute, ExecutionLog, UnknownRuleError, decide
from condorrules.fields import StateFields, derive_fields
from condorrules.market import MarketModel
from condorrules.market.events import EventCalendar
from condorrules.runtime import Value
from condorrules.state import State, parse_state
from condorrules.syntax import Program, load_source
from condorrules.syntax import load as load_program

StateLike = State | Mapping[str, Any] | str
"""A state: a :class:`~condorrules.state.State`, a dict of its JSON document, or JSON text."""


class RulesetError(Exception):
    """The ruleset has errors; ``diagnostics`` lists them (file:line:col, message, help)."""

    def __init__(self, diagnostics: tuple[Diagnostic, ...], sources: Mapping[str, str]) -> None:
        self.diagnostics = diagnostics
        self.report = render_text(diagnostics, sources, files_checked=1)
        super().__init__(self.report.rstrip())


EventsLike = str | Path | EventCalendar
"""Events data: a CSV path (``date,event[,note]``) or an :class:`EventCalendar`."""


def load(
    source: str | Path,
    params: Mapping[str, ParamOverride] | None = None,
    *,
    market: MarketModel | None = None,
    events: EventsLike | None = None,
    origin: Origin = "api",
) -> Ruleset:
    """Parse, check and compile a ruleset from a path or from its text.

    ``source`` is read as a path when it is a :class:`~pathlib.Path` or a one-line string
    naming an existing file or ending in ``.condor``; otherwise it is the ruleset's text.
    ``params`` override params by name: each must fit its param's type and unit (a number
    param a number, a ratio ``"20%"`` or ``0.2``, a duration ``"21d"`` or a number of days,
    money ``"$500"``; docs/embedding.md) and keep every action argument it flows into in its
    range. ``events`` adds events (``days_to(EARNINGS)``) to the built-in FOMC calendar.
    ``origin`` only changes how messages quote the overrides (``"cli"``: ``--param``).
    Raises :class:`RulesetError` if the checker finds an error or an override is wrong,
    :class:`~condorrules.market.events.EventDataError` for bad events data, OSError if a
    file cannot be read.
    """
    model = with_events(market or MarketModel.default(), events)
    if _is_path(source):
        path = Path(source)
        program = load_program(path)
        sources = {str(path): path.read_text(encoding="utf-8")}
    else:
        text = str(source)
        program = load_source(text, "<string>", base_dir=Path.cwd())
        sources = {"<string>": text}
    result = check_program(program, events=model.events.names())
    errors = tuple(d for d in result.diagnostics if d.is_error)
    if errors:
        raise RulesetError(errors, sources)
    try:
        compiled = compile_program(program, params, model, origin=origin)
    except CompileError as error:
        raise RulesetError(error.diagnostics, {**sources, **error.sources}) from None
    return Ruleset(compiled, program, model, result.diagnostics)


def with_events(model: MarketModel, events: EventsLike | None) -> MarketModel:
    """``model`` with ``events`` merged into its event calendar (``None``: unchanged)."""
    if events is None:
        return model
    calendar = events if isinstance(events, EventCalendar) else EventCalendar.from_csv(events)
    return model.with_overrides(events=calendar)


def _is_path(source: str | Path) -> bool:
    if isinstance(source, Path):
        return True
    if "\n" in source or len(source) > 4096:
        return False
    return source.endswith(".condor") or Path(source).is_file()


class Ruleset:
    """A compiled ruleset: evaluate states, explain them, or start a :class:`Runner`."""

    def __init__(
        self,
        compiled: CompiledRuleset,
        program: Program,
        market: MarketModel,
        warnings: tuple[Diagnostic, ...] = (),
    ) -> None:
        self.compiled = compiled
        self.program = program
        self.market = market
        self.warnings = tuple(d for d in warnings if not d.is_error)

    @property
    def name(self) -> str:
        """The ruleset's name (header, else the file name)."""
        return self.compiled.name

    @property
    def params(self) -> dict[str, float | bool | str]:
        """Every param's value in this ruleset (after overrides)."""
        return dict(self.compiled.params)

    @property
    def rules(self) -> tuple[str, ...]:
        """Rule names in file order."""
        return tuple(rule.name for rule in self.compiled.rules)

    def evaluate(self, state: StateLike) -> Decision:
        """The decision on one state, with no history: series functions are unknown
        (they need bars of history; use :meth:`runner`), no cooldown or limit is in force.

        Raises :class:`~condorrules.state.StateError` for an invalid state.
        """
        evaluation = self.evaluation(state)
        return decide(self.compiled, evaluation, ExecutionLog())

    def explain(self, state: StateLike, rule: str | None = None) -> Explanation:
        """Every rule's (or one rule's or guard's) condition tree with values and its
        proposals' fate. Raises :class:`~condorrules.engine.UnknownRuleError` for an unknown
        ``rule``."""
        self.check_rule(rule)
        evaluation = self.evaluation(state)
        decision = decide(self.compiled, evaluation, ExecutionLog())
        return explain(self.compiled, evaluation, decision, rule)

    def check_rule(self, rule: str | None) -> None:
        """Raise :class:`~condorrules.engine.UnknownRuleError` unless ``rule`` is None or
        names a rule or guard of this ruleset (the message suggests the nearest name)."""
        known = (*self.rules, *(guard.name for guard in self.compiled.guards))
        if rule is not None and rule not in known:
            raise UnknownRuleError(rule, known)

    def runner(self) -> Runner:
        """A runner for a stream of bars: indicator history, cooldowns and limits."""
        return Runner(self)

    def evaluation(
        self,
        state: StateLike,
        pins: dict[PinKey, Value] | None = None,
        history: History | None = None,
    ) -> Evaluation:
        """The evaluation environment of one state (fields derived, pins applied)."""
        return Evaluation(self.fields(state), self.market, len(self.compiled.lets), pins, history)

    def fields(self, state: StateLike) -> StateFields:
        """The fields of LANGUAGE.md §4 this ruleset reads, for ``state``."""
        return derive_fields(_as_state(state), self.market, names=self.compiled.field_names)

    def dump(self) -> str:
        """The compiled program as text, with source lines (for debugging)."""
        return dump_ruleset(self.compiled)

    def __repr__(self) -> str:
        return f"<Ruleset {self.name}: {len(self.rules)} rules>"


class Runner:
    """Evaluates a stream of states, one bar after another, keeping indicator history
    (incremental, O(1) per bar) and the executions that cooldowns and limits count."""

    def __init__(self, ruleset: Ruleset) -> None:
        self.ruleset = ruleset
        self._history = SeriesHistory(ruleset.compiled.series_nodes())
        self._log = ExecutionLog()
        self._lock = threading.Lock()
        self._last: tuple[Evaluation, Decision] | None = None

    def step(self, state: StateLike, execute: Execute | None = None) -> Decision:
        """The decision on the next bar. An invalid state raises
        :class:`~condorrules.state.StateError` and leaves the runner unchanged.

        Without ``execute`` every action decided counts as carried out for cooldowns and
        limits (the caller carries them all out). With ``execute(action) -> None | reason``
        the runner hands it each action in the decision's order as it decides: an action it
        returns a reason for is ``skipped`` (with that reason) and does not count.
        """
        fields = self.ruleset.fields(state)
        with self._lock:
            compiled = self.ruleset.compiled
            evaluation = Evaluation(
                fields, self.ruleset.market, len(compiled.lets), None, self._history
            )
            self._history.advance(evaluation)
            decision = decide(compiled, evaluation, self._log, execute)
            self._log.forget_positions(fields.position_ids, evaluation.date)
            self._last = (evaluation, decision)
            return decision

    def position_closed(self, position: str) -> None:
        """Forget ``position``'s limit and cooldown counters now. (A position missing from
        the states keeps them for :data:`~condorrules.engine.FORGET_AFTER_DAYS` days.)"""
        with self._lock:
            self._log.close_position(position)

    @property
    def bars(self) -> int:
        """Bars stepped so far."""
        return self._history.bars()

    @property
    def history(self) -> SeriesHistory:
        """The indicator values of the last bar stepped (read them through
        :meth:`Ruleset.evaluation` with ``history=``)."""
        return self._history

    def explain(self, rule: str | None = None) -> Explanation:
        """The explanation of the last bar stepped (history included). Raises LookupError
        before the first step."""
        self.ruleset.check_rule(rule)
        with self._lock:
            if self._last is None:
                raise LookupError("the runner has not stepped a bar yet")
            evaluation, decision = self._last
            return explain(self.ruleset.compiled, evaluation, decision, rule)


def _as_state(state: StateLike) -> State:
    return state if isinstance(state, State) else parse_state(state)


__all__ = [
    "Decision",
    "Explanation",
    "Ruleset",
    "RulesetError",
    "Runner",
    "StateLike",
    "UnknownRuleError",
    "load",
]
