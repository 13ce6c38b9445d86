"""Statistics as sums over items: the form that makes resampling and subgroups cheap.

Every agreement statistic here is a function of sums, over items, of a few per-item
quantities (pairs that agree, category counts, a coincidence-matrix row…). An
:class:`ItemTerms` holds those quantities as an items x k matrix plus the function that turns
column sums into the statistic. Then

- the statistic itself is ``combine(column sums)``;
- a cluster-bootstrap resample of items is ``combine(weights @ matrix)``, with ``weights``
  how often each item was drawn, so a batch of resamples is one matrix product;
- a subgroup is ``combine(indicator @ matrix)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from accord.quality.agreement.judgments import Judgments

DENSE_LIMIT = 1 << 22
"""Largest items x k term matrix kept dense; beyond it the matrix is sparse."""

TermMatrix = NDArray[np.float64] | sp.csr_array
"""An items x k matrix of per-item terms, dense or sparse."""
Combine = Callable[[NDArray[np.float64]], NDArray[np.float64]]
"""Maps column sums, one row per resample or group (b x k), to b values of the statistic."""


@dataclass(frozen=True, eq=False)
class ItemTerms:
    """Per-item additive contributions (``matrix``, items x k) and their ``combine``."""

    matrix: TermMatrix
    combine: Combine

    @property
    def width(self) -> int:
        # scipy is untyped: pyright infers a sparse shape as possibly None
        return self.matrix.shape[1]  # pyright: ignore[reportOptionalSubscript]

    def value(self) -> float:
        """The statistic over all items."""
        totals = np.asarray(self.matrix.sum(axis=0), dtype=np.float64).reshape(1, -1)
        return float(self.combine(totals)[0])

    def restricted(self, items: NDArray[np.intp]) -> ResampledTerms:
        """The terms of ``items`` only, laid out for repeated :meth:`ResampledTerms.weighted`
        products (a sparse matrix is stored transposed, so each product walks its rows once)."""
        # items are distinct and ascending; scipy's shape is inferred as possibly None
        every = len(items) == self.matrix.shape[0]  # pyright: ignore[reportOptionalSubscript]
        matrix = self.matrix if every else self.matrix[items]
        if isinstance(matrix, sp.csr_array):
            return ResampledTerms(_Transposed(sp.csr_array(matrix.T)), self.combine)
        return ResampledTerms(np.ascontiguousarray(matrix), self.combine)

    def grouped(self, group: NDArray[np.intp], n_groups: int) -> NDArray[np.float64]:
        """The statistic within each group of items (``group[i]`` is item i's group)."""
        indicator = sp.csr_array(
            (np.ones(len(group)), (group, np.arange(len(group)))),
            shape=(n_groups, len(group)),
        )
        matrix = self.matrix
        if isinstance(matrix, sp.csr_array):
            # scipy is untyped: pyright reads a sparse product as a dense array
            totals = (indicator @ matrix).toarray()  # pyright: ignore[reportAttributeAccessIssue]
        else:
            totals = indicator @ matrix
        return self.combine(np.asarray(totals, dtype=np.float64))


@dataclass(frozen=True, eq=False)
class ResampledTerms:
    """The terms of the items a bootstrap draws from, laid out for weighted column sums."""

    matrix: NDArray[np.float64] | _Transposed
    combine: Combine

    @property
    def width(self) -> int:
        return self.matrix.shape[1]

    def weighted(self, weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """The statistic under each row of item ``weights`` (b x items)."""
        matrix = self.matrix
        if isinstance(matrix, _Transposed):
            totals = (matrix.transposed @ np.ascontiguousarray(weights.T)).T
        else:
            totals = weights @ matrix
        return self.combine(np.asarray(totals, dtype=np.float64))


@dataclass(frozen=True, eq=False)
class _Transposed:
    """A sparse term matrix held as its transpose (k x items, CSR)."""

    transposed: sp.csr_array

    @property
    def shape(self) -> tuple[int, int]:
        # scipy is untyped: pyright infers a sparse shape as possibly None
        rows, columns = self.transposed.shape  # pyright: ignore[reportGeneralTypeIssues]
        return columns, rows


@runtime_checkable
class ItemStatistic(Protocol):
    """A statistic of judgments that is a function of per-item sums (see :class:`ItemTerms`)."""

    def __call__(self, judgments: Judgments) -> float: ...

    def item_terms(self, judgments: Judgments) -> ItemTerms: ...


def term_matrix(n_items: int, width: int, rows: NDArray[np.int64], columns: NDArray[np.int64],
                values: NDArray[np.float64]) -> TermMatrix:
    """The items x ``width`` matrix with ``values`` summed at (``rows``, ``columns``):
    dense when small (a ``bincount``), sparse otherwise."""
    if n_items * width <= DENSE_LIMIT:
        # numpy's stub types a bincount as intp, weights or not
        flat: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
            rows * width + columns, weights=values, minlength=n_items * width)
        return flat.reshape(n_items, width)
    return sp.csr_array((values, (rows, columns)), shape=(n_items, width))


def columns(*parts: ArrayLike) -> NDArray[np.float64]:
    """Per-item vectors side by side: a dense items x len(parts) matrix."""
    return np.column_stack([np.asarray(p, dtype=np.float64) for p in parts])


def ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray:
    """``numerator / denominator``, NaN where the denominator is zero (undefined)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator != 0, numerator / np.where(denominator != 0, denominator, 1),
                        np.nan)
