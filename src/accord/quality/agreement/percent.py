"""Raw percent agreement: the share of pairs of judgments on the same item that agree.

Over all ordered pairs of distinct annotators who judged the same item,

    agreement = Σ_u Σ_c n_uc (n_uc - 1) / Σ_u m_u (m_u - 1),

with n_uc the judgments of item u in category c and m_u = Σ_c n_uc. Items are weighted by
their number of pairs, so an item judged by five annotators counts more than one judged by
two; items with fewer than two judgments contribute nothing. With the same number of
judgments on every item this is Fleiss' (1971) observed agreement P̄, and the diagonal share
of Krippendorff's (2011) coincidence matrix.

For pairwise preferences with a "tie" label, published tables report it two ways: with ties
counted (a tie is one more category) and with ties dropped (the judgments labelled tie are
removed first, so only annotators who expressed a preference are compared).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.terms import ItemTerms, columns, ratio


@dataclass(frozen=True)
class PercentAgreement:
    """Percent agreement as an :class:`~accord.quality.agreement.terms.ItemStatistic`.

    ``tie_label`` names the category meaning "tie"; ``drop_ties`` removes those judgments
    before counting (it needs ``tie_label``). Without ``drop_ties`` a tie counts like any
    other category.
    """

    tie_label: int | None = None
    drop_ties: bool = False

    def __post_init__(self) -> None:
        if self.drop_ties and self.tie_label is None:
            raise ValueError("drop_ties needs tie_label: the category that means a tie")

    def __call__(self, judgments: Judgments) -> float:
        return self.item_terms(judgments).value()

    def item_terms(self, judgments: Judgments) -> ItemTerms:
        """Per item: agreeing ordered pairs Σ_c n_uc(n_uc - 1), and all pairs m_u(m_u - 1)."""
        kept = self._kept(judgments)
        cells = kept.cells
        agreeing = np.bincount(cells.item, weights=cells.count * (cells.count - 1.0),
                               minlength=kept.n_items)
        size = cells.item_size.astype(np.float64)
        return ItemTerms(columns(agreeing, size * (size - 1)),
                         lambda totals: ratio(totals[:, 0], totals[:, 1]))

    def _kept(self, judgments: Judgments) -> Judgments:
        if self.tie_label is None:
            return judgments
        if judgments.n_categories is None or not 0 <= self.tie_label < judgments.n_categories:
            raise ValueError(f"tie_label {self.tie_label} is not a category of these "
                             f"judgments (n_categories={judgments.n_categories})")
        return judgments.select(judgments.value != self.tie_label) if self.drop_ties \
            else judgments


def percent_agreement(judgments: Judgments, tie_label: int | None = None,
                      drop_ties: bool = False) -> float:
    """The share of pairs of annotators on the same item who gave the same label.

    ``tie_label`` and ``drop_ties`` choose how a "tie" category is reported (see the
    module's docstring): ``drop_ties=False`` counts ties as a category, ``drop_ties=True``
    removes tie judgments first. NaN when no item has two judgments. Values are compared
    exactly, so numeric judgments agree only when equal.
    """
    return PercentAgreement(tie_label, drop_ties)(judgments)
