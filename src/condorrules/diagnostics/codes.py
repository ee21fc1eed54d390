"""Every diagnostic code with its one-line title (for SARIF rules and docs/diagnostics.md).

Codes are stable: a code is never reused for a different meaning. docs/diagnostics.md has a
section per code, and a test keeps this table, the docs and the codes used in ``src/`` equal.
"""

from __future__ import annotations

CODES: dict[str, str] = {
    "E100": "syntax error",
    "E101": "bad literal",
    "E102": "nesting or size past the documented limits",
    "E103": "import problem",
    "E200": "unknown name",
    "E201": "unknown function or action, or wrong arguments",
    "E202": "duplicate definition",
    "E203": "cyclic let",
    "E204": "unknown event, side, structure or weekday",
    "E300": "type mismatch",
    "E301": "unit mismatch",
    "E302": "invalid action argument value",
    "E400": "portfolio action mixed with position fields or actions",
    "W500": "condition can never be true",
    "W501": "condition is always true",
    "W502": "ratio compared with a bare number above 1.5",
    "W503": "rule can never act: a higher-priority rule acts on the position first",
    "W504": "rules of equal priority fire together with conflicting position actions",
    "W505": "unused param, let or input",
    "W506": "rule always vetoed by a guard",
    "W507": "ignore comment that silences nothing",
    "E600": "scenario names an unknown rule, guard or field",
}


def title(code: str) -> str:
    """The code's one-line title, or ``"diagnostic"`` for a code not in the table."""
    return CODES.get(code, "diagnostic")
