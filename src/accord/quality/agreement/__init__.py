"""Inter-annotator agreement: percent agreement, Cohen's, Fleiss' κ, Krippendorff's alpha.

Judgments come in long form (:class:`Judgments`: one entry per item x annotator judgment),
and every statistic works on per-item counts of it, never on an annotators x items matrix.
Each statistic exists as a function (``krippendorff_alpha(j, "ordinal")``) and as an object
with per-item terms (``KrippendorffAlpha("ordinal")``), which is what makes
:func:`bootstrap_ci` (cluster bootstrap over items; :func:`bootstrap_cis` for several
statistics from one set of draws) and :func:`by_group` vectorised.
"""

from accord.quality.agreement.bootstrap import Interval, bootstrap_ci, bootstrap_cis
from accord.quality.agreement.cohen import (
    MeanPairwiseCohen,
    PairwiseKappas,
    cohen_kappa,
    pairwise_cohen,
)
from accord.quality.agreement.fleiss import FleissKappa, fleiss_kappa
from accord.quality.agreement.groups import by_group
from accord.quality.agreement.judgments import Judgments, category_counts
from accord.quality.agreement.krippendorff import KrippendorffAlpha, krippendorff_alpha
from accord.quality.agreement.percent import PercentAgreement, percent_agreement
from accord.quality.agreement.terms import ItemStatistic, ItemTerms

__all__ = [
    "FleissKappa",
    "Interval",
    "ItemStatistic",
    "ItemTerms",
    "Judgments",
    "KrippendorffAlpha",
    "MeanPairwiseCohen",
    "PairwiseKappas",
    "PercentAgreement",
    "bootstrap_ci",
    "bootstrap_cis",
    "by_group",
    "category_counts",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "pairwise_cohen",
    "percent_agreement",
]
