"""The report's ``annotators`` section: one row per person (or AI judge) who annotated.

``reliability`` is the Dawid-Skene estimate of how often the annotator's pairwise outcome is
the true one (Dawid & Skene 1979), fitted on every pair of the project; higher is more
reliable. ``agreement_with_consensus`` compares each of the annotator's pairwise outcomes
with the consensus of the *other* counted votes on its pair (``report.consensus_of_others``),
never with a consensus their own vote is part of; ``consensus_pairs`` says on how many
outcomes. Gold accuracy counts only calibration tasks, against their reference ranking.

Every user with an annotation in the report's cut has a row. An AI judge's row says how many
annotations it made, but its figures are empty (``counted_in_figures`` false) unless the
report counts AI judges (``report.scope``): it is measured against people in the ``judges``
section, not among them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus import Consensus
from accord.core.report.consensus_of_others import OthersAgreement
from accord.quality.grouped import group_medians
from accord.quality.monitors import Cost
from accord.wire.report.annotators import AnnotatorRow


def _round(value: float, digits: int = 4) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def section(arrays: ProjectArrays, consensus: Consensus, others: OthersAgreement,
            gold: tuple[NDArray, NDArray] | None, cost: Cost,
            cut: ProjectArrays | None = None) -> list[AnnotatorRow]:
    """One row per annotator of ``cut`` (by default ``arrays``); figures from ``arrays``, the
    annotations the report counts, and from the cost monitor run on them."""
    n = len(arrays.annotators.ids)
    a = arrays.annotations
    counts = np.bincount(a.annotator, minlength=n)
    in_cut = counts if cut is None else np.bincount(cut.annotations.annotator, minlength=n)
    hours, spend = cost.hours, cost.spend
    reliability = (consensus.weighted.reliability.accuracy if consensus.weighted is not None
                   else np.full(n, np.nan))
    compared = np.bincount(arrays.outcomes.annotator, weights=others.compared, minlength=n)
    agreeing = np.bincount(arrays.outcomes.annotator, weights=others.agrees, minlength=n)
    median_s = group_medians(a.annotator, a.active_ms, n) / 1000
    # the gold columns are in every row of a project with gold tasks, in none without
    no_gold: dict[str, Any] = {} if gold is None else {"gold_answered": None,
                                                       "gold_accuracy": None}
    rows = []
    for i, name in enumerate(arrays.annotators.names):
        if in_cut[i] == 0:
            continue
        kind = arrays.annotators.kinds[i]
        if counts[i] == 0:
            # an annotator the figures leave out (an AI judge): its count, and no figures
            rows.append(AnnotatorRow(
                name=name, kind=kind, annotations=int(in_cut[i]), reliability=None,
                agreement_with_consensus=None, consensus_pairs=None,
                median_seconds_per_task=None,
                tasks_per_active_hour=None, spend=None, counted_in_figures=False,
                **no_gold))
            continue
        gold_columns: dict[str, Any] = no_gold if gold is None else {
            "gold_answered": int(gold[0][i]), "gold_accuracy": _round(gold[1][i])}
        rows.append(AnnotatorRow(
            name=name,
            kind=kind,
            annotations=int(counts[i]),
            reliability=_round(reliability[i]),
            agreement_with_consensus=(_round(agreeing[i] / compared[i]) if compared[i] > 0
                                      else None),
            consensus_pairs=int(compared[i]),
            median_seconds_per_task=_round(median_s[i], 1),
            tasks_per_active_hour=_round(counts[i] / hours[i], 1) if hours[i] > 0 else None,
            spend=_round(spend[i], 2) if len(spend) else None,
            counted_in_figures=True,
            **gold_columns,
        ))
    return rows
