"""Correctly rounded moving averages over a whole history, in O(N) numpy (``sma``, ``bbands``).

The incremental ``Sma`` keeps the exact window sum as a Python integer and divides once, so
its mean is the correctly rounded one. This module gives the batch version the same bits.

The bars are cut into blocks; a block holds its windows' values (the n − 1 bars before it
repeated), so each block can use its own fixed-point grid. Where a block's known values have
one sign (the mean of a window is then at least its smallest value, so no mean falls below
the grid):

1. Every value is an integer multiple of ``2**(bottom - 53)``, where ``2**(bottom - 1)`` is
   the largest power of two at or below the block's smallest magnitude; the scaled values
   are int64 counts, and int64 prefix sums give every window sum W **exactly** (wrap-around in
   a prefix cancels in the difference; the admission test keeps W itself below 2**63).
2. Exact long division gives W = n·q + r. The mean q + r/n is at least 2**52 grid units, so
   ``floor(4·mean)`` with its lowest bit set when inexact ("round to odd") has at least 55
   significant bits; converting that integer to float64 (round to nearest even) is then the
   correctly rounded mean (Boldo & Melquiond, "Emulation of FMA and correctly rounded sums:
   proved algorithms using rounding to odd", IEEE TC 2008: rounding to odd at p + 2 bits or
   more, then to nearest at p bits, equals rounding to nearest once).

A block whose values spread over too many binades for one int64 uses two 40-bit digits and
the same long division; a block with mixed signs or a known zero (where a mean can fall below
the grid), more than 36 binades, extreme exponents, or a window of 2**22 bars or more is
computed with exact Python integers, as the incremental version does (about 0.4 µs a bar).
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from condorrules.runtime.values import BoolArray, FloatArray

BLOCK_BARS = 1024
"""Windows per block (at least 8n): short enough that a block's values span few binades."""

_GROUP_VALUES = 1 << 15
"""Values per group of blocks computed at once: temporaries small enough to stay in cache."""

_ONE_DIGIT_BITS = 10
"""Binade spread + bit length of n that one int64 digit holds: W < n·2**(spread+53) <= 2**63."""

_LOW_BITS = 40
"""Bits of the low digit of the two-digit path; n·2**41 stays within int64 for n < 2**22."""

_LOW_MASK = (1 << _LOW_BITS) - 1

_MAX_SPREAD = 36
"""Largest binade spread of a block that the two-digit path holds."""

_MAX_WINDOW_BITS = 22
"""Windows up to 2**22 bars take the integer paths."""

_MAX_EXPONENT = 960
"""Blocks with binary exponents beyond this take the Python path (scalings must stay normal)."""

IntArray = np.ndarray[tuple[int, ...], np.dtype[np.int64]]


def window_means(values: FloatArray, known: BoolArray, n: int, complete: BoolArray) -> FloatArray:
    """The correctly rounded mean of ``values[t-n+1 : t+1]`` at every ``t`` where ``complete``.

    ``values`` must be finite and 0 where not ``known``; bars where ``complete`` is false get an
    arbitrary finite value.
    """
    length = len(values)
    if length < n or not complete.any():
        return np.zeros(length)
    block = max(BLOCK_BARS, 8 * n)
    count = -(-length // block)
    # Padding repeats the edge values: it only enters windows that are not complete, and
    # keeps a fully known series free of masked reductions.
    padded = np.pad(values, (n - 1, count * block - length), mode="edge")
    rows = sliding_window_view(padded, block + n - 1)[::block]
    row_known = None
    if not known.all():
        padded_known = np.pad(known, (n - 1, count * block - length), mode="edge")
        row_known = sliding_window_view(padded_known, block + n - 1)[::block]
    padded_complete = np.zeros(count * block, dtype=np.bool_)
    padded_complete[:length] = complete
    wanted = padded_complete.reshape(count, block)
    means = np.zeros((count, block))
    with np.errstate(all="ignore"):
        _fill_blocks(means, rows, row_known, wanted, n)
    return means.reshape(-1)[:length]


def _fill_blocks(
    means: FloatArray, rows: FloatArray, row_known: BoolArray | None, wanted: BoolArray, n: int
) -> None:
    """Each block by the cheapest exact path it qualifies for (``row_known`` None: all known)."""
    if row_known is None:  # all known: the common case, and three times faster
        smallest, largest = rows.min(axis=1), rows.max(axis=1)
    else:
        smallest = np.min(rows, axis=1, where=row_known, initial=np.inf)
        largest = np.max(rows, axis=1, where=row_known, initial=-np.inf)
    negative = largest < 0
    sign = np.where(negative, -1.0, 1.0)
    _, bottom = np.frexp(np.where(negative, -largest, smallest))
    _, top = np.frexp(np.where(negative, -smallest, largest))
    spread = top - bottom
    integer = (
        wanted.any(axis=1)
        & ((smallest > 0) | negative)
        & (bottom > 53 - _MAX_EXPONENT)
        & (top < _MAX_EXPONENT)
        & (n.bit_length() <= _MAX_WINDOW_BITS)
    )
    one_digit = integer & (spread + n.bit_length() <= _ONE_DIGIT_BITS) & (spread <= 8)
    chosen = np.flatnonzero(one_digit)
    if len(chosen) == len(rows):
        means[:] = _one_digit_means(rows, sign, bottom, n)
    elif len(chosen):
        means[chosen] = _one_digit_means(rows[chosen], sign[chosen], bottom[chosen], n)
    for row in np.flatnonzero(integer & ~one_digit & (spread <= _MAX_SPREAD)).tolist():
        grid = int(bottom[row]) - 55
        means[row] = sign[row] * _two_digit_means(rows[row] * sign[row], n, grid)
    python = wanted.any(axis=1) & ~integer | integer & ~one_digit & (spread > _MAX_SPREAD)
    for row in np.flatnonzero(python).tolist():
        means[row] = _python_means(rows[row], n, wanted[row])


def _one_digit_means(rows: FloatArray, sign: FloatArray, bottom: IntArray, n: int) -> FloatArray:
    """Steps 1 and 2 of the module docstring, for blocks whose window sums fit one int64."""
    block = rows.shape[1] - n + 1
    means = np.empty((len(rows), block))
    step = max(1, _GROUP_VALUES // rows.shape[1])
    for start in range(0, len(rows), step):
        group = slice(start, start + step)
        scale = sign[group] * np.ldexp(1.0, 53 - bottom[group])
        _one_digit_group(rows[group], scale[:, None], n, means[group])
        means[group] *= (sign[group] * np.ldexp(1.0, bottom[group] - 55))[:, None]
    return means


def _one_digit_group(rows: FloatArray, scale: FloatArray, n: int, out: FloatArray) -> None:
    """``floor(4·mean)`` rounded to odd, in units of 2**(bottom - 55), into ``out``."""
    counts = (rows * scale).astype(np.int64)
    np.cumsum(counts, axis=1, out=counts)
    sums = np.empty_like(out, dtype=np.int64)
    sums[:, 0] = counts[:, n - 1]
    np.subtract(counts[:, n:], counts[:, :-n], out=sums[:, 1:])
    quotient = sums // n
    remainder = np.subtract(sums, n * quotient, out=sums)
    remainder *= 4
    quarters = remainder // n
    inexact = remainder != n * quarters
    quotient *= 4
    quotient += quarters
    quotient |= inexact  # floor(4·mean), odd if inexact
    out[:] = quotient


def _two_digit_means(window: FloatArray, n: int, grid: int) -> FloatArray:
    """The one-digit computation with two 40-bit digits, for positive values on ``2**grid``
    (``grid`` = bottom − 55)."""
    scaled = window * 2.0 ** -(grid + _LOW_BITS)
    whole = np.trunc(scaled)
    high = whole.astype(np.int64)
    low = ((scaled - whole) * 2.0**_LOW_BITS).astype(np.int64)
    sum_high, sum_low = _window_sum(high, n), _window_sum(low, n)
    sum_high += sum_low >> _LOW_BITS
    sum_low &= _LOW_MASK
    # W = sum_high·2**40 + sum_low = n·(quotient_high·2**40 + quotient_low) + remainder
    quotient_high = sum_high // n
    carried = ((sum_high - n * quotient_high) << _LOW_BITS) + sum_low
    quotient_low = carried // n
    remainder = carried - n * quotient_low
    # The mean is at least 2**54 grid units, so the quotient has 55 + k bits: keep the top 55
    # and round them to odd on the k dropped bits and the remainder, as in the one-digit path.
    _, exponent = np.frexp(quotient_high.astype(np.float64))
    dropped_bits = np.clip(exponent + _LOW_BITS - 55, 0, _LOW_BITS).astype(np.int64)
    kept = (quotient_high << (_LOW_BITS - dropped_bits)) | (quotient_low >> dropped_bits)
    inexact = ((quotient_low & ((1 << dropped_bits) - 1)) != 0) | (remainder != 0)
    means: FloatArray = np.ldexp((kept | inexact).astype(np.float64), dropped_bits + grid)
    return means


def _window_sum(digits: IntArray, n: int) -> IntArray:
    prefix = np.cumsum(digits)
    sums: IntArray = prefix[n - 1 :].copy()
    sums[1:] -= prefix[:-n]
    return sums


def _python_means(window: FloatArray, n: int, wanted: BoolArray) -> FloatArray:
    """Means by exact Python integers (as the incremental version): any finite values."""
    ratios = [value.as_integer_ratio() for value in window.tolist()]
    scale = max(denominator.bit_length() - 1 for _, denominator in ratios)
    prefix = [0]
    for numerator, denominator in ratios:
        prefix.append(prefix[-1] + (numerator << (scale - denominator.bit_length() + 1)))
    divisor = n << scale
    means = np.zeros(len(wanted))
    for index in np.flatnonzero(wanted).tolist():
        means[index] = (prefix[index + n] - prefix[index]) / divisor
    return means
