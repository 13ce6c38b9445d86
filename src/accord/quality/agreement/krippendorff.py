"""Krippendorff's alpha from per-item value counts (the coincidence matrix), missing data allowed.

Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", Annenberg School for
Communication departmental paper 43; also Hayes & Krippendorff (2007). With n_uc the
judgments of item (unit) u with value c, m_u = Σ_c n_uc, and only items with m_u ≥ 2
("pairable") taking part:

    o_ck  = Σ_u n_uc (n_uk - [c = k]) / (m_u - 1)     coincidences, n_c = Σ_k o_ck, n = Σ n_c
    alpha = 1 - D_o / D_e = 1 - (n - 1) Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck

with the metric differences δ²_ck of the level of measurement:

- nominal: 1 when c ≠ k;
- ordinal: (Σ_{g=c..k} n_g - (n_c + n_k)/2)², which equals (r_k - r_c)² for the mid-ranks
  r_c = Σ_{g<c} n_g + n_c/2 — so ordinal alpha is interval alpha on mid-ranks;
- interval: (c - k)²;
- ratio: ((c - k)/(c + k))² (0 when c + k = 0).

The o matrix is never materialised over the whole domain: nominal and interval reduce to a
few sums per item; ordinal and ratio keep one column per pair of values that meet in an
item. Equal to the ``krippendorff`` package's ``alpha`` (which needs a dense annotators x
items matrix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from accord.quality.agreement.judgments import Cells, Judgments, compact
from accord.quality.agreement.terms import ItemTerms, TermMatrix, ratio, term_matrix

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")
RATIO_BLOCK = 1024
"""Rows of the ratio-difference matrix built at a time (it is values x values)."""


@dataclass(frozen=True)
class KrippendorffAlpha:
    """Krippendorff's alpha at one level of measurement, as an
    :class:`~accord.quality.agreement.terms.ItemStatistic`."""

    level: Level = "nominal"

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {self.level!r}")

    def __call__(self, judgments: Judgments) -> float:
        return self.item_terms(judgments).value()

    def item_terms(self, judgments: Judgments) -> ItemTerms:
        cells = judgments.cells.pairable()
        build = {"nominal": _nominal, "ordinal": _ordinal, "interval": _interval,
                 "ratio": _ratio}[self.level]
        return build(cells, judgments.domain)


def krippendorff_alpha(judgments: Judgments, level: Level = "nominal") -> float:
    """Krippendorff's alpha (Krippendorff 2011) of judgments with any pattern of missing values.

    ``level`` is the level of measurement: "nominal", "ordinal", "interval" or "ratio".
    Categories are ordered and spaced by their index; numeric judgments by their values.
    NaN when no disagreement is possible (fewer than two pairable values, or all one value).
    """
    return KrippendorffAlpha(level)(judgments)


def _disagreement(size: NDArray[np.float64], within: NDArray[np.float64]) -> NDArray:
    """An item's Σ_{i≠j} δ²(i, j) / (m_u - 1): its row of o weighted by δ², summed."""
    return np.where(size >= 2, within / np.maximum(size - 1, 1), 0.0)


def _nominal(cells: Cells, domain: NDArray[np.float64]) -> ItemTerms:
    """Columns: D_u = (m_u² - Σ_c n_uc²)/(m_u - 1), then n_uc per value."""
    size = cells.item_size.astype(np.float64)
    squares = np.bincount(cells.item, weights=cells.count.astype(np.float64) ** 2,
                          minlength=cells.n_items)
    observed = _disagreement(size, size**2 - squares)
    return ItemTerms(_with_value_counts(cells, observed), _combine_nominal)


def _combine_nominal(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    counts = totals[:, 1:]
    n = counts.sum(axis=1)
    expected = (n**2 - (counts**2).sum(axis=1)) / np.maximum(n - 1, 1)
    return 1 - ratio(totals[:, 0], expected)


def _interval(cells: Cells, domain: NDArray[np.float64]) -> ItemTerms:
    """Columns: D_u, m_u, Σ x and Σ x² over the item's values (centred, for precision).

    Σ_{i≠j} (x_i - x_j)² = 2 m Σ (x - x̄)², so no pairs are formed at all.
    """
    size = cells.item_size.astype(np.float64)
    weights = cells.count.astype(np.float64)
    centre = np.average(domain[cells.code], weights=weights) if len(cells.code) else 0.0
    x = domain[cells.code] - centre
    # numpy's stub types a bincount as intp, weights or not
    first: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
        cells.item, weights=weights * x, minlength=cells.n_items)
    second: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
        cells.item, weights=weights * x**2, minlength=cells.n_items)
    mean = ratio(first, size)
    spread = np.bincount(cells.item, weights=weights * (x - np.nan_to_num(mean)[cells.item])**2,
                         minlength=cells.n_items)
    observed = _disagreement(size, 2 * size * spread)
    return ItemTerms(np.column_stack([observed, size, first, second]), _combine_interval)


def _combine_interval(totals: NDArray[np.float64]) -> NDArray[np.float64]:
    observed, n, first, second = totals.T
    expected = 2 * (n * second - first**2) / np.maximum(n - 1, 1)
    return 1 - ratio(observed, expected)


def _ordinal(cells: Cells, domain: NDArray[np.float64]) -> ItemTerms:
    """Columns: n_uc per value, then o_u for each pair of values c < k met in some item.

    Mid-ranks depend on the pooled n_c, which a resample or a subgroup changes, so the
    coincidences are kept per value pair and the ranks are formed in ``combine``.
    """
    item_of_pair, weight, low, high = _value_pairs(cells)
    n_codes = cells.n_codes
    pair_keys, pair_column = compact(low * n_codes + high, n_codes**2)
    lows, highs = pair_keys // max(n_codes, 1), pair_keys % max(n_codes, 1)
    rows = np.concatenate([cells.item, item_of_pair])
    cols = np.concatenate([cells.code, n_codes + pair_column])
    values = np.concatenate([cells.count.astype(np.float64), weight])
    matrix = term_matrix(cells.n_items, n_codes + len(pair_keys), rows, cols, values)

    def combine(totals: NDArray[np.float64]) -> NDArray[np.float64]:
        counts, coincidences = totals[:, :n_codes], totals[:, n_codes:]
        ranks = np.cumsum(counts, axis=1) - counts / 2
        observed = (coincidences * (ranks[:, highs] - ranks[:, lows]) ** 2).sum(axis=1)
        n = counts.sum(axis=1)
        spread = n * (counts * ranks**2).sum(axis=1) - (counts * ranks).sum(axis=1) ** 2
        return 1 - ratio(observed, 2 * spread / np.maximum(n - 1, 1))

    return ItemTerms(matrix, combine)


def _ratio(cells: Cells, domain: NDArray[np.float64]) -> ItemTerms:
    """Columns: D_u with the ratio difference, then n_uc per value."""
    item_of_pair, weight, low, high = _value_pairs(cells)
    within = np.bincount(item_of_pair,
                         weights=weight * _ratio_difference(domain[low], domain[high]),
                         minlength=cells.n_items)
    observed = np.where(cells.item_size >= 2, within, 0.0)

    def combine(totals: NDArray[np.float64]) -> NDArray[np.float64]:
        counts = totals[:, 1:]
        n = counts.sum(axis=1)
        expected = _ratio_expected(counts, domain) / np.maximum(n - 1, 1)
        return 1 - ratio(totals[:, 0], expected)

    return ItemTerms(_with_value_counts(cells, observed), combine)


def _ratio_difference(c: NDArray[np.float64], k: NDArray[np.float64]) -> NDArray:
    total = c + k
    return np.where(total != 0, (c - k) / np.where(total != 0, total, 1), 0.0) ** 2


def _ratio_expected(counts: NDArray[np.float64], domain: NDArray[np.float64]) -> NDArray:
    """Σ_ck n_c n_k δ²_ck per row of ``counts``, building δ² a block of rows at a time."""
    used = np.flatnonzero(counts.any(axis=0))
    counts, domain = counts[:, used], domain[used]
    total = np.zeros(len(counts))
    for start in range(0, len(domain), RATIO_BLOCK):
        block = slice(start, start + RATIO_BLOCK)
        differences = _ratio_difference(domain[block, None], domain[None, :])
        total += ((counts[:, block] @ differences) * counts).sum(axis=1)
    return total


def _value_pairs(cells: Cells) -> tuple[NDArray[np.int64], NDArray[np.float64],
                                        NDArray[np.int64], NDArray[np.int64]]:
    """Every pair of distinct values met in one item: the item, its coincidence weight
    2 n_uc n_uk / (m_u - 1) (both orders), the lower and the higher value code."""
    first, second = cells.pairs()
    item = cells.item[first]
    size = cells.item_size[item].astype(np.float64)
    weight = 2.0 * cells.count[first] * cells.count[second] / (size - 1)
    return item, weight, cells.code[first], cells.code[second]


def _with_value_counts(cells: Cells, per_item: NDArray[np.float64]) -> TermMatrix:
    """An items x (1 + values) term matrix: ``per_item``, then n_uc per value."""
    items = np.arange(cells.n_items)
    rows = np.concatenate([items, cells.item])
    cols = np.concatenate([np.zeros(cells.n_items, dtype=np.int64), 1 + cells.code])
    values = np.concatenate([per_item, cells.count.astype(np.float64)])
    return term_matrix(cells.n_items, 1 + cells.n_codes, rows, cols, values)
