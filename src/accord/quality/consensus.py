"""Consensus over pairwise votes: the majority outcome of every (task, pair), vectorised.

Each vote is one annotator's outcome for one pair of responses of one task: ``winner`` over
``loser``, or a tie of the two. A pair is named by its two response ids in ascending order,
``first < second``, so that "a over b" and "b over a" are votes on the same pair.

The majority of a pair is the outcome (``first`` preferred, ``second`` preferred, or tie)
given by strictly more annotators than each of the other two — a plurality that is unique.
A pair has no majority when that outcome is a tie, or when two outcomes share the top count
(an even split such as 1-1, or 1-1-1 with a tie vote); such pairs decide nothing.

Preference strength (``1`` slightly … ``3`` much better) enters only the margin: the mean over
the pair's annotators of the strength signed toward ``first`` (positive when the annotator
preferred ``first``, negative when they preferred ``second``, ``0`` for a tie). A vote whose
strength was not given counts with :data:`DEFAULT_STRENGTH`.

The work is one ``lexsort`` and a few ``bincount`` calls per chunk of tasks, so a chunk of
tens of thousands of votes takes milliseconds; nothing here loops over tasks in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.reliability.pairs import PairOrder, pair_order

FIRST = 1
"""``outcome`` value: the pair's ``first`` response won the majority."""
SECOND = -1
"""``outcome`` value: the pair's ``second`` response won the majority."""
NO_MAJORITY = 0
"""``outcome`` value: the majority was a tie, or no outcome had a unique top count."""
DEFAULT_STRENGTH = 1
"""The strength of a preference whose annotator gave none (``strength`` 0 on input)."""


@dataclass(frozen=True)
class PairMajorities:
    """One entry per distinct (task, pair), sorted by task, then ``first``, then ``second``."""

    task: NDArray[np.int64]
    first: NDArray[np.int64]
    """The pair's lower response id."""
    second: NDArray[np.int64]
    """The pair's higher response id."""
    outcome: NDArray[np.int8]
    """:data:`FIRST`, :data:`SECOND` or :data:`NO_MAJORITY`."""
    votes: NDArray[np.int64]
    """How many annotators judged the pair."""
    agreement: NDArray[np.float64]
    """Share of the pair's votes that equal its most common outcome."""
    margin: NDArray[np.float64]
    """Mean strength signed toward ``first`` (ties count 0)."""

    def __len__(self) -> int:
        return len(self.task)

    @property
    def decided(self) -> NDArray[np.bool_]:
        """Pairs with a majority for one of the two responses."""
        return self.outcome != NO_MAJORITY

    def select(self, mask: NDArray[np.bool_]) -> PairMajorities:
        """The entries where ``mask`` holds, in the same order."""
        return PairMajorities(
            self.task[mask], self.first[mask], self.second[mask], self.outcome[mask],
            self.votes[mask], self.agreement[mask], self.margin[mask],
        )


def _as_int64(name: str, values: ArrayLike, length: int | None) -> NDArray[np.int64]:
    array = np.asarray(values, dtype=np.int64).reshape(-1)
    if length is not None and len(array) != length:
        raise ValueError(f"{name} has {len(array)} entries, but task has {length}")
    return array


def _check(winner: NDArray[np.int64], loser: NDArray[np.int64], strength) -> None:
    same = np.flatnonzero(winner == loser)
    if len(same):
        i = int(same[0])
        raise ValueError(f"vote {i}: winner and loser are the same response ({winner[i]})")
    negative = np.flatnonzero(strength < 0)
    if len(negative):
        i = int(negative[0])
        raise ValueError(f"vote {i}: strength {strength[i]} is negative")


def _empty() -> PairMajorities:
    ints = np.zeros(0, dtype=np.int64)
    floats = np.zeros(0, dtype=np.float64)
    return PairMajorities(ints, ints, ints, np.zeros(0, dtype=np.int8), ints, floats, floats)


def _pair_groups(task, first, second, known: PairOrder | None
                 ) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """The order that sorts votes by (task, first, second), and each sorted vote's group."""
    order, starts = pair_order(task, first, second, known)
    return order, np.cumsum(starts) - 1


def majority_pairs(
    task: ArrayLike,
    winner: ArrayLike,
    loser: ArrayLike,
    tie: ArrayLike,
    strength: ArrayLike | None = None,
    *,
    order: PairOrder | None = None,
) -> PairMajorities:
    """The majority outcome, agreement and margin of every (task, pair) among the votes.

    ``task``, ``winner`` and ``loser`` are integer ids, one entry per vote; ``tie`` is true
    where the vote tied the two responses (their order is then irrelevant); ``strength`` is
    the annotator's preference strength, ``0`` where none was given (it counts as
    :data:`DEFAULT_STRENGTH`); omitted, every vote has the default strength. Each annotator
    should vote at most once per (task, pair); the function counts votes, not annotators.
    ``order``: the votes' :func:`~accord.quality.reliability.pairs.pair_order` (pairs named
    lower id first), when the caller has it.
    """
    task_ids = _as_int64("task", task, None)
    n = len(task_ids)
    winners = _as_int64("winner", winner, n)
    losers = _as_int64("loser", loser, n)
    ties = np.asarray(tie, dtype=bool).reshape(-1)
    if len(ties) != n:
        raise ValueError(f"tie has {len(ties)} entries, but task has {n}")
    given = np.zeros(n, dtype=np.int64) if strength is None else _as_int64("strength", strength, n)
    _check(winners, losers, given)
    if n == 0:
        return _empty()
    first = np.minimum(winners, losers)
    second = np.maximum(winners, losers)
    direction = np.where(ties, 0, np.where(winners == first, FIRST, SECOND))
    signed = direction * np.where(given == 0, DEFAULT_STRENGTH, given)
    sorting, group = _pair_groups(task_ids, first, second, order)
    return _tally(task_ids[sorting], first[sorting], second[sorting], direction[sorting],
                  signed[sorting], group)


def _tally(task, first, second, direction, signed, group) -> PairMajorities:
    """Count each sorted group's outcomes and reduce them to its majority."""
    size = int(group[-1]) + 1
    counts = np.stack([
        np.bincount(group, weights=direction == FIRST, minlength=size),
        np.bincount(group, weights=direction == SECOND, minlength=size),
        np.bincount(group, weights=direction == 0, minlength=size),
    ], axis=1).astype(np.int64)
    top = counts.max(axis=1)
    unique = (counts == top[:, None]).sum(axis=1) == 1
    outcome = np.full(size, NO_MAJORITY, dtype=np.int8)
    outcome[unique & (counts[:, 0] == top)] = FIRST
    outcome[unique & (counts[:, 1] == top)] = SECOND
    votes = counts.sum(axis=1)
    heads = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    margin = np.bincount(group, weights=signed, minlength=size) / votes
    return PairMajorities(
        task[heads], first[heads], second[heads], outcome, votes, top / votes, margin
    )
