"""When a task has enough judgments: the posterior of its consensus label, and unanimity.

The one-coin model (Dawid & Skene 1979 with one accuracy per annotator, as in Raykar et al.
2010, §2.1): annotator ``j`` gives the true class with probability ``p_j`` and each of the
other ``K - 1`` classes with probability ``(1 - p_j) / (K - 1)``. With a uniform prior, the
posterior of class ``c`` given the labels is proportional to
``prod_j p_j^[l_j = c] * ((1 - p_j) / (K - 1))^[l_j != c]``; it is computed in log space.
Accuracies are clipped to ``[ACCURACY_FLOOR, ACCURACY_CEILING]`` so that no single vote is
ever certain (a perfect record on a few tasks is not proof of infallibility).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

ACCURACY_FLOOR = 0.01
ACCURACY_CEILING = 0.99


@dataclass(frozen=True)
class Posterior:
    """The most probable class and its posterior probability (first class on a tie)."""

    label: int
    confidence: float
    probabilities: np.ndarray


def one_coin_posterior(labels: ArrayLike, accuracy: ArrayLike, n_classes: int) -> Posterior:
    """Posterior over ``n_classes`` classes of one item from its labels (class indices) and
    each labeller's accuracy, under the one-coin model (module docstring)."""
    votes = np.asarray(labels, dtype=np.int64)
    p = np.clip(np.asarray(accuracy, dtype=np.float64), ACCURACY_FLOOR, ACCURACY_CEILING)
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, not {n_classes}")
    if votes.shape != p.shape:
        raise ValueError("labels and accuracy must have the same length")
    if len(votes) and (votes.min() < 0 or votes.max() >= n_classes):
        raise ValueError(f"labels must be class indices below {n_classes}")
    miss = np.log((1 - p) / (n_classes - 1))
    log_post = np.full(n_classes, miss.sum())
    np.add.at(log_post, votes, np.log(p) - miss)
    log_post -= log_post.max()
    probabilities = np.exp(log_post)
    probabilities /= probabilities.sum()
    label = int(np.argmax(probabilities))
    return Posterior(label, float(probabilities[label]), probabilities)


def unanimous(labels: ArrayLike) -> bool:
    """Whether every label is the same (an item with no label is not unanimous)."""
    votes = np.asarray(labels)
    return bool(len(votes)) and bool((votes == votes[0]).all())


def agreement_with_others(labels: ArrayLike, accuracy: ArrayLike) -> np.ndarray:
    """Per labeller: 1 when their label is the others' single reliability-weighted plurality,
    ``1 / t`` when it is one of ``t`` tied pluralities, 0 otherwise; NaN for a lone label.

    The running reliability of adaptive overlap counts this, never agreement with a
    consensus the annotator's own vote helped make (which would flatter everyone).
    """
    votes = np.asarray(labels, dtype=np.int64)
    weight = np.clip(np.asarray(accuracy, dtype=np.float64), ACCURACY_FLOOR, ACCURACY_CEILING)
    n = len(votes)
    out = np.full(n, np.nan)
    if n < 2:
        return out
    classes, index = np.unique(votes, return_inverse=True)
    totals = np.zeros(len(classes))
    np.add.at(totals, index, weight)
    for j in range(n):
        others = totals.copy()
        others[index[j]] -= weight[j]
        best = others.max()
        top = np.isclose(others, best) & (others > 0)
        out[j] = (1.0 / top.sum()) if top[index[j]] else 0.0
    return out
