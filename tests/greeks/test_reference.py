"""The fast chunked kernel against the slow scalar reference (textbook formulas, math module)."""

from __future__ import annotations

import numpy as np

from condorrules import greeks as g
from condorrules.greeks import reference


def test_fast_kernel_matches_reference_on_every_field() -> None:
    rng = np.random.default_rng(99)
    count = 20_000  # spans several chunks, so chunk boundaries are exercised
    is_call = rng.random(count) < 0.5
    spot = rng.uniform(1.0, 5000.0, count)
    strike = spot * np.exp(rng.uniform(-1.0, 1.0, count))
    t = np.exp(rng.uniform(np.log(1e-4), np.log(5.0), count))
    vol = np.exp(rng.uniform(np.log(0.01), np.log(4.0), count))
    rate = rng.uniform(-0.01, 0.1, count)
    div = rng.uniform(0.0, 0.06, count)
    fast = g.greeks(is_call, spot, strike, t, vol, rate, div)
    sample = rng.choice(count, 1500, replace=False)
    for i in sample:
        slow = reference.greeks(bool(is_call[i]), spot[i], strike[i], t[i], vol[i], rate[i], div[i])
        for field, expected in slow.items():
            actual = getattr(fast, field)[i]
            scale = 1e-11 * spot[i]
            assert abs(actual - expected) <= max(1e-11 * abs(expected), scale), (
                field,
                i,
                actual,
                expected,
            )
