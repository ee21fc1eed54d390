"""Kleene's three-valued logic, specified once as data.

``AND``, ``OR`` and ``NOT`` are the whole truth table of LANGUAGE.md §3. Both evaluators
(:mod:`condorrules.runtime.scalar` and :mod:`condorrules.runtime.vector`) implement them,
and ``tests/runtime`` checks both exhaustively against these tables and checks that the
table printed in ``docs/indicators.md`` is this one.

Everything else follows from them: ``at least K of (...)`` is true when at least K operands
are known true, false when even counting every unknown operand as true fewer than K could
be, and unknown otherwise; ``x between a and b`` is ``a <= x and x <= b``; ``x in [a, b]``
is ``x == a or x == b``.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from condorrules.runtime.values import Truth

_T, _F, _U = Truth.TRUE, Truth.FALSE, Truth.UNKNOWN

AND: Mapping[tuple[Truth, Truth], Truth] = MappingProxyType(
    {
        (_T, _T): _T,
        (_T, _F): _F,
        (_T, _U): _U,
        (_F, _T): _F,
        (_F, _F): _F,
        (_F, _U): _F,
        (_U, _T): _U,
        (_U, _F): _F,
        (_U, _U): _U,
    }
)
"""``a and b``: false wins over unknown."""

OR: Mapping[tuple[Truth, Truth], Truth] = MappingProxyType(
    {
        (_T, _T): _T,
        (_T, _F): _T,
        (_T, _U): _T,
        (_F, _T): _T,
        (_F, _F): _F,
        (_F, _U): _U,
        (_U, _T): _T,
        (_U, _F): _U,
        (_U, _U): _U,
    }
)
"""``a or b``: true wins over unknown."""

NOT: Mapping[Truth, Truth] = MappingProxyType({_T: _F, _F: _T, _U: _U})
"""``not a``: unknown stays unknown."""


def at_least(k: int, truths: list[Truth]) -> Truth:
    """Kleene quorum: the reference definition both evaluators are tested against."""
    true_count = sum(t is _T for t in truths)
    unknown_count = sum(t is _U for t in truths)
    if true_count >= k:
        return _T
    if true_count + unknown_count < k:
        return _F
    return _U


FIRES_ON: Truth = _T
"""A rule fires only when its condition is true; unknown never fires."""
