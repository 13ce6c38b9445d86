"""The unit that agreement and consensus are measured on: one (task, response pair).

Every pairwise outcome is one annotator's vote on one pair; the pairs of a project are
numbered densely so that the quality engine can treat each as an item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.core.quality_inputs import OUTCOME_TIE, ProjectArrays


@dataclass(frozen=True)
class PairItems:
    item: NDArray[np.int64]
    """Per outcome: the dense index of its (task, pair)."""
    task: NDArray[np.int64]
    """Per pair item: its task."""
    first: NDArray[np.int64]
    second: NDArray[np.int64]
    n_items: int


def pair_items(arrays: ProjectArrays) -> PairItems:
    o = arrays.outcomes
    if len(o.task) == 0:
        empty = np.zeros(0, np.int64)
        return PairItems(empty, empty, empty, empty, 0)
    keys = np.stack([o.task, o.first, o.second], axis=1)
    unique, item = np.unique(keys, axis=0, return_inverse=True)
    return PairItems(item.reshape(-1).astype(np.int64), unique[:, 0], unique[:, 1], unique[:, 2],
                     len(unique))


def winner_loser(arrays: ProjectArrays) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per outcome: the preferred and the other response (for a tie, first and second)."""
    o = arrays.outcomes
    second_won = o.outcome == 1
    winner = np.where(second_won, o.second, o.first)
    loser = np.where(second_won, o.first, o.second)
    return winner, loser


def is_tie(arrays: ProjectArrays) -> NDArray[np.bool_]:
    return arrays.outcomes.outcome == OUTCOME_TIE
