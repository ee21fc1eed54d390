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

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from condorrules.api import Decision, Ruleset, RulesetError, Runner, load
    from condorrules.replay import Result, backtest

# The public API loads on first use, so `import condorrules.syntax` (the editor, `check`) does
# not pay for the evaluator, pandas and the market data.
_LAZY_EXPORTS = {
    "Decision": "condorrules.api",
    "Ruleset": "condorrules.api",
    "RulesetError": "condorrules.api",
    "Runner": "condorrules.api",
    "load": "condorrules.api",
    "Result": "condorrules.replay",
    "backtest": "condorrules.replay",
}


def __getattr__(name: str) -> Any:
    module_name = _LAZY_EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module 'condorrules' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module_name), name)


__all__ = [
    "Decision",
    "Result",
    "Ruleset",
    "RulesetError",
    "Runner",
    "__version__",
    "backtest",
    "load",
]
