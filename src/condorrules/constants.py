"""Named numbers used across condorrules, so no formula hides a bare constant.

Units follow docs/greeks.md: time in years of 365 calendar days, volatilities and rates as
ratios (0.20 is 20 %), and Greeks scaled to the units a trader quotes.
"""

from __future__ import annotations

import math
from typing import Final

DAYS_PER_YEAR: Final = 365.0
"""Calendar days per year: ``t = calendar_days / DAYS_PER_YEAR`` (Actual/365 Fixed)."""

TRADING_DAYS_PER_YEAR: Final = 252
"""Trading days per year: daily returns and volatilities are annualised with ``sqrt(252)``."""

SPX_MULTIPLIER: Final = 100.0
"""Shares per SPX option contract (Cboe SPX contract specifications): money = price × 100."""

VIX_MULTIPLIER: Final = 100.0
"""Shares per VIX option contract (Cboe VIX option contract specifications)."""

VOL_POINT: Final = 0.01
"""One volatility point (1 %): vega is the value change per ``VOL_POINT`` of volatility."""

RATE_POINT: Final = 0.01
"""One rate point (1 %): rho is the value change per ``RATE_POINT`` of the interest rate."""

THETA_DAYS: Final = 1.0
"""Theta is the value change per this many calendar days (one day)."""

INV_SQRT_2PI: Final = 1.0 / math.sqrt(2.0 * math.pi)
"""1/sqrt(2π), the normalising factor of the standard normal density."""

SQRT_3: Final = math.sqrt(3.0)
"""sqrt(3), used by the lower-wing implied-volatility guess (Jäckel 2015, section 3)."""

IMPLIED_VOL_TOLERANCE: Final = 1e-6
"""Relative step below which the implied-volatility iteration stops: the steps converge at
fourth order, so the error left after such a step is far below double precision."""

IMPLIED_VOL_ZERO_ULPS: Final = 8.0
"""A time value within this many ulps of the price from zero is zero: implied vol 0.0."""

IMPLIED_VOL_MAX_ITERATIONS: Final = 12
"""Upper bound on safeguarded Householder steps; two or three are normally enough."""

GREEKS_CHUNK_SIZE: Final = 16384
"""Options per chunk in the vectorised kernels: keeps the ~2 MB of temporaries in L2 cache
(measured best of 2k..64k on the benchmark machine, docs/performance.md)."""
