"""What the rules and replay need to know about the market on a day: vols, calendar, events, rates.

``MarketModel.default()`` bundles the documented defaults (docs/market.md); override any part with
``with_overrides``::

    market = MarketModel.default().with_overrides(
        volatility=VolatilityParameters(smile_skew=-0.7),
        events=EventCalendar.from_csv("cpi.csv"),     # merged with the shipped FOMC dates
        rates=Rates.flat(0.03, 0.015),
    )
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from condorrules.market.calendar import (
    MONTHLY_LISTED_MONTHS,
    PM_SERIES_INTRODUCED,
    STRIKE_INCREMENT,
    WEEKLY_LISTED_WEEKS,
    Expiration,
    ExpirationKind,
    Settlement,
    SnapMode,
    TradingCalendar,
    snap_strike,
    strike_grid,
)
from condorrules.market.events import EventCalendar, EventDataError
from condorrules.market.rates import Rates
from condorrules.market.volatility import (
    THIRTY_DAYS,
    ArrayLike,
    FloatArray,
    VolatilityModel,
    VolatilityParameters,
)


@dataclass(frozen=True, slots=True)
class MarketModel:
    """The volatility model, trading calendar, event calendar and rates used together."""

    volatility: VolatilityModel
    calendar: TradingCalendar
    events: EventCalendar
    rates: Rates

    @classmethod
    def default(cls) -> MarketModel:
        """Documented defaults: VIX-driven SPX surface, NYSE calendar, shipped FOMC dates, rates."""
        return cls(VolatilityModel(), TradingCalendar(), EventCalendar.default(), Rates())

    def with_overrides(
        self,
        *,
        volatility: VolatilityModel | VolatilityParameters | None = None,
        calendar: TradingCalendar | None = None,
        events: EventCalendar | None = None,
        replace_events: bool = False,
        rates: Rates | None = None,
    ) -> MarketModel:
        """A copy with some parts replaced; ``events`` are merged into the current ones unless
        ``replace_events`` is true."""
        model = self
        if isinstance(volatility, VolatilityParameters):
            volatility = VolatilityModel(volatility)
        if volatility is not None:
            model = replace(model, volatility=volatility)
        if calendar is not None:
            model = replace(model, calendar=calendar)
        if events is not None:
            model = replace(model, events=events if replace_events else model.events.merge(events))
        if rates is not None:
            model = replace(model, rates=rates)
        return model

    def atm_iv(self, vix: ArrayLike) -> float | FloatArray:
        """The rule field ``atm_iv``: the model's 30-day at-the-money IV (ratio)."""
        return self.volatility.atm_iv(vix, THIRTY_DAYS)

    def implied_vol(
        self, on: dt.date, spot: ArrayLike, strike: ArrayLike, t: ArrayLike, vix: ArrayLike
    ) -> float | FloatArray:
        """The model IV on date ``on`` (its rate and dividend yield set the forward)."""
        return self.volatility.implied_vol(
            spot, strike, t, vix, rate=self.rates.rate(on), div=self.rates.div_yield(on)
        )


__all__ = [
    "MONTHLY_LISTED_MONTHS",
    "PM_SERIES_INTRODUCED",
    "STRIKE_INCREMENT",
    "THIRTY_DAYS",
    "WEEKLY_LISTED_WEEKS",
    "EventCalendar",
    "EventDataError",
    "Expiration",
    "ExpirationKind",
    "MarketModel",
    "Rates",
    "Settlement",
    "SnapMode",
    "TradingCalendar",
    "VolatilityModel",
    "VolatilityParameters",
    "snap_strike",
    "strike_grid",
]
