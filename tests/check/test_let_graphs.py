"""Long, cyclic and heavily reused let graphs: never a RecursionError, never exponential work.

Work is measured by counting calls of the checker's recursive walkers (typing an expression,
a value range, a normal form), not by wall time: a linear walk does a few calls per let, an
exponential one 2**30.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from condorrules.check import check_paths, check_source, logic, types

LETS = 2_000


def _chain(count: int) -> str:
    """`let l0 = l1 and vix > 1` ... `let l{n-1} = vix > 2`: each let uses the next."""
    lets = [f"let l{i} = l{i + 1} and vix > 1" for i in range(count - 1)]
    return "\n".join([*lets, f"let l{count - 1} = vix > 2", "rule r:\n    when l0\n    then close"])


def _forward_chain(count: int) -> str:
    """Each let uses the one defined above it, the first uses a position field."""
    lets = ["let l0 = dte > 2d", *(f"let l{i} = l{i - 1} and vix > 1" for i in range(1, count))]
    return "\n".join([*lets, f"rule r:\n    when l{count - 1}\n    then close"])


def _cycle(count: int) -> str:
    lets = [f"let l{i} = l{(i + 1) % count} and vix > 1" for i in range(count)]
    return "\n".join([*lets, "rule r:\n    when l0\n    then close"])


def _doubling(count: int, operator: str, first: str) -> str:
    """`let a1 = a0 + a0` ...: each let uses the previous one twice (2**count leaves)."""
    lets = [f"let a0 = {first}"]
    lets += [f"let a{i} = a{i - 1} {operator} a{i - 1}" for i in range(1, count)]
    return "\n".join(lets)


@contextmanager
def _counting(
    monkeypatch: pytest.MonkeyPatch, *targets: tuple[object, str]
) -> Iterator[dict[str, int]]:
    counts: dict[str, int] = {}
    for owner, name in targets:
        original: Callable[..., Any] = getattr(owner, name)
        counts[name] = 0

        def counted(
            *args: Any, _name: str = name, _f: Callable[..., Any] = original, **kwargs: Any
        ) -> Any:
            counts[_name] += 1
            return _f(*args, **kwargs)

        monkeypatch.setattr(owner, name, counted)
    yield counts


def test_a_long_chain_of_lets_checks_clean() -> None:
    assert check_source(_chain(LETS)).diagnostics == ()


def test_a_long_forward_chain_names_the_field_that_scopes_it() -> None:
    text = _forward_chain(LETS).replace("then close", 'then alert("x")')
    text = text.replace('alert("x")', "open iron_condor(dte: 45d, short_delta: 0.16, wing: 50)")
    [error] = check_source(text).diagnostics
    assert error.code == "E400"
    assert f"let `l{LETS - 1}`" in error.message and "position field `dte`" in error.message


def test_a_long_cycle_is_one_e203_with_a_shortened_path() -> None:
    [error] = check_source(_cycle(LETS)).diagnostics
    assert error.code == "E203" and (error.span.line, error.span.column) == (1, 5)
    assert error.message.startswith("let `l0` depends on itself: l0 -> l1 -> l2 -> ...")
    assert error.message.endswith(f"l{LETS - 1} -> l0")


def test_reusing_a_let_twice_per_level_is_linear_work(monkeypatch: pytest.MonkeyPatch) -> None:
    text = _doubling(30, "+", "vix") + "\nrule r:\n    when a29 > 5 and a29 < 3\n    then close"
    with _counting(monkeypatch, (logic, "value_range"), (types._Typer, "expr")) as counts:
        result = check_source(text)
    # 2**30 without a memo; a few calls per let with one.
    assert counts["value_range"] < 50 * 30 and counts["expr"] < 50 * 30, counts
    [warning] = result.diagnostics  # and the contradiction is still proven through the lets
    assert warning.code == "W500"


@pytest.mark.parametrize("operator", ["and", "or"])
def test_reusing_a_condition_let_is_linear_work(
    operator: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _doubling(30, operator, "vix > 20") + "\nrule r:\n    when a29\n    then close"
    with _counting(monkeypatch, (logic, "_dnf"), (logic, "_canonical")) as counts:
        assert check_source(text).diagnostics == ()
    assert counts["_dnf"] < 50 * 30 and counts["_canonical"] < 50 * 30, counts


def test_a_cycle_through_an_import_is_reported_in_the_importing_file(tmp_path: Path) -> None:
    # Named so that the library sorts first and, the other time, last: the report must not
    # depend on file names.
    for library in ("a_lib.condor", "z_lib.condor"):
        (tmp_path / library).write_text("let a = b and vix > 20\n", encoding="utf-8")
        main = tmp_path / "m_main.condor"
        main.write_text(
            f'import "{library}"\n\nlet b = a or vix < 10\n\nrule r:\n    when b\n'
            '    then alert("x")\n',
            encoding="utf-8",
        )
        [error] = check_paths([main])[str(main)]
        assert error.code == "E203" and (error.span.line, error.span.column) == (3, 5)
        assert error.message == "let `b` depends on itself: b -> a -> b"
        [label] = error.labels
        assert label.span.file == str(tmp_path / library)
