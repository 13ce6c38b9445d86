"""Confidence intervals by the cluster bootstrap over items.

Judgments on one item are not independent (they share the item's difficulty), so the unit
of resampling is the item: each resample draws as many items as there are, with
replacement, and keeps all judgments of each drawn item (Davison & Hinkley 1997, §3.8;
Field & Welsh 2007). The interval is the percentile interval (Efron & Tibshirani 1993,
ch. 13): the (1 - confidence)/2 and (1 + confidence)/2 quantiles of the resampled values.

For this package's statistics a resample is never built: a statistic is a function of sums
over items (see :mod:`~accord.quality.agreement.terms`), so a resample is the item-count
vector times the per-item term matrix, and a batch of resamples is one matrix product.
Items often share their terms (200,000 pairs judged by five people have some twenty
distinct patterns of votes): then a resample is the count of each distinct row among the
drawn items, one ``bincount``, times the small matrix of distinct rows, the same sums
without a weight per item.
Other callables get each resampled :class:`Judgments` in turn, drawn from the same random
stream, so both paths give the same interval for the same seed.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from accord.quality.agreement.decomposable import Statistic, as_item_statistic
from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.terms import ItemTerms

DRAWS_PER_BATCH = 1 << 22
"""Item draws made at once (resamples x items): bounds the memory of a batch."""
TOTALS_PER_PRODUCT = 1 << 23
"""Resample totals (resamples x term columns) formed by one matrix product."""


class Interval(NamedTuple):
    """A two-sided confidence interval."""

    low: float
    high: float


def bootstrap_ci(statistic: Statistic, judgments: Judgments, n_resamples: int = 1000,
                 confidence: float = 0.95,
                 seed: int | np.random.Generator | None = None) -> Interval:
    """The percentile bootstrap interval of ``statistic``, resampling items (clusters).

    ``statistic`` maps judgments to a number: one of this package's statistics (vectorised)
    or any callable (evaluated per resample). Only items with at least one judgment are
    resampled. Resamples where the statistic is undefined (NaN) are left out; the interval
    is (NaN, NaN) when all are. The same ``seed`` gives the same interval.
    """
    form = as_item_statistic(statistic)
    if form is not None:
        return bootstrap_cis([form.item_terms(judgments)], judgments, n_resamples, confidence,
                             seed)[0]
    _check(n_resamples, confidence)
    values = _resampled_calls(statistic, judgments, _judged_items(judgments), n_resamples,
                              np.random.default_rng(seed))
    return _percentile_interval(values, confidence)


def bootstrap_cis(terms: list[ItemTerms], judgments: Judgments, n_resamples: int = 1000,
                  confidence: float = 0.95,
                  seed: int | np.random.Generator | None = None) -> list[Interval]:
    """The percentile bootstrap interval of each statistic given by its per-item ``terms``
    (of ``judgments``), all from one set of draws.

    Each interval equals :func:`bootstrap_ci`'s for that statistic alone with the same seed
    (the same items, draws and sums); drawing and counting the resampled items, most of the
    work, is done once for all of them.
    """
    _check(n_resamples, confidence)
    values = _resampled_values(terms, _judged_items(judgments), n_resamples,
                              np.random.default_rng(seed))
    return [_percentile_interval(found, confidence) for found in values]


def _check(n_resamples: int, confidence: float) -> None:
    if not isinstance(n_resamples, int | np.integer) or n_resamples < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie strictly between 0 and 1, got {confidence!r}")


def _judged_items(judgments: Judgments) -> NDArray[np.intp]:
    """The items that are resampled: those with at least one judgment."""
    return np.flatnonzero(np.bincount(judgments.item, minlength=judgments.n_items))


def resample_draws(n_items: int, n_resamples: int,
                   rng: np.random.Generator) -> Iterator[NDArray[np.signedinteger]]:
    """Batches of resamples: each row holds ``n_items`` positions drawn with replacement."""
    batch = max(1, DRAWS_PER_BATCH // max(n_items, 1))
    dtype = np.int32 if n_items < 2**31 else np.int64
    for start in range(0, n_resamples, batch):
        rows = min(batch, n_resamples - start)
        yield rng.integers(0, n_items, size=(rows, n_items), dtype=dtype)


def _resampled_values(terms: list[ItemTerms], items: NDArray[np.intp], n_resamples: int,
                      rng: np.random.Generator) -> list[NDArray[np.float64]]:
    """Each statistic's value on every resample, all from one set of draws of ``items``."""
    drawn_from = [t.restricted(items) for t in terms]
    n = len(items)
    shared = distinct_rows([t.matrix for t in drawn_from])
    values: list[list[NDArray[np.float64]]] = [[] for _ in terms]
    if shared is not None:
        pattern, tables = shared
        n_patterns = len(tables[0])
        for draws in resample_draws(n, n_resamples, rng):
            # how often each item was drawn, then summed per pattern: two small bincounts,
            # cheaper than looking up the pattern of each of the n draws
            counts = np.stack([np.bincount(pattern, weights=np.bincount(drawn, minlength=n),
                                           minlength=n_patterns) for drawn in draws])
            for found, term, table in zip(values, drawn_from, tables, strict=True):
                found.append(term.combine(counts @ table))
        return [np.concatenate(found) for found in values]
    weights = np.empty((min(n_resamples, max(1, DRAWS_PER_BATCH // max(n, 1))), n))
    for draws in resample_draws(n, n_resamples, rng):
        for row, drawn in enumerate(draws):
            weights[row] = np.bincount(drawn, minlength=n)
        for found, term in zip(values, drawn_from, strict=True):
            step = max(1, TOTALS_PER_PRODUCT // max(term.width, 1))
            found.extend(term.weighted(weights[start:min(start + step, len(draws))])
                         for start in range(0, len(draws), step))
    return [np.concatenate(found) for found in values]


def distinct_rows(matrices: list) -> tuple[NDArray[np.intp], list[NDArray[np.float64]]] | None:
    """Each item's pattern (its rows of every matrix, taken together) and, per matrix, the
    rows of each pattern; None when a matrix is sparse or most items have their own pattern.

    Rows are told apart by a random projection, then checked exactly (a coincidence of
    projections falls back to comparing the rows' bytes).
    """
    if not matrices or not all(isinstance(m, np.ndarray) for m in matrices):
        return None
    combined = np.ascontiguousarray(np.hstack(matrices), dtype=np.float64)
    if len(combined) == 0:
        return None
    key = combined @ np.random.default_rng(0).random(combined.shape[1])
    _, first, pattern = np.unique(key, return_index=True, return_inverse=True)
    if len(first) * 4 > len(combined):
        return None
    rows = combined[first]
    if not np.array_equal(rows[pattern], combined, equal_nan=True):
        as_bytes = combined.view(np.dtype((np.void, combined.shape[1] * 8))).ravel()
        _, first, pattern = np.unique(as_bytes, return_index=True, return_inverse=True)
        rows = combined[first]
    edges = np.cumsum([0] + [m.shape[1] for m in matrices])
    return pattern.reshape(-1), [np.ascontiguousarray(rows[:, a:b])
                                 for a, b in pairwise(edges)]


def _resampled_calls(statistic: Statistic, judgments: Judgments, items: NDArray[np.intp],
                     n_resamples: int, rng: np.random.Generator) -> NDArray[np.float64]:
    """The statistic called on each resampled set of judgments."""
    order = judgments.item_order
    sizes = np.bincount(judgments.item, minlength=judgments.n_items)
    starts = (np.cumsum(sizes) - sizes)[items]
    sizes = sizes[items]
    values = []
    for draws in resample_draws(len(items), n_resamples, rng):
        for drawn in draws:
            picked = order[_gather(starts[drawn], sizes[drawn])]
            values.append(statistic(Judgments.unchecked(
                np.repeat(np.arange(len(drawn)), sizes[drawn]), judgments.annotator[picked],
                judgments.value[picked], len(drawn), judgments.n_annotators,
                judgments.n_categories)))
    return np.asarray(values, dtype=np.float64)


def _gather(starts: NDArray[np.int64], sizes: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions start, start+1, …, start+size-1 for each (start, size), concatenated."""
    block = np.cumsum(sizes) - sizes
    return np.repeat(starts - block, sizes) + np.arange(int(sizes.sum()))


def _percentile_interval(values: NDArray[np.float64], confidence: float) -> Interval:
    defined = values[np.isfinite(values)]
    if len(defined) == 0:
        return Interval(float("nan"), float("nan"))
    tail = (1 - confidence) / 2
    low, high = np.quantile(defined, [tail, 1 - tail])
    return Interval(float(low), float(high))
