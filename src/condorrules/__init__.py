"""condorrules: a rules engine for managing iron condors and other option positions.

The pipeline is parse → check → compile → evaluate, around a Greeks core
(:mod:`condorrules.greeks`), a market model (:mod:`condorrules.market`) and a replay
harness. See ``docs/`` for the language, the numbers and the tools.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("condorrules")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = ["__version__"]
