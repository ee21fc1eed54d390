"""Did-you-mean suggestions for misspelt names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate most like ``name``, if any is close enough to be a likely typo."""
    pool = sorted(set(candidates))
    matches = difflib.get_close_matches(name, pool, n=1, cutoff=0.6)
    if matches:
        return matches[0]
    folded = {c.lower(): c for c in pool}
    return folded.get(name.lower())


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """``did you mean `short_put`?`` or None."""
    match = closest(name, candidates)
    return None if match is None else f"did you mean `{match}`?"
