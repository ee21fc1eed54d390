"""Building per-bar reason codes for indicator results (vectorised)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from condorrules.runtime.values import NO_REASON, BoolArray, Column, Reasons


class ReasonBuilder:
    """Collects reasons for the unknown bars of one result, first come first served.

    ``pending`` starts as the unknown bars (their indices: usually few, so no full-length mask
    per cause); each ``take_*`` call explains some of them and removes them, so callers list
    the causes in order of precedence.
    """

    def __init__(self, result_known: BoolArray) -> None:
        self.length = len(result_known)
        self.pending: NDArray[np.intp] = np.flatnonzero(~result_known)
        self.bars: list[NDArray[np.intp]] = []
        self.bar_codes: list[NDArray[np.int32]] = []
        self.table: dict[str, int] = {}

    def _code(self, text: str) -> int:
        return self.table.setdefault(text, len(self.table))

    def _explain(self, selected: BoolArray, codes: NDArray[np.int32]) -> None:
        """Give the pending bars ``pending[selected]`` these codes and drop them."""
        self.bars.append(self.pending[selected])
        self.bar_codes.append(codes)
        self.pending = self.pending[~selected]

    def _select(self, mask: BoolArray | None) -> BoolArray:
        if mask is None:
            return np.ones(len(self.pending), dtype=np.bool_)
        return mask[self.pending]

    def take_from(
        self,
        mask: BoolArray | None,
        source: Column,
        at: NDArray[np.intp] | None = None,
        shift: int = 0,
    ) -> None:
        """Copy ``source``'s reason (from bar ``at[i]``, default ``i - shift``) where it has one.

        ``mask`` None means every pending bar.
        """
        if source.reasons is None or not len(self.pending):
            return
        selected = self._select(mask)
        where = self.pending[selected]
        source_codes = source.reasons.codes[where - shift if at is None else at[where]]
        has = source_codes != NO_REASON
        if not has.any():
            return
        lookup = np.array([self._code(text) for text in source.reasons.table], dtype=np.int32)
        selected[np.flatnonzero(selected)[~has]] = False
        self._explain(selected, lookup[source_codes[has]])

    def take_text(self, mask: BoolArray, text: str) -> None:
        """Explain the pending bars in ``mask`` with one text."""
        selected = mask[self.pending]
        if selected.any():
            self._explain(selected, np.full(selected.sum(), self._code(text), dtype=np.int32))

    def take_keyed(
        self,
        mask: BoolArray,
        keys: NDArray[np.int64] | None,
        render: Callable[[int], str],
    ) -> None:
        """Explain the pending bars in ``mask`` with ``render(key)``, one text per distinct key
        (``keys`` None: the key is the bar's index)."""
        selected = mask[self.pending]
        if not selected.any():
            return
        bars = self.pending[selected]
        distinct, inverse = np.unique(bars if keys is None else keys[bars], return_inverse=True)
        lookup = np.array([self._code(render(int(key))) for key in distinct], dtype=np.int32)
        self._explain(selected, lookup[inverse.ravel()])

    def build(self) -> Reasons | None:
        """The collected reasons, or ``None`` if nothing was explained."""
        if not self.table:
            return None
        codes = np.full(self.length, NO_REASON, dtype=np.int32)
        for bars, bar_codes in zip(self.bars, self.bar_codes, strict=True):
            codes[bars] = bar_codes
        return Reasons(codes, tuple(self.table))
