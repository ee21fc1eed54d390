"""Risk-free rate and SPX dividend yield: a documented yearly schedule, overridable.

Defaults (continuous ratios; sources in docs/market.md):
- rate: the annual average of the 3-month Treasury bill (FRED series TB3MS, Federal Reserve H.15)
  for 2014-2018, the years of the built-in history; ``default_rate`` elsewhere.
- dividend yield: the S&P 500's trailing dividend yield (Damodaran, NYU Stern, year-end values)
  for 2014-2018; ``default_div`` elsewhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import numpy.typing as npt
import pandas as pd

TBILL_3M_ANNUAL_AVERAGE: Mapping[int, float] = MappingProxyType(
    {2014: 0.0003, 2015: 0.0005, 2016: 0.0032, 2017: 0.0093, 2018: 0.0194}
)
"""3-month T-bill, annual average of monthly TB3MS (percent / 100)."""

SPX_DIVIDEND_YIELD: Mapping[int, float] = MappingProxyType(
    {2014: 0.0192, 2015: 0.0211, 2016: 0.0203, 2017: 0.0184, 2018: 0.0209}
)
"""S&P 500 trailing 12-month dividend yield at year end (ratio)."""

DEFAULT_RATE = 0.02
"""Rate for years outside the schedule: a round figure near the 2014-2024 T-bill average."""

DEFAULT_DIV = 0.019
"""Dividend yield for years outside the schedule: near the 2014-2018 S&P 500 average."""


@dataclass(frozen=True, slots=True)
class Rates:
    """Risk-free rate and dividend yield by calendar year, with flat fallbacks.

    ``Rates.flat(0.03, 0.015)`` ignores the schedule; ``Rates(rate_by_year={...})`` replaces it.
    """

    rate_by_year: Mapping[int, float] = field(default_factory=lambda: TBILL_3M_ANNUAL_AVERAGE)
    div_by_year: Mapping[int, float] = field(default_factory=lambda: SPX_DIVIDEND_YIELD)
    default_rate: float = DEFAULT_RATE
    default_div: float = DEFAULT_DIV

    def __hash__(self) -> int:
        return hash(
            (
                tuple(sorted(self.rate_by_year.items())),
                tuple(sorted(self.div_by_year.items())),
                self.default_rate,
                self.default_div,
            )
        )

    @classmethod
    def flat(cls, rate: float, div: float) -> Rates:
        """The same rate and dividend yield on every date."""
        empty: Mapping[int, float] = MappingProxyType({})
        return cls(rate_by_year=empty, div_by_year=empty, default_rate=rate, default_div=div)

    def rate(self, on: dt.date) -> float:
        """Risk-free rate (continuous ratio) on ``on``."""
        return self.rate_by_year.get(on.year, self.default_rate)

    def div_yield(self, on: dt.date) -> float:
        """SPX dividend yield (continuous ratio) on ``on``."""
        return self.div_by_year.get(on.year, self.default_div)

    def rate_series(self, dates: npt.ArrayLike | pd.DatetimeIndex) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`rate` over dates."""
        return _by_year(dates, self.rate_by_year, self.default_rate)

    def div_yield_series(self, dates: npt.ArrayLike | pd.DatetimeIndex) -> npt.NDArray[np.float64]:
        """Vectorised :meth:`div_yield` over dates."""
        return _by_year(dates, self.div_by_year, self.default_div)


def _by_year(
    dates: npt.ArrayLike | pd.DatetimeIndex, table: Mapping[int, float], default: float
) -> npt.NDArray[np.float64]:
    years = pd.DatetimeIndex(np.asarray(dates, dtype="datetime64[D]")).year.to_numpy()
    result = np.full(years.shape, default, dtype=np.float64)
    for year, value in table.items():
        result[years == year] = value
    return result


__all__ = ["DEFAULT_DIV", "DEFAULT_RATE", "SPX_DIVIDEND_YIELD", "TBILL_3M_ANNUAL_AVERAGE", "Rates"]
