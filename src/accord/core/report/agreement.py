"""The report's ``agreement`` section: how often annotators agree, with intervals.

Comparisons are measured on (task, pair) items with three categories (first preferred,
second preferred, tie); quality dimensions on (task, response) items with their numeric
ratings. Intervals are cluster-bootstrap intervals over items.

The three intervals of the comparisons use the same seed, so they resample the same items:
the draws (the costly part: 200 resamples of every item) are made once and each statistic's
per-item terms are weighted by them, exactly as ``quality.agreement.bootstrap_ci`` does for
one statistic (``tests/core/test_report_intervals.py`` holds them equal).
"""

from __future__ import annotations

import math

import numpy as np

from accord.core.quality_inputs import OUTCOME_TIE, ProjectArrays
from accord.core.report.pairs import PairItems
from accord.quality.agreement import (
    FleissKappa,
    ItemStatistic,
    Judgments,
    KrippendorffAlpha,
    PercentAgreement,
    by_group,
    krippendorff_alpha,
    pairwise_cohen,
)
from accord.quality.agreement.bootstrap import resampled_values

BOOTSTRAP_RESAMPLES = 200
BOOTSTRAP_SEED = 0
CONFIDENCE = 0.95
MIN_COHEN_OVERLAP = 5


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def _percentile_interval(values: np.ndarray) -> list[float | None]:
    defined = values[np.isfinite(values)]
    if len(defined) == 0:
        return [None, None]
    tail = (1 - CONFIDENCE) / 2
    low, high = np.quantile(defined, [tail, 1 - tail])
    return [_number(low), _number(high)]


def intervals(statistics: list[ItemStatistic], judgments: Judgments,
              n_resamples: int = BOOTSTRAP_RESAMPLES,
              seed: int = BOOTSTRAP_SEED) -> list[list[float | None]]:
    """The percentile bootstrap interval of each statistic, all from one set of draws.

    Equal to ``bootstrap_ci(statistic, judgments, n_resamples, CONFIDENCE, seed)`` for each
    statistic (the same items, draws, batches and products), at a third of the cost for
    three statistics: drawing and counting the resampled items is most of the work.
    """
    rng = np.random.default_rng(seed)
    items = np.flatnonzero(np.bincount(judgments.item, minlength=judgments.n_items))
    terms = [statistic.item_terms(judgments) for statistic in statistics]
    values = resampled_values(terms, items, n_resamples, rng)
    return [_percentile_interval(found) for found in values]


def _comparison_judgments(arrays: ProjectArrays, pairs: PairItems) -> Judgments:
    """One judgment per outcome, laid out by pair item (the order ``pairs`` already has):
    the statistics do not depend on the order, and the pairwise ones need it sorted."""
    order = pairs.order[0]
    outcome = arrays.outcomes.outcome.astype(np.int64)[order]
    return Judgments(pairs.item[order], arrays.outcomes.annotator[order], outcome,
                     n_items=pairs.n_items, n_annotators=len(arrays.annotators.ids),
                     n_categories=3)


def _figures(judgments: Judgments) -> dict:
    counted = PercentAgreement(OUTCOME_TIE, False)
    dropped = PercentAgreement(OUTCOME_TIE, True)
    fleiss, alpha = FleissKappa(), KrippendorffAlpha("nominal")
    cohen = pairwise_cohen(judgments, min_overlap=MIN_COHEN_OVERLAP)
    counted_interval, fleiss_interval, alpha_interval = intervals([counted, fleiss, alpha],
                                                                  judgments)
    return {
        "percent_agreement": {
            "ties_counted": _number(counted(judgments)),
            "ties_dropped": _number(dropped(judgments)),
            "ties_counted_interval": counted_interval,
        },
        "cohen_kappa": {"mean": _number(cohen.mean), "annotator_pairs": len(cohen),
                        "min_overlap": MIN_COHEN_OVERLAP},
        "fleiss_kappa": _number(fleiss(judgments)),
        "fleiss_kappa_interval": fleiss_interval,
        "krippendorff_alpha": _number(alpha(judgments)),
        "krippendorff_alpha_interval": alpha_interval,
    }


def _by_category(arrays: ProjectArrays, pairs: PairItems, judgments: Judgments) -> dict:
    """Agreement within each prompt category, keyed and ordered by category name.

    Groups are the integer category codes (sorting a few hundred thousand strings to find
    the groups costs more than the statistics); names are put back on the results.
    """
    if pairs.n_items == 0:
        return {}
    names = arrays.tasks.category_names
    category_of_item = arrays.tasks.category[pairs.task]
    alpha = by_group(KrippendorffAlpha("nominal"), judgments, category_of_item)
    percent = by_group(PercentAgreement(OUTCOME_TIE, False), judgments, category_of_item)
    return {names[code]: {"krippendorff_alpha": _number(alpha[code]),
                          "percent_agreement": _number(percent[code])}
            for code in sorted(alpha, key=lambda code: names[code])}


def _by_dimension(arrays: ProjectArrays) -> dict:
    ratings = arrays.annotations.ratings
    result = {}
    for code, name in enumerate(ratings.dimension_names):
        mask = ratings.dimension == code
        keys, item = np.unique(ratings.response_key[mask], return_inverse=True)
        judgments = Judgments(item.astype(np.int64),
                              arrays.annotations.annotator[ratings.row[mask]],
                              ratings.value[mask], n_items=len(keys),
                              n_annotators=len(arrays.annotators.ids), n_categories=None)
        result[name] = {
            "krippendorff_alpha_ordinal": _number(krippendorff_alpha(judgments, "ordinal")),
            "krippendorff_alpha_interval": _number(krippendorff_alpha(judgments, "interval")),
            "ratings": int(mask.sum()),
        }
    return result


def agreement_section(arrays: ProjectArrays, pairs: PairItems) -> dict:
    judgments = _comparison_judgments(arrays, pairs)
    section = {"unit": "a (task, response pair): first preferred, second preferred or tie",
               "items": pairs.n_items, "judgments": len(pairs.item)}
    section.update(_figures(judgments))
    section["by_category"] = _by_category(arrays, pairs, judgments)
    section["by_dimension"] = _by_dimension(arrays)
    return section
