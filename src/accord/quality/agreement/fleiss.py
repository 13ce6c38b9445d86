"""Fleiss' κ: chance-corrected agreement of many raters on a nominal scale.

Fleiss (1971), "Measuring nominal scale agreement among many raters", Psychological Bulletin
76(5): 378-382. From the items x categories table n_ij with n ratings per item:

    p_j = Σ_i n_ij / (N n)                          share of all ratings in category j
    P_i = Σ_j n_ij (n_ij - 1) / (n (n - 1))         agreeing pairs among item i's pairs
    κ   = (P̄ - P̄_e) / (1 - P̄_e),  P̄ = mean_i P_i,  P̄_e = Σ_j p_j²

Fleiss defined it for a constant n. The generalisation here lets n vary by item: each P_i
uses its own n_i, P̄ averages over the items with n_i ≥ 2 (the others hold no pair), and p_j
pools the ratings of those items. With a constant n it is exactly Fleiss' κ, and equal to
``statsmodels.stats.inter_rater.fleiss_kappa``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from numpy.typing import ArrayLike, NDArray

from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.terms import ItemTerms, ratio, term_matrix


def _combine(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    """Columns: items with a pair, Σ P_i, then the ratings per category."""
    mean_agreement = ratio(totals[:, 1], totals[:, 0])
    shares = ratio(totals[:, 2:], totals[:, 2:].sum(axis=1, keepdims=True))
    chance = (shares**2).sum(axis=1)
    return ratio(mean_agreement - chance, 1 - chance)


def _item_agreement(pairs_agreeing: NDArray[np.float64],
                    size: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """P_i, and whether item i holds a pair at all."""
    pairable = size >= 2
    return np.where(pairable, pairs_agreeing / np.where(pairable, size * (size - 1), 1), 0.0), \
        pairable


def _totals_from_table(table: NDArray[np.float64] | sp.csr_array) -> NDArray[np.float64]:
    """The column sums of the item terms (see :class:`FleissKappa`), straight from the table:
    items with a pair, Σ P_i, and the ratings per category of those items."""
    if isinstance(table, sp.csr_array):
        size = np.asarray(table.sum(axis=1)).reshape(-1)
        squares = np.asarray(table.multiply(table).sum(axis=1)).reshape(-1)
    else:  # einsum: NumPy's sums over a short last axis are several times slower
        size = np.einsum("ij->i", table)
        squares = np.einsum("ij,ij->i", table, table)
    share, pairable = _item_agreement(squares - size, size)
    per_category = table.T @ pairable.astype(np.float64) if isinstance(table, sp.csr_array) \
        else np.einsum("i,ij->j", pairable.astype(np.float64), table)
    return np.concatenate([[pairable.sum(), share.sum()], per_category]).reshape(1, -1)


def _table(counts: ArrayLike | sp.sparray | sp.spmatrix) -> NDArray[np.float64] | sp.csr_array:
    table = sp.csr_array(counts, dtype=np.float64) if sp.issparse(counts) \
        else np.asarray(counts, dtype=np.float64)
    if table.ndim != 2:
        raise ValueError(f"counts must be an items x categories table, got shape {table.shape}")
    entries = table.data if isinstance(table, sp.csr_array) else table
    bad = ~np.isfinite(entries) | (entries < 0)
    if bad.any():
        raise ValueError(f"counts must be finite and non-negative, found {entries[bad][0]}")
    return table


@dataclass(frozen=True)
class FleissKappa:
    """Fleiss' κ of categorical judgments, as an
    :class:`~accord.quality.agreement.terms.ItemStatistic`."""

    def __call__(self, judgments: Judgments) -> float:
        return self.item_terms(judgments).value()

    def item_terms(self, judgments: Judgments) -> ItemTerms:
        """Per item: 1 if it holds a pair, P_i, and its ratings per category."""
        cells = judgments.cells
        size = cells.item_size.astype(np.float64)
        # numpy's stub types a bincount as intp, weights or not
        agreeing: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
            cells.item, weights=cells.count * (cells.count - 1.0), minlength=cells.n_items)
        share, pairable = _item_agreement(agreeing, size)
        items = np.flatnonzero(pairable)
        kept = cells.where(pairable[cells.item])
        rows = np.concatenate([items, items, kept.item])
        cols = np.concatenate([np.zeros_like(items), np.ones_like(items), 2 + kept.code])
        values = np.concatenate([np.ones(len(items)), share[items],
                                 kept.count.astype(np.float64)])
        return ItemTerms(term_matrix(cells.n_items, 2 + cells.n_codes, rows, cols, values),
                         _combine)


def fleiss_kappa(counts: ArrayLike | sp.sparray | sp.spmatrix | Judgments) -> float:
    """Fleiss' κ (Fleiss 1971) from an items x categories table of rating counts.

    ``counts[i, j]`` is how many raters put item i in category j (dense or SciPy sparse);
    a :class:`Judgments` is counted first. Items may have different numbers of ratings (see
    the module's docstring for the generalisation); items with fewer than two are ignored.
    NaN when no item has two ratings or all ratings share one category.
    """
    if isinstance(counts, Judgments):
        return FleissKappa()(counts)
    return float(_combine(_totals_from_table(_table(counts)))[0])
