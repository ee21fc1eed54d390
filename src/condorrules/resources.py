"""Where the package's data files live: the grammar and the built-in data sets."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parents[2]


def grammar_path() -> Path:
    """The path of ``condor.lark``: shipped in the wheel, or ``grammar/`` in a source checkout."""
    shipped = Path(str(files("condorrules"))) / "grammar" / "condor.lark"
    if shipped.is_file():
        return shipped
    return _SOURCE_ROOT / "grammar" / "condor.lark"


def data_path(name: str) -> Path:
    """The path of a built-in data file shipped in ``condorrules/data/``."""
    return Path(str(files("condorrules"))) / "data" / name
