"""Marks and Greeks of many SPX options at once: from the volatility model, or a real chain.

One call prices every option it is given with one Black-Scholes-Merton call (and,
with a chain, one :func:`condorrules.greeks.implied_vol` call for quotes without an ``iv``):
the replay prices all open legs of a bar together, and strike selection prices a whole strike
grid together. Time to expiry is calendar days / 365, zero on the expiry day (intrinsic value).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from condorrules import greeks
from condorrules.chain import OptionChain
from condorrules.constants import DAYS_PER_YEAR
from condorrules.greeks import _trusted
from condorrules.market import MarketModel

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class MarketBar:
    """One bar of market data as replay uses it. Absent values are NaN.

    ``pricing_vix`` is the VIX the volatility model prices with: the bar's VIX, or the last
    known one when the bar has none (NaN before the first known VIX).
    """

    date: dt.date
    spot: float
    open: float
    high: float
    low: float
    vix: float
    pricing_vix: float
    rate: float
    div: float
    inputs: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class Priced:
    """Per-option results (arrays of the input's length): mid mark and Greeks per share.

    ``spread`` is the quoted ask − bid where a chain quotes the option, else NaN;
    ``quoted`` says where the chain's quote was used.
    """

    mark: FloatArray
    iv: FloatArray
    delta: FloatArray
    gamma: FloatArray
    vega: FloatArray
    theta: FloatArray
    spread: FloatArray
    quoted: BoolArray


class Pricer:
    """Prices SPX options on a bar from the market model, or from ``chain`` where it quotes
    them (a quote's mid is the mark; its ``iv``, or the IV implied by the mid, gives the Greeks;
    an option the chain does not quote falls back to the model)."""

    __slots__ = ("chain", "market")

    def __init__(self, market: MarketModel, chain: OptionChain | None = None) -> None:
        self.market = market
        self.chain = chain

    def price(
        self, bar: MarketBar, is_call: BoolArray, strike: FloatArray, expiry: list[dt.date]
    ) -> Priced:
        """Price the options (``is_call``, ``strike``, ``expiry`` aligned) on ``bar``."""
        n = len(strike)
        t = np.maximum(_days_to(expiry, bar.date), 0.0) / DAYS_PER_YEAR
        spread = np.full(n, np.nan)
        quoted = np.zeros(n, dtype=bool)
        quoted_mid = np.full(n, np.nan)
        quoted_iv = np.full(n, np.nan)
        if self.chain is not None and n:
            self._quotes(bar, is_call, strike, expiry, quoted_mid, quoted_iv, spread)
            quoted = np.isfinite(quoted_mid)
        vol = self._model_vol(bar, strike, t)
        if quoted.any():
            need = quoted & ~np.isfinite(quoted_iv) & (t > 0)
            if need.any():
                quoted_iv[need] = greeks.implied_vol(
                    is_call[need], quoted_mid[need], bar.spot, strike[need], t[need],
                    bar.rate, bar.div,
                )  # fmt: skip
            vol = np.where(quoted & np.isfinite(quoted_iv), quoted_iv, vol)
        price, delta, gamma, vega, theta, _ = _trusted.greeks_rows(
            is_call, bar.spot, strike, t, vol, bar.rate, bar.div
        )
        return Priced(
            mark=np.where(quoted, quoted_mid, price),
            iv=np.where(t > 0, vol, np.nan),
            delta=delta,
            gamma=gamma,
            vega=vega,
            theta=theta,
            spread=spread,
            quoted=quoted,
        )

    def _model_vol(self, bar: MarketBar, strike: FloatArray, t: FloatArray) -> FloatArray:
        if math.isnan(bar.pricing_vix):
            return np.full(len(strike), np.nan)
        vol = self.market.volatility.implied_vol(
            bar.spot, strike, t, bar.pricing_vix, bar.rate, bar.div
        )
        return np.broadcast_to(np.asarray(vol, dtype=np.float64), strike.shape).copy()

    def _quotes(
        self,
        bar: MarketBar,
        is_call: BoolArray,
        strike: FloatArray,
        expiry: list[dt.date],
        mid: FloatArray,
        iv: FloatArray,
        spread: FloatArray,
    ) -> None:
        assert self.chain is not None
        for index, (call, level, day) in enumerate(zip(is_call, strike, expiry, strict=True)):
            quote = self.chain.quote(bar.date, day, float(level), "call" if call else "put")
            if quote is not None and math.isfinite(quote.mid):
                mid[index] = quote.mid
                iv[index] = quote.iv
                spread[index] = quote.spread

    def atm_iv(self, bar: MarketBar) -> float:
        """The rule field ``atm_iv`` on ``bar`` (the model's 30-day ATM IV from the VIX)."""
        if math.isnan(bar.pricing_vix):
            return math.nan
        return float(self.market.atm_iv(bar.pricing_vix))


def _days_to(expiry: list[dt.date], today: dt.date) -> FloatArray:
    """Calendar days from ``today`` to each expiry, as floats."""
    if expiry and expiry.count(expiry[0]) == len(expiry):  # one expiry: a whole strike grid
        return np.full(len(expiry), float((expiry[0] - today).days))
    return np.array([(day - today).days for day in expiry], dtype=np.float64)
