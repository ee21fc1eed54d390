"""The evaluator's runtime: values with unknowns, Kleene logic, operators and indicators.

Compiled rules depend on this package and never on the AST (jinja's ``runtime.py`` wall):

* :mod:`.values` — :class:`Value` (one bar) and :class:`Column` (many bars), each a value or
  unknown-with-a-reason;
* :mod:`.logic` — the Kleene truth table, as data;
* :mod:`.scalar` and :mod:`.vector` — the same operators (``and_``, ``add``, ``between``,
  ``if_else``, ...) for one value and for columns;
* :mod:`.indicators` — the series functions of LANGUAGE.md §5 over a whole history;
* :mod:`.incremental` — the same functions updated one bar at a time, O(1) per bar.

``docs/indicators.md`` defines every function, its warm-up and its unknown handling.
"""

from condorrules.runtime.values import (
    Column,
    Reasons,
    Truth,
    Value,
    column,
    constant,
    from_float,
    known,
    unknown,
    unknown_column,
)

__all__ = [
    "Column",
    "Reasons",
    "Truth",
    "Value",
    "column",
    "constant",
    "from_float",
    "known",
    "unknown",
    "unknown_column",
]
