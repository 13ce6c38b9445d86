"""The report's ``agreement`` section: how often annotators agree, with intervals.

Comparisons are measured on (task, pair) items with three categories (first preferred,
second preferred, tie); quality dimensions on (task, response) items with their numeric
ratings. Intervals are cluster-bootstrap intervals over items.

Each statistic of the comparisons is turned into its per-item terms once, and its value,
its interval and its value per category all come from those terms. The three intervals use
the same seed, so they resample the same items: the draws (the costly part: 200 resamples
of every item) are made once for all three (``quality.agreement.bootstrap_cis``), each equal
to what ``bootstrap_ci`` gives for that statistic alone.
"""

from __future__ import annotations

import math

import numpy as np

from accord.core.report.arrays import OUTCOME_TIE, ProjectArrays
from accord.core.report.kappa_matrix import kappa_matrix
from accord.core.report.pairs import PairItems
from accord.quality.agreement import (
    FleissKappa,
    ItemTerms,
    Judgments,
    KrippendorffAlpha,
    PercentAgreement,
    bootstrap_cis,
    krippendorff_alpha,
    pairwise_cohen,
)
from accord.wire.report.agreement import (
    AgreementSection,
    CategoryAgreement,
    CohenKappaFigures,
    DimensionAgreement,
    PercentAgreementFigures,
)
from accord.wire.report.base import Interval

BOOTSTRAP_RESAMPLES = 200
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95
MIN_COHEN_OVERLAP = 5


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def intervals(terms: list[ItemTerms], judgments: Judgments) -> list[Interval]:
    """The report's percentile bootstrap interval of each statistic (given by its item
    terms), all from one set of draws."""
    return [[_number(low), _number(high)] for low, high in bootstrap_cis(
        terms, judgments, BOOTSTRAP_RESAMPLES, CONFIDENCE, BOOTSTRAP_SEED)]


def _comparison_judgments(arrays: ProjectArrays, pairs: PairItems) -> Judgments:
    """One judgment per outcome, laid out by pair item (the order ``pairs`` already has):
    the statistics do not depend on the order, and the pairwise ones need it sorted."""
    order = pairs.order[0]
    outcome = arrays.outcomes.outcome.astype(np.int64)[order]
    return Judgments(pairs.item[order], arrays.outcomes.annotator[order], outcome,
                     n_items=pairs.n_items, n_annotators=len(arrays.annotators.ids),
                     n_categories=3)


def agreement_section(arrays: ProjectArrays, pairs: PairItems) -> AgreementSection:
    """The section: each statistic of the comparisons from its item terms, its interval
    from the shared draws, then the figures per category and per quality dimension."""
    judgments = _comparison_judgments(arrays, pairs)
    counted = PercentAgreement(OUTCOME_TIE, False).item_terms(judgments)
    dropped = PercentAgreement(OUTCOME_TIE, True)
    fleiss = FleissKappa().item_terms(judgments)
    alpha = KrippendorffAlpha("nominal").item_terms(judgments)
    cohen = pairwise_cohen(judgments, min_overlap=MIN_COHEN_OVERLAP)
    counted_interval, fleiss_interval, alpha_interval = intervals([counted, fleiss, alpha],
                                                                  judgments)
    return AgreementSection(
        unit="a (task, response pair): first preferred, second preferred or tie",
        items=pairs.n_items,
        judgments=len(pairs.item),
        percent_agreement=PercentAgreementFigures(
            ties_counted=_number(counted.value()), ties_dropped=_number(dropped(judgments)),
            ties_counted_interval=counted_interval),
        cohen_kappa=CohenKappaFigures(mean=_number(cohen.mean), annotator_pairs=len(cohen),
                                      min_overlap=MIN_COHEN_OVERLAP,
                                      matrix=kappa_matrix(judgments, arrays.annotators.names,
                                                          MIN_COHEN_OVERLAP)),
        fleiss_kappa=_number(fleiss.value()),
        fleiss_kappa_interval=fleiss_interval,
        krippendorff_alpha=_number(alpha.value()),
        krippendorff_alpha_interval=alpha_interval,
        by_category=_by_category(arrays, pairs, alpha, counted),
        by_dimension=_by_dimension(arrays),
    )


def _by_category(arrays: ProjectArrays, pairs: PairItems, alpha: ItemTerms,
                 percent: ItemTerms) -> dict[str, CategoryAgreement]:
    """Agreement within each prompt category that has pair items, keyed and ordered by
    category name, from the statistics' item terms grouped by the items' category codes
    (sorting a few hundred thousand strings to find the groups costs more than the
    statistics)."""
    if pairs.n_items == 0:
        return {}
    names = arrays.tasks.category_names
    code = arrays.tasks.category[pairs.task]
    alphas = alpha.grouped(code, len(names))
    percents = percent.grouped(code, len(names))
    present = np.flatnonzero(np.bincount(code, minlength=len(names)))
    return {names[c]: CategoryAgreement(krippendorff_alpha=_number(alphas[c]),
                                        percent_agreement=_number(percents[c]))
            for c in sorted(present.tolist(), key=lambda c: names[c])}


def _by_dimension(arrays: ProjectArrays) -> dict[str, DimensionAgreement]:
    ratings = arrays.annotations.ratings
    result: dict[str, DimensionAgreement] = {}
    for code, name in enumerate(ratings.dimension_names):
        mask = ratings.dimension == code
        keys, item = np.unique(ratings.response_key[mask], return_inverse=True)
        judgments = Judgments(item.astype(np.int64),
                              arrays.annotations.annotator[ratings.row[mask]],
                              ratings.value[mask], n_items=len(keys),
                              n_annotators=len(arrays.annotators.ids), n_categories=None)
        result[name] = DimensionAgreement(
            krippendorff_alpha_ordinal=_number(krippendorff_alpha(judgments, "ordinal")),
            krippendorff_alpha_interval=_number(krippendorff_alpha(judgments, "interval")),
            ratings=int(mask.sum()),
        )
    return result

