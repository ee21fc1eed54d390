"""The checker and the compiler agree: a program `condorrules check` passes (warnings allowed)
loads, and a loaded program evaluates the minimal state to a Decision; a program the checker
rejects makes `condorrules.load` raise RulesetError, never another exception.

Corpus: every shipped ruleset, every checker fixture (good and bad), generated programs over
the real catalogue (tests/programs.py), mutated ones (a field, unit, symbol or action argument
swapped), the same split into a main file and an imported library, and the formatter's
syntax-only generator (about half the catalogue-built programs check clean, so both sides of
the invariant are exercised). Each disagreement found is a regression case below.
``CONDOR_AGREEMENT_EXAMPLES=5000`` explores more locally.
"""

from __future__ import annotations

import copy
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import condorrules
from condorrules import Decision, RulesetError
from condorrules.check import check_source
from condorrules.market import MarketModel
from programs import mutated, programs, typed_programs, with_library

REPO = Path(__file__).parents[2]
FIXTURES = REPO / "tests" / "check" / "fixtures"
CORPUS = sorted([*(REPO / "rulesets").rglob("*.condor"), *FIXTURES.rglob("*.condor")])
MARKET = MarketModel.default()
EVENTS = MARKET.events.names()
EXAMPLES = int(os.environ.get("CONDOR_AGREEMENT_EXAMPLES", "150"))
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def assert_check_and_load_agree(text: str, state: dict[str, Any], file: Path | None = None) -> None:
    """Check ``text`` as `condorrules check` does, then load it as the API does: both accept
    or both reject; what loads evaluates ``state`` to a Decision."""
    checked = check_source(text, str(file) if file else "<string>", events=EVENTS)
    source: str | Path = file if file is not None else text
    if not checked.ok:
        with pytest.raises(RulesetError):
            condorrules.load(source, market=MARKET)
        return
    try:
        ruleset = condorrules.load(source, market=MARKET)
    except RulesetError as error:
        pytest.fail(f"check passed but load refused:\n{text}\n{error}")
    assert isinstance(ruleset.evaluate(copy.deepcopy(state)), Decision)


# Programs the checker passed and `load` refused, found by the generators below: each is now
# a checker error (E200, E300, E302) that says what the compiler said.
REFUSED_BY_BOTH = {
    "attribute of a literal": "let p = (0.30).vix\n",
    "attribute of an index": 'rule r: when vix[1].x > 1 then alert("a")\n',
    "attribute of a function's part": 'rule r: when macd(vix).line.x > 1 then alert("a")\n',
    "attribute of a leg's field": "rule r: when short_put.delta.x > 1 then close\n",
    "cooldown of a let": "let wait = 5d\nrule r: when vix > 30 then close cooldown wait\n",
    "cooldown of an input": "input wait: days\nrule r: when vix > 30 then close cooldown wait\n",
    "let holding an event": 'let e = PPI\nrule r: when days_to(e) < 2 then alert("a")\n',
    "let holding a text": 'let t = "a"\nrule r: when vix > 30 then alert(t)\n',
    "events compared": 'rule r: when FOMC == CPI then alert("a")\n',
    "event param compared": 'param e = FOMC\nrule r: when e in [CPI] then alert("a")\n',
    "texts compared": 'param t = "x"\nrule r: when t == "y" then alert("a")\n',
    "if choosing events": "let d = days_to(if vix > 9 then FOMC else CPI)\n",
    "if choosing texts": 'rule r: when vix > 20 then alert(if vix > 30 then "a" else "b")\n',
    "event history": 'rule r: when days_to(FOMC[1]) < 2 then alert("a")\n',
}


@pytest.mark.parametrize("text", REFUSED_BY_BOTH.values(), ids=REFUSED_BY_BOTH)
def test_what_load_refuses_the_checker_rejects(text: str, minimal_state: dict[str, Any]) -> None:
    assert not check_source(text, events=EVENTS).ok
    assert_check_and_load_agree(text, minimal_state)


# Their valid neighbours, which must keep loading.
ACCEPTED_BY_BOTH = {
    "cooldown of a param": "param wait = 5d\nrule r: when vix > 30 then close cooldown wait\n",
    "event param": 'param e = CPI\nrule r: when days_to(e) < 2 then alert("a")\n',
    "text param": 'param t = "x"\nrule r: when vix > 30 then alert(t)\n',
    "side let": "let s = put\nrule r: when tested == s then close\n",
    "history of a side": "rule r: when tested[1] == put then close\n",
    "part of spot": 'rule r: when spot.open > 1 then alert("a")\n',
}


@pytest.mark.parametrize("text", ACCEPTED_BY_BOTH.values(), ids=ACCEPTED_BY_BOTH)
def test_what_the_checker_passes_loads(text: str, minimal_state: dict[str, Any]) -> None:
    assert check_source(text, events=EVENTS).ok
    assert_check_and_load_agree(text, minimal_state)


# An imported file's errors are the program's: `check main.condor` now reports them (it
# passed while `load` refused an unknown name, a guard's unknown kind or a let cycle there).
BROKEN_LIBRARIES = {
    "unknown name in a let": "let bad = foo > 1\n",
    "unknown guard kind": "guard g: forbid opne when vix > 40\n",
    "position guard forbidding open": "guard g: forbid open when short_put.delta < -0.3\n",
    "let cycle": "let a = b + 1\nlet b = a + 1\n",
}


@pytest.mark.parametrize("library", BROKEN_LIBRARIES.values(), ids=BROKEN_LIBRARIES)
def test_errors_in_an_imported_file_fail_the_check_of_the_importer(
    library: str, tmp_path: Path, minimal_state: dict[str, Any]
) -> None:
    (tmp_path / "lib.condor").write_text(library)
    main = tmp_path / "main.condor"
    main.write_text('import "lib.condor"\nrule r: when vix > 20 then alert("a")\n')
    assert not check_source(main.read_text(), str(main), events=EVENTS).ok
    assert_check_and_load_agree(main.read_text(), minimal_state, main)


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(REPO)))
def test_every_corpus_file_checks_and_loads_alike(
    path: Path, minimal_state: dict[str, Any]
) -> None:
    assert_check_and_load_agree(path.read_text(encoding="utf-8"), minimal_state, path)


@PROPERTY
@given(text=typed_programs())
def test_generated_programs_check_and_load_alike(text: str, minimal_state: dict[str, Any]) -> None:
    assert_check_and_load_agree(text, minimal_state)


@PROPERTY
@given(text=typed_programs().flatmap(mutated))
def test_mutated_programs_check_and_load_alike(text: str, minimal_state: dict[str, Any]) -> None:
    assert_check_and_load_agree(text, minimal_state)


@settings(PROPERTY, max_examples=max(EXAMPLES // 3, 10))
@given(text=st.one_of(programs(), programs().flatmap(mutated)))
def test_syntax_generated_programs_check_and_load_alike(
    text: str, minimal_state: dict[str, Any]
) -> None:
    assert_check_and_load_agree(text, minimal_state)


@PROPERTY
@given(files=st.one_of(typed_programs(), typed_programs().flatmap(mutated)).flatmap(with_library))
def test_programs_with_an_imported_library_check_and_load_alike(
    files: tuple[str, str], minimal_state: dict[str, Any]
) -> None:
    library, main = files
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "lib.condor").write_text(library)
        path = Path(folder) / "main.condor"
        path.write_text(main)
        assert_check_and_load_agree(main, minimal_state, path)
