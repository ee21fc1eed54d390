"""Source files as text: UTF-8 decoding with an E100 for the first byte that is not UTF-8.

Every reader of ``.condor`` files (the parser's ``parse_file`` and ``load``, imports, ``fmt``,
and the checker's CLI when it shows source lines) decodes through :func:`decode_source`, so a
file that is not UTF-8 gets the same diagnostic everywhere instead of a decoding exception.
"""

from __future__ import annotations

from pathlib import Path

from condorrules.diagnostics import Diagnostic, Span

UTF8_HELP = "save the file with the UTF-8 encoding"


def decode_source(data: bytes, file: str) -> tuple[str, Diagnostic | None]:
    """The text of ``data`` and, if it is not valid UTF-8, the E100 for its first bad byte.

    The text is always usable for showing source lines: bad bytes become U+FFFD.
    """
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as error:
        return data.decode("utf-8", errors="replace"), utf8_diagnostic(error, file)


def read_source(path: str | Path) -> tuple[str, Diagnostic | None]:
    """Read and decode one file (see :func:`decode_source`); raises OSError if unreadable."""
    return decode_source(Path(path).read_bytes(), str(path))


def utf8_diagnostic(error: UnicodeDecodeError, file: str) -> Diagnostic:
    """E100 at the first byte ``error`` could not decode, with a 1-based character column."""
    data = bytes(error.object)
    line_start = data.rfind(b"\n", 0, error.start) + 1
    line = data.count(b"\n", 0, error.start) + 1
    # The part of the line before the bad byte is valid UTF-8: count its characters.
    column = len(data[line_start : error.start].decode("utf-8")) + 1
    bad = data[error.start]
    return Diagnostic(
        "E100",
        f"the file is not valid UTF-8 text: byte 0x{bad:02x} ({error.reason})",
        Span(file, line, column, line, column + 1),
        UTF8_HELP,
    )
