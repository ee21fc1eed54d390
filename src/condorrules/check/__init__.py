"""The checker: a parsed program in, diagnostics and side tables out.

    check_program(program)       -> CheckResult   the passes over a loaded Program
    check_source(text, file)     -> CheckResult   parse + imports + check (for an editor)
    check_paths(paths)           -> {file: diagnostics}   files and folders (*.condor)

Each pass is one module with one public function, run in the order of :data:`PASSES`
(sqlglot's optimizer rules are the model). Passes never change the AST: what they learn goes
into side tables keyed by node (cel-spec's ``type_map``/``reference_map``), returned in
:class:`CheckResult`. A pass skips what an earlier one could not resolve or type, so a
program with errors never makes a later pass raise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Protocol

from condorrules.catalogue import Scope
from condorrules.check.actions import check_actions
from condorrules.check.context import Context, Definition, ExprType, Reference, RefKind
from condorrules.check.ignores import apply_ignores
from condorrules.check.interactions import check_interactions
from condorrules.check.names import resolve_names
from condorrules.check.ranges import check_ranges
from condorrules.check.scenarios import check_scenarios
from condorrules.check.scopes import infer_scopes
from condorrules.check.types import infer_types
from condorrules.check.unused import check_unused
from condorrules.diagnostics import Diagnostic, sort_key
from condorrules.syntax import Program, ast, load_source, parse_file


class Pass(Protocol):
    """A checker pass: reads and extends the context, reports into it, never raises on a
    program that earlier passes found errors in."""

    def __call__(self, context: Context, /) -> None: ...


PASSES: tuple[Pass, ...] = (
    resolve_names,
    infer_types,
    check_actions,
    infer_scopes,
    check_ranges,
    check_interactions,
    check_unused,
    check_scenarios,
    apply_ignores,
)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The checked program: sorted diagnostics and the side tables the passes built.

    - ``references``: every resolved :class:`ast.Name`/:class:`ast.Attribute` -> what it is;
    - ``types``: every typed expression -> :class:`ExprType` (type = unit, flexible flag);
    - ``scopes``/``scope_reasons``: each let, rule and guard -> portfolio or position, and
      the node that made it position-scoped;
    - ``definitions`` (params, inputs, lets by name), ``rules``, ``guards`` (by name),
      including what imports make visible.
    """

    program: Program
    diagnostics: tuple[Diagnostic, ...]
    references: Mapping[ast.Name | ast.Attribute, Reference]
    types: Mapping[ast.Expr, ExprType]
    scopes: Mapping[ast.Let | ast.Rule | ast.Guard, Scope]
    scope_reasons: Mapping[ast.Let | ast.Rule | ast.Guard, ast.Node]
    definitions: Mapping[str, Definition]
    rules: Mapping[str, ast.Rule]
    guards: Mapping[str, ast.Guard]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings allowed)."""
        return not any(d.is_error for d in self.diagnostics)


def check_program(
    program: Program, *, events: Iterable[str] = (), source: str | None = None
) -> CheckResult:
    """Run every pass over ``program``.

    Diagnostics are those of the main file plus the syntax and import diagnostics and the
    errors of every file involved; ``events`` adds event names the caller's events data
    defines. ``source``, the main file's text, lets a file with syntax errors still get E200
    for names that no dropped item could define (without it those are left out).
    """
    context = Context(program.main, program.imported, frozenset(events), source=source)
    context.diagnostics.extend(program.diagnostics)
    for checker_pass in PASSES:
        checker_pass(context)
    own = set(program.diagnostics)
    # An error in an imported param, let or guard is an error of this program too (it could
    # not be loaded); warnings about an imported file are that file's own business.
    kept = [d for d in context.diagnostics if d in own or d.span.file == context.file or d.is_error]
    diagnostics = tuple(sorted(dict.fromkeys(kept), key=sort_key))
    return CheckResult(
        program=program,
        diagnostics=diagnostics,
        references=MappingProxyType(context.references),
        types=MappingProxyType(context.types),
        scopes=MappingProxyType(context.scopes),
        scope_reasons=MappingProxyType(context.scope_reasons),
        definitions=MappingProxyType(context.definitions),
        rules=MappingProxyType(context.rules),
        guards=MappingProxyType(context.guards),
    )


def check_source(text: str, file: str = "<string>", *, events: Iterable[str] = ()) -> CheckResult:
    """Parse ``text`` (named ``file``), resolve its imports from disk, and check it."""
    return check_program(load_source(text, file), events=events, source=text)


def condor_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and every ``*.condor`` under the folders named, sorted per folder.

    Raises FileNotFoundError for a path that does not exist.
    """
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.condor") if p.is_file()))
        elif path.exists():
            found.append(path)
        else:
            raise FileNotFoundError(str(path))
    return list(dict.fromkeys(found))


def _check_file(path: Path, events: tuple[str, ...]) -> CheckResult:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        parsed = parse_file(path)  # an E100 for the bad byte, and an empty module
        return check_program(Program(parsed.module, (), parsed.diagnostics), events=events)
    return check_program(load_source(text, str(path)), events=events, source=text)


def check_paths(
    paths: Iterable[str | Path], *, events: Iterable[str] = ()
) -> dict[str, tuple[Diagnostic, ...]]:
    """Check files and folders (recursing into ``*.condor``): diagnostics by file name.

    Every checked file has an entry (empty when clean); a diagnostic in an imported file is
    listed once, under that file. Raises FileNotFoundError for a missing path.
    """
    event_names = tuple(events)
    by_file: dict[str, dict[Diagnostic, None]] = {}
    for path in condor_files(paths):
        by_file.setdefault(str(path), {})
        result = _check_file(path, event_names)
        for diagnostic in result.diagnostics:
            by_file.setdefault(diagnostic.span.file, {})[diagnostic] = None
    return {file: tuple(sorted(found, key=sort_key)) for file, found in by_file.items()}


__all__ = [
    "PASSES",
    "CheckResult",
    "Context",
    "ExprType",
    "Pass",
    "RefKind",
    "Reference",
    "check_paths",
    "check_program",
    "check_source",
    "condor_files",
]
