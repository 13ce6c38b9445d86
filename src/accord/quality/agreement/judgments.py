"""Judgments in long form — one entry per (item, annotator) judgment — and their counts.

Agreement statistics need, per item, how many judgments fell into each category (the
*cells* of an items x categories count table), or the pairs of judgments made on the same
item. Both come from a ``bincount`` or a sort of the long arrays; an annotators x items
matrix is never built, because it grows with pool size x items (1 GB for 200,000 items and
500 annotators) while the counts grow with the judgments alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

BINCOUNT_LIMIT = 1 << 24
"""Largest key space counted with a ``bincount``; larger ones are counted by sorting."""


@dataclass(frozen=True, eq=False)
class Judgments:
    """Parallel arrays, one entry per judgment: ``item`` was given ``value`` by ``annotator``.

    ``value`` is a category index ``0..n_categories-1`` when ``n_categories`` is set, and a
    real number (for interval or ratio statistics) when it is ``None``. A missing judgment is
    simply absent. Each annotator judges an item at most once. Constructing one validates
    everything, so a ``Judgments`` that exists is consistent; :meth:`from_arrays` infers the
    sizes from the data.
    """

    item: NDArray[np.int64]
    annotator: NDArray[np.int64]
    value: NDArray[np.int64] | NDArray[np.float64]
    n_items: int
    n_annotators: int
    n_categories: int | None

    def __post_init__(self) -> None:
        item = _integers("item", self.item, None)
        annotator = _integers("annotator", self.annotator, len(item))
        n_categories = self.n_categories
        value = (_reals("value", self.value, len(item)) if n_categories is None
                 else _integers("value", self.value, len(item)))
        for name in ("n_items", "n_annotators"):
            _size(name, getattr(self, name), minimum=0)
        if n_categories is not None:
            _size("n_categories", n_categories, minimum=0)
        _within("item", item, self.n_items)
        _within("annotator", annotator, self.n_annotators)
        if n_categories is not None:
            _within("value", value, n_categories)
        _no_repeated_judgments(item, annotator, self.n_annotators)
        object.__setattr__(self, "item", item)
        object.__setattr__(self, "annotator", annotator)
        object.__setattr__(self, "value", value)

    @classmethod
    def from_arrays(
        cls,
        item: ArrayLike,
        annotator: ArrayLike,
        value: ArrayLike,
        *,
        n_items: int | None = None,
        n_annotators: int | None = None,
        n_categories: int | None = None,
    ) -> Judgments:
        """Judgments from three parallel arrays, with sizes inferred where not given.

        Integer ``value`` arrays are categories (``n_categories`` defaults to the largest
        label + 1); floating-point ones are numeric values, unless ``n_categories`` is given.
        """
        item_ids = _integers("item", item, None)
        annotators = _integers("annotator", annotator, len(item_ids))
        values = np.asarray(value).reshape(-1)
        if n_categories is None and values.dtype.kind in "iu":
            n_categories = _one_more_than_largest(values)
        return cls(
            item_ids, annotators, values,
            _one_more_than_largest(item_ids) if n_items is None else n_items,
            _one_more_than_largest(annotators) if n_annotators is None else n_annotators,
            n_categories,
        )

    @classmethod
    def unchecked(
        cls, item: NDArray[np.int64], annotator: NDArray[np.int64], value: NDArray,
        n_items: int, n_annotators: int, n_categories: int | None,
    ) -> Judgments:
        """Judgments built from parts already known to be valid (a subset or a resample)."""
        made = object.__new__(cls)
        for name, field in (("item", item), ("annotator", annotator), ("value", value),
                            ("n_items", n_items), ("n_annotators", n_annotators),
                            ("n_categories", n_categories)):
            object.__setattr__(made, name, field)
        return made

    def __len__(self) -> int:
        return len(self.item)

    @property
    def numeric(self) -> bool:
        """True when values are real numbers rather than category indices."""
        return self.n_categories is None

    def select(self, mask: NDArray[np.bool_]) -> Judgments:
        """The judgments where ``mask`` holds, with the same sizes."""
        return Judgments.unchecked(self.item[mask], self.annotator[mask], self.value[mask],
                                   self.n_items, self.n_annotators, self.n_categories)

    @cached_property
    def domain(self) -> NDArray[np.float64]:
        """The value of each code, ascending: the categories, or the distinct numbers."""
        if self.n_categories is not None:
            return np.arange(self.n_categories, dtype=np.float64)
        ordered = np.sort(cast(NDArray[np.float64], self.value))  # numeric: checked as reals
        return ordered[np.r_[True, ordered[1:] != ordered[:-1]]] if len(ordered) else ordered

    @cached_property
    def code(self) -> NDArray[np.int64]:
        """Each judgment's value as an index into :attr:`domain`."""
        if not self.numeric:
            return cast(NDArray[np.int64], self.value)  # categories: checked as integers
        return np.searchsorted(self.domain, self.value).astype(np.int64)

    @cached_property
    def cells(self) -> Cells:
        """The non-empty cells of the items x codes count table."""
        return Cells.tally(self.item, self.code, self.n_items, len(self.domain))

    @cached_property
    def item_order(self) -> NDArray[np.intp]:
        """A stable order of the judgments by item (identity when already sorted)."""
        if np.all(self.item[1:] >= self.item[:-1]):
            return np.arange(len(self.item))
        return np.argsort(self.item, kind="stable")


@dataclass(frozen=True, eq=False)
class Cells:
    """The non-empty (item, code) cells of a count table, sorted by item, then code."""

    item: NDArray[np.int64]
    code: NDArray[np.int64]
    count: NDArray[np.int64]
    n_items: int
    n_codes: int

    @classmethod
    def tally(cls, item: NDArray[np.int64], code: NDArray[np.int64], n_items: int,
              n_codes: int) -> Cells:
        """Count the judgments per (item, code): a ``bincount`` when the table is small
        enough, otherwise a sort of the keys (which also yields them in order)."""
        key = item * n_codes + code
        if n_items * n_codes <= max(BINCOUNT_LIMIT, 4 * len(key)):
            counts = np.bincount(key, minlength=n_items * n_codes)
            keys = np.flatnonzero(counts)
            sizes = counts[keys]
        else:
            keys, sizes = sorted_runs(np.sort(key))
        return cls(keys // max(n_codes, 1), keys % max(n_codes, 1), sizes.astype(np.int64),
                   n_items, n_codes)

    @cached_property
    def item_size(self) -> NDArray[np.int64]:
        """Judgments per item, for every item (``m_u`` in Krippendorff's notation)."""
        return np.bincount(self.item, weights=self.count, minlength=self.n_items).astype(
            np.int64)

    def where(self, keep: NDArray[np.bool_]) -> Cells:
        """The cells where ``keep`` holds."""
        return Cells(self.item[keep], self.code[keep], self.count[keep], self.n_items,
                     self.n_codes)

    def pairable(self) -> Cells:
        """The cells of items with at least two judgments: only they form pairs."""
        return self.where(self.item_size[self.item] >= 2)

    def pairs(self) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
        """Indices (first, second) of every pair of distinct cells of the same item; the
        first has the lower code, since cells are sorted."""
        return within_group_pairs(self.item)


def category_counts(judgments: Judgments) -> NDArray[np.int64]:
    """The items x categories table of how many annotators chose each category.

    The input of Fleiss' κ (Fleiss 1971, the table of n_ij). Dense, so meant for a modest
    number of categories; the statistics themselves work on :attr:`Judgments.cells`.
    """
    if judgments.numeric:
        raise ValueError("category counts need categorical judgments (n_categories is None)")
    cells = judgments.cells
    table = np.zeros((judgments.n_items, cells.n_codes), dtype=np.int64)
    table[cells.item, cells.code] = cells.count
    return table


def sorted_runs(ordered: NDArray) -> tuple[NDArray, NDArray[np.int64]]:
    """The distinct values of a sorted array and how many times each occurs."""
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    return ordered[starts], np.diff(np.r_[starts, len(ordered)])


def within_group_pairs(group: NDArray[np.int64]) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Every pair (i, j), i < j, of positions holding the same value of a sorted array.

    Each position i pairs with the positions after it up to the end of its run, so the
    pairs come from one ``repeat`` and one ``arange``: no loop over groups in Python.
    """
    n = len(group)
    if n == 0:
        empty = np.zeros(0, dtype=np.intp)
        return empty, empty
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    ends = np.repeat(np.r_[starts[1:], n], np.diff(np.r_[starts, n]))
    partners = ends - np.arange(n) - 1
    first = np.repeat(np.arange(n), partners)
    block_start = np.repeat(np.cumsum(partners) - partners, partners)
    second = first + 1 + (np.arange(len(first)) - block_start)
    return first, second


def _integers(name: str, values: ArrayLike, length: int | None) -> NDArray[np.int64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind not in "iu" and not (array.dtype.kind == "f" and len(array) == 0):
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    _length(name, array, length)
    return array.astype(np.int64, copy=False)


def _reals(name: str, values: ArrayLike, length: int | None) -> NDArray[np.float64]:
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold numbers, got dtype {array.dtype}")
    _length(name, array, length)
    array = array.astype(np.float64, copy=False)
    bad = np.flatnonzero(~np.isfinite(array))
    if len(bad):
        raise ValueError(f"judgment {bad[0]}: {name} {array[bad[0]]} is not finite "
                         "(leave a missing judgment out instead)")
    return array


def _length(name: str, array: NDArray, length: int | None) -> None:
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries, but item has {length}")


def _size(name: str, size: object, minimum: int) -> None:
    if not isinstance(size, int | np.integer) or isinstance(size, bool) or size < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {size!r}")


def _within(name: str, values: NDArray[np.number], size: int) -> None:
    bad = np.flatnonzero((values < 0) | (values >= size))
    if len(bad):
        raise ValueError(f"judgment {bad[0]}: {name} {values[bad[0]]} is outside 0..{size - 1}")


def _no_repeated_judgments(item: NDArray[np.int64], annotator: NDArray[np.int64],
                           n_annotators: int) -> None:
    keys = np.sort(item * n_annotators + annotator)
    repeated = np.flatnonzero(keys[1:] == keys[:-1])
    if len(repeated):
        key = int(keys[repeated[0]])
        raise ValueError(f"item {key // n_annotators} has more than one judgment by annotator "
                         f"{key % n_annotators}")


def _one_more_than_largest(values: NDArray) -> int:
    return int(values.max()) + 1 if len(values) else 0


def compact(keys: NDArray[np.int64], space: int) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """The distinct ``keys`` (all in ``0..space-1``), ascending, and each key's index among
    them: a ``bincount`` for small key spaces, a sort otherwise."""
    if space <= max(BINCOUNT_LIMIT, 4 * len(keys)):
        present = np.bincount(keys, minlength=space) > 0
        distinct = np.flatnonzero(present)
        return distinct, (np.cumsum(present) - 1)[keys]
    distinct, _ = sorted_runs(np.sort(keys))
    return distinct, np.searchsorted(distinct, keys)
