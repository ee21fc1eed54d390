"""Building per-bar reason codes for indicator results (vectorised)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from condorrules.runtime.values import NO_REASON, BoolArray, Column, Reasons


class ReasonBuilder:
    """Collects reasons for the unknown bars of one result, first come first served.

    ``pending`` starts as the unknown bars; each ``take_*`` call explains some of them and
    removes them, so callers list the causes in order of precedence.
    """

    def __init__(self, result_known: BoolArray) -> None:
        self.pending = ~result_known
        self.codes = np.full(result_known.shape, NO_REASON, dtype=np.int32)
        self.table: dict[str, int] = {}

    def _code(self, text: str) -> int:
        return self.table.setdefault(text, len(self.table))

    def take_from(
        self, mask: BoolArray, source: Column, at: NDArray[np.intp] | None = None
    ) -> None:
        """Copy ``source``'s reason (from bar ``at[i]``, default ``i``) where it has one."""
        if source.reasons is None:
            return
        take = self.pending & mask
        if not take.any():
            return
        where = np.flatnonzero(take)
        source_codes = source.reasons.codes[where if at is None else at[where]]
        has = source_codes != NO_REASON
        lookup = np.array([self._code(text) for text in source.reasons.table], dtype=np.int32)
        self.codes[where[has]] = lookup[source_codes[has]]
        self.pending[where[has]] = False

    def take_text(self, mask: BoolArray, text: str) -> None:
        """Explain the pending bars in ``mask`` with one text."""
        take = self.pending & mask
        if take.any():
            self.codes[take] = self._code(text)
            self.pending &= ~take

    def take_keyed(
        self, mask: BoolArray, keys: NDArray[np.int64], render: Callable[[int], str]
    ) -> None:
        """Explain the pending bars in ``mask`` with ``render(key)``, one text per distinct key."""
        take = self.pending & mask
        if not take.any():
            return
        distinct, inverse = np.unique(keys[take], return_inverse=True)
        lookup = np.array([self._code(render(int(key))) for key in distinct], dtype=np.int32)
        self.codes[take] = lookup[inverse.ravel()]
        self.pending &= ~take

    def build(self) -> Reasons | None:
        """The collected reasons, or ``None`` if nothing was explained."""
        return Reasons(self.codes, tuple(self.table)) if self.table else None
