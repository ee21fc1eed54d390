"""Option values and Greeks: vectorised Black-Scholes-Merton (continuous dividend yield),
Black-76 for options on futures, and implied volatility.

Units (docs/greeks.md): ``t`` in years of 365 calendar days; ``vol``, ``rate``, ``div`` as
ratios; delta signed (puts negative) and gamma per 1 point of the underlying; vega per vol
point (0.01); theta per calendar day; rho per rate point (0.01). ``right`` is ``"call"``,
``"put"``, a bool (True = call) or an array of those. Arguments broadcast like numpy; scalar
inputs give Python floats.
"""

from __future__ import annotations

from condorrules.greeks._inputs import FloatArray, FloatOrArray, RightLike
from condorrules.greeks.analytic import Greeks, black76_greeks, black76_price, greeks, price
from condorrules.greeks.implied import implied_vol

__all__ = [
    "FloatArray",
    "FloatOrArray",
    "Greeks",
    "RightLike",
    "black76_greeks",
    "black76_price",
    "greeks",
    "implied_vol",
    "price",
]
