"""Pass 9, ignore comments: ``# condorrules: ignore[CODE]`` (or ``ignore[CODE1, CODE2]``).

- The directive is the whole comment (after ``#`` and spaces), optionally followed by a
  reason after a space (``# condorrules: ignore[W502] legacy points``). A comment that only
  mentions it in prose (``# use `# condorrules: ignore[W505]` to ...``) is not a directive.
- It silences warnings that start on its own line and, when the comment ends a clause that
  spans several lines, anywhere in that clause: the condition of `when` (with its rule's
  header), a whole rule (for an ignore after its last action or modifier), a param, input or
  let, a guard, a scenario step. So the formatter splitting a long line keeps the
  suppression.
- Errors cannot be silenced: an ignore naming an `E` code silences nothing and is W507.
- An ignore that silences nothing, or names an unknown code, is W507 (which an
  ``ignore[W507]`` on the same line silences in turn).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from condorrules.check.context import Context
from condorrules.diagnostics import Diagnostic
from condorrules.diagnostics.codes import CODES
from condorrules.syntax import ast

IGNORE = re.compile(r"^#+[ \t]*condorrules:[ \t]*ignore\[([^\]]*)\](?=\s|$)")


def apply_ignores(context: Context) -> None:
    """Drop silenced warnings of the checked file; report ignores that silence nothing."""
    comments = []
    for comment in context.module.comments:
        match = IGNORE.match(comment.text)
        if match is not None:
            codes = {c.strip() for c in match.group(1).split(",") if c.strip()}
            comments.append((comment, codes))
    if not comments:
        return
    starts = _clause_starts(context.module)
    covered: dict[int, set[str]] = {}  # line -> codes silenced there
    owner: dict[tuple[int, str], int] = {}  # (line, code) -> line of the comment
    for comment, codes in comments:
        line = comment.span.line
        for covered_line in range(starts.get(line, line), line + 1):
            for code in codes:
                covered.setdefault(covered_line, set()).add(code)
                owner.setdefault((covered_line, code), line)
    used: set[tuple[int, str]] = set()
    kept = []
    for diagnostic in context.diagnostics:
        line, code = diagnostic.span.line, diagnostic.code
        silenced = (
            not diagnostic.is_error
            and diagnostic.span.file == context.file
            and code in covered.get(line, ())
        )
        if silenced:
            used.add((owner[(line, code)], code))
            continue
        kept.append(diagnostic)
    context.diagnostics[:] = kept
    incomplete = context.incomplete()
    for comment, codes in comments:
        for code in sorted(codes):
            problem = _problem(code, (comment.span.line, code) in used, incomplete, codes)
            if problem is not None:
                context.report(
                    Diagnostic(
                        "W507",
                        f"`ignore[{code}]` silences nothing: {problem[0]}",
                        comment.span,
                        help=problem[1],
                    )
                )


def _problem(code: str, used: bool, incomplete: bool, codes: set[str]) -> tuple[str, str] | None:
    """(why, help) when ``ignore[code]`` is to be reported, else None."""
    if code not in CODES:
        return f"`{code}` is not a condorrules code", "remove the code from the comment"
    if code.startswith("E"):
        return (
            f"errors cannot be ignored, and {code} is an error",
            "fix the error; only warnings (W codes) can be silenced",
        )
    if used or incomplete or "W507" in codes:
        return None  # after a syntax error a warning may be missing for that reason
    return (
        f"no {code} is reported on this line or the clause it ends",
        "remove the code from the comment (or the whole comment)",
    )


def _clause_starts(module: ast.Module) -> dict[int, int]:
    """For each line that ends a clause, the first line of the longest such clause."""
    starts: dict[int, int] = {}
    for first, last in _clauses(module):
        if first < last:
            starts[last] = min(first, starts.get(last, last))
    return starts


def _clauses(module: ast.Module) -> Iterator[tuple[int, int]]:
    """(first line, last line) of each clause an end-of-clause ignore covers."""
    for item in module.items:
        if isinstance(item, ast.Rule):
            # The condition with the header; and, ending the rule, the whole rule: `rule r:
            # when x then close  # ignore[...]` on one line is split by fmt after `x`.
            yield item.span.line, item.condition.span.end_line
            yield item.span.line, item.span.end_line
        elif isinstance(item, ast.Scenario):
            yield item.span.line, item.title.span.end_line
            for step in item.steps:
                yield step.span.line, step.span.end_line
        else:
            yield item.span.line, item.span.end_line
