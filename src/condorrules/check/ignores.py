"""Pass 9, ignore comments: ``# condorrules: ignore[CODE]`` (or ``ignore[CODE1, CODE2]``)
silences those codes for diagnostics that start on the comment's line. An ignore that
silences nothing, or names an unknown code, is itself reported as W507 (which an
``ignore[W507]`` on the same line silences in turn).
"""

from __future__ import annotations

import re

from condorrules.check.context import Context
from condorrules.diagnostics import Diagnostic
from condorrules.diagnostics.codes import CODES

IGNORE = re.compile(r"condorrules:\s*ignore\[([^\]]*)\]")


def apply_ignores(context: Context) -> None:
    """Drop silenced diagnostics of the checked file; report ignores that silence nothing."""
    wanted: dict[int, set[str]] = {}
    comments = []
    for comment in context.module.comments:
        match = IGNORE.search(comment.text)
        if match is None:
            continue
        codes = {c.strip() for c in match.group(1).split(",") if c.strip()}
        wanted.setdefault(comment.span.line, set()).update(codes)
        comments.append((comment, codes))
    if not comments:
        return
    used: set[tuple[int, str]] = set()
    kept = []
    for diagnostic in context.diagnostics:
        line = diagnostic.span.line
        if diagnostic.span.file == context.file and diagnostic.code in wanted.get(line, ()):
            used.add((line, diagnostic.code))
            continue
        kept.append(diagnostic)
    context.diagnostics[:] = kept
    if context.incomplete():
        return
    for comment, codes in comments:
        line = comment.span.line
        if "W507" in codes:
            continue
        for code in sorted(codes):
            if (line, code) in used:
                continue
            reason = (
                f"no {code} is reported on this line"
                if code in CODES
                else f"`{code}` is not a condorrules code"
            )
            context.report(
                Diagnostic(
                    "W507",
                    f"`ignore[{code}]` silences nothing: {reason}",
                    comment.span,
                    help="remove the code from the comment (or the whole comment)",
                )
            )
