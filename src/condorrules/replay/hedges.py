"""VIX call-spread hedges: listing, a VIX futures approximation, Black-76 prices and fills.

VIX options are options on the VIX future of the same expiry, so they are priced with Black-76
on that future (Cboe VIX options specifications; Black 1976). The data holds only the VIX
index, so the future is approximated by the expected VIX under mean reversion:

    F(T) = L + (VIX − L) · exp(−κ·T)

with long-run level ``L`` = 19.5 (the VIX's mean, Cboe daily history 1990–2018) and speed
``κ`` = 2.5 a year (half-life ≈ 100 days). Below ``L`` the curve is in contango (VIX 11 gives a
one-month future near 12.6, the usual 2017 premium); above it, in backwardation, and the
premium shrinks and turns into a discount as the VIX rises (VIX 37 gives ≈ 36.0 nine days
out). This is the mean-reverting VIX futures model of Zhang & Zhu, "VIX futures", Journal of
Futures Markets 26(6), 2006, without its variance-risk premium. The Black-76 volatility is a
flat ``option_vol`` = 0.90 (VVIX, the 30-day implied volatility of VIX options, mostly traded
between 80 and 120 in 2014–2018). Strikes are whole VIX points.

VIX expirations: the Wednesday 30 days before the standard SPX expiry of the following month
(the business day before when that Wednesday is a holiday), six months listed.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np

from condorrules import greeks
from condorrules.constants import DAYS_PER_YEAR, VIX_MULTIPLIER
from condorrules.market import TradingCalendar
from condorrules.replay.book import Book, Fill, HedgeLayer
from condorrules.replay.fills import Costs
from condorrules.replay.pricing import MarketBar
from condorrules.replay.protocol import ActionLike, Skip, number_argument
from condorrules.replay.settlement import intrinsic


@dataclass(frozen=True, slots=True)
class VixModel:
    """The VIX futures approximation and the VIX option volatility used to price hedges."""

    long_run: float = 19.5
    """Level the VIX future reverts to (VIX points)."""
    mean_reversion: float = 2.5
    """Speed of reversion κ, per year."""
    option_vol: float = 0.90
    """Black-76 volatility of VIX options (ratio)."""
    strike_increment: float = 1.0
    """VIX option strike spacing (VIX points)."""
    listed_months: int = 6
    """How many monthly VIX expirations are listed."""

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict."""
        return asdict(self)

    def future(self, vix: float, days: float) -> float:
        """The approximate VIX future ``days`` calendar days out (VIX points)."""
        return self.long_run + (vix - self.long_run) * math.exp(
            -self.mean_reversion * max(days, 0.0) / DAYS_PER_YEAR
        )

    def expirations(self, as_of: dt.date, calendar: TradingCalendar) -> list[dt.date]:
        """The VIX expirations listed on ``as_of`` (strictly after it), ascending."""
        found: list[dt.date] = []
        year, month = as_of.year, as_of.month
        while len(found) < self.listed_months:
            next_year, next_month = (year + 1, 1) if month == 12 else (year, month + 1)
            expiry = vix_expiration(next_year, next_month, calendar)
            if expiry > as_of:
                found.append(expiry)
            year, month = next_year, next_month
        return found

    def nearest_expiration(self, as_of: dt.date, days: float, calendar: TradingCalendar) -> dt.date:
        """The listed VIX expiration nearest ``days`` calendar days (ties: the later one)."""
        listed = self.expirations(as_of, calendar)
        return min(listed, key=lambda d: (abs((d - as_of).days - days), -(d - as_of).days))

    def snap(self, level: float) -> float:
        """The nearest listed strike (halves round up)."""
        step = self.strike_increment
        return math.floor(level / step + 0.5) * step

    def spread_values(
        self,
        long_strikes: list[float],
        short_strikes: list[float],
        expiries: list[dt.date],
        on: dt.date,
        vix: float,
        rate: float,
    ) -> tuple[np.ndarray[Any, np.dtype[np.float64]], np.ndarray[Any, np.dtype[np.float64]]]:
        """Mid values per share of each spread's long call and short call (one Black-76 call).

        NaN when ``vix`` is NaN.
        """
        n = len(long_strikes)
        if n == 0 or math.isnan(vix):
            empty = np.full(n, np.nan)
            return empty, empty.copy()
        days = np.array([(day - on).days for day in expiries] * 2, dtype=np.float64)
        forward = np.array([self.future(vix, d) for d in days])
        strikes = np.array(long_strikes + short_strikes, dtype=np.float64)
        t = np.maximum(days, 0.0) / DAYS_PER_YEAR
        values = np.asarray(
            greeks.black76_price("call", forward, strikes, t, self.option_vol, rate),
            dtype=np.float64,
        )
        return values[:n], values[n:]


def vix_expiration(year: int, month: int, calendar: TradingCalendar) -> dt.date:
    """The VIX expiry in the month before ``year-month``'s standard SPX expiry: 30 days before
    that month's third Friday, or the trading day before when that Wednesday is a holiday.

    ``vix_expiration(2018, 3, ...)`` is 2018-02-14 (30 days before Friday 2018-03-16).
    """
    first = dt.date(year, month, 1)
    third_friday = first + dt.timedelta(days=(4 - first.weekday()) % 7 + 14)
    wednesday = third_friday - dt.timedelta(days=30)
    if calendar.is_trading_day(wednesday):
        return wednesday
    return calendar.previous_trading_day(wednesday)


class HedgeDesk:
    """Buys, marks, sells and settles the book's VIX call-spread layers."""

    def __init__(
        self, book: Book, costs: Costs, model: VixModel, calendar: TradingCalendar
    ) -> None:
        self.book = book
        self.costs = costs
        self.model = model
        self.calendar = calendar

    def mark(self, bar: MarketBar) -> None:
        """Set every layer's leg marks on ``bar`` (one Black-76 call for all layers)."""
        layers = self.book.hedges
        longs, shorts = self.model.spread_values(
            [layer.long_strike for layer in layers],
            [layer.short_strike for layer in layers],
            [layer.expiry for layer in layers],
            bar.date,
            bar.pricing_vix,
            bar.rate,
        )
        for layer, long_mark, short_mark in zip(layers, longs, shorts, strict=True):
            if math.isfinite(long_mark) and math.isfinite(short_mark):
                layer.long_mark, layer.short_mark = float(long_mark), float(short_mark)

    def hedge(self, action: ActionLike, bar: MarketBar, book_margin: float) -> str:
        """Buy a layer: long ``above`` points over the VIX, ``width`` wide, expiry nearest
        ``dte``, as many spreads as ``budget`` × the book's margin pays for."""
        args = action.args
        above, width = number_argument(args, "above"), number_argument(args, "width")
        dte, budget = number_argument(args, "dte"), number_argument(args, "budget")
        vix = bar.pricing_vix
        if math.isnan(vix):
            raise Skip("no VIX on this bar to price the hedge")
        expiry = self.model.nearest_expiration(bar.date, dte, self.calendar)
        long_strike = self.model.snap(vix + above)
        short_strike = long_strike + max(self.model.snap(width), self.model.strike_increment)
        longs, shorts = self.model.spread_values(
            [long_strike], [short_strike], [expiry], bar.date, vix, bar.rate
        )
        long_price = self.costs.hedge_fill_price(float(longs[0]), 1)
        short_price = self.costs.hedge_fill_price(float(shorts[0]), -1)
        per_spread = (long_price - short_price) * VIX_MULTIPLIER + self.costs.fees(2)
        allowance = budget * book_margin
        qty = math.floor(allowance / per_spread + 1e-9) if per_spread > 0 else 0
        if qty < 1:
            raise Skip(
                f"hedge budget {budget:.2%} of margin ${book_margin:,.2f} is ${allowance:,.2f}, "
                f"less than one spread (${per_spread:,.2f})"
            )
        layer = HedgeLayer(
            id=self.book.next_hedge_id(),
            rule=action.rule,
            opened=bar.date,
            long_strike=long_strike,
            short_strike=short_strike,
            expiry=expiry,
            qty=qty,
            long_price=long_price,
            short_price=short_price,
            open_fees=self.costs.fees(2 * qty),
            long_mark=float(longs[0]),
            short_mark=float(shorts[0]),
        )
        self.book.hedges.append(layer)
        for leg, strike, price, sign in _legs(layer, long_price, short_price):
            fill = _fill(bar.date, layer, action.rule, "hedge", leg, strike, sign * qty, price)
            self.book.fill(replace(fill, fees=self.costs.fees(qty)))
        return layer.id

    def unhedge(self, action: ActionLike, bar: MarketBar) -> str:
        """Sell the oldest layer (``layer: oldest``, the default) or every layer (``all``)."""
        if not self.book.hedges:
            raise Skip("no hedge layer is held")
        which = action.args.get("layer") or "oldest"
        layers = list(self.book.hedges) if which == "all" else [self.book.hedges[0]]
        if not all(math.isfinite(layer.value) for layer in layers):
            raise Skip("no VIX to price the hedge layers")
        for layer in layers:
            long_price = self.costs.hedge_fill_price(layer.long_mark, -1)
            short_price = self.costs.hedge_fill_price(layer.short_mark, 1)
            self._close(layer, bar.date, action.rule, "unhedge", long_price, short_price)
        return ",".join(layer.id for layer in layers)

    def settle(self, bar: MarketBar) -> list[str]:
        """Cash-settle the layers expiring on or before ``bar`` at its VIX; their ids."""
        due = [layer for layer in self.book.hedges if layer.expiry <= bar.date]
        if not due or math.isnan(bar.pricing_vix):
            return []
        for layer in due:
            long_value = intrinsic("call", layer.long_strike, bar.pricing_vix)
            short_value = intrinsic("call", layer.short_strike, bar.pricing_vix)
            fee = self.costs.settlement_fee
            self._close(layer, bar.date, "settlement", "settle", long_value, short_value, fee)
        return [layer.id for layer in due]

    def _close(
        self,
        layer: HedgeLayer,
        date: dt.date,
        rule: str,
        action: str,
        long_price: float,
        short_price: float,
        fee_per_contract: float | None = None,
    ) -> None:
        fees = (
            self.costs.fees(layer.qty) if fee_per_contract is None else fee_per_contract * layer.qty
        )
        for leg, strike, price, sign in _legs(layer, long_price, short_price):
            opened = layer.long_price if sign > 0 else layer.short_price
            gross = (price - opened) * sign * layer.qty * VIX_MULTIPLIER
            realised = gross - fees - layer.open_fees / 2
            fill = _fill(date, layer, rule, action, leg, strike, -sign * layer.qty, price)
            self.book.fill(replace(fill, fees=fees), realised)
        self.book.hedges.remove(layer)


def _legs(
    layer: HedgeLayer, long_price: float, short_price: float
) -> tuple[tuple[str, float, float, int], ...]:
    return (
        ("vix_long_call", layer.long_strike, long_price, 1),
        ("vix_short_call", layer.short_strike, short_price, -1),
    )


def _fill(
    date: dt.date,
    layer: HedgeLayer,
    rule: str,
    action: str,
    leg: str,
    strike: float,
    qty: int,
    price: float,
) -> Fill:
    return Fill(
        date, layer.id, rule, action, leg, "call", strike, layer.expiry, qty, price, 0.0,
        VIX_MULTIPLIER,
    )  # fmt: skip
