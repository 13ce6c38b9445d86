"""Majority vote over categorical judgments: the baseline, and the start of every EM fit.

The vote shares of an item are the fraction of its judgments that gave each class; the
majority label is the class with the largest share, the lowest class among equals. That
tie rule is deterministic and reproduces the majority-vote reference accuracies that the
tests check; crowd-kit's ``MajorityVote`` instead takes the tied label that appears
first in its data, so the two differ on tied items only (65 of 800 on RTE).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.reliability.incidence import Incidence


@dataclass(frozen=True)
class MajorityVote:
    """Vote shares and majority labels of every item (items without votes: uniform, label 0)."""

    posteriors: NDArray[np.float64]
    """``(n_items, n_classes)``: each item's share of votes per class."""
    labels: NDArray[np.int64]
    """The class with the most votes; the lowest such class when several share the top."""
    votes: NDArray[np.int64]
    """How many judgments each item has."""
    tied: NDArray[np.bool_]
    """Items whose top vote count is shared by two or more classes."""


def vote_counts(judgments: Incidence) -> NDArray[np.int64]:
    """``(n_items, n_classes)`` judgment counts, by one ``bincount`` over item x class codes."""
    k = judgments.n_classes
    flat = np.bincount(judgments.item * k + judgments.label, minlength=judgments.n_items * k)
    return flat.reshape(judgments.n_items, k)


def vote_shares(counts: NDArray[np.int64]) -> NDArray[np.float64]:
    """Each row of ``counts`` divided by its total; rows without votes become uniform."""
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.full(counts.shape, 1.0 / counts.shape[1])
    np.divide(counts, totals, out=shares, where=totals > 0)
    return shares


def majority_of(judgments: Incidence) -> MajorityVote:
    """:func:`majority_vote` on judgments already checked."""
    counts = vote_counts(judgments)
    top = counts.max(axis=1, keepdims=True)
    return MajorityVote(
        posteriors=vote_shares(counts),
        labels=counts.argmax(axis=1).astype(np.int64),
        votes=counts.sum(axis=1),
        tied=(counts == top).sum(axis=1) > 1,
    )


def majority_vote(
    item: ArrayLike,
    annotator: ArrayLike,
    label: ArrayLike,
    n_items: int | None = None,
    n_classes: int | None = None,
) -> MajorityVote:
    """The majority label of every item, with vote shares as a (crude) posterior.

    ``annotator`` is taken only so that every estimator here has the same signature.
    """
    judgments = Incidence.of(item, annotator, label, n_items=n_items, n_classes=n_classes)
    return majority_of(judgments)
