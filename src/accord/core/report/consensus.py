"""The report's ``consensus`` section, and the consensus each task keeps in the database.

Per (task, pair): the majority of votes (``quality.consensus``) and the Dawid-Skene
reliability-weighted outcome with its posterior (``quality.reliability``). Per task: a
Bradley-Terry ranking of its responses in which each vote counts its annotator's estimated
accuracy (``quality.ranking``), with a margin and a confidence, and the task's agreement: the
mean over its pairs of the share of votes that equal the pair's most common outcome. A task
whose agreement is below the project's threshold needs adjudication. The section's
``mean_task_agreement`` counts only pairs that two or more annotators judged: a lone vote is
its own most common outcome, and its "agreement" of 1 would only say that nobody else looked.
Per pair of models compared: AlpacaEval's win rates (``report.win_rates``). The model-level
figures (``models`` and ``win_rates``) rate the models, so they count every judgment of the
report's cut, AI judges' included (``report.scope``); everything else counts its judgments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.core.report import win_rates
from accord.core.report.arrays import ProjectArrays
from accord.core.report.pairs import PairItems
from accord.quality.consensus import PairMajorities, majority_pairs
from accord.quality.grouped import group_means
from accord.quality.ranking import (
    ModelRatings,
    TaskRankings,
    model_ratings,
    pair_counts,
    rank_responses,
)
from accord.quality.reliability import PairReliability, pair_reliability
from accord.wire.report.consensus import ConsensusSection, ModelRating

SETTLED_STATUSES = ("complete", "needs_adjudication")


@dataclass(frozen=True)
class Consensus:
    majorities: PairMajorities
    weighted: PairReliability | None
    rankings: TaskRankings | None
    task_agreement: NDArray[np.float64]
    """Per task (dense index): mean majority share over its pairs; NaN without votes."""
    models: ModelRatings | None
    settled: NDArray[np.bool_]
    """Per task: whether it reached its overlap (``SETTLED_STATUSES``), so that its
    consensus counts, is exported and is stored."""


def settled_tasks(arrays: ProjectArrays) -> NDArray[np.bool_]:
    """Per task: whether its status is one of ``SETTLED_STATUSES``."""
    statuses = np.array(arrays.tasks.status, dtype=object)
    return np.isin(statuses, SETTLED_STATUSES) if len(statuses) else np.zeros(0, bool)


def _models(arrays: ProjectArrays) -> ModelRatings | None:
    compared = win_rates.model_comparisons(arrays)
    if compared is None:
        return None
    usable, a, b = compared
    counts = pair_counts(a, b, arrays.outcomes.outcome[usable].astype(np.int64),
                         n_models=len(arrays.responses.model_names))
    return model_ratings(counts, n_bootstrap=200, seed=0)


def compute(arrays: ProjectArrays, pairs: PairItems,
            models_from: ProjectArrays | None = None) -> Consensus:
    """Per pair, per task and per model; ``models_from``: the arrays the model ratings count
    (by default ``arrays``)."""
    o = arrays.outcomes
    models = _models(arrays if models_from is None else models_from)
    majorities = majority_pairs(o.task, o.winner, o.loser, o.tie, o.strength,
                                order=pairs.order)
    agreement = group_means(majorities.task, majorities.agreement, len(arrays.tasks.ids))
    settled = settled_tasks(arrays)
    if len(o.task) == 0:
        return Consensus(majorities, None, None, agreement, models, settled)
    weighted = pair_reliability(o.task, o.first, o.second, o.annotator, o.outcome,
                                n_annotators=len(arrays.annotators.ids), order=pairs.order)
    accuracy = np.nan_to_num(weighted.reliability.accuracy, nan=0.5)
    rankings = rank_responses(o.task, o.first, o.second, o.outcome,
                              weight=np.clip(accuracy[o.annotator], 0.05, None))
    return Consensus(majorities, weighted, rankings, agreement, models, settled)


def section(arrays: ProjectArrays, consensus: Consensus, threshold: float,
            win_rates_from: ProjectArrays | None = None) -> ConsensusSection:
    """The section; ``win_rates_from``: the arrays the win rates count (by default
    ``arrays``)."""
    settled, agreement = consensus.settled, consensus.task_agreement
    below = settled & (agreement < threshold)
    decided = consensus.majorities.decided
    return ConsensusSection(
        method="Bradley-Terry per task, votes weighted by Dawid-Skene annotator accuracy",
        agreement_threshold=threshold,
        tasks_settled=int(settled.sum()),
        tasks_needing_adjudication=int(below.sum()),
        pairs=len(consensus.majorities),
        pairs_with_majority=int(decided.sum()),
        mean_task_agreement=_mean(_agreement_among_several(consensus.majorities,
                                                           len(settled))[settled]),
        mean_confidence=_mean(consensus.rankings.confidence) if consensus.rankings else None,
        models=_model_table(arrays, consensus.models),
        win_rates=win_rates.section(arrays if win_rates_from is None else win_rates_from),
    )


def _agreement_among_several(majorities: PairMajorities, n_tasks: int
                             ) -> NDArray[np.float64]:
    """Per task: its agreement over the pairs with two or more votes; NaN without any."""
    several = majorities.votes >= 2
    return group_means(majorities.task[several], majorities.agreement[several], n_tasks)


def _mean(values: NDArray[np.float64]) -> float | None:
    values = values[~np.isnan(values)]
    return round(float(values.mean()), 6) if len(values) else None


def _model_table(arrays: ProjectArrays, ratings: ModelRatings | None) -> list[ModelRating]:
    """Every named model with a rating, highest first."""
    if ratings is None:
        return []
    rows = []
    for index, name in enumerate(arrays.responses.model_names):
        if not name or np.isnan(ratings.rating[index]):
            continue
        rows.append(ModelRating(model=name, rating=round(float(ratings.rating[index]), 1),
                                lower=round(float(ratings.lower[index]), 1),
                                upper=round(float(ratings.upper[index]), 1),
                                comparisons=int(ratings.comparisons[index])))
    return sorted(rows, key=lambda row: -row.rating)
