"""Rank aggregation per task: one ranking (with tie groups) of each task's responses.

The pairwise outcomes of a task, from all of its annotators, become the task's win table;
tasks with the same number of responses are stacked and aggregated together, so the work is
a few array operations per distinct task size, not a Python loop over tasks.

Two aggregators:

- ``"bradley_terry"``: penalised Bradley & Terry (1952) strengths (ties are half wins, a
  Gaussian prior of precision ``prior`` keeps unanimous outcomes finite). Uses how often and
  by how much each response won. Margin: the strength gap between the best response and the
  runner-up; confidence: the fitted probability that the best beats the runner-up.
- ``"copeland"``: Copeland's rule: a response scores 1 for every other response that it
  beats by pairwise majority and 1/2 for every pairwise draw. It is Condorcet-consistent: a
  response that beats every other one by majority ranks first, alone. Margin: the score gap
  between the best and the runner-up; confidence: the share of the outcomes between those
  two that favoured the best (the least share, when several tie for second place).

In both, responses whose scores are equal (within ``TIE_TOLERANCE`` for strengths) share a
tie group; a task whose top group holds several responses has margin 0 and confidence 1/2.
Outcomes may be weighted, e.g. by the annotator's estimated accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit

from accord.quality.ranking.bradley_terry import fit_strengths
from accord.quality.reliability.incidence import as_ids
from accord.quality.reliability.pairs import FIRST_PREFERRED, SECOND_PREFERRED, oriented_pairs

Method = Literal["bradley_terry", "copeland"]
TASK_PRIOR = 1.0
"""Precision of the Gaussian prior on a task's response strengths: a unit-variance prior,
under which three unanimous votes give the winner about 78% and a 2-1 split about 60%."""
TIE_TOLERANCE = 1e-6
"""Strengths closer than this (in log-odds) are a tie."""


@dataclass(frozen=True)
class TaskRankings:
    """Rankings of the responses of every task; tasks ascending by id."""

    task: NDArray[np.int64]
    margin: NDArray[np.float64]
    confidence: NDArray[np.float64]
    offsets: NDArray[np.int64]
    """Task ``t``'s responses are entries ``offsets[t]:offsets[t + 1]`` of the arrays below."""
    response: NDArray[np.int64]
    """Response ids, best first within each task."""
    group: NDArray[np.int64]
    """Each response's tie group within its task, 0 for the best."""
    score: NDArray[np.float64]
    """Strength (Bradley-Terry) or Copeland score."""

    def __len__(self) -> int:
        return len(self.task)

    def ranking(self, index: int) -> list[list[int]]:
        """Task number ``index``'s ranking as tie groups, best first: ``[[b], [a, c]]``."""
        start, stop = self.offsets[index], self.offsets[index + 1]
        groups: list[list[int]] = [[] for _ in range(int(self.group[stop - 1]) + 1)]
        for response, group in zip(self.response[start:stop], self.group[start:stop],
                                   strict=True):
            groups[group].append(int(response))
        return groups


@dataclass(frozen=True)
class _Layout:
    """Where each response of each task sits: tasks, their sizes, and local indices."""

    task: NDArray[np.int64]
    offsets: NDArray[np.int64]
    response: NDArray[np.int64]
    """Distinct responses, sorted by task then id (the entries of ``offsets``)."""
    vote_task: NDArray[np.int64]
    """Each outcome's task number."""
    local_first: NDArray[np.int64]
    local_second: NDArray[np.int64]


def _layout(task: NDArray[np.int64], first: NDArray[np.int64],
            second: NDArray[np.int64]) -> _Layout:
    """Number the responses of every task ``0..m-1``.

    When every response belongs to one task (the usual case: a task's candidates are its
    own), a response's task is looked up in one array indexed by response id and no sort of
    the outcomes is needed; otherwise one sort of a single (task, response) key.
    """
    n = len(task)
    if n == 0:
        empty = np.zeros(0, np.int64)
        return _Layout(empty, np.zeros(1, np.int64), empty, empty, empty, empty)
    n_responses = int(max(first.max(), second.max())) + 1
    if n_responses <= 4 * n + 1024:
        owner = np.full(n_responses, -1, dtype=np.int64)
        owner[first] = task
        owner[second] = task
        if (owner[first] == task).all() and (owner[second] == task).all():
            return _owned_layout(owner, first, second)
    return _sorted_layout(task, first, second)


def _owned_layout(owner: NDArray[np.int64], first: NDArray[np.int64],
                  second: NDArray[np.int64]) -> _Layout:
    """The layout when ``owner[r]`` is the only task response ``r`` appears in (-1: none)."""
    response = np.flatnonzero(owner >= 0)
    entry_task = owner[response]
    if len(entry_task) > 1 and (entry_task[1:] < entry_task[:-1]).any():
        order = np.argsort(entry_task, kind="stable")  # stable: by id within a task
        response, entry_task = response[order], entry_task[order]
    new_task = np.r_[True, entry_task[1:] != entry_task[:-1]]
    starts = np.flatnonzero(new_task)
    task_of_entry = np.cumsum(new_task) - 1
    local = np.empty(len(owner), dtype=np.int64)
    local[response] = np.arange(len(response)) - starts[task_of_entry]
    entry_of = np.empty(len(owner), dtype=np.int64)
    entry_of[response] = task_of_entry
    return _Layout(task=entry_task[starts],
                   offsets=np.r_[starts, len(response)].astype(np.int64),
                   response=response, vote_task=entry_of[first],
                   local_first=local[first], local_second=local[second])


def _sorted_layout(task: NDArray[np.int64], first: NDArray[np.int64],
                   second: NDArray[np.int64]) -> _Layout:
    """The layout by sorting (task, response) over both sides of every outcome."""
    n = len(task)
    tasks, responses = np.concatenate([task, task]), np.concatenate([first, second])
    span = int(responses.max()) + 1
    if (int(tasks.max()) + 1) * span < 2**63:
        order = np.argsort(tasks * span + responses, kind="stable")
    else:
        order = np.lexsort((responses, tasks))
    t, r = tasks[order], responses[order]
    new_entry = np.r_[True, (t[1:] != t[:-1]) | (r[1:] != r[:-1])]
    entry = np.empty(2 * n, dtype=np.int64)
    entry[order] = np.cumsum(new_entry) - 1
    entry_task, entry_response = t[new_entry], r[new_entry]
    new_task = np.r_[True, entry_task[1:] != entry_task[:-1]]
    starts = np.flatnonzero(new_task)
    task_of_entry = np.cumsum(new_task) - 1
    local = entry - starts[task_of_entry[entry]]
    return _Layout(
        task=entry_task[starts],
        offsets=np.r_[starts, len(entry_task)].astype(np.int64),
        response=entry_response,
        vote_task=task_of_entry[entry[:n]],
        local_first=local[:n],
        local_second=local[n:],
    )


def _win_tables(layout: _Layout, outcome: NDArray[np.int64], weight: NDArray[np.float64],
                tasks: NDArray[np.intp], size: int) -> NDArray[np.float64]:
    """``(len(tasks), size, size)`` win tables of the given tasks (ties: half to each)."""
    position = np.full(len(layout.task), -1, dtype=np.int64)
    position[tasks] = np.arange(len(tasks))
    votes = np.flatnonzero(position[layout.vote_task] >= 0)
    base = position[layout.vote_task[votes]] * size * size
    first, second = layout.local_first[votes], layout.local_second[votes]
    w, o = weight[votes], outcome[votes]
    forward, backward = base + first * size + second, base + second * size + first
    share = np.where(o == FIRST_PREFERRED, 1.0, np.where(o == SECOND_PREFERRED, 0.0, 0.5))
    # numpy's stub types a bincount as intp, weights or not
    flat: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
        np.concatenate([forward, backward]),
        weights=np.concatenate([w * share, w * (1.0 - share)]), minlength=len(tasks) * size * size)
    return flat.reshape(len(tasks), size, size)


def copeland_scores(wins: NDArray[np.float64]) -> NDArray[np.float64]:
    """Copeland scores: pairwise-majority wins plus half of pairwise draws (self excluded)."""
    against = wins.transpose(0, 2, 1)
    draws = np.isclose(wins, against, rtol=1e-12, atol=1e-12)
    beats = (wins > against) & ~draws
    return beats.sum(axis=2) + 0.5 * (draws.sum(axis=2) - 1)


def _rank(scores: NDArray[np.float64], tolerance: float) -> tuple[NDArray, NDArray, NDArray]:
    """Best-first order, tie groups, and the sorted scores of every row."""
    order = np.argsort(-scores, axis=1, kind="stable")
    ordered = np.take_along_axis(scores, order, axis=1)
    drops = ordered[:, :-1] - ordered[:, 1:] > tolerance
    groups = np.concatenate([np.zeros((len(scores), 1), dtype=np.int64),
                             np.cumsum(drops, axis=1)], axis=1)
    return order, groups, ordered


def _confidence(method: Method, wins: NDArray[np.float64], order: NDArray[np.intp],
                groups: NDArray[np.int64], ordered: NDArray[np.float64]) -> NDArray[np.float64]:
    """How sure the best response is to beat the runner-up, in tasks with a single best.

    Copeland: the best's share of its outcomes against the runner-up, the least such share
    when several responses tie for second place (1/2 when never compared).
    """
    if method == "bradley_terry":
        return expit(ordered[:, 0] - ordered[:, 1])
    rows = np.arange(len(wins))[:, None]
    won = wins[rows, order[:, :1], order]
    games = won + wins[rows, order, order[:, :1]]
    share = np.divide(won, games, out=np.full(won.shape, 0.5), where=games > 0)
    return np.where(groups == 1, share, np.inf).min(axis=1)


def rank_responses(
    task: ArrayLike,
    first: ArrayLike,
    second: ArrayLike,
    outcome: ArrayLike,
    weight: ArrayLike | None = None,
    *,
    method: Method = "bradley_terry",
    prior: float = TASK_PRIOR,
) -> TaskRankings:
    """Aggregate every task's pairwise outcomes into one ranking of its responses.

    One entry per outcome: ``task``, the pair (``first``, ``second`` response ids) and the
    ``outcome``, ``0`` (first preferred), ``1`` (second preferred) or ``2`` (tie); each
    counts ``weight`` (default 1). Only responses that appear in some outcome are ranked.
    """
    if method not in ("bradley_terry", "copeland"):
        raise ValueError(f"method is {method!r}: use 'bradley_terry' or 'copeland'")
    tasks = as_ids("task", task)
    n = len(tasks)
    lower, upper, outcomes = oriented_pairs(as_ids("first", first, n, "task"),
                                            as_ids("second", second, n, "task"),
                                            as_ids("outcome", outcome, n, "task"))
    weights = np.ones(n) if weight is None else np.asarray(weight, dtype=np.float64).ravel()
    if len(weights) != n or (weights < 0).any() or not np.isfinite(weights).all():
        raise ValueError(f"weight must hold {n} finite, non-negative values")
    layout = _layout(tasks, lower, upper)
    return _aggregate(layout, outcomes, weights, method, prior)


def _aggregate(layout: _Layout, outcome: NDArray[np.int64], weight: NDArray[np.float64],
               method: Method, prior: float) -> TaskRankings:
    """Aggregate the tasks size by size and gather the results in task order."""
    n_tasks, n_entries = len(layout.task), len(layout.response)
    sizes = np.diff(layout.offsets)
    margin, confidence = np.zeros(n_tasks), np.full(n_tasks, 0.5)
    response = np.zeros(n_entries, dtype=np.int64)
    group, score = np.zeros(n_entries, dtype=np.int64), np.zeros(n_entries)
    for size in np.unique(sizes):
        tasks = np.flatnonzero(sizes == size)
        wins = _win_tables(layout, outcome, weight, tasks, int(size))
        if method == "bradley_terry":
            scores, tolerance = fit_strengths(wins, prior), TIE_TOLERANCE
        else:  # Copeland scores are multiples of 1/2
            scores, tolerance = copeland_scores(wins), 0.25
        order, groups, ordered = _rank(scores, tolerance)
        decided = groups[:, 1] > 0
        margin[tasks] = np.where(decided, ordered[:, 0] - ordered[:, 1], 0.0)
        confidence[tasks] = np.where(decided, _confidence(method, wins, order, groups, ordered),
                                     0.5)
        slots = layout.offsets[tasks][:, None] + np.arange(size)
        response[slots] = layout.response[layout.offsets[tasks][:, None] + order]
        group[slots], score[slots] = groups, ordered
    return TaskRankings(task=layout.task, margin=margin, confidence=confidence,
                        offsets=layout.offsets, response=response, group=group, score=score)
