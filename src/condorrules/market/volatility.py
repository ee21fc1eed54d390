"""The volatility model: the day's VIX (and spot) → an implied volatility for any strike and expiry.

Three pieces, each documented with its source in ``docs/market.md``:

1. **30-day ATM level.** VIX is the 30-day variance-swap level, which sits above the 30-day
   at-the-money IV because the put skew adds variance in the wings:
   ``atm_30 = atm_to_vix × VIX / 100``.
2. **Term structure.** ATM variance mean-reverts toward a long-run level like the expected
   average variance of a Heston process:
   ``atm(t)² = θ + (v0 − θ)·φ(κt)``, ``φ(x) = (1 − e^(−x)) / x``, with ``v0`` chosen so that
   ``atm(30 days) = atm_30`` (``θ = long_run_atm_vol²``, ``κ = mean_reversion``).
3. **Smile.** In standardised moneyness ``z = ln(K/F) / (atm(t)·√t)`` (``F = S·e^((r−q)t)``) an
   SVI-shaped multiplier of ATM variance, tilted to the put side:
   ``σ² = atm(t)² · (1 + η·(ρz + √(z² + w²) − w))``.

Everything is vectorised and broadcasts like numpy; the result is clamped to
``[min_vol, max_vol]`` and ``t`` is floored at ``min_t`` so it is always positive and finite for
finite input. NaN in gives NaN out in those places only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from condorrules.constants import DAYS_PER_YEAR

FloatArray = npt.NDArray[np.float64]
ArrayLike = float | npt.ArrayLike

THIRTY_DAYS = 30.0 / DAYS_PER_YEAR
"""VIX's horizon in years: 30 calendar days on the 365-day year used everywhere."""


@dataclass(frozen=True, slots=True)
class VolatilityParameters:
    """Parameters of :class:`VolatilityModel`; defaults and their sources are in docs/market.md.

    Override any of them with ``dataclasses.replace(VolatilityParameters(), smile_skew=-0.7)`` or
    ``VolatilityParameters(smile_skew=-0.7)``; invalid values raise ``ValueError`` naming the field.
    """

    atm_to_vix: float = 0.87
    """30-day ATM IV as a share of VIX/100 (the variance-swap premium over ATM)."""
    long_run_atm_vol: float = 0.17
    """ATM IV that long expiries converge to (ratio)."""
    mean_reversion: float = 2.0
    """Speed κ (per year) at which ATM variance approaches the long-run level."""
    smile_amplitude: float = 0.5
    """η: how much the wings add to ATM variance per unit of standardised moneyness."""
    smile_skew: float = -0.85
    """ρ in (-1, 1): negative tilts the smile up on the put side (SPX's skew)."""
    smile_width: float = 2.0
    """w > 0: how wide the rounded bottom of the smile is, in standardised moneyness."""
    min_vol: float = 0.01
    """Floor on any returned IV (ratio)."""
    max_vol: float = 5.0
    """Cap on any returned IV (ratio); reached only far in the wings close to expiry."""
    min_t: float = 1.0 / (DAYS_PER_YEAR * 24.0)
    """Shortest time (years, one hour) the smile is evaluated at; shorter ``t`` uses this."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not math.isfinite(value):
                raise ValueError(f"volatility parameter {item.name} must be finite, got {value}")
        positive = ("atm_to_vix", "long_run_atm_vol", "smile_width", "min_vol", "max_vol", "min_t")
        for name in positive:
            if getattr(self, name) <= 0:
                raise ValueError(
                    f"volatility parameter {name} must be > 0, got {getattr(self, name)}"
                )
        if self.mean_reversion < 0 or self.smile_amplitude < 0:
            raise ValueError(
                "volatility parameters mean_reversion and smile_amplitude must be >= 0"
            )
        if not -1.0 < self.smile_skew < 1.0:
            raise ValueError(
                f"volatility parameter smile_skew must be in (-1, 1), got {self.smile_skew}"
            )
        if self.min_vol >= self.max_vol:
            raise ValueError("volatility parameter min_vol must be below max_vol")
        if self.smile_floor <= 0:
            raise ValueError(
                "volatility parameters give a smile that touches zero: need "
                "smile_amplitude·smile_width·(1 − √(1 − smile_skew²)) < 1"
            )

    @property
    def smile_floor(self) -> float:
        """The smallest value of the smile's variance multiplier (must stay positive)."""
        rho = self.smile_skew
        return 1.0 - self.smile_amplitude * self.smile_width * (1.0 - math.sqrt(1.0 - rho * rho))


@dataclass(frozen=True, slots=True)
class VolatilityModel:
    """VIX-driven SPX implied-volatility surface; see the module docstring for the formula."""

    parameters: VolatilityParameters = VolatilityParameters()

    def atm_iv(self, vix: ArrayLike, t: ArrayLike = THIRTY_DAYS) -> float | FloatArray:
        """At-the-money (forward) IV as a ratio for expiry ``t`` years when VIX is ``vix`` points.

        ``atm_iv(vix)`` is the 30-day level the rule field ``atm_iv`` reports.
        """
        vix_arr = _checked("vix", vix, allow_zero=False)
        t_arr = _checked("t", t, allow_zero=True)
        result = self._atm(vix_arr, t_arr)
        return _out(result, vix, t)

    def implied_vol(
        self,
        spot: ArrayLike,
        strike: ArrayLike,
        t: ArrayLike,
        vix: ArrayLike,
        rate: ArrayLike = 0.0,
        div: ArrayLike = 0.0,
    ) -> float | FloatArray:
        """Implied volatility (ratio) of a European SPX option.

        ``spot``/``strike`` in index points, ``t`` in years (calendar days / 365), ``vix`` in
        index points, ``rate``/``div`` continuous ratios used only for the forward. Broadcasts;
        scalars in give a float out. Raises ``ValueError`` naming the argument (and the first bad
        index for arrays) for non-positive spot, strike or vix, or negative t.
        """
        p = self.parameters
        spot_arr = _checked("spot", spot, allow_zero=False)
        strike_arr = _checked("strike", strike, allow_zero=False)
        t_arr = _checked("t", t, allow_zero=True)
        vix_arr = _checked("vix", vix, allow_zero=False)
        rate_arr = np.asarray(rate, dtype=np.float64)
        div_arr = np.asarray(div, dtype=np.float64)
        t_eff = np.maximum(t_arr, p.min_t)
        atm = self._atm(vix_arr, t_eff)
        log_moneyness = np.log(strike_arr / spot_arr) - (rate_arr - div_arr) * t_eff
        z = log_moneyness / (atm * np.sqrt(t_eff))
        width = p.smile_width
        multiplier = 1.0 + p.smile_amplitude * (
            p.smile_skew * z + np.sqrt(z * z + width * width) - width
        )
        # The multiplier is >= smile_floor > 0 by construction; the clip bounds the far wings.
        vol = np.clip(atm * np.sqrt(multiplier), p.min_vol, p.max_vol)
        return _out(vol, spot, strike, t, vix, rate, div)

    def _atm(self, vix: FloatArray, t: FloatArray) -> FloatArray:
        p = self.parameters
        atm_30 = p.atm_to_vix * vix / 100.0
        long_run = p.long_run_atm_vol**2
        spot_variance = long_run + (atm_30**2 - long_run) / _phi(p.mean_reversion * THIRTY_DAYS)
        spot_variance = np.maximum(spot_variance, p.min_vol**2)
        variance = long_run + (spot_variance - long_run) * _phi(p.mean_reversion * t)
        return np.clip(np.sqrt(variance), p.min_vol, p.max_vol)


def _phi(x: FloatArray | float) -> FloatArray:
    """(1 − e^(−x)) / x, → 1 as x → 0 (series used below 1e-8 to avoid 0/0)."""
    x_arr = np.asarray(x, dtype=np.float64)
    small = x_arr < 1e-8
    safe = np.where(small, 1.0, x_arr)
    result: FloatArray = np.where(small, 1.0 - 0.5 * x_arr, -np.expm1(-safe) / safe)
    return result


def _checked(name: str, value: ArrayLike, *, allow_zero: bool) -> FloatArray:
    """``value`` as a float array; raises ValueError naming ``name`` and the first bad index."""
    arr = np.asarray(value, dtype=np.float64)
    bad = arr < 0 if allow_zero else arr <= 0
    if bad.any():
        limit = ">= 0" if allow_zero else "> 0"
        if arr.ndim == 0:
            raise ValueError(f"{name} must be {limit}, got {float(arr)}")
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        where = index[0] if len(index) == 1 else index
        raise ValueError(f"{name} must be {limit}; first bad value {arr[index]} at index {where}")
    return arr


def _out(result: FloatArray, *inputs: ArrayLike) -> float | FloatArray:
    """A Python float when every input was a scalar, else the array."""
    if all(np.ndim(x) == 0 for x in inputs):
        return float(result)
    return result


__all__ = ["THIRTY_DAYS", "VolatilityModel", "VolatilityParameters"]
