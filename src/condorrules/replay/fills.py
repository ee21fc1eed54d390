"""Fill prices and trading costs: the mid plus slippage, commissions and fees per contract.

Every fill in replay goes through :meth:`Costs.fill_price` and :meth:`Costs.fees`. The defaults
and their sources are in docs/replay.md ("Fills and costs"):

* commission $0.65 a contract (Interactive Brokers' US option commission for premiums of
  $0.10 or more);
* exchange fee $0.65 a contract (the Cboe proprietary index option fee on SPX and VIX options,
  passed through by brokers, e.g. tastytrade's "Single-Listed Exchange Proprietary Index
  Options Fees" page);
* slippage 0.05 index points a share against you on model prices (one SPX tick below $3);
  with a real option chain, a quarter of the quoted bid-ask spread from the mid instead;
* cash settlement at expiry costs nothing.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class Costs:
    """Trading costs and slippage. Prices are per share (index points); money per contract.

    ``slippage`` is paid on each leg's fill when the price comes from the volatility model;
    ``spread_share`` replaces it when the price comes from a chain quote (0.5 = fill at the
    bid or the ask, 0 = at the mid).
    """

    commission: float = 0.65
    """Broker commission per contract per fill (money)."""
    exchange_fee: float = 0.65
    """Exchange and regulatory fees per contract per fill (money)."""
    slippage: float = 0.05
    """Price concession per share per leg against model mids (index points)."""
    spread_share: float = 0.25
    """Share of the quoted bid-ask spread paid from the mid when a chain quotes the option."""
    hedge_slippage: float = 0.05
    """Price concession per share per leg on VIX options (VIX points)."""
    settlement_fee: float = 0.0
    """Fee per contract when an option is cash-settled at expiry (money)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"costs.{item.name} = {value!r} is not valid: must be a number >= 0"
                )
        if self.spread_share > 0.5:
            raise ValueError(
                f"costs.spread_share = {self.spread_share!r} is not valid: at most 0.5 "
                "(0.5 fills at the bid or the ask)"
            )

    @classmethod
    def from_value(cls, value: Costs | Mapping[str, float] | None) -> Costs:
        """``None`` → the defaults; a mapping overrides fields by name (unknown names raise)."""
        if value is None:
            return cls()
        if isinstance(value, Costs):
            return value
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            listed = ", ".join(sorted(known))
            raise ValueError(f"unknown cost setting {unknown[0]!r}: known settings are {listed}")
        return cls(**{name: float(number) for name, number in value.items()})

    def as_dict(self) -> dict[str, Any]:
        """The settings as a JSON-ready dict (field order)."""
        return asdict(self)

    def fees(self, contracts: float) -> float:
        """Commission and exchange fees for ``contracts`` (sign ignored), money."""
        return abs(contracts) * (self.commission + self.exchange_fee)

    def fill_price(self, mid: float, qty: float, spread: float = math.nan) -> float:
        """The price per share of buying (``qty`` > 0) or selling (``qty`` < 0) at ``mid``.

        With a quoted ``spread`` the concession is ``spread_share × spread``, else ``slippage``.
        A sale never fills below zero.
        """
        concession = self.spread_share * spread if math.isfinite(spread) else self.slippage
        price = mid + concession if qty > 0 else mid - concession
        return max(price, 0.0)

    def hedge_fill_price(self, mid: float, qty: float) -> float:
        """The price per share of a VIX option fill (buy ``qty`` > 0, sell < 0)."""
        price = mid + self.hedge_slippage if qty > 0 else mid - self.hedge_slippage
        return max(price, 0.0)
