"""Import resolution: a main module plus every module it imports, transitively.

``import "common.condor"`` names a file relative to the folder of the importing file (an
absolute path is used as is). Each file is parsed once even when imported from several places;
an import that cannot be read, or that closes a cycle, is E103 at the import statement.

What an import brings in (params, inputs, lets, guards) is the checker's business: a
:class:`Program` carries whole modules. Rules, scenarios and the header of an imported file
are not part of the importing ruleset (documented in docs/language.md, "Imports").
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from condorrules.diagnostics import Diagnostic
from condorrules.syntax import ast
from condorrules.syntax.limits import DEFAULT_LIMITS, Limits
from condorrules.syntax.parser import ParseResult, empty_module, parse
from condorrules.syntax.source import read_source, utf8_diagnostic

Reader = Callable[[Path], str]
"""Reads a file's text; an editor passes one that prefers its unsaved buffers. It raises
OSError for a file it cannot read and UnicodeDecodeError for one that is not UTF-8."""


@dataclass(frozen=True, slots=True)
class Program:
    """A main module and the modules it imports (each once, dependencies before dependents).

    ``diagnostics`` holds the syntax and import diagnostics of every file involved, each
    with its own file in its span.
    """

    main: ast.Module
    imported: tuple[ast.Module, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        """True when no file had a syntax or import error."""
        return not any(diagnostic.is_error for diagnostic in self.diagnostics)

    @property
    def modules(self) -> tuple[ast.Module, ...]:
        """Every module: the imported ones first, then the main one."""
        return (*self.imported, self.main)


def load(path: str | Path, limits: Limits = DEFAULT_LIMITS) -> Program:
    """Parse the file at ``path`` and everything it imports. Raises OSError if ``path``
    itself cannot be read (import problems are diagnostics; a file that is not UTF-8 is an
    E100 and an empty module)."""
    text, problem = read_source(path)
    if problem is not None:
        return Program(empty_module(str(path)), (), (problem,))
    return load_source(text, str(path), limits=limits)


def load_source(
    text: str,
    file: str,
    base_dir: str | Path | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
    read: Reader | None = None,
) -> Program:
    """Parse ``text`` (named ``file``) and resolve its imports from disk (or via ``read``).

    Imports are relative to ``base_dir``, by default the folder of ``file``.
    """
    reader = read if read is not None else _read_utf8
    folder = Path(base_dir) if base_dir is not None else Path(file).parent
    main = parse(text, file, limits)
    resolver = _Resolver(reader, limits)
    chain: tuple[Path, ...] = ()
    if Path(file).name and not file.startswith("<"):
        chain = (_identity(folder / Path(file).name),)
    resolver.resolve(main, folder, chain)
    return Program(main.module, tuple(resolver.order), (*main.diagnostics, *resolver.diagnostics))


class _Resolver:
    """Depth-first import resolution; recursion depth is bounded by ``max_import_depth``."""

    def __init__(self, read: Reader, limits: Limits) -> None:
        self.read = read
        self.limits = limits
        self.loaded: set[Path] = set()
        self.order: list[ast.Module] = []
        self.diagnostics: list[Diagnostic] = []

    def resolve(self, result: ParseResult, folder: Path, chain: tuple[Path, ...]) -> None:
        for item in result.module.items:
            if isinstance(item, ast.Import):
                self._import(item, folder, chain)

    def _import(self, item: ast.Import, folder: Path, chain: tuple[Path, ...]) -> None:
        written = item.path.value
        target = folder / written
        identity = _identity(target)
        if identity in chain:
            cycle = " → ".join(
                [*(path.name for path in chain[chain.index(identity) :]), identity.name]
            )
            self._error(
                item,
                f"import cycle: {cycle}",
                "move what both files need into a third file that both import",
            )
            return
        if identity in self.loaded:
            return
        if len(chain) > self.limits.max_import_depth:
            self.diagnostics.append(
                Diagnostic(
                    "E102",
                    f"imports nested deeper than {self.limits.max_import_depth} files",
                    item.span,
                    "import the shared definitions directly instead of through a chain",
                )
            )
            return
        try:
            text = self.read(target)
        except UnicodeDecodeError as error:  # a syntax error of the imported file
            self.loaded.add(identity)
            self.diagnostics.append(utf8_diagnostic(error, os.path.normpath(target)))
            return
        except OSError as error:
            reason = "file not found" if isinstance(error, FileNotFoundError) else str(error)
            self._error(
                item,
                f"cannot import `{written}`: {reason}",
                f"the path is relative to the importing file's folder: looked for "
                f"{os.path.normpath(target)}",
            )
            return
        self.loaded.add(identity)
        result = parse(text, os.path.normpath(target), self.limits)
        self.diagnostics.extend(result.diagnostics)
        self.resolve(result, target.parent, (*chain, identity))
        self.order.append(result.module)

    def _error(self, item: ast.Import, message: str, help: str) -> None:
        self.diagnostics.append(Diagnostic("E103", message, item.path.span, help))


def _identity(path: Path) -> Path:
    """The canonical path of a file, so that two spellings of one file are one import."""
    return Path(os.path.realpath(path))


def _read_utf8(path: Path) -> str:
    return path.read_bytes().decode("utf-8")
