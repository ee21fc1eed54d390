"""A fast entry to the Black-Scholes-Merton kernel for the package's own hot paths.

:func:`condorrules.greeks.greeks` converts, checks and broadcasts its arguments, which costs
about 30 µs a call whatever the number of options: most of the time of a call on a few dozen
legs (the engine's field derivation per state, the replay's marks per bar). These callers
already hold flat float64 arrays of valid values, so :func:`greeks_rows` skips the checks and
runs the same kernel on the same columns, giving bit-identical numbers. When an input is not
finite (NaN stands for unknown) it takes the public path instead, so NaN handling and errors
stay exactly the public function's.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from condorrules.greeks import _kernel
from condorrules.greeks._inputs import Column, FloatArray
from condorrules.greeks.analytic import greeks


def greeks_rows(
    is_call: npt.NDArray[np.bool_],
    spot: Column,
    strike: FloatArray,
    t: FloatArray,
    vol: Column,
    rate: Column,
    div: Column,
) -> FloatArray:
    """Rows price, delta, gamma, vega, theta, rho (units of :func:`~condorrules.greeks.greeks`)
    of ``len(strike)`` options: the same numbers as ``greeks(is_call, spot, strike, t, vol,
    rate, div)``.

    Each input is a Python float shared by every option or a flat float64 array of
    ``len(strike)``. The caller guarantees what the public function would check: spot and
    strike > 0, t and vol >= 0.
    """
    size = len(strike)
    columns: tuple[Column, ...] = (np.where(is_call, 1.0, -1.0), spot, strike, t, vol, rate, div)
    probe = spot + strike + t + vol + rate + div  # not finite iff some input is NaN or infinite
    if size <= 1 or not np.isfinite(probe).all():
        result = greeks(is_call, spot, strike, t, vol, rate, div)
        rows = (result.price, result.delta, result.gamma, result.vega, result.theta, result.rho)
        return np.array([np.asarray(row, dtype=np.float64).reshape(size) for row in rows])
    return _kernel.run(columns, size, with_greeks=True, futures=False)


__all__ = ["greeks_rows"]
