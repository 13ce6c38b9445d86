"""Cohen's κ for two annotators, and for every pair of annotators in a pool.

Cohen (1960), "A coefficient of agreement for nominal scales", Educational and Psychological
Measurement 20(1): 37-46; weighted κ: Cohen (1968), "Weighted kappa", Psychological Bulletin
70(4): 213-220. With the two annotators' confusion table o_ck (n items), its margins r_c and
s_k, and disagreement weights w_ck,

    κ = 1 - Σ_ck w_ck o_ck / (Σ_ck w_ck r_c s_k / n)

where w is 1 - [c = k] (unweighted), |c - k| (linear) or (c - k)² (quadratic), c and k being
category indices — as in ``sklearn.metrics.cohen_kappa_score`` given ``labels=range(C)``.

For a pool, κ is computed for every pair of annotators who judged the same items, from the
pairs of judgments within each item: a handful of ``bincount`` calls over all pairs at once.
Per-pair quantities are laid out category-major (C x pairs), so that every arithmetic step
runs over long contiguous rows of pairs rather than over short category axes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.agreement.judgments import Judgments, compact, within_group_pairs
from accord.quality.agreement.terms import ItemTerms, ratio, term_matrix

Weights = Literal["linear", "quadratic"] | None
DEFAULT_MIN_OVERLAP = 10
"""Pairs sharing fewer items give κ too noisy to report, and are left out by default."""


def disagreement_weights(n_categories: int, weights: Weights) -> NDArray[np.float64]:
    """The C x C disagreement weights w_ck of Cohen (1968)."""
    index = np.arange(n_categories, dtype=np.float64)
    gap = np.abs(index[:, None] - index[None, :])
    if weights is None:
        return (gap > 0).astype(np.float64)
    if weights == "linear":
        return gap
    if weights == "quadratic":
        return gap**2
    raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")


def _weighted_sum(w: NDArray[np.float64], first: NDArray[np.float64],
                  second: NDArray[np.float64] | None = None) -> NDArray[np.float64]:
    """Σ_ck w_ck x[c, k] when ``second`` is None, else Σ_ck w_ck x[c] y[k] (categories lead).

    A loop over the non-zero weights (there are few categories), each step one operation on
    a long contiguous block of pairs.
    """
    total = np.zeros(first.shape[2 if second is None else 1:])
    for c, k in zip(*np.nonzero(w), strict=True):
        total += w[c, k] * (first[c, k] if second is None else first[c] * second[k])
    return total


def kappa(observed: NDArray[np.float64], rows: NDArray[np.float64], cols: NDArray[np.float64],
          w: NDArray[np.float64]) -> NDArray[np.float64]:
    """κ from each pair's weighted disagreement Σ w o (...) and margins r, s (C, ...)."""
    chance = _weighted_sum(w, rows, cols)
    return 1 - ratio(observed, ratio(chance, rows.sum(axis=0)))


def cohen_kappa(a: ArrayLike, b: ArrayLike, weights: Weights = None,
                n_categories: int | None = None) -> float:
    """Cohen's κ (Cohen 1960; weighted, Cohen 1968) between two annotators' labels.

    ``a[i]`` and ``b[i]`` are the two labels (category indices ``0..n_categories-1``) of
    item i. ``weights`` is None, "linear" or "quadratic". Equal to scikit-learn's
    ``cohen_kappa_score(a, b, weights=weights, labels=range(n_categories))``; NaN where that
    is undefined (no items, or no disagreement possible by chance).
    """
    first, second = np.asarray(a), np.asarray(b)
    if first.ndim != 1 or first.shape != second.shape:
        raise ValueError(f"a and b must be label vectors of one length, got shapes "
                         f"{first.shape} and {second.shape}")
    for name, labels in (("a", first), ("b", second)):
        if labels.dtype.kind not in "iu":
            raise ValueError(f"{name} must hold integer category indices, got {labels.dtype}")
        if len(labels) and labels.min() < 0:
            raise ValueError(f"{name} holds a negative category {labels.min()}")
    largest = max(int(first.max()), int(second.max())) if len(first) else -1
    size = largest + 1 if n_categories is None else n_categories
    if largest >= size:
        raise ValueError(f"label {largest} is outside 0..{size - 1}")
    w = disagreement_weights(size, weights)
    one_pair = np.zeros(len(first), dtype=np.intp)
    observed, rows, cols = _tallies(one_pair, first.astype(np.int64), second.astype(np.int64),
                                    w, 1)
    return float(kappa(observed, rows, cols, w)[0])


def _tallies(pair: NDArray[np.intp], a: NDArray[np.int64], b: NDArray[np.int64],
             w: NDArray[np.float64], n_pairs: int) -> tuple[NDArray, NDArray, NDArray]:
    """Per pair of annotators: Σ w o (P), and the margins r and s (C x P)."""
    n_categories = w.shape[0]
    observed = np.bincount(pair, weights=w[a, b], minlength=n_pairs)
    rows = np.bincount(a * n_pairs + pair, minlength=n_categories * n_pairs)
    cols = np.bincount(b * n_pairs + pair, minlength=n_categories * n_pairs)
    return (observed, rows.reshape(n_categories, n_pairs).astype(np.float64),
            cols.reshape(n_categories, n_pairs).astype(np.float64))


@dataclass(frozen=True, eq=False)
class PairwiseKappas:
    """κ for each pair of annotators (annotator_a < annotator_b) sharing enough items."""

    annotator_a: NDArray[np.int64]
    annotator_b: NDArray[np.int64]
    n_shared: NDArray[np.int64]
    kappa: NDArray[np.float64]

    def __len__(self) -> int:
        return len(self.kappa)

    @property
    def mean(self) -> float:
        """The mean κ over the pairs where it is defined; NaN when there are none."""
        return float(_mean_defined(self.kappa[:, None])[0])


@dataclass(frozen=True, eq=False)
class _JudgedPairs:
    """Every pair of judgments on one item, by two annotators a < b: its item, the index of
    its annotator pair, and the two labels."""

    item: NDArray[np.int64]
    pair: NDArray[np.intp]
    label_a: NDArray[np.int64]
    label_b: NDArray[np.int64]
    annotator_a: NDArray[np.int64]
    annotator_b: NDArray[np.int64]

    @classmethod
    def of(cls, judgments: Judgments) -> _JudgedPairs:
        order = judgments.item_order
        first, second = within_group_pairs(judgments.item[order])
        first, second = order[first], order[second]
        swap = judgments.annotator[first] > judgments.annotator[second]
        low = np.where(swap, second, first)
        high = np.where(swap, first, second)
        n_annotators = judgments.n_annotators
        keys, pair = compact(judgments.annotator[low] * n_annotators + judgments.annotator[high],
                             n_annotators * n_annotators)
        return cls(judgments.item[first], pair, judgments.code[low], judgments.code[high],
                   keys // max(n_annotators, 1), keys % max(n_annotators, 1))

    @property
    def n_pairs(self) -> int:
        return len(self.annotator_a)


def pairwise_cohen(judgments: Judgments, min_overlap: int = DEFAULT_MIN_OVERLAP,
                   weights: Weights = None) -> PairwiseKappas:
    """Cohen's κ (Cohen 1960/1968) for every pair of annotators sharing ≥ ``min_overlap`` items.

    Each pair's κ is the one :func:`cohen_kappa` gives on the items both judged; pairs are
    ordered by (annotator_a, annotator_b). ``.mean`` averages the defined values.
    """
    _check_overlap(min_overlap)
    w = disagreement_weights(len(judgments.domain), weights)
    judged = _JudgedPairs.of(judgments)
    observed, rows, cols = _tallies(judged.pair, judged.label_a, judged.label_b, w,
                                    judged.n_pairs)
    shared = rows.sum(axis=0).astype(np.int64)
    keep = shared >= min_overlap
    return PairwiseKappas(judged.annotator_a[keep], judged.annotator_b[keep], shared[keep],
                          kappa(observed[keep], rows[:, keep], cols[:, keep], w))


@dataclass(frozen=True)
class MeanPairwiseCohen:
    """The mean pairwise Cohen's κ, as an
    :class:`~accord.quality.agreement.terms.ItemStatistic` (for resampling and subgroups)."""

    min_overlap: int = DEFAULT_MIN_OVERLAP
    weights: Weights = None

    def __post_init__(self) -> None:
        _check_overlap(self.min_overlap)
        disagreement_weights(2, self.weights)

    def __call__(self, judgments: Judgments) -> float:
        return pairwise_cohen(judgments, self.min_overlap, self.weights).mean

    def item_terms(self, judgments: Judgments) -> ItemTerms:
        """Per item: a 1 in every annotator pair's confusion table for its two labels
        (sparse; one entry per pair of judgments; columns (label a, label b, pair))."""
        n_categories = len(judgments.domain)
        w = disagreement_weights(n_categories, self.weights)
        judged = _JudgedPairs.of(judgments)
        cell = (judged.label_a * n_categories + judged.label_b) * judged.n_pairs + judged.pair
        matrix = term_matrix(judgments.n_items, n_categories**2 * judged.n_pairs, judged.item,
                             cell, np.ones(len(cell)))
        shape = (n_categories, n_categories, judged.n_pairs)
        return ItemTerms(matrix, partial(_mean_of_confusions, shape=shape, w=w,
                                         min_overlap=self.min_overlap))


def _mean_of_confusions(totals: NDArray[np.float64], shape: tuple[int, int, int],
                        w: NDArray[np.float64], min_overlap: int) -> NDArray[np.float64]:
    """Mean κ over the pairs sharing >= ``min_overlap`` items, per row of totals.

    Works on ``totals.T`` (C x C x pairs x rows), which is free when the totals come, as
    from a sparse product, laid out column by column.
    """
    confusion = np.reshape(totals.T, (*shape, len(totals)))
    rows, cols = confusion.sum(axis=1), confusion.sum(axis=0)
    kappas = kappa(_weighted_sum(w, confusion), rows, cols, w)
    return _mean_defined(np.where(rows.sum(axis=0) >= min_overlap, kappas, np.nan))


def _mean_defined(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Column means over the finite entries (pairs x rows); NaN for a column with none."""
    finite = np.isfinite(values)
    return ratio(np.where(finite, values, 0.0).sum(axis=0), finite.sum(axis=0).astype(float))


def _check_overlap(min_overlap: int) -> None:
    if not isinstance(min_overlap, int | np.integer) or min_overlap < 1:
        raise ValueError(f"min_overlap must be a positive integer, got {min_overlap!r}")
