"""Scenarios (LANGUAGE.md §7): executable examples inside a rule file, run like tests.

A scenario builds one state from its steps and evaluates the ruleset on it:

* ``at DATE`` — the state's date (required);
* ``market NAME = VALUE, ...`` — ``spot``, ``spot.open``/``.high``/``.low``, ``vix``, ``rate``,
  ``div_yield`` and declared inputs go into the state; any other field (``atm_iv``,
  ``weekday``, ``portfolio.hedge_count``) is pinned;
* ``condor P1/P2/C1/C2 expiring DATE credit X [qty N] [opened DATE]`` — a long put P1, short
  put P2, short call C1, long call C2, N contracts each (default 1), opened on DATE (default:
  the scenario's date); ``put_spread P1/P2`` (long P1, short P2) and ``call_spread C1/C2``
  (short C1, long C2) likewise. Positions are called ``condor``, ``put_spread``,
  ``call_spread`` (``condor_2`` for a second one);
* ``given EXPR = VALUE`` — pins a field, input, let or call wherever it is written the same way
  (spacing, number spelling and named/positional arguments do not matter); a position field
  is pinned for every position. Unpinned series functions are unknown (no history);
* the portfolio is ``{"equity": 100000}`` (documented default) with no hedges.

Expectations are checked against the :class:`~condorrules.engine.Decision`; a failed one
carries the explanation of the rule involved.
"""

from __future__ import annotations

import datetime
import fnmatch
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from condorrules import catalogue
from condorrules.api import EventsLike, Ruleset, RulesetError, load
from condorrules.catalogue import Type
from condorrules.check.printer import show as source_text
from condorrules.check.printer import show_action
from condorrules.compile import pin_key
from condorrules.compile.encoding import symbol_code
from condorrules.compile.explain import explain
from condorrules.compile.nodes import PinKey
from condorrules.engine import Decision, ExecutionLog, decide
from condorrules.fields.values import day_number
from condorrules.runtime import Value, scalar
from condorrules.state import StateError, StateIssue
from condorrules.syntax import ast

DEFAULT_EQUITY = 100_000.0
"""The scenario portfolio's equity in dollars."""

_ARITHMETIC = {"+": scalar.add, "-": scalar.sub, "*": scalar.mul, "/": scalar.div}

_SCENARIO_HEADER = re.compile(r"^[ \t]*scenario(?![A-Za-z0-9_])", re.MULTILINE)
"""A line opening a scenario (``scenario`` is reserved and strings end at the line), found in
the text so that a scenario the parser could not read still counts as written."""

_STATE_FIELDS = {
    "spot": "spot",
    "spot.open": "open",
    "spot.high": "high",
    "spot.low": "low",
    "vix": "vix",
    "rate": "rate",
    "div_yield": "div_yield",
}


@dataclass(frozen=True, slots=True)
class ExpectationFailure:
    """One expectation that did not hold: what was expected, what happened, and why."""

    line: int
    expected: str
    happened: str
    explanation: str


@dataclass(frozen=True, slots=True)
class ScenarioResult:
    """The outcome of one scenario; ``error`` is set when it could not even be run, and
    ``error_line`` is the line of the step that caused it."""

    file: str
    line: int
    title: str
    failures: tuple[ExpectationFailure, ...]
    error: str | None = None
    decision: Decision | None = None
    error_line: int | None = None

    @property
    def passed(self) -> bool:
        """True when every expectation held."""
        return not self.failures and self.error is None

    @property
    def location(self) -> str:
        """``file:line`` of the scenario."""
        return f"{self.file}:{self.line}"


class ScenarioSetupError(ValueError):
    """A scenario whose steps do not make a valid state; ``line`` is the step's line (None:
    the scenario's own line)."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def scenarios_of(ruleset: Ruleset) -> tuple[ast.Scenario, ...]:
    """The scenarios written in the ruleset's main file, in file order."""
    return tuple(i for i in ruleset.program.main.items if isinstance(i, ast.Scenario))


def run_scenario(ruleset: Ruleset, scenario: ast.Scenario) -> ScenarioResult:
    """Build the scenario's state, decide on it, and check every expectation."""
    file, line, title = scenario.span.file, scenario.span.line, scenario.title.value
    try:
        state, pins = build_state(ruleset, scenario)
        evaluation = ruleset.evaluation(state, pins)
    except ScenarioSetupError as error:
        return ScenarioResult(file, line, title, (), error=str(error), error_line=error.line)
    except StateError as error:
        message, at = _state_problem(scenario, error)
        return ScenarioResult(file, line, title, (), error=message, error_line=at)
    decision = decide(ruleset.compiled, evaluation, ExecutionLog())
    failures = []
    for step in scenario.steps:
        if isinstance(step, ast.Expect):
            failure = _check(ruleset, step, decision, state, pins)
            if failure is not None:
                failures.append(failure)
    return ScenarioResult(file, line, title, tuple(failures), decision=decision)


@dataclass(frozen=True, slots=True)
class FileRun:
    """The scenarios of one file, or why they could not run (``error``: the ruleset's
    diagnostics rendered, or the read error). ``deselected`` counts scenarios ``-k`` left out;
    a file with neither results, error nor deselected scenarios has no scenarios."""

    file: str
    results: tuple[ScenarioResult, ...]
    error: str | None = None
    deselected: int = 0

    @property
    def without_scenarios(self) -> bool:
        """True for a file that loads and has no scenarios (skipped, not a failure)."""
        return self.error is None and not self.results and not self.deselected


def run_paths(
    paths: Iterable[str | Path], pattern: str | None = None, events: EventsLike | None = None
) -> list[FileRun]:
    """Run the scenarios of every file named and every ``*.condor`` below the folders named.

    A file named, or a file found that has scenarios written in it, is loaded: if it has
    errors (a scenario that does not parse included) it is a :class:`FileRun` with ``error``
    set. A file found in a folder with no scenario written is not loaded (``condorrules
    check`` is the tool for it; folders of deliberately broken examples stay quiet) and comes
    back as a run :attr:`~FileRun.without_scenarios`, like a named file that loads and has
    none. ``events`` (a CSV path or an :class:`~condorrules.market.EventCalendar`) adds event
    dates to the built-in FOMC calendar, as ``condorrules.load`` does.
    """
    return [
        run_path(path, pattern, named=named, events=events) for path, named in _candidates(paths)
    ]


def run_path(
    path: Path,
    pattern: str | None = None,
    *,
    named: bool = True,
    events: EventsLike | None = None,
) -> FileRun:
    """The :class:`FileRun` of one file (see :func:`run_paths`; ``named``: given by name)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as problem:
        return FileRun(str(path), (), f"cannot read {path}: {problem}")
    if not named and not has_scenarios(text):
        return FileRun(str(path), ())
    try:
        ruleset = load(path, events=events)
    except RulesetError as error:
        return FileRun(str(path), (), error.report)
    except (OSError, UnicodeDecodeError) as problem:  # an import that cannot be read
        return FileRun(str(path), (), f"cannot load {path}: {problem}")
    written = scenarios_of(ruleset)
    chosen = [s for s in written if selected(s, pattern)]
    results = tuple(run_scenario(ruleset, s) for s in chosen)
    return FileRun(str(path), results, deselected=len(written) - len(chosen))


def has_scenarios(text: str) -> bool:
    """Whether a rule file's text has a scenario written in it, parsed or not."""
    return _SCENARIO_HEADER.search(text) is not None


def run_file(path: str | Path, pattern: str | None = None) -> list[ScenarioResult]:
    """Run the scenarios of one file (those whose title matches ``-k``-style ``pattern``).

    Raises :class:`~condorrules.api.RulesetError` when the file has errors.
    """
    ruleset = load(Path(path))
    return [run_scenario(ruleset, s) for s in scenarios_of(ruleset) if selected(s, pattern)]


def selected(scenario: ast.Scenario, pattern: str | None) -> bool:
    """``-k``: a case-insensitive substring of the title, or a glob if it has ``*``/``?``."""
    if not pattern:
        return True
    title = scenario.title.value.lower()
    wanted = pattern.lower()
    if any(char in wanted for char in "*?["):
        return fnmatch.fnmatch(title, wanted)
    return wanted in title


def condor_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files named and every ``*.condor`` below the folders named, sorted."""
    for path, _ in _candidates(paths):
        yield path


def _candidates(paths: Iterable[str | Path]) -> Iterator[tuple[Path, bool]]:
    """Each file once, with whether it was named (a file both named and found counts as
    named, at its first place)."""
    found: list[tuple[Path, bool]] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend((p, False) for p in sorted(path.rglob("*.condor")) if p.is_file())
        else:
            found.append((path, True))
    named = {p.resolve() for p, is_named in found if is_named}
    seen: set[Path] = set()
    for path, _ in found:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            yield path, key in named


# -- building the state -----------------------------------------------------------------


def build_state(
    ruleset: Ruleset, scenario: ast.Scenario
) -> tuple[dict[str, Any], dict[PinKey, Value]]:
    """The state document and the pins a scenario's steps describe."""
    date: datetime.date | None = None
    market: dict[str, Any] = {}
    inputs: dict[str, float | None] = {}
    structures: list[ast.Structure] = []
    pins: dict[PinKey, Value] = {}
    for step in scenario.steps:
        if isinstance(step, ast.At):
            date = step.date.value
        elif isinstance(step, ast.MarketSet):
            for assignment in step.assignments:
                name = ".".join(part.name for part in assignment.path)
                value = _literal(ruleset, assignment.value, _field_type(name))
                if name in _STATE_FIELDS:
                    market[_STATE_FIELDS[name]] = _plain(value)
                elif name in ruleset.compiled.inputs:
                    inputs[name] = float(value.value)
                else:
                    pins[("name", name) if "." not in name else _dotted_key(name)] = value
        elif isinstance(step, ast.Structure):
            structures.append(step)
        elif isinstance(step, ast.Given):
            target_type = _field_type(source_text(step.target))
            pins[pin_key(step.target)] = _literal(ruleset, step.value, target_type)
    if date is None:
        raise ScenarioSetupError("the scenario has no `at DATE` step")
    if "spot" not in market:
        market_steps = [s for s in scenario.steps if isinstance(s, ast.MarketSet)]
        at = market_steps[0].span.line if market_steps else None
        raise ScenarioSetupError("the scenario sets no spot: add `market spot = ...`", at)
    state: dict[str, Any] = {"date": date.isoformat(), **market}
    if inputs:
        state["inputs"] = inputs
    state["positions"] = _positions(structures, date)
    state["portfolio"] = {"equity": DEFAULT_EQUITY}
    return state, pins


def _dotted_key(name: str) -> PinKey:
    base, *rest = name.split(".")
    key: PinKey = ("name", base)
    for part in rest:
        key = ("attr", key, part)
    return key


def _positions(structures: list[ast.Structure], date: datetime.date) -> list[dict[str, Any]]:
    positions: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for structure in structures:
        counts[structure.kind] = counts.get(structure.kind, 0) + 1
        count = counts[structure.kind]
        ident = structure.kind if count == 1 else f"{structure.kind}_{count}"
        qty = 1 if structure.qty is None else int(structure.qty.value)
        expiry = structure.expiry.value.isoformat()
        roles = {
            "condor": (("put", 1), ("put", -1), ("call", -1), ("call", 1)),
            "put_spread": (("put", 1), ("put", -1)),
            "call_spread": (("call", -1), ("call", 1)),
        }[structure.kind]
        if len(structure.strikes) != len(roles):
            raise ScenarioSetupError(
                f"a {structure.kind} needs {len(roles)} strikes", structure.span.line
            )
        legs = [
            {"right": right, "strike": strike.value, "expiry": expiry, "qty": sign * qty}
            for (right, sign), strike in zip(roles, structure.strikes, strict=True)
        ]
        opened = structure.opened.value if structure.opened is not None else date
        positions.append(
            {
                "id": ident,
                "opened": opened.isoformat(),
                "credit": structure.credit.value,
                "legs": legs,
            }
        )
    return positions


def _field_type(name: str) -> Type | None:
    field = catalogue.FIELDS.get(name)
    return field.type if field is not None else None


def _literal(ruleset: Ruleset, expr: ast.Expr, target: Type | None) -> Value:
    """The value of a scenario's right-hand side (a literal, a negated one, a symbol, a
    param, or arithmetic of those), encoded as the evaluators carry it."""
    match expr:
        case ast.Number() | ast.Percent() | ast.Money():
            return Value(float(expr.value))
        case ast.Duration():
            return Value(expr.days)
        case ast.Bool():
            return Value(expr.value)
        case ast.DateLiteral():
            return Value(float(day_number(expr.value)))
        case ast.Unary():
            inner = _literal(ruleset, expr.operand, target)
            return Value(-float(inner.value))
        case ast.Binary():
            left = _literal(ruleset, expr.left, target)
            right = _literal(ruleset, expr.right, target)
            result = _ARITHMETIC[expr.op](left, right)
            if result.known:
                return result
        case ast.Name() if expr.name in ruleset.compiled.params:
            return _param(ruleset, expr.name)
        case ast.Name() if expr.name in catalogue.SIDE_VALUES and target is not Type.WEEKDAY:
            return Value(float(symbol_code(expr.name, Type.SIDE)))
        case ast.Name() if expr.name in catalogue.WEEKDAYS:
            return Value(float(symbol_code(expr.name, Type.WEEKDAY)))
    raise ScenarioSetupError(
        f"`{source_text(expr)}` is not a value a scenario can set", expr.span.line
    )


def _param(ruleset: Ruleset, name: str) -> Value:
    value = ruleset.compiled.params[name]
    if isinstance(value, bool):
        return Value(value)
    if isinstance(value, str):
        kind = Type.WEEKDAY if value in catalogue.WEEKDAYS else Type.SIDE
        if value.count("-") == 2:
            day = datetime.date.fromisoformat(value)
            return Value(float(day_number(day)))
        return Value(float(symbol_code(value, kind)))
    return Value(float(value))


def _plain(value: Value) -> float | bool:
    return value.value


_POSITION_INDEX = re.compile(r"positions\[(\d+)\]")


def _state_problem(scenario: ast.Scenario, error: StateError) -> tuple[str, int | None]:
    """The state's problems in the scenario's words, and the line of the step behind the
    first one (the position's structure, else the `at` or `market` step)."""
    problems = [str(issue).removeprefix("<document>: ") for issue in error.issues]
    message = "invalid state: " + "\n".join(problems)
    return message, _issue_line(scenario, error.issues[0]) if error.issues else None


def _issue_line(scenario: ast.Scenario, issue: StateIssue) -> int | None:
    structures = [s for s in scenario.steps if isinstance(s, ast.Structure)]
    index = _POSITION_INDEX.search(f"{issue.path} {issue.message}")
    if index is not None and int(index.group(1)) < len(structures):
        return structures[int(index.group(1))].span.line
    if issue.path.startswith("date"):
        dates = [s.span.line for s in scenario.steps if isinstance(s, ast.At)]
        return dates[-1] if dates else None
    markets = [s.span.line for s in scenario.steps if isinstance(s, ast.MarketSet)]
    return markets[-1] if markets else None


# -- expectations -----------------------------------------------------------------------


def _check(
    ruleset: Ruleset,
    expect: ast.Expect,
    decision: Decision,
    state: dict[str, Any],
    pins: dict[PinKey, Value],
) -> ExpectationFailure | None:
    rule = expect.rule.name if expect.rule is not None else None
    by = expect.by.name if expect.by is not None else None
    proposals = [p for p in decision.proposals if p.rule == rule]
    if expect.kind == "fires":
        if proposals:
            return None
        return _failure(ruleset, expect, f"fires {rule}", f"{rule} did not fire", state, pins)
    if expect.kind == "not_fires":
        if not proposals:
            return None
        happened = f"{rule} fired: " + "; ".join(_fate(p) for p in proposals)
        return _failure(ruleset, expect, f"not fires {rule}", happened, state, pins)
    if expect.kind in ("vetoed", "suppressed"):
        status = expect.kind
        if any(p.status == status and p.by == by for p in proposals):
            return None
        if not proposals:
            happened = f"{rule} did not fire"
        else:
            happened = f"{rule} fired: " + "; ".join(_fate(p) for p in proposals)
        wanted = f"{status} {rule} by {by}"
        return _failure(ruleset, expect, wanted, happened, state, pins)
    if expect.kind == "action":
        assert expect.action is not None
        if expect.action.kind.name == "alert":
            texts = [a.value for a in expect.action.args if isinstance(a, ast.StringLiteral)]
            if any(not texts or alert.text == texts[0] for alert in decision.alerts):
                return None
        elif any(_matches(ruleset, expect.action, action) for action in decision.actions):
            return None
        wanted = f"action {show_action(expect.action)}"
        happened = _carried_out(decision)
        return _failure(ruleset, expect, wanted, happened, state, pins, involved=expect.action)
    # nothing
    if not decision.actions:
        return None
    return _failure(ruleset, expect, "nothing", _carried_out(decision), state, pins)


def _carried_out(decision: Decision) -> str:
    if decision.alerts and not decision.actions:
        raised = ", ".join(f"{a.text!r} by {a.rule}" for a in decision.alerts)
        return f"no trade was carried out; alerts raised: {raised}"
    if not decision.actions:
        fired = ", ".join(f"{p.rule} ({_fate(p)})" for p in decision.proposals)
        return "no action was carried out" + (f"; fired: {fired}" if fired else "")
    done = ", ".join(
        f"{a.kind}{' ' + a.structure if a.structure else ''} by {a.rule}"
        + (f" on {a.position}" if a.position else "")
        for a in decision.actions
    )
    return f"carried out: {done}"


def _fate(proposal: Any) -> str:
    where = f" on {proposal.action.position}" if proposal.action.position else ""
    by = f" by {proposal.by}" if proposal.by else ""
    return f"{proposal.action.kind}{where} {proposal.status.replace('_', ' ')}{by}"


def _matches(ruleset: Ruleset, wanted: ast.Action, action: Any) -> bool:
    if wanted.kind.name != action.kind:
        return False
    if wanted.structure is not None and wanted.structure.name != action.structure:
        return False
    given = _with_defaults(action.kind, action.structure, action.args)
    for named in wanted.named:
        name = named.name.name
        if name not in given:
            return False
        value = named.value
        if isinstance(value, ast.Name) and value.name not in ruleset.compiled.params:
            if given[name] != value.name:
                return False
            continue
        if isinstance(value, ast.StringLiteral):
            if given[name] != value.value:
                return False
            continue
        expected = _literal(ruleset, value, None).value
        actual = given[name]
        if not isinstance(actual, int | float) or abs(float(actual) - float(expected)) > 1e-9:
            return False
    return True


OPEN_DEFAULT_QTY = 1.0
"""`open` sizes to one contract a leg when neither `qty` nor `risk` is given (catalogue)."""


def _with_defaults(kind: str, structure: str | None, given: dict[str, Any]) -> dict[str, Any]:
    """The action's arguments with the catalogue's defaults for those the rule left out
    (`qty: 1` for an open without a size, `side: both`, `dte: same` for a roll, ...), so
    `expect action open put_spread(qty: 1)` matches a rule that relies on the default."""
    definition = catalogue.ACTIONS.get(kind)
    if definition is None:
        return dict(given)
    signature = definition.signature
    if structure is not None:
        found = definition.structure(structure)
        signature = found.signature if found is not None else signature
    defaults: dict[str, Any] = {
        argument.name: argument.default
        for argument in signature.arguments
        if argument.default is not None
    }
    if kind == "open" and "qty" not in given and "risk" not in given:
        defaults["qty"] = OPEN_DEFAULT_QTY
    return {**defaults, **given}


def _failure(
    ruleset: Ruleset,
    expect: ast.Expect,
    expected: str,
    happened: str,
    state: dict[str, Any],
    pins: dict[PinKey, Value],
    involved: ast.Action | None = None,
) -> ExpectationFailure:
    names: list[str] = []
    if expect.rule is not None:
        names.append(expect.rule.name)
    if expect.by is not None:
        names.append(expect.by.name)
    if involved is not None:
        names += [
            rule.name
            for rule in ruleset.compiled.rules
            if any(action.kind == involved.kind.name for action in rule.actions)
        ]
    evaluation = ruleset.evaluation(state, pins)
    decision = decide(ruleset.compiled, evaluation, ExecutionLog())
    if expect.kind == "nothing":
        names += [proposal.rule for proposal in decision.proposals]
    blocks: list[str] = []
    for name in dict.fromkeys(names):
        explanation = explain(ruleset.compiled, evaluation, decision, name)
        blocks.extend("\n".join(entry.lines()) for entry in explanation.entries)
    return ExpectationFailure(expect.span.line, expected, happened, "\n".join(blocks))


__all__ = [
    "DEFAULT_EQUITY",
    "ExpectationFailure",
    "FileRun",
    "RulesetError",
    "ScenarioResult",
    "ScenarioSetupError",
    "build_state",
    "condor_paths",
    "has_scenarios",
    "run_file",
    "run_path",
    "run_paths",
    "run_scenario",
    "scenarios_of",
    "selected",
]
