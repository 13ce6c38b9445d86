"""The report's ``agreement`` section: how often annotators agree, with intervals.

Comparisons are measured on (task, pair) items with three categories (first preferred,
second preferred, tie); quality dimensions on (task, response) items with their numeric
ratings. Intervals are cluster-bootstrap intervals over items.
"""

from __future__ import annotations

import math

import numpy as np

from accord.core.quality_inputs import OUTCOME_TIE, ProjectArrays
from accord.core.report.pairs import PairItems
from accord.quality.agreement import (
    FleissKappa,
    Judgments,
    KrippendorffAlpha,
    PercentAgreement,
    bootstrap_ci,
    by_group,
    krippendorff_alpha,
    pairwise_cohen,
)

BOOTSTRAP_RESAMPLES = 200
MIN_COHEN_OVERLAP = 5


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), 6)


def _interval(statistic, judgments: Judgments) -> list[float | None]:
    ci = bootstrap_ci(statistic, judgments, n_resamples=BOOTSTRAP_RESAMPLES, seed=0)
    return [_number(ci.low), _number(ci.high)]


def _comparison_judgments(arrays: ProjectArrays, pairs: PairItems) -> Judgments:
    outcome = arrays.outcomes.outcome.astype(np.int64)
    return Judgments(pairs.item, arrays.outcomes.annotator, outcome, n_items=pairs.n_items,
                     n_annotators=len(arrays.annotators.ids), n_categories=3)


def _figures(judgments: Judgments) -> dict:
    counted = PercentAgreement(OUTCOME_TIE, False)
    dropped = PercentAgreement(OUTCOME_TIE, True)
    fleiss, alpha = FleissKappa(), KrippendorffAlpha("nominal")
    cohen = pairwise_cohen(judgments, min_overlap=MIN_COHEN_OVERLAP)
    return {
        "percent_agreement": {
            "ties_counted": _number(counted(judgments)),
            "ties_dropped": _number(dropped(judgments)),
            "ties_counted_interval": _interval(counted, judgments),
        },
        "cohen_kappa": {"mean": _number(cohen.mean), "annotator_pairs": len(cohen),
                        "min_overlap": MIN_COHEN_OVERLAP},
        "fleiss_kappa": _number(fleiss(judgments)),
        "fleiss_kappa_interval": _interval(fleiss, judgments),
        "krippendorff_alpha": _number(alpha(judgments)),
        "krippendorff_alpha_interval": _interval(alpha, judgments),
    }


def _by_category(arrays: ProjectArrays, pairs: PairItems, judgments: Judgments) -> dict:
    names = arrays.tasks.category_names
    category_of_item = np.array([names[c] for c in arrays.tasks.category[pairs.task]], dtype=object)
    if len(category_of_item) == 0:
        return {}
    alpha = by_group(KrippendorffAlpha("nominal"), judgments, category_of_item.astype(str))
    percent = by_group(PercentAgreement(OUTCOME_TIE, False), judgments,
                       category_of_item.astype(str))
    return {name: {"krippendorff_alpha": _number(alpha[name]),
                   "percent_agreement": _number(percent[name])} for name in alpha}


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
