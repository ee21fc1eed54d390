"""Every built-in field (LANGUAGE.md §4): type, scope, range of possible values, meaning.

Conventions fixed here (and documented in docs/language.md):

- Option deltas are signed as in Black-Scholes: a put's in [-1, 0], a call's in [0, 1].
- A leg's Greeks are the option's own per-share Greeks, *not* signed by the position's
  quantity: `short_put.gamma` and `.vega` are >= 0 even though the position is short them.
  `.theta` has no fixed sign: it is usually negative, but a deep in-the-money European put
  (SPX) can have positive theta when rates are positive, so no range is claimed.
  `.extrinsic` likewise: a deep in-the-money European option can trade below intrinsic.
- Position and portfolio Greeks are share-equivalent and signed by quantity; any sign.
- `max_profit` and `max_loss` are magnitudes in dollars (both >= 0).
- `vix` is an index level (unitless number, 18.0 = 18 vol); `atm_iv` and a leg's `.iv`
  are ratios (0.18 = 18 vol).
"""

from __future__ import annotations

import math

from condorrules.catalogue.model import (
    ANY,
    NON_NEGATIVE,
    UNIT_INTERVAL,
    Field,
    Interval,
    Namespace,
    Scope,
    Type,
)

P = Scope.PORTFOLIO
Q = Scope.POSITION

_MARKET: tuple[Field, ...] = (
    Field("date", Type.DATE, P, None, "the bar's date"),
    Field("weekday", Type.WEEKDAY, P, None, "the bar's day of the week, `mon`..`fri`"),
    Field("spot", Type.PRICE, P, NON_NEGATIVE, "last price of the underlying"),
    Field(
        "spot.open", Type.PRICE, P, NON_NEGATIVE, "the bar's opening price, where the data has it"
    ),
    Field("spot.high", Type.PRICE, P, NON_NEGATIVE, "the bar's high, where the data has it"),
    Field("spot.low", Type.PRICE, P, NON_NEGATIVE, "the bar's low, where the data has it"),
    Field("vix", Type.NUMBER, P, NON_NEGATIVE, "the VIX index level in points (18.0 = 18 vol)"),
    Field("rate", Type.RATIO, P, ANY, "risk-free rate, annualised (0.05 = 5%)"),
    Field("div_yield", Type.RATIO, P, ANY, "dividend yield of the underlying, annualised"),
    Field("atm_iv", Type.RATIO, P, NON_NEGATIVE, "the volatility model's 30-day at-the-money IV"),
)

_PORTFOLIO: tuple[Field, ...] = (
    Field("portfolio.equity", Type.MONEY, P, ANY, "account value: cash plus positions at mid"),
    Field("portfolio.cash", Type.MONEY, P, ANY, "cash balance"),
    Field("portfolio.margin", Type.MONEY, P, NON_NEGATIVE, "margin in use by open positions"),
    Field("portfolio.bp_used", Type.RATIO, P, NON_NEGATIVE, "buying power used: margin / equity"),
    Field("portfolio.open_positions", Type.NUMBER, P, NON_NEGATIVE, "number of open positions"),
    Field("portfolio.delta", Type.NUMBER, P, ANY, "book delta, share-equivalent"),
    Field("portfolio.gamma", Type.NUMBER, P, ANY, "book gamma per point, share-equivalent"),
    Field("portfolio.vega", Type.NUMBER, P, ANY, "book vega per vol point, share-equivalent"),
    Field("portfolio.theta", Type.NUMBER, P, ANY, "book theta per calendar day"),
    Field("portfolio.hedged", Type.BOOL, P, None, "true while at least one hedge layer is held"),
    Field("portfolio.hedge_count", Type.NUMBER, P, NON_NEGATIVE, "number of hedge layers held"),
    Field("portfolio.drawdown", Type.RATIO, P, UNIT_INTERVAL, "fall from peak equity (0.1 = 10%)"),
)

_POSITION: tuple[Field, ...] = (
    Field("dte", Type.DAYS, Q, NON_NEGATIVE, "calendar days to expiry"),
    Field("days_in_trade", Type.DAYS, Q, NON_NEGATIVE, "calendar days since the position opened"),
    Field("opened", Type.DATE, Q, None, "the date the position was opened"),
    Field("expiry", Type.DATE, Q, None, "the expiry date of the current structure"),
    Field("qty", Type.NUMBER, Q, NON_NEGATIVE, "number of contracts (of each leg)"),
    Field("rolls", Type.NUMBER, Q, NON_NEGATIVE, "times the position has been rolled"),
    Field("credit", Type.PRICE, Q, ANY, "net credit received for the current structure"),
    Field("mark", Type.PRICE, Q, NON_NEGATIVE, "cost to close the position at mid"),
    Field("pnl", Type.MONEY, Q, ANY, "profit and loss, including realised roll credits"),
    Field("pnl_pct", Type.RATIO, Q, ANY, "P&L as a share of max profit (0.5 = half the credit)"),
    Field("max_profit", Type.MONEY, Q, NON_NEGATIVE, "most the position can make (a magnitude)"),
    Field("max_loss", Type.MONEY, Q, NON_NEGATIVE, "most the position can lose (a magnitude)"),
    Field("margin", Type.MONEY, Q, NON_NEGATIVE, "margin the position uses"),
    Field("return_on_margin", Type.RATIO, Q, ANY, "pnl / margin"),
    Field("delta", Type.NUMBER, Q, ANY, "position delta, share-equivalent, signed by quantity"),
    Field("gamma", Type.NUMBER, Q, ANY, "position gamma per point, share-equivalent"),
    Field("vega", Type.NUMBER, Q, ANY, "position vega per vol point, share-equivalent"),
    Field("theta", Type.NUMBER, Q, ANY, "position theta per calendar day, share-equivalent"),
    Field("breakeven_low", Type.PRICE, Q, NON_NEGATIVE, "lower breakeven at expiry"),
    Field("breakeven_high", Type.PRICE, Q, NON_NEGATIVE, "upper breakeven at expiry"),
    Field("pop", Type.RATIO, Q, UNIT_INTERVAL, "probability of expiring between the breakevens"),
    Field("extrinsic", Type.PRICE, Q, ANY, "time value left in the position"),
    Field("range_low", Type.PRICE, Q, NON_NEGATIVE, "the short put strike: the pool's lower edge"),
    Field("range_high", Type.PRICE, Q, NON_NEGATIVE, "the short call strike: the upper edge"),
    Field(
        "range_position",
        Type.NUMBER,
        Q,
        ANY,
        "-1 at the short put, 0 in the middle, +1 at the short call, beyond ±1 out of range",
    ),
    Field("in_range", Type.BOOL, Q, None, "true while spot is between the short strikes"),
    Field(
        "tested",
        Type.SIDE,
        Q,
        None,
        "the side whose short strike is nearer spot, or `none` when both short deltas are "
        "below 0.20 in magnitude",
    ),
)

LEGS: tuple[str, ...] = ("short_put", "long_put", "short_call", "long_call")
SIDES: tuple[str, ...] = ("put_side", "call_side")


def _leg_fields(leg: str) -> tuple[Field, ...]:
    is_put = leg.endswith("put")
    delta = Interval(-1.0, 0.0) if is_put else UNIT_INTERVAL
    otm = Interval(-math.inf, 1.0) if is_put else Interval(-1.0, math.inf)
    kind = "put" if is_put else "call"
    return (
        Field(f"{leg}.strike", Type.PRICE, Q, NON_NEGATIVE, f"strike of the {leg} leg"),
        Field(
            f"{leg}.delta",
            Type.NUMBER,
            Q,
            delta,
            f"the {kind}'s own delta, Black-Scholes signed (not signed by quantity)",
        ),
        Field(f"{leg}.gamma", Type.NUMBER, Q, NON_NEGATIVE, "the option's gamma per 1 point"),
        Field(f"{leg}.vega", Type.NUMBER, Q, NON_NEGATIVE, "the option's vega per vol point"),
        Field(
            f"{leg}.theta",
            Type.NUMBER,
            Q,
            ANY,
            "the option's theta per calendar day (usually negative)",
        ),
        Field(f"{leg}.iv", Type.RATIO, Q, NON_NEGATIVE, "the leg's implied volatility"),
        Field(f"{leg}.mark", Type.PRICE, Q, NON_NEGATIVE, "the option's mid price"),
        Field(
            f"{leg}.otm",
            Type.RATIO,
            Q,
            otm,
            "distance out of the money as a ratio of spot, negative once in the money",
        ),
        Field(f"{leg}.itm", Type.BOOL, Q, None, "true while the option is in the money"),
        Field(f"{leg}.extrinsic", Type.PRICE, Q, ANY, "the option's time value"),
    )


def _side_fields(side: str) -> tuple[Field, ...]:
    return (
        Field(f"{side}.width", Type.PRICE, Q, NON_NEGATIVE, "distance between the side's strikes"),
        Field(f"{side}.credit", Type.PRICE, Q, ANY, "net credit received for the side"),
        Field(f"{side}.mark", Type.PRICE, Q, NON_NEGATIVE, "cost to close the side at mid"),
    )


FIELD_LIST: tuple[Field, ...] = (
    _MARKET
    + _PORTFOLIO
    + _POSITION
    + tuple(f for leg in LEGS for f in _leg_fields(leg))
    + tuple(f for side in SIDES for f in _side_fields(side))
)

FIELDS: dict[str, Field] = {f.name: f for f in FIELD_LIST}

NAMESPACE_LIST: tuple[Namespace, ...] = (
    Namespace("portfolio", P, "the whole book: equity, margin, Greeks, hedges"),
    Namespace("short_put", Q, "the short put leg"),
    Namespace("long_put", Q, "the long put leg (the put wing)"),
    Namespace("short_call", Q, "the short call leg"),
    Namespace("long_call", Q, "the long call leg (the call wing)"),
    Namespace("put_side", Q, "the put spread of the position"),
    Namespace("call_side", Q, "the call spread of the position"),
)

NAMESPACES: dict[str, Namespace] = {n.name: n for n in NAMESPACE_LIST}

# Fields a scenario's `market` line may set (the rest of the market takes defaults).
MARKET_FIELDS: tuple[str, ...] = tuple(f.name for f in _MARKET if f.name not in ("date",))
