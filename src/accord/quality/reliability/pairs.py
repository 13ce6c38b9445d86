"""Reliability-weighted consensus over pairwise outcomes.

Every (task, pair of responses) is an item of the Dawid-Skene model whose classes are the
outcomes: first response preferred, second preferred and, when ties are allowed, a tie.
Fitting the model weighs each annotator by their estimated confusion matrix instead of
counting votes equally: a 2-1 split is decided for the side of the more reliable pair of
annotators, and the posterior of the winning outcome is the decision's confidence.

The ``"dawid_skene"`` model here is the pairwise one of :mod:`.pair_model`: confusion
matrices unchanged by swapping the pair's sides, under a weak Dirichlet prior, stopped when
the log posterior gains less than ``PAIR_TOL`` per judgment. ``"one_coin"`` is the one-coin
model of :mod:`.dawid_skene`, which is exchangeable already.

Outcome codes are those the core's quality inputs use (``OUTCOME_FIRST``,
``OUTCOME_SECOND``, ``OUTCOME_TIE``), and a pair is named with ``first < second``; pairs given
the other way round are turned, with their outcome, before fitting.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.reliability import em
from accord.quality.reliability.dawid_skene import MAX_ITER, SMOOTHING, one_coin_confusion
from accord.quality.reliability.em import Reliability
from accord.quality.reliability.incidence import Incidence, as_ids
from accord.quality.reliability.majority import majority_of
from accord.quality.reliability.pair_model import exchangeable_confusion, log_prior

FIRST_PREFERRED = 0
"""Outcome: the pair's ``first`` response was preferred."""
SECOND_PREFERRED = 1
"""Outcome: the pair's ``second`` response was preferred."""
TIE = 2
"""Outcome: the two responses were judged equal."""

PAIR_TOL = 1e-6
"""Stop when the log posterior per judgment gains less than this. On 1,000,000 planted
judgments the labels stop changing some ten steps before the gain falls under it; what
EM still moves after that is the share of a class no item belongs to (a tie class where no
pair is truly tied), which creeps toward 0 by a few per cent a step."""

Model = Literal["dawid_skene", "one_coin"]
M_STEPS: dict[str, em.MStep] = {"dawid_skene": exchangeable_confusion,
                                "one_coin": one_coin_confusion}


@dataclass(frozen=True)
class PairReliability:
    """One entry per distinct (task, pair), sorted by task, then ``first``, then ``second``."""

    task: NDArray[np.int64]
    first: NDArray[np.int64]
    second: NDArray[np.int64]
    outcome: NDArray[np.int8]
    """The most probable outcome: :data:`FIRST_PREFERRED`, :data:`SECOND_PREFERRED` or
    :data:`TIE`."""
    confidence: NDArray[np.float64]
    """The posterior probability of ``outcome``."""
    votes: NDArray[np.int64]
    """How many judgments the pair has."""
    reliability: Reliability
    """The fitted model: its items are these pairs, its classes the outcomes."""

    def __len__(self) -> int:
        return len(self.task)


def oriented_pairs(
    first: NDArray[np.int64], second: NDArray[np.int64], outcome: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]:
    """Pairs turned so that ``first < second``, with preferences turned alongside."""
    same = np.flatnonzero(first == second)
    if len(same):
        i = int(same[0])
        raise ValueError(f"outcome {i}: first and second are the same response ({first[i]})")
    bad = np.flatnonzero(outcome > TIE)
    if len(bad):
        i = int(bad[0])
        raise ValueError(f"outcome[{i}] is {outcome[i]}: outcomes are 0 (first preferred), "
                         "1 (second preferred) or 2 (tie)")
    turned = (first > second) & (outcome != TIE)
    return np.minimum(first, second), np.maximum(first, second), outcome ^ turned


PairOrder = tuple[NDArray[np.intp], NDArray[np.bool_]]
"""What :func:`pair_order` returns: the sorting order and where each pair's run starts."""


def _keys(task: NDArray[np.int64], first: NDArray[np.int64],
          second: NDArray[np.int64]) -> NDArray[np.int64] | None:
    """One int64 per outcome, ordered as (task, first, second), or None when it cannot fit."""
    span = int(max(first.max(), second.max())) + 1
    if (int(task.max()) + 1) * span * span >= 2**63:
        return None
    return (task.astype(np.int64) * span + first) * span + second


def pair_order(
    task: NDArray[np.int64], first: NDArray[np.int64], second: NDArray[np.int64],
    known: PairOrder | None = None,
) -> PairOrder:
    """The stable order that sorts outcomes by (task, first, second), and in that order where
    each pair's run starts.

    One sort of one int64 key ``(task * R + first) * R + second`` where it fits, several
    times faster than a lexsort of three columns. ``known``: the order a caller already
    computed for the same outcomes; it is checked (no sort) and returned.
    """
    if len(task) == 0:
        return np.zeros(0, np.intp), np.zeros(0, bool)
    key = _keys(task, first, second)
    if known is not None:
        return _checked(key, task, first, second, known)
    starts = np.ones(len(task), dtype=bool)
    if key is not None:
        order = np.argsort(key, kind="stable")
        ordered = key[order]
        starts[1:] = ordered[1:] != ordered[:-1]
    else:
        order = np.lexsort((second, first, task))
        t, f, s = task[order], first[order], second[order]
        starts[1:] = (t[1:] != t[:-1]) | (f[1:] != f[:-1]) | (s[1:] != s[:-1])
    return order, starts


def _checked(key, task, first, second, known: PairOrder) -> PairOrder:
    """``known`` if it sorts these outcomes into runs of equal pairs; else a ValueError."""
    order, starts = known
    if len(order) != len(task) or len(starts) != len(task):
        raise ValueError(f"the pair order has {len(order)} entries for {len(task)} outcomes")
    if key is None:
        return pair_order(task, first, second)
    ordered = key[order]
    steps = np.diff(ordered)
    if (steps < 0).any() or not starts[0] or not np.array_equal(starts[1:], steps != 0):
        raise ValueError("the pair order given does not sort these outcomes by pair")
    return order, starts


def pair_index(pairs: PairOrder) -> tuple[NDArray[np.int64], NDArray[np.intp]]:
    """From :func:`pair_order`'s result: each outcome's pair number (pairs ordered by task,
    first, second) and each pair's first outcome in that order."""
    order, starts = pairs
    index = np.empty(len(order), dtype=np.int64)
    index[order] = np.cumsum(starts) - 1
    return index, order[starts]


def pair_reliability(
    task: ArrayLike,
    first: ArrayLike,
    second: ArrayLike,
    annotator: ArrayLike,
    outcome: ArrayLike,
    n_annotators: int | None = None,
    *,
    ties: bool | None = None,
    model: Model = "dawid_skene",
    max_iter: int = MAX_ITER,
    tol: float = PAIR_TOL,
    smoothing: float = SMOOTHING,
    order: PairOrder | None = None,
) -> PairReliability:
    """The reliability-weighted outcome of every (task, pair), with annotator confusions.

    One entry per judgment: the ``task``, the pair (``first``, ``second`` response ids), the
    ``annotator`` and their ``outcome``. ``ties``: whether a tie is a class (three classes)
    or not (two); by default, whether any outcome is a tie. ``model`` picks a confusion
    matrix per annotator, exchangeable under swapping the sides (``"dawid_skene"``), or one
    accuracy per annotator (``"one_coin"``). ``order``: :func:`pair_order` of these
    outcomes (each pair named ``first < second``), when the caller has it.
    """
    if model not in M_STEPS:
        raise ValueError(f"model is {model!r}: use 'dawid_skene' or 'one_coin'")
    tasks = as_ids("task", task)
    n = len(tasks)
    outcomes = as_ids("outcome", outcome, n, "task")
    lower, upper, outcomes = oriented_pairs(as_ids("first", first, n, "task"),
                                            as_ids("second", second, n, "task"), outcomes)
    any_tie = bool((outcomes == TIE).any())
    if ties is False and any_tie:
        i = int(np.argmax(outcomes == TIE))
        raise ValueError(f"outcome[{i}] is a tie, but ties are not allowed")
    n_classes = 3 if (any_tie if ties is None else ties) else 2
    index, heads = pair_index(pair_order(tasks, lower, upper, order))
    annotators = as_ids("annotator", annotator, n, "task")
    judgments = Incidence.of(index, annotators, outcomes, len(heads), n_annotators, n_classes)
    fitted = em.fit(judgments, majority_of(judgments).posteriors, M_STEPS[model],
                    max_iter=max_iter, tol=tol, smoothing=smoothing,
                    log_prior=log_prior(smoothing) if model == "dawid_skene" else None)
    return PairReliability(
        task=tasks[heads],
        first=lower[heads],
        second=upper[heads],
        outcome=fitted.labels.astype(np.int8),
        confidence=fitted.posteriors[np.arange(len(heads)), fitted.labels],
        votes=np.bincount(index, minlength=len(heads)),
        reliability=fitted,
    )
