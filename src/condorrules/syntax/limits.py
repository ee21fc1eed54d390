"""The documented limits of the front end (docs/language.md, "Limits"); past them is E102.

They exist so that no input, however large or deeply nested, can make the parser or a later
stage raise ``RecursionError``, run out of memory or hang. Every later stage may rely on an
accepted module respecting them (in particular on the expression depth when it recurses).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    """Size and nesting limits; the defaults are the documented ones."""

    max_file_bytes: int = 1024 * 1024
    """Largest source file, in bytes of UTF-8."""
    max_items: int = 10_000
    """Most top-level items (params, inputs, lets, rules, guards, scenarios, imports)."""
    max_depth: int = 64
    """Deepest expression: nodes on the longest path from an item's expression to a leaf."""
    max_name_length: int = 200
    """Longest identifier, in characters."""
    max_string_length: int = 10_000
    """Longest string literal, in characters."""
    max_import_depth: int = 32
    """Longest chain of imports (a imports b imports c ...)."""


DEFAULT_LIMITS = Limits()
