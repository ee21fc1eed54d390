"""The formatter: canonical layout, idempotent, meaning-preserving, every comment kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from condorrules.fmt import FormatError, format_source
from condorrules.syntax import ast, parse

REPO = Path(__file__).resolve().parents[2]
SHARED_EXAMPLES = Path("/work/shared/spec/examples")


def example_files() -> list[Path]:
    files = sorted((REPO / "rulesets").glob("*.condor"))
    if SHARED_EXAMPLES.is_dir():
        files += sorted(SHARED_EXAMPLES.glob("*.condor"))
    return files


def assert_faithful(text: str) -> str:
    """Format ``text`` and check idempotence, meaning and comments; return the output."""
    once = format_source(text)
    assert format_source(once) == once
    before, after = parse(text).module, parse(once).module
    assert ast.equal_ignoring_spans(before, after, comments=False)
    assert sorted(c.text for c in before.comments) == sorted(c.text for c in after.comments)
    return once


@pytest.mark.parametrize(
    "path", example_files(), ids=lambda path: f"{path.parent.name}/{path.name}"
)
def test_examples_format_faithfully(path: Path) -> None:
    assert_faithful(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", sorted((REPO / "rulesets").glob("*.condor")), ids=lambda p: p.name)
def test_shipped_rulesets_are_already_canonical(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_source(text) == text


def test_canonical_layout_of_a_messy_file() -> None:
    messy = """# top
ruleset   demo version 2 "d"
param   a=1
param long_name   =  50%   # why
rule   r   priority 10 :  when vix>20 and(dte<21d or pnl_pct>=50%)then close  and alert( "x" )
  cooldown 5d limit 2 per position
guard g:forbid open,roll when vix>40
scenario "s": at 2018-01-02 market spot=2750,vix=10
  condor 1/2/3/4 expiring 2018-02-16 credit 8.00 qty 2 opened 2018-01-02
 given rsi(spot,14)=24 expect not fires r expect vetoed r by g
"""
    assert (
        assert_faithful(messy)
        == """# top
ruleset demo version 2 "d"

param a         = 1
param long_name = 50%  # why

rule r priority 10:
    when vix > 20 and (dte < 21d or pnl_pct >= 50%)
    then close and alert("x")
    cooldown 5d
    limit 2 per position

guard g:
    forbid open, roll when vix > 40

scenario "s":
    at 2018-01-02
    market spot = 2750, vix = 10
    condor 1/2/3/4 expiring 2018-02-16 credit 8.00 qty 2 opened 2018-01-02
    given rsi(spot, 14) = 24
    expect not fires r
    expect vetoed r by g
"""
    )


def test_long_condition_breaks_at_and_with_aligned_keywords() -> None:
    text = (
        "rule open_new:\n    when portfolio.open_positions < max_open and weekday in "
        "[mon, wed, fri] and vix between 12 and 40\n    then close\n"
    )
    expected = (
        "rule open_new:\n"
        "    when portfolio.open_positions < max_open\n"
        "     and weekday in [mon, wed, fri]\n"
        "     and vix between 12 and 40\n"
        "    then close\n"
    )
    assert assert_faithful(text) == expected


def test_long_or_chain_aligns_or_under_the_first_operand() -> None:
    text = (
        "let exit_now = pnl_pct >= profit_take_for_the_whole_book or dte <= "
        "days_before_expiry_to_exit or (vix > 45 and spot < 1000)\n"
    )
    expected = (
        "let exit_now = pnl_pct >= profit_take_for_the_whole_book\n"
        "            or dte <= days_before_expiry_to_exit\n"
        "            or (vix > 45 and spot < 1000)\n"
    )
    assert assert_faithful(text) == expected


def test_long_action_puts_one_argument_per_line_under_the_parenthesis() -> None:
    text = (
        "rule r:\n    when vix > 1\n    then open iron_condor(dte: entry_dte, short_delta: "
        "if iv_pct > 60% then 0.12 else 0.16, wing: 50, risk: 2%)\n"
    )
    assert (
        assert_faithful(text)
        == """rule r:
    when vix > 1
    then open iron_condor(dte: entry_dte,
                          short_delta: if iv_pct > 60% then 0.12 else 0.16,
                          wing: 50,
                          risk: 2%)
"""
    )


def test_long_quorum_puts_one_condition_per_line() -> None:
    text = (
        "let regime_turn = at least 2 of (rsi(spot, 14) < 30, crosses_below(ad_line, "
        "sma(ad_line, 20)), crosses_above(macd(vix).line, macd(vix).signal))\n"
    )
    assert (
        assert_faithful(text)
        == """let regime_turn = at least 2 of (
        rsi(spot, 14) < 30,
        crosses_below(ad_line, sma(ad_line, 20)),
        crosses_above(macd(vix).line, macd(vix).signal))
"""
    )


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("(vix)", "vix"),
        ("a + (b * c)", "a + b * c"),
        ("(a + b) * c", "(a + b) * c"),
        ("a - (b - c)", "a - (b - c)"),
        ("(a - b) - c", "a - b - c"),
        ("-(a + b)", "-(a + b)"),
        ("- -a", "--a"),
        ("not (a and b)", "not (a and b)"),
        ("not not a", "not not a"),
        ("a or (b and c)", "a or (b and c)"),
        ("(a or b) or c", "(a or b) or c"),
        ("(a < b) == c", "(a < b) == c"),
        ("(if a then b else c) + 1", "(if a then b else c) + 1"),
        ("if a then b else if c then d else e", "if a then b else if c then d else e"),
        ("(x + 1) between (a) and (b * 2)", "x + 1 between a and b * 2"),
        ("(macd(vix)).line[1]", "macd(vix).line[1]"),
        ("(5).x", "(5).x"),
        ("at least (1 + 1) of (a,b,)", "at least 1 + 1 of (a, b)"),
        ("f(1, n: 2,)", "f(1, n: 2)"),
    ],
)
def test_parentheses_are_exactly_those_needed(source: str, expected: str) -> None:
    assert assert_faithful(f"let x = {source}\n") == f"let x = {expected}\n"


def test_comments_stay_next_to_their_code() -> None:
    text = """# leading, with a blank line after

# leading, touching
rule r:  # on the head
    # before when
    when a  # after the condition
      and b
    # before then
    then close
    limit 1 per day  # on the modifier

scenario "s":
    at 2018-01-02
    # between steps
    expect nothing  # last step
# end of file
"""
    assert (
        assert_faithful(text)
        == """# leading, with a blank line after

# leading, touching
rule r:  # on the head
    # before when
    when a  # after the condition
     and b
    # before then
    then close
    limit 1 per day  # on the modifier

scenario "s":
    at 2018-01-02
    # between steps
    expect nothing  # last step

# end of file
"""
    )


def test_a_commented_chain_keeps_one_operand_per_line() -> None:
    text = "let x = a  # one\n  and b  # two\nlet y = 1\n"
    assert assert_faithful(text) == "let x = a  # one\n    and b  # two\nlet y = 1\n"


def test_comment_inside_a_broken_action_keeps_one_argument_per_line() -> None:
    text = "rule r:\n    when a\n    then open x(a: 1,\n    # inside\n    b: 2)\nlet y = 1\n"
    assert assert_faithful(text) == (
        "rule r:\n    when a\n    then open x(a: 1,\n                # inside\n"
        "                b: 2)\n\nlet y = 1\n"
    )


def test_only_comments_and_empty_files() -> None:
    assert format_source("") == ""
    assert format_source("\n\n") == ""
    assert format_source("# a\n\n\n# b\n") == "# a\n\n# b\n"


def test_blocks_of_params_inputs_and_lets_have_no_blank_lines_between() -> None:
    text = (
        'import "a.condor"\nimport "b.condor"\nparam x = 1\n\n\nparam yy = 2\n'
        'input i\ninput j: number "J"\nlet l = 1\n'
    )
    assert assert_faithful(text) == (
        'import "a.condor"\nimport "b.condor"\n\nparam x  = 1\nparam yy = 2\n\n'
        'input i\ninput j: number "J"\n\nlet l = 1\n'
    )


def test_syntax_error_raises_format_error_with_diagnostics() -> None:
    with pytest.raises(FormatError) as raised:
        format_source("rule r:\n    when vix >\n", "bad.condor")
    assert [d.code for d in raised.value.diagnostics] == ["E100"]
    assert str(raised.value).startswith("bad.condor:2:")


def test_bad_literal_is_refused_not_dropped() -> None:
    with pytest.raises(FormatError):
        format_source("param a = 45x\nparam b = 1\n")
