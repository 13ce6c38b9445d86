"""The Dawid-Skene model fitted to pairwise outcomes: which side is "first" carries no meaning.

A pair is named ``(first, second)`` with ``first`` the lower response id, an order no
annotator ever sees (display order is drawn apart and measured by the position-bias
monitor). So an annotator's confusion matrix over the outcomes (first preferred, second
preferred, tie) is taken to be *exchangeable*: unchanged when the two sides are swapped,

- P(says first | first better) = P(says second | second better), and the same for the
  reversal and for calling a tie;
- P(says first | tie) = P(says second | tie).

Without ties that leaves one accuracy per annotator (the one-coin model); with ties, three
free numbers where a full 3 x 3 matrix has six. The full model fits each annotator's six
from a few hundred judgments, and its rarely seen tie row soaks up whatever items have split
votes: on planted data with no true ties it built a spurious "tie" class of 2-6 % of the
pairs, labelled them ties (always wrong), fell below majority vote, and crept along that
ridge for hundreds of EM steps without converging.

The second remedy is a weak Dirichlet prior on every confusion row (Bayesian Dawid-Skene;
Passonneau & Carpenter 2014, "The benefits of a model of annotation", TACL 2, s. 4):
``PAIR_PSEUDO_COUNTS`` adds two judgments on the diagonal and one on each other cell, worth
a handful of judgments against an annotator's hundreds, so it only says "an annotator is
more often right than wrong" where the data say little — in the tie row above all. The M
step is then the maximum a posteriori estimate under Dirichlet(pseudo-counts + 1), and EM
climbs the log posterior, which is what the stopping rule watches (``log_prior``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from accord.quality.reliability.incidence import Incidence

PAIR_PSEUDO_COUNTS = (2.0, 1.0)
"""Dirichlet pseudo-counts added to each confusion row: on the diagonal, elsewhere."""


def swap(n_classes: int) -> NDArray[np.intp]:
    """The outcome codes with the pair's two sides exchanged (a tie stays a tie)."""
    return np.array([1, 0, 2][:n_classes], dtype=np.intp)


def pseudo_counts(n_classes: int, smoothing: float) -> NDArray[np.float64]:
    """``(K, K)`` pseudo-counts per confusion row: the prior's plus ``smoothing`` everywhere."""
    diagonal, elsewhere = PAIR_PSEUDO_COUNTS
    counts = np.full((n_classes, n_classes), elsewhere + smoothing)
    counts[np.diag_indices(n_classes)] = diagonal + smoothing
    return counts


def exchangeable_confusion(
    judgments: Incidence, posteriors: NDArray[np.float64], smoothing: float
) -> NDArray[np.float64]:
    """M step: expected counts averaged with their side-swapped image, plus the prior, per row.

    Averaging the counts with their mirror image is the exact maximiser under the tied
    parameters, since the pseudo-counts are themselves unchanged by the swap.
    """
    k = judgments.n_classes
    mirror = swap(k)
    counts = judgments.counts(posteriors)
    counts = 0.5 * (counts + counts[:, mirror][:, :, mirror]) + pseudo_counts(k, smoothing)
    return counts / counts.sum(axis=2, keepdims=True)


def log_prior(smoothing: float):
    """The log density (up to a constant) of the Dirichlet priors on confusion rows and class
    priors at given parameters: the term EM's objective adds to the log-likelihood."""

    def value(confusion: NDArray[np.float64], priors: NDArray[np.float64]) -> float:
        k = confusion.shape[1]
        rows = float((pseudo_counts(k, smoothing) * np.log(confusion)).sum())
        return rows + smoothing * float(np.log(priors).sum())

    return value
