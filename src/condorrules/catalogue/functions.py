"""Every built-in function (LANGUAGE.md §5): signature, result type, warm-up.

Warm-up is the number of bars of history before the result is known (before that it is
`unknown`). Indicators follow the standard definitions: Wilder's smoothing for RSI, EMAs
seeded with the SMA of their first ``n`` values, population standard deviation (as in
Bollinger's bands).
"""

from __future__ import annotations

from condorrules.catalogue.model import (
    NON_NEGATIVE,
    UNIT_INTERVAL,
    Function,
    Interval,
    Param,
    ParamKind,
    Type,
)

S = ParamKind.SERIES
B = ParamKind.BARS
N = ParamKind.NUMBER
C = ParamKind.CONDITION
E = ParamKind.EVENT
D = ParamKind.DURATION

FUNCTION_LIST: tuple[Function, ...] = (
    Function("abs", (Param("x", S),), "absolute value", "none", keeps_unit_of="x"),
    Function(
        "min",
        (Param("a", S), Param("b", S)),
        "smallest of two or more values of one unit",
        "none",
        keeps_unit_of="a",
        variadic=True,
    ),
    Function(
        "max",
        (Param("a", S), Param("b", S)),
        "largest of two or more values of one unit",
        "none",
        keeps_unit_of="a",
        variadic=True,
    ),
    Function(
        "round",
        (Param("x", S), Param("digits", N, 0)),
        "round half to even to `digits` decimals",
        "none",
        keeps_unit_of="x",
    ),
    Function(
        "sma", (Param("x", S), Param("n", B)), "simple moving average", "n bars", keeps_unit_of="x"
    ),
    Function(
        "ema",
        (Param("x", S), Param("n", B)),
        "exponential moving average, alpha = 2/(n+1), seeded with the SMA of the first n bars",
        "n bars",
        keeps_unit_of="x",
    ),
    Function(
        "rsi",
        (Param("x", S), Param("n", B, 14)),
        "relative strength index with Wilder's smoothing, 0..100",
        "n+1 bars",
        result=Type.NUMBER,
        result_range=Interval(0.0, 100.0),
    ),
    Function(
        "macd",
        (Param("x", S), Param("fast", B, 12), Param("slow", B, 26), Param("signal", B, 9)),
        "MACD: `.line` = ema(fast) - ema(slow), `.signal` = ema(line, signal), "
        "`.hist` = line - signal",
        "slow+signal-1 bars",
        keeps_unit_of="x",
        attributes=("line", "signal", "hist"),
    ),
    Function(
        "bbands",
        (Param("x", S), Param("n", B, 20), Param("k", N, 2)),
        "Bollinger bands: `.mid` = sma(x, n), `.upper`/`.lower` = mid ± k population stdevs",
        "n bars",
        keeps_unit_of="x",
        attributes=("upper", "mid", "lower"),
    ),
    Function(
        "stdev",
        (Param("x", S), Param("n", B)),
        "population standard deviation over the last n bars",
        "n bars",
        keeps_unit_of="x",
        result_range=NON_NEGATIVE,
    ),
    Function(
        "hv",
        (Param("x", S), Param("n", B, 20)),
        "annualised close-to-close volatility: stdev of n log returns × sqrt(252)",
        "n+1 bars",
        result=Type.RATIO,
        result_range=NON_NEGATIVE,
    ),
    Function(
        "highest",
        (Param("x", S), Param("n", B)),
        "highest of the last n bars",
        "n bars",
        keeps_unit_of="x",
    ),
    Function(
        "lowest",
        (Param("x", S), Param("n", B)),
        "lowest of the last n bars",
        "n bars",
        keeps_unit_of="x",
    ),
    Function(
        "change",
        (Param("x", S), Param("n", B, 1)),
        "x - x[n]",
        "n+1 bars",
        keeps_unit_of="x",
    ),
    Function(
        "pct_change",
        (Param("x", S), Param("n", B, 1)),
        "x / x[n] - 1",
        "n+1 bars",
        result=Type.RATIO,
    ),
    Function(
        "rank",
        (Param("x", S), Param("n", B)),
        "percentile of the current value among the last n (share of them <= it)",
        "n bars",
        result=Type.RATIO,
        result_range=UNIT_INTERVAL,
    ),
    Function(
        "iv_rank",
        (Param("x", S), Param("n", B)),
        "(x - lowest(x, n)) / (highest(x, n) - lowest(x, n)); unknown when flat",
        "n bars",
        result=Type.RATIO,
        result_range=UNIT_INTERVAL,
    ),
    Function(
        "crosses_above",
        (Param("a", S), Param("b", S)),
        "a > b now and a <= b on the previous bar",
        "2 bars",
        result=Type.BOOL,
    ),
    Function(
        "crosses_below",
        (Param("a", S), Param("b", S)),
        "a < b now and a >= b on the previous bar",
        "2 bars",
        result=Type.BOOL,
    ),
    Function(
        "held",
        (Param("c", C), Param("n", B)),
        "c true on each of the last n bars",
        "n bars",
        result=Type.BOOL,
    ),
    Function(
        "within",
        (Param("c", C), Param("n", B)),
        "c true on any of the last n bars",
        "n bars",
        result=Type.BOOL,
    ),
    Function(
        "bars_since",
        (Param("c", C),),
        "bars since c was last true (0 on a bar where it is true)",
        "until c has been true once",
        result=Type.NUMBER,
        result_range=NON_NEGATIVE,
    ),
    Function(
        "days_to",
        (Param("event", E),),
        "calendar days to the next occurrence of the event (0 on its day)",
        "none; unknown when the calendar has no later date",
        result=Type.DAYS,
        result_range=NON_NEGATIVE,
    ),
    Function(
        "days_since",
        (Param("event", E),),
        "calendar days since the last occurrence of the event (0 on its day)",
        "none; unknown when the calendar has no earlier date",
        result=Type.DAYS,
        result_range=NON_NEGATIVE,
    ),
    Function(
        "expected_move",
        (Param("d", D),),
        "spot × atm_iv × sqrt(d / 365 days): one standard deviation move over d",
        "none",
        result=Type.PRICE,
        result_range=NON_NEGATIVE,
    ),
)

FUNCTIONS: dict[str, Function] = {f.name: f for f in FUNCTION_LIST}
