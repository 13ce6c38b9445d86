"""Categorical judgments as long parallel arrays, checked once and shared by every estimator.

A judgment is one annotator's label for one item: ``item[j]``, ``annotator[j]``, ``label[j]``
with labels ``0..n_classes-1``. The estimators never build an annotators x items matrix
(it grows with pool size x items); they work on the sparse incidence matrix below, whose
rows are items and whose columns are (annotator, label) codes, so one E step is one sparse
product of ``nnz = n_judgments`` and one M step is its transpose.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse


def as_ids(
    name: str, values: ArrayLike, length: int | None = None, against: str = "item"
) -> NDArray[np.int64]:
    """``values`` as a flat int64 array of non-negative ids, as long as ``against`` (if
    ``length`` is given)."""
    array = np.asarray(values)
    if array.size and not np.issubdtype(array.dtype, np.integer):
        if not np.isfinite(array).all():
            raise ValueError(f"{name} must hold integers")
        rounded = array.astype(np.int64)
        if not np.array_equal(rounded, array):
            raise ValueError(f"{name} must hold integers")
        array = rounded
    array = array.astype(np.int64, copy=False).reshape(-1)
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries, but {against} has {length}")
    negative = np.flatnonzero(array < 0)
    if len(negative):
        i = int(negative[0])
        raise ValueError(f"{name}[{i}] is {array[i]}: ids must be non-negative")
    return array


def size_of(name: str, size_name: str, ids: NDArray[np.int64], given: int | None) -> int:
    """``given``, checked to cover every id, or one more than the largest id."""
    needed = int(ids.max()) + 1 if len(ids) else 0
    if given is None:
        return needed
    if given < needed:
        i = int(np.argmax(ids))
        raise ValueError(f"{name}[{i}] is {ids[i]}, but {size_name} is {given}")
    return int(given)


@dataclass(frozen=True)
class Incidence:
    """Validated judgments (``item``, ``annotator``, ``label``; one entry each) and their
    sparse items x (annotator, label) incidence matrix."""

    item: NDArray[np.int64]
    annotator: NDArray[np.int64]
    label: NDArray[np.int64]
    n_items: int
    n_annotators: int
    n_classes: int

    @classmethod
    def of(
        cls,
        item: ArrayLike,
        annotator: ArrayLike,
        label: ArrayLike,
        n_items: int | None = None,
        n_annotators: int | None = None,
        n_classes: int | None = None,
    ) -> Incidence:
        """Check the three arrays; each size defaults to one more than its largest id."""
        items = as_ids("item", item)
        annotators = as_ids("annotator", annotator, len(items))
        labels = as_ids("label", label, len(items))
        return cls(
            items, annotators, labels,
            size_of("item", "n_items", items, n_items),
            size_of("annotator", "n_annotators", annotators, n_annotators),
            max(size_of("label", "n_classes", labels, n_classes), 2),
        )

    def __len__(self) -> int:
        return len(self.item)

    @property
    def code(self) -> NDArray[np.int64]:
        """Each judgment's (annotator, label) column: ``annotator * n_classes + label``."""
        return self.annotator * self.n_classes + self.label

    @cached_property
    def matrix(self) -> sparse.csr_array:
        """Items x (annotator, label) codes, one 1 per judgment (duplicates add up)."""
        shape = (self.n_items, self.n_annotators * self.n_classes)
        ones = np.ones(len(self), dtype=np.float64)
        return sparse.csr_array((ones, (self.item, self.code)), shape=shape)

    def counts(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per annotator, ``[true class, given label]`` sums of ``weights`` (items x classes).

        ``weights[i, k]`` is how much item ``i`` counts toward true class ``k`` (its posterior);
        the result is the expected confusion count table of Dawid & Skene's (1979) M step.
        """
        k = self.n_classes
        by_code = self.matrix.T @ weights
        return np.ascontiguousarray(by_code.reshape(self.n_annotators, k, k).transpose(0, 2, 1))

    def labels_per_annotator(self) -> NDArray[np.int64]:
        """How many judgments each annotator gave."""
        return np.bincount(self.annotator, minlength=self.n_annotators)

    def labelled_items(self) -> NDArray[np.bool_]:
        """Items with at least one judgment."""
        return np.bincount(self.item, minlength=self.n_items) > 0
