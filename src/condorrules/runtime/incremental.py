"""The series functions of LANGUAGE.md §5, updated one bar at a time (live use).

One small class per function; ``update(x)`` takes this bar's input as a :class:`Value` and
returns this bar's result, in O(1) per bar (``Rank``: O(log n) search plus an O(n) list
insert, a memmove that is effectively constant for the windows rules use). Feeding a history
bar by bar gives the same known mask and reasons as :mod:`.indicators` over the whole
history, and the same values: bit for bit for sma, bbands' mid and the recursive and
order-based functions (both compute the correctly rounded mean of the exact window sum), and
to about 1e-15 relative for the variances (here exact integer sums, there numpy's).

No state is shared between instances; a ``Runner`` keeps one instance per call site.
"""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections import deque
from typing import NamedTuple

import numpy as np

from condorrules.constants import TRADING_DAYS_PER_YEAR
from condorrules.runtime import scalar
from condorrules.runtime._series import (
    check_window,
    default_label,
    exact_mean,
    flat_reason,
    history_reason,
    never_true_reason,
    no_change_reason,
    unknown_bar_reason,
    warmup_reason,
)
from condorrules.runtime.values import Value, unknown


def _finite(x: Value) -> float | None:
    if not x.known or isinstance(x.value, bool):
        return None
    value = float(x.value)
    return value if math.isfinite(value) else None


def _numeric(x: Value) -> Value:
    """The input with infinities made unknown, as the batch functions do."""
    return x if _finite(x) is not None or not x.known else unknown()


class _Warmup:
    """Counts consecutive known inputs and explains why a result is not known yet."""

    __slots__ = ("after_gap", "label", "run")

    def __init__(self, label: str) -> None:
        self.label = label
        self.run = 0
        self.after_gap = False

    def observe(self, x: Value, usable: bool) -> None:
        if usable:
            self.run += 1
        else:
            self.run, self.after_gap = 0, True

    def unknown(self, x: Value, need: int, label: str | None = None) -> Value:
        if not x.known and x.reason is not None:
            return unknown(x.reason)
        return unknown(warmup_reason(label or self.label, need, self.run, self.after_gap))


class _ExactWindow:
    """Exact sums of x and x² over the last n values, as integers scaled by 2**scale."""

    __slots__ = ("n", "scale", "sum", "sum_of_squares", "window")

    def __init__(self, n: int) -> None:
        self.n = n
        self.window: deque[tuple[int, int]] = deque()
        self.scale = 0
        self.sum = 0
        self.sum_of_squares = 0

    def take(self, value: float | None) -> bool:
        """Push a known value or, for an unknown one, restart; True once the window is full."""
        if value is None:
            self.clear()
            return False
        self.push(value)
        return self.full

    def clear(self) -> None:
        self.window.clear()
        self.sum = self.sum_of_squares = 0

    def push(self, value: float) -> None:
        numerator, denominator = value.as_integer_ratio()
        exponent = denominator.bit_length() - 1
        if exponent > self.scale:
            shift = exponent - self.scale
            self.sum <<= shift
            self.sum_of_squares <<= 2 * shift
            self.scale = exponent
        self._add(numerator, exponent, 1)
        self.window.append((numerator, exponent))
        if len(self.window) > self.n:
            self._add(*self.window.popleft(), -1)

    def _add(self, numerator: int, exponent: int, sign: int) -> None:
        scaled = numerator << (self.scale - exponent)
        self.sum += sign * scaled
        self.sum_of_squares += sign * scaled * scaled

    @property
    def full(self) -> bool:
        return len(self.window) == self.n

    def mean(self) -> float:
        """The correctly rounded mean of the window."""
        return self.sum / (self.n << self.scale)

    def variance(self, ddof: int) -> float:
        """The correctly rounded variance of the window (divided by n − ddof)."""
        n = self.n
        numerator = n * self.sum_of_squares - self.sum * self.sum
        try:
            return numerator / ((n * (n - ddof)) << (2 * self.scale))
        except OverflowError:
            return math.inf


class Sma:
    """``sma(x, n)``: simple moving average. See :func:`.indicators.sma`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        check_window("sma", n)
        self.n = n
        self._warmup = _Warmup(label or default_label("sma", "x", n))
        self._window = _ExactWindow(n)

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if not self._window.take(value):
            return self._warmup.unknown(x, self.n)
        return Value(self._window.mean())


class Stdev:
    """``stdev(x, n)``: population standard deviation. See :func:`.indicators.stdev`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        check_window("stdev", n)
        self.n = n
        self._warmup = _Warmup(label or default_label("stdev", "x", n))
        self._window = _ExactWindow(n)

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if not self._window.take(value):
            return self._warmup.unknown(x, self.n)
        return Value(math.sqrt(self._window.variance(ddof=0)))


class BandsValue(NamedTuple):
    """One bar of ``bbands``: ``.upper``, ``.mid``, ``.lower``."""

    upper: Value
    mid: Value
    lower: Value


class Bbands:
    """``bbands(x, n, k)``: Bollinger Bands. See :func:`.indicators.bbands`."""

    def __init__(self, n: int = 20, k: float = 2.0, label: str | None = None) -> None:
        check_window("bbands", n)
        self.n, self.k = n, k
        self.label = label or default_label("bbands", "x", n, k)
        self._warmup = _Warmup(self.label)
        self._window = _ExactWindow(n)

    def update(self, x: Value) -> BandsValue:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if not self._window.take(value):
            return BandsValue(
                *(self._warmup.unknown(x, self.n, f"{self.label}.{f}") for f in BandsValue._fields)
            )
        mid = self._window.mean()
        width = self.k * math.sqrt(self._window.variance(ddof=0))
        return BandsValue(Value(mid + width), Value(mid), Value(mid - width))


class Hv:
    """``hv(x, n)``: annualised close-to-close volatility. See :func:`.indicators.hv`."""

    def __init__(self, n: int = 20, label: str | None = None) -> None:
        check_window("hv", n, minimum=2)
        self.n = n
        self._warmup = _Warmup(label or default_label("hv", "x", n))
        self._returns = _ExactWindow(n)
        self._last: float | None = None

    def update(self, x: Value) -> Value:
        price = _finite(x)
        usable = price is not None and price > 0
        self._warmup.observe(x, usable)
        if price is None or not usable:
            self._returns.clear()
            self._last = None
            return self._warmup.unknown(x, self.n + 1)
        if self._last is not None:
            self._returns.push(float(np.log(np.float64(price / self._last))))
        self._last = price
        if not self._returns.full:
            return self._warmup.unknown(x, self.n + 1)
        volatility = math.sqrt(self._returns.variance(ddof=1))
        return Value(volatility * math.sqrt(TRADING_DAYS_PER_YEAR))


class _Smoother:
    """``y = weight*x + (1-weight)*y_prev`` seeded with the exact mean of the first n inputs."""

    __slots__ = ("keep", "n", "previous", "seed", "weight")

    def __init__(self, n: int, weight: float) -> None:
        self.n, self.weight, self.keep = n, weight, 1.0 - weight
        self.seed: list[float] = []
        self.previous: float | None = None

    def clear(self) -> None:
        self.seed.clear()
        self.previous = None

    def push(self, value: float) -> float | None:
        if self.previous is not None:
            self.previous = self.weight * value + self.keep * self.previous
        else:
            self.seed.append(value)
            if len(self.seed) == self.n:
                self.previous = exact_mean(self.seed)
                self.seed.clear()
        return self.previous


class Ema:
    """``ema(x, n)``: EMA seeded with the SMA of the first n values. See :func:`.indicators.ema`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        check_window("ema", n)
        self.n = n
        self._warmup = _Warmup(label or default_label("ema", "x", n))
        self._smoother = _Smoother(n, 2.0 / (n + 1))

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if value is None:
            self._smoother.clear()
            return self._warmup.unknown(x, self.n)
        result = self._smoother.push(value)
        return self._warmup.unknown(x, self.n) if result is None else Value(result)


class Rsi:
    """``rsi(x, n)``: Wilder's RSI. See :func:`.indicators.rsi`."""

    def __init__(self, n: int = 14, label: str | None = None) -> None:
        check_window("rsi", n)
        self.n = n
        self.label = label or default_label("rsi", "x", n)
        self._warmup = _Warmup(self.label)
        self._gain = _Smoother(n, 1.0 / n)
        self._loss = _Smoother(n, 1.0 / n)
        self._last: float | None = None

    def update(self, x: Value) -> Value:
        price = _finite(x)
        self._warmup.observe(x, price is not None)
        if price is None:
            self._gain.clear()
            self._loss.clear()
            self._last = None
            return self._warmup.unknown(x, self.n + 1)
        last, self._last = self._last, price
        if last is None:
            return self._warmup.unknown(x, self.n + 1)
        change = price - last
        gain = self._gain.push(change if change > 0 else 0.0)
        loss = self._loss.push(-change if change < 0 else 0.0)
        if gain is None or loss is None:
            return self._warmup.unknown(x, self.n + 1)
        total = gain + loss
        return Value(100.0 * (gain / total)) if total > 0 else unknown(no_change_reason(self.label))


class MacdValue(NamedTuple):
    """One bar of ``macd``: ``.line``, ``.signal``, ``.hist``."""

    line: Value
    signal: Value
    hist: Value


class Macd:
    """``macd(x, fast, slow, signal)``. See :func:`.indicators.macd`."""

    def __init__(
        self, fast: int = 12, slow: int = 26, signal: int = 9, label: str | None = None
    ) -> None:
        for name, n in (("fast", fast), ("slow", slow), ("signal", signal)):
            check_window(f"macd {name}", n)
        self.label = label or default_label("macd", "x", fast, slow, signal)
        self._longest = max(fast, slow)
        self._need_signal = self._longest + signal - 1
        self._warmup = _Warmup(self.label)
        self._fast = _Smoother(fast, 2.0 / (fast + 1))
        self._slow = _Smoother(slow, 2.0 / (slow + 1))
        self._signal = _Smoother(signal, 2.0 / (signal + 1))

    def update(self, x: Value) -> MacdValue:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if value is None:
            for smoother in (self._fast, self._slow, self._signal):
                smoother.clear()
            return self._unknown(x, line=True)
        fast, slow = self._fast.push(value), self._slow.push(value)
        if fast is None or slow is None:
            return self._unknown(x, line=True)
        line = fast - slow
        signal = self._signal.push(line)
        if signal is None:
            return self._unknown(x, line=False, line_value=line)
        return MacdValue(Value(line), Value(signal), Value(line - signal))

    def _unknown(self, x: Value, line: bool, line_value: float = math.nan) -> MacdValue:
        def explain(field: str, need: int) -> Value:
            return self._warmup.unknown(x, need, f"{self.label}.{field}")

        return MacdValue(
            explain("line", self._longest) if line else Value(line_value),
            explain("signal", self._need_signal),
            explain("hist", self._need_signal),
        )


class _Extreme:
    """Highest or lowest of the last n known values: a monotonic deque, O(1) amortised."""

    def __init__(self, n: int, name: str, label: str | None, highest: bool) -> None:
        check_window(name, n)
        self.n, self._highest = n, highest
        self._warmup = _Warmup(label or default_label(name, "x", n))
        self._queue: deque[tuple[int, float]] = deque()
        self._bar = 0

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        self._bar += 1
        if value is None:
            self._queue.clear()
            return self._warmup.unknown(x, self.n)
        queue = self._queue
        while queue and (queue[-1][1] <= value if self._highest else queue[-1][1] >= value):
            queue.pop()
        queue.append((self._bar, value))
        if queue[0][0] <= self._bar - self.n:
            queue.popleft()
        if self._warmup.run < self.n:
            return self._warmup.unknown(x, self.n)
        return Value(queue[0][1])


class Highest(_Extreme):
    """``highest(x, n)``, current bar included. See :func:`.indicators.highest`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        super().__init__(n, "highest", label, highest=True)


class Lowest(_Extreme):
    """``lowest(x, n)``, current bar included. See :func:`.indicators.lowest`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        super().__init__(n, "lowest", label, highest=False)


class Rank:
    """``rank(x, n)``: share of the previous n−1 values below the current one."""

    def __init__(self, n: int, label: str | None = None) -> None:
        check_window("rank", n, minimum=2)
        self.n = n
        self._warmup = _Warmup(label or default_label("rank", "x", n))
        self._previous: deque[float] = deque()
        self._sorted: list[float] = []

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        if value is None:
            self._previous.clear()
            self._sorted.clear()
            return self._warmup.unknown(x, self.n)
        result = None
        if len(self._previous) == self.n - 1:
            result = Value(bisect_left(self._sorted, value) / (self.n - 1))
            oldest = self._previous.popleft()
            del self._sorted[bisect_left(self._sorted, oldest)]
        self._previous.append(value)
        insort(self._sorted, value)
        return result if result is not None else self._warmup.unknown(x, self.n)


class IvRank:
    """``iv_rank(x, n)``: position of x in its n-bar range. See :func:`.indicators.iv_rank`."""

    def __init__(self, n: int, label: str | None = None) -> None:
        check_window("iv_rank", n)
        self.label = label or default_label("iv_rank", "x", n)
        self.n = n
        self._warmup = _Warmup(self.label)
        self._highest, self._lowest = Highest(n), Lowest(n)

    def update(self, x: Value) -> Value:
        value = _finite(x)
        self._warmup.observe(x, value is not None)
        top, bottom = self._highest.update(x), self._lowest.update(x)
        if value is None or not top.known:
            return self._warmup.unknown(x, self.n)
        span = float(top.value) - float(bottom.value)
        if span > 0:
            return Value((value - float(bottom.value)) / span)
        return unknown(flat_reason(self.label))


class Lag:
    """``x[n]``: the value n bars ago, with its own reason if it was unknown."""

    def __init__(self, n: int = 1, label: str | None = None) -> None:
        check_window("x[n]", n, minimum=0)
        self.n = n
        self.label = label or f"x[{n}]"
        self._history: deque[Value] = deque(maxlen=n + 1)
        self._bar = 0

    def update(self, x: Value) -> Value:
        self._history.append(x)
        self._bar += 1
        if self._bar <= self.n:
            reason = history_reason(self.label, self.n + 1, self._bar)
            return unknown(reason, boolean=x.is_bool)
        return self._history[0]


class Change:
    """``change(x, n)`` = ``x − x[n]``."""

    def __init__(self, n: int = 1, label: str | None = None) -> None:
        check_window("change", n)
        self._lag = Lag(n, label or default_label("change", "x", n))

    def update(self, x: Value) -> Value:
        x = _numeric(x)
        return scalar.sub(x, self._lag.update(x))


class PctChange:
    """``pct_change(x, n)`` = ``x / x[n] − 1`` (ratio)."""

    def __init__(self, n: int = 1, label: str | None = None) -> None:
        check_window("pct_change", n)
        self._lag = Lag(n, label or default_label("pct_change", "x", n))

    def update(self, x: Value) -> Value:
        x = _numeric(x)
        return scalar.sub(scalar.div(x, self._lag.update(x)), Value(1.0))


class CrossesAbove:
    """``crosses_above(a, b)`` = ``a > b and a[1] <= b[1]`` (Kleene)."""

    def __init__(self, label: str | None = None) -> None:
        label = label or "crosses_above(a, b)"
        self._a, self._b = Lag(1, label), Lag(1, label)

    def update(self, a: Value, b: Value) -> Value:
        previous = scalar.le(self._a.update(a), self._b.update(b))
        return scalar.and_(scalar.gt(a, b), previous)


class CrossesBelow:
    """``crosses_below(a, b)`` = ``a < b and a[1] >= b[1]`` (Kleene)."""

    def __init__(self, label: str | None = None) -> None:
        label = label or "crosses_below(a, b)"
        self._a, self._b = Lag(1, label), Lag(1, label)

    def update(self, a: Value, b: Value) -> Value:
        previous = scalar.ge(self._a.update(a), self._b.update(b))
        return scalar.and_(scalar.lt(a, b), previous)


class _KleeneWindow:
    """Counts of known-true, known-false and unknown bars among the last n, O(1) per bar."""

    def __init__(self, n: int, name: str, label: str | None) -> None:
        check_window(name, n)
        self.n = n
        self.label = label or default_label(name, "c", n)
        self._window: deque[Value] = deque()
        self.true = self.false = self.unknown = 0
        self._bar = -1
        self._last_unknown: tuple[int, str | None] | None = None

    def push(self, c: Value) -> None:
        self._bar += 1
        self._window.append(c)
        self._count(c, 1)
        if not c.known:
            self._last_unknown = (self._bar, c.reason)
        if len(self._window) > self.n:
            self._count(self._window.popleft(), -1)

    def _count(self, c: Value, sign: int) -> None:
        if not c.known:
            self.unknown += sign
        elif c.value:
            self.true += sign
        else:
            self.false += sign

    def explain(self) -> Value:
        last = self._last_unknown
        if last is not None and self._bar - last[0] < self.n:
            reason = last[1] or unknown_bar_reason(self.label, self._bar - last[0])
        else:
            reason = history_reason(self.label, self.n, self._bar + 1)
        return unknown(reason, boolean=True)


class Held(_KleeneWindow):
    """``held(c, n)``: true on each of the last n bars (Kleene ``and``)."""

    def __init__(self, n: int, label: str | None = None) -> None:
        super().__init__(n, "held", label)

    def update(self, c: Value) -> Value:
        self.push(c)
        if self.false:
            return Value(False)
        return Value(True) if self.true == self.n else self.explain()


class Within(_KleeneWindow):
    """``within(c, n)``: true on any of the last n bars (Kleene ``or``)."""

    def __init__(self, n: int, label: str | None = None) -> None:
        super().__init__(n, "within", label)

    def update(self, c: Value) -> Value:
        self.push(c)
        if self.true:
            return Value(True)
        return Value(False) if self.false == self.n else self.explain()


class BarsSince:
    """``bars_since(c)``: bars since c was last true; unknown if never or unknown since."""

    def __init__(self, label: str | None = None) -> None:
        self.label = label or "bars_since(c)"
        self._bar = -1
        self._last_true = -1
        self._last_unknown: tuple[int, str | None] = (-1, None)

    def update(self, c: Value) -> Value:
        self._bar += 1
        if not c.known:
            self._last_unknown = (self._bar, c.reason)
        elif c.value:
            self._last_true = self._bar
        since_unknown, reason = self._last_unknown
        if since_unknown > self._last_true:
            text = reason or unknown_bar_reason(self.label, self._bar - since_unknown)
            return unknown(text)
        if self._last_true < 0:
            return unknown(never_true_reason(self.label))
        return Value(float(self._bar - self._last_true))
