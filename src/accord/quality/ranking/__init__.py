"""Rankings from pairwise outcomes: per task (which response is best) and per model.

- :func:`rank_responses`: one ranking with tie groups, a margin and a confidence for every
  task, by Bradley-Terry strengths or Copeland's rule, vectorised across tasks.
- :func:`pair_counts` and :func:`model_ratings`: Bradley-Terry ratings of models on an
  Elo-like scale from a count table of their comparisons, with bootstrap intervals.
- :func:`fit_strengths`: the batched penalised Bradley-Terry fit both rest on.
"""

from accord.quality.ranking.bradley_terry import fit_strengths
from accord.quality.ranking.ratings import ModelRatings, PairCounts, model_ratings, pair_counts
from accord.quality.ranking.tasks import TaskRankings, rank_responses

__all__ = [
    "ModelRatings",
    "PairCounts",
    "TaskRankings",
    "fit_strengths",
    "model_ratings",
    "pair_counts",
    "rank_responses",
]
