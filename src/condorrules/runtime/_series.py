"""What the batch and incremental indicators share: reason texts, seeds and argument checks.

Both implementations build their explanations from these functions, so the reason a bar is
unknown reads the same in replay and in live use.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def warmup_reason(label: str, need: int, have: int, after_gap: bool) -> str:
    """Why a windowed or recursive indicator has no value yet."""
    if after_gap:
        return f"{label} needs {need} bars of known input, has {have} since an unknown input"
    return f"{label} needs {need} bars of history, has {have}"


def history_reason(label: str, need: int, have: int) -> str:
    """Why a function of past bars (``x[n]``, ``held``, ``within``) cannot look back yet."""
    return f"{label} needs {need} bars of history, has {have}"


def unknown_bar_reason(label: str, bars_ago: int) -> str:
    """Why a Kleene window function is unknown when its input was unknown on some bar."""
    if bars_ago == 0:
        when = "on this bar"
    else:
        when = "1 bar ago" if bars_ago == 1 else f"{bars_ago} bars ago"
    return f"{label}: its condition was unknown {when}"


def never_true_reason(label: str) -> str:
    """Why ``bars_since`` is unknown when its condition has never been true."""
    return f"{label}: the condition has not been true in the history"


def flat_reason(label: str) -> str:
    """Why a ratio over a range is undefined when the range is empty."""
    return f"{label} is undefined: the values in its window are all equal"


def no_change_reason(label: str) -> str:
    """Why RSI is undefined when the price has not moved since its averages were seeded."""
    return f"{label} is undefined: no price change in its history"


def exact_mean(values: Sequence[float]) -> float:
    """The correctly rounded mean: the SMA seed of ema/rsi, identical in both implementations."""
    return float(sum(map(Fraction, values), Fraction(0)) / len(values))


def check_window(name: str, n: int, minimum: int = 1) -> None:
    """Reject a window the checker should have rejected (a bug if it reaches here)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < minimum:
        raise ValueError(f"{name}: window must be an integer >= {minimum}, got {n!r}")


def default_label(name: str, *arguments: object) -> str:
    """``sma(x, 20)``: how a call is named in reasons when the compiler gives no label."""
    return f"{name}({', '.join(str(argument) for argument in arguments)})"
