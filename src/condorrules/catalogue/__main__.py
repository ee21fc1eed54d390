"""Print the catalogue tables, or rewrite the region of a docs file in place.

python -m condorrules.catalogue                            # print the markdown
python -m condorrules.catalogue --write docs/language.md   # rewrite the marked region
"""

from __future__ import annotations

import sys
from pathlib import Path

from condorrules.catalogue.markdown import BEGIN, END, render_markdown, rewrite_region


def main(argv: list[str]) -> int:
    """Run the command line; returns the exit status."""
    if not argv:
        sys.stdout.write(render_markdown())
        return 0
    if len(argv) == 2 and argv[0] == "--write":
        if rewrite_region(Path(argv[1])):
            return 0
        sys.stderr.write(f"{argv[1]}: no `{BEGIN}` ... `{END}` region to rewrite\n")
        return 1
    sys.stderr.write("usage: python -m condorrules.catalogue [--write FILE]\n")
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
