"""The unit that agreement and consensus are measured on: one (task, response pair).

Every pairwise outcome is one annotator's vote on one pair; the pairs of a project are
numbered densely so that the quality engine can treat each as an item.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.core.report.arrays import ProjectArrays
from accord.quality.reliability.pairs import PairOrder, pair_index, pair_order


@dataclass(frozen=True)
class PairItems:
    item: NDArray[np.int64]
    """Per outcome: the dense index of its (task, pair)."""
    task: NDArray[np.int64]
    """Per pair item: its task."""
    first: NDArray[np.int64]
    second: NDArray[np.int64]
    order: PairOrder
    """The outcomes' :func:`~accord.quality.reliability.pairs.pair_order`, which the engine's
    functions take instead of sorting the same outcomes again."""

    @property
    def n_items(self) -> int:
        return len(self.task)


def pair_keys(*triples: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]
              ) -> list[NDArray[np.int64]]:
    """One int64 key per (task, first, second) of each triple of arrays, ordered as the
    triples sort and equal exactly where they are equal, across all the triples given.

    One sort of one key is several times faster than ``np.unique(axis=0)`` on three
    columns. The key is ``(task * R + first) * R + second`` for ``R`` responses when that
    fits in 63 bits; otherwise the (first, second) pairs are numbered first.
    """
    n_tasks = max(int(t.max(initial=-1)) for t, _, _ in triples) + 1
    n_responses = max(max(int(f.max(initial=-1)), int(s.max(initial=-1)))
                      for _, f, s in triples) + 1
    if n_tasks * n_responses * n_responses < 2**63:
        return [(t.astype(np.int64) * n_responses + f) * n_responses + s for t, f, s in triples]
    pair = [f.astype(np.int64) * n_responses + s for _, f, s in triples]
    codes, inverse = np.unique(np.concatenate(pair), return_inverse=True)
    keys, start = [], 0
    for (t, _, _), p in zip(triples, pair, strict=True):
        keys.append(t.astype(np.int64) * len(codes) + inverse[start:start + len(p)])
        start += len(p)
    return keys


def pair_items(arrays: ProjectArrays) -> PairItems:
    """The (task, pair) items of the outcomes, numbered in the order of one sort."""
    o = arrays.outcomes
    order = pair_order(o.task, o.first, o.second)
    item, heads = pair_index(order)
    return PairItems(item, o.task[heads], o.first[heads], o.second[heads], order)
