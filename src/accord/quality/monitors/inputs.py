"""The parallel arrays the monitors take: checked once, converted once, named in every error.

Annotators are integer indices ``0 … n_annotators-1`` (the caller keeps the map to user ids,
as :func:`numpy.unique` with ``return_inverse=True`` gives it); times are NumPy
``datetime64`` values or epoch seconds. An error names the argument and the first offending
entry, so that a caller can find the row that broke a report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _checked_length(name: str, array: np.ndarray, length: int | None) -> np.ndarray:
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries, expected {length}")
    return array


def as_index(
    name: str, values: ArrayLike, count: int | None, length: int | None = None
) -> tuple[NDArray[np.intp], int]:
    """Indices into ``count`` things (``count=None``: one more than the largest index)."""
    array = _checked_length(name, np.asarray(values).reshape(-1), length)
    if len(array) and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} must hold integer indices, not {array.dtype}")
    array = array.astype(np.intp, copy=False)
    if count is None:
        count = int(array.max()) + 1 if len(array) else 0
    bad = np.flatnonzero((array < 0) | (array >= count))
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"{name}[{i}] is {array[i]}, outside 0 … {count - 1}")
    return array, count


def as_float(name: str, values: ArrayLike, length: int | None) -> NDArray[np.float64]:
    """A float array of ``length`` entries; NaN is refused (a missing figure is not zero)."""
    array = _checked_length(name, np.asarray(values, dtype=np.float64).reshape(-1), length)
    bad = np.flatnonzero(np.isnan(array))
    if len(bad):
        raise ValueError(f"{name}[{int(bad[0])}] is not a number")
    return array


def as_bool(name: str, values: ArrayLike, length: int | None) -> NDArray[np.bool_]:
    """A boolean array of ``length`` entries."""
    return _checked_length(name, np.asarray(values, dtype=bool).reshape(-1), length)


def as_seconds(name: str, values: ArrayLike | Sequence[float | np.datetime64],
               length: int | None) -> NDArray[np.float64]:
    """Epoch seconds from ``datetime64`` values (any unit) or from numbers already in seconds."""
    array = np.asarray(values).reshape(-1)
    if array.dtype.kind == "M":
        missing = np.flatnonzero(np.isnat(array))
        if len(missing):
            raise ValueError(f"{name}[{int(missing[0])}] is not a time (NaT)")
        array = array.astype("datetime64[us]").astype(np.int64) / 1e6
    return as_float(name, array, length)


def second_of(name: str, moment: float | np.datetime64 | dt.datetime) -> float:
    """One moment in epoch seconds; a naive ``datetime`` is read as UTC, like the database's."""
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    return float(as_seconds(name, [moment], 1)[0])
