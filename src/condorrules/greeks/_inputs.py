"""Input checking and broadcasting shared by the pricing and implied-volatility functions.

Every public function converts its arguments here, so a bad value is reported the same way
everywhere: a ``ValueError`` naming the argument, the value and (for arrays) the first bad index.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray: TypeAlias = NDArray[np.float64]
FloatOrArray: TypeAlias = float | FloatArray
"""A Python float when every input was a scalar, else a float64 array of the broadcast shape."""

RightLike: TypeAlias = str | bool | np.bool_ | ArrayLike
"""``"call"``/``"put"``, a bool (True = call), or an array of either."""

Column: TypeAlias = float | FloatArray
"""One kernel input: a Python float (shared by every option) or a flat float64 array."""

VALID_RIGHTS = ("call", "put")


def _index_text(flat_index: int, shape: tuple[int, ...]) -> str:
    if len(shape) <= 1:
        return str(flat_index)
    return str(tuple(int(i) for i in np.unravel_index(flat_index, shape)))


def _first_bad(values: NDArray[Any], bad: NDArray[np.bool_], name: str, rule: str) -> ValueError:
    flat_bad = np.flatnonzero(bad)
    if values.ndim == 0:
        return ValueError(f"{name} must be {rule}, got {values.item()!r}")
    first = int(flat_bad[0])
    value = values.reshape(-1)[first].item()
    where = _index_text(first, values.shape)
    return ValueError(f"{name} must be {rule}, got {value!r} at index {where}")


def as_float_array(value: ArrayLike, name: str) -> FloatArray:
    """Convert ``value`` to float64, or raise ``ValueError`` naming ``name``."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from None
    return array


def non_negative(value: ArrayLike, name: str) -> tuple[FloatArray, bool]:
    """Check ``value >= 0`` (NaN allowed); return the array and whether it holds a NaN."""
    array = as_float_array(value, name)
    with np.errstate(invalid="ignore"):
        if bool(np.all(array >= 0.0)):
            return array, False
        negative = array < 0.0
    if bool(np.any(negative)):
        raise _first_bad(array, negative, name, ">= 0")
    return array, True


def any_real(value: ArrayLike, name: str) -> tuple[FloatArray, bool]:
    """Accept any real number (rates and yields may be negative); report NaN presence."""
    array = as_float_array(value, name)
    if bool(np.any(np.isinf(array))):
        raise _first_bad(array, np.isinf(array), name, "finite")
    return array, bool(np.any(np.isnan(array)))


def call_sign(right: RightLike) -> FloatArray:
    """+1.0 for a call, -1.0 for a put, as a float64 array of ``right``'s shape."""
    array = np.asarray(right)
    if array.dtype == np.bool_:
        return np.where(array, 1.0, -1.0)
    if array.dtype.kind in "USO":
        is_call = array == "call"
        is_put = array == "put"
        unknown = ~(is_call | is_put)
        if bool(np.any(unknown)):
            raise _first_bad(array, unknown, "right", "'call' or 'put' (or True for call)")
        return np.where(is_call, 1.0, -1.0)
    raise ValueError(
        f"right must be 'call', 'put', a bool (True = call) or an array of those, got {right!r}"
    )


@dataclass(frozen=True, slots=True)
class Batch:
    """Arguments broadcast together: scalars stay floats, arrays become flat float64 columns."""

    shape: tuple[int, ...]
    size: int
    columns: tuple[Column, ...]
    has_nan: bool
    nan_mask: NDArray[np.bool_] | None

    @property
    def is_scalar(self) -> bool:
        return self.shape == ()


def broadcast(arrays: tuple[FloatArray, ...], names: tuple[str, ...], has_nan: bool) -> Batch:
    """Broadcast ``arrays`` like numpy; raise ``ValueError`` naming the mismatch."""
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        shapes = ", ".join(f"{n}{a.shape}" for n, a in zip(names, arrays, strict=True))
        raise ValueError(f"arguments do not broadcast together: {shapes}") from None
    size = int(np.prod(shape, dtype=np.int64))
    columns: list[Column] = []
    for array in arrays:
        if array.size == 1:
            columns.append(float(array.reshape(-1)[0]))
        elif array.shape == shape:
            columns.append(np.ascontiguousarray(array).reshape(-1))
        else:
            columns.append(np.ascontiguousarray(np.broadcast_to(array, shape)).reshape(-1))
    nan_mask = None
    if has_nan:
        nan_mask = np.zeros(shape, dtype=np.bool_).reshape(-1)
        for column in columns:
            nan_mask |= np.isnan(column)
    return Batch(shape, size, tuple(columns), has_nan, nan_mask)


def shaped(values: FloatArray, batch: Batch) -> FloatOrArray:
    """Give ``values`` the batch's shape; a 0-d result becomes a Python float."""
    if batch.is_scalar:
        return float(values[0])
    return values.reshape(batch.shape)
