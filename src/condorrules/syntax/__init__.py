"""The front door of the language: text in, AST and syntax diagnostics out.

    parse(text, file)        -> ParseResult(module, diagnostics)     one file, no imports
    parse_file(path)         -> ParseResult                          reads the file (UTF-8)
    read_source(path)        -> (text, E100 diagnostic or None)      how every reader decodes
    load(path)               -> Program(main, imported, diagnostics) imports resolved
    load_source(text, file)  -> Program                              same, for an editor buffer

Parsing never raises on bad input: syntax errors (E100), bad literals (E101), limits (E102)
and import problems (E103) are diagnostics, and the module keeps every item that parsed.
lark is used inside :mod:`condorrules.syntax.parser` only; nothing returned here is a lark
object.
"""

from __future__ import annotations

from condorrules.syntax import ast
from condorrules.syntax.imports import Program, load, load_source
from condorrules.syntax.limits import Limits
from condorrules.syntax.parser import Parser, ParseResult, parse, parse_file
from condorrules.syntax.source import decode_source, read_source

__all__ = [
    "Limits",
    "ParseResult",
    "Parser",
    "Program",
    "ast",
    "decode_source",
    "load",
    "load_source",
    "parse",
    "parse_file",
    "read_source",
]
