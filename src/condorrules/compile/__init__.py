"""The compiler: a parsed, checked program → evaluator programs.

    compiled = compile_program(program, params={...})   # CompiledRuleset (scalar backend)
    print(dump_ruleset(compiled))                        # the program, with source lines

Two backends share one meaning: the scalar node trees of :mod:`.nodes` (one state at a time:
embedding, live use, scenarios, explain) and the vectorised evaluator of :mod:`.vector` (a
whole history of bars at once: replay). Both evaluate with the operators of
:mod:`condorrules.runtime` and are tested against each other on one corpus.
"""

from condorrules.compile.compiler import ParamOverride, compile_program
from condorrules.compile.expressions import CompileError, pin_key
from condorrules.compile.frame import Evaluation, History
from condorrules.compile.program import (
    CompiledAction,
    CompiledGuard,
    CompiledLet,
    CompiledRule,
    CompiledRuleset,
    dump_ruleset,
)

__all__ = [
    "CompileError",
    "CompiledAction",
    "CompiledGuard",
    "CompiledLet",
    "CompiledRule",
    "CompiledRuleset",
    "Evaluation",
    "History",
    "ParamOverride",
    "compile_program",
    "dump_ruleset",
    "pin_key",
]
