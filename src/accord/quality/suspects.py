"""Suspect labels: which settled labels an independent signal most doubts (confident learning).

Confident learning (Northcutt, Jiang and Chuang 2021, "Confident learning: estimating
uncertainty in dataset labels", JAIR 70, sections 2.1-2.3): for each class ``j`` the
threshold ``t_j`` is the signal's average self-confidence on the examples labelled ``j``;
an example is *confidently* of class ``j`` when ``p_j >= t_j`` (the largest such ``p`` when
several classes pass); the confident joint ``C[given, confident]`` counts them, and its
off-diagonal examples are the label issues. As in the paper's reference implementation, an
issue whose given label the signal also ranks first is dropped, and issues are ranked by
self-confidence (``p`` of the given label), lowest first; for two classes the normalized
margin ranks them the same way.

Preference pairs are a binary problem once each pair is oriented by its responses' positions
in the task: class 0 when the consensus prefers the first response, class 1 when it prefers
the second. The signal gives ``P(first is better)``. Orienting by position (rather than by
"chosen") keeps both classes populated, so each gets its own threshold, and a signal with a
position bias is judged against its own habits.

The consensus is itself uncertain: a label settled by reliable annotators deserves less
doubt than one settled by a shaky majority. :func:`wrong_probability` combines the two as
independent evidence (naive Bayes with an even prior): with ``q`` the consensus' confidence
under the annotators' reliabilities and ``s`` the signal's self-confidence,
``P(wrong) = (1-q)(1-s) / ((1-q)(1-s) + q s)``. At equal ``q`` this is decreasing in ``s``,
so the order is confident learning's own; an unknown ``q`` counts as 1/2 (no evidence).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

FUZZ = 1e-6
"""Tolerance of threshold comparisons (probabilities equal to a threshold up to rounding
count as reaching it), as in the reference implementation."""


@dataclass(frozen=True)
class LabelIssues:
    """Confident learning's verdict on ``n`` labels of ``k`` classes."""

    thresholds: NDArray[np.float64]
    """Per class: the signal's mean self-confidence on the examples given that class."""
    confident_joint: NDArray[np.int64]
    """``k x k`` counts of (given label, confidently predicted class), before calibration."""
    self_confidence: NDArray[np.float64]
    """Per example: the signal's probability of the given label."""
    ranked: NDArray[np.intp]
    """Indices of the label issues, most doubtful (lowest self-confidence) first."""


def _checked(labels: ArrayLike, probabilities: ArrayLike) -> tuple[NDArray[np.intp],
                                                                   NDArray[np.float64]]:
    given = np.asarray(labels)
    probs = np.asarray(probabilities, dtype=np.float64)
    if probs.ndim != 2 or given.shape != (probs.shape[0],):
        raise ValueError(f"labels {given.shape} and probabilities {probs.shape} do not match: "
                         "one label per row of an n x k array is needed")
    if len(given) and (given.min() < 0 or given.max() >= probs.shape[1]):
        raise ValueError(f"labels must lie in 0..{probs.shape[1] - 1}")
    if not np.all(np.isfinite(probs)) or probs.min(initial=0) < 0 or probs.max(initial=0) > 1:
        raise ValueError("probabilities must be finite and lie between 0 and 1")
    return given.astype(np.intp), probs


def confident_learning(labels: ArrayLike, probabilities: ArrayLike) -> LabelIssues:
    """The label issues of ``labels`` (``n`` class indices) under ``probabilities`` (``n x k``,
    out-of-sample, rows summing to 1)."""
    given, probs = _checked(labels, probabilities)
    n, k = probs.shape
    rows = np.arange(n)
    self_confidence = probs[rows, given] if n else np.zeros(0)
    sums = np.bincount(given, weights=self_confidence, minlength=k)
    counts = np.bincount(given, minlength=k)
    # A class nobody was given gets an unreachable threshold: nothing is confidently of it.
    thresholds = np.where(counts > 0, sums / np.maximum(counts, 1), 2.0).clip(min=2 * FUZZ)
    confident = probs >= thresholds - FUZZ
    passing = confident.sum(axis=1)
    guess = np.where(passing > 1, probs.argmax(axis=1), confident.argmax(axis=1))
    counted = passing > 0
    joint = np.zeros((k, k), dtype=np.int64)
    np.add.at(joint, (given[counted], guess[counted]), 1)
    issue = counted & (guess != given)
    # The signal itself ranking the given label first (up to FUZZ) clears an issue.
    nudged = probs.copy()
    nudged[rows, given] += FUZZ
    issue &= nudged.argmax(axis=1) != given
    found = np.flatnonzero(issue)
    ranked = found[np.argsort(self_confidence[found], kind="stable")]
    return LabelIssues(thresholds=thresholds, confident_joint=joint,
                       self_confidence=self_confidence, ranked=ranked)


def wrong_probability(self_confidence: ArrayLike, consensus_confidence: ArrayLike
                      ) -> NDArray[np.float64]:
    """Per label: the probability that it is wrong, from the signal's self-confidence and the
    consensus' own confidence (NaN: unknown, counted as 1/2), combined as independent
    evidence with an even prior (see the module's docstring)."""
    s = np.clip(np.asarray(self_confidence, dtype=np.float64), 0.0, 1.0)
    q = np.asarray(consensus_confidence, dtype=np.float64)
    q = np.clip(np.where(np.isnan(q), 0.5, q), 0.0, 1.0)
    doubt = (1 - q) * (1 - s)
    belief = q * s
    total = doubt + belief
    return np.where(total > 0, doubt / np.where(total > 0, total, 1), 0.5)


@dataclass(frozen=True)
class SuspectPairs:
    """Settled preference pairs ranked by how likely their consensus label is wrong."""

    issues: LabelIssues
    wrong: NDArray[np.float64]
    """Per pair: :func:`wrong_probability`."""
    ranked: NDArray[np.intp]
    """The confident-learning issues, most probably wrong first (ties keep their
    confident-learning order)."""


def suspect_pairs(first_wins: ArrayLike, first_probability: ArrayLike,
                  consensus_confidence: ArrayLike | None = None) -> SuspectPairs:
    """Rank settled pairs: ``first_wins`` (per pair, whether the consensus prefers the
    response shown first in the task), ``first_probability`` (the signal's probability that
    the first is better), ``consensus_confidence`` (the consensus' confidence under the
    annotators' reliabilities; None or NaN: unknown)."""
    wins = np.asarray(first_wins, dtype=bool)
    p_first = np.asarray(first_probability, dtype=np.float64)
    labels = np.where(wins, 0, 1)
    issues = confident_learning(labels, np.column_stack([p_first, 1 - p_first]))
    confidence = (np.full(len(wins), np.nan) if consensus_confidence is None
                  else np.asarray(consensus_confidence, dtype=np.float64))
    if confidence.shape != wins.shape:
        raise ValueError("one consensus confidence per pair is needed")
    wrong = wrong_probability(issues.self_confidence, confidence)
    order = np.argsort(-wrong[issues.ranked], kind="stable")
    return SuspectPairs(issues=issues, wrong=wrong, ranked=issues.ranked[order])
