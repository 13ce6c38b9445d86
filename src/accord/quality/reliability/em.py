"""The expectation-maximisation loop shared by the Dawid-Skene models.

Dawid & Skene (1979) estimate, for every annotator, the probability of each given label
conditional on each true class (a confusion matrix), and the class priors, by EM:

- E step: an item's log posterior over true classes is its log prior plus,
  for each of its judgments, the log confusion entry of (annotator, given label). Over all
  items that is one sparse product ``incidence @ log_confusion``, normalised row-wise in
  log space (the largest logit is subtracted before ``exp``) so long products of small
  probabilities never underflow. The normalisers add up to the marginal log-likelihood.
- M step: expected confusion counts are ``incidence.T @ posteriors``; each
  model turns them into confusion matrices in its own way (full or one-coin). A pseudo-count
  (``smoothing``) is added to every cell and to the class totals, a symmetric Dirichlet
  prior, so that a class no annotator has seen gives a uniform row instead of 0/0 = NaN and
  no log is ever taken of 0.

The loop stops when its objective per judgment improves by less than ``tol`` (crowd-kit
applies the same kind of rule to its evidence lower bound) or after ``max_iter`` E steps. The
objective is the mean log-likelihood, plus the log prior density where a model passes one
(``log_prior``: EM with pseudo-counts is MAP-EM and climbs the log posterior, not the
likelihood). EM never lowers its objective, so a fall can only be rounding error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from accord.quality.reliability.incidence import Incidence

MStep = Callable[[Incidence, NDArray[np.float64], float], NDArray[np.float64]]
"""Posteriors and smoothing to ``(n_annotators, K, K)`` confusion matrices [true, given]."""
LogPrior = Callable[[NDArray[np.float64], NDArray[np.float64]], float]
"""Confusion matrices and class priors to the log prior density (up to a constant)."""


@dataclass(frozen=True)
class Reliability:
    """What an EM fit learnt about the items, the annotators and the classes."""

    posteriors: NDArray[np.float64]
    """``(n_items, K)``: the probability of each true class; items without judgments get
    the class priors."""
    labels: NDArray[np.int64]
    """The most probable class of each item (the lowest among equals)."""
    confusion: NDArray[np.float64]
    """``(n_annotators, K, K)``: ``confusion[a, k, l]`` = P(annotator ``a`` says ``l`` |
    true class ``k``); each row sums to 1. Annotators without judgments get uniform rows."""
    accuracy: NDArray[np.float64]
    """Per annotator, the expected share of correct labels: ``sum_k priors[k] *
    confusion[a, k, k]``."""
    priors: NDArray[np.float64]
    """``(K,)``: the estimated share of each true class among the judged items."""
    judged: NDArray[np.int64]
    """How many judgments each annotator gave."""
    log_likelihood: float
    """Marginal log-likelihood of all judgments under the parameters of the last E step."""
    iterations: int
    """E steps run."""
    converged: bool
    """Whether the stopping rule was met before ``max_iter``."""


def check_options(max_iter: int, tol: float, smoothing: float) -> None:
    """Reject settings under which EM is undefined."""
    if max_iter < 1:
        raise ValueError(f"max_iter is {max_iter}: at least one iteration is needed")
    if not tol >= 0:
        raise ValueError(f"tol is {tol}: it must be non-negative")
    if not smoothing > 0:
        raise ValueError(f"smoothing is {smoothing}: it must be positive (a zero count "
                         "would give log 0)")


def normalise_logits(logits: NDArray[np.float64]) -> tuple[NDArray[np.float64], float]:
    """Row-wise softmax of ``logits``, and the sum of the rows' log normalisers.

    The work runs on the transpose, one contiguous row per class: with a handful of classes
    that is several times faster than NumPy's reductions along a short last axis or over
    strided columns. The result is that transpose's view, shaped like ``logits``.
    """
    classes = np.ascontiguousarray(logits.T)
    rows = list(classes)
    top = rows[0].copy()
    for row in rows[1:]:
        np.maximum(top, row, out=top)
    classes -= top
    np.exp(classes, out=classes)
    total = rows[0].copy()
    for row in rows[1:]:
        total += row
    classes /= total
    return classes.T, float(top.sum() + np.log(total).sum())


def e_step(
    judgments: Incidence, confusion: NDArray[np.float64], priors: NDArray[np.float64]
) -> tuple[NDArray[np.float64], float]:
    """Posteriors over true classes and the marginal log-likelihood (Dawid & Skene 1979, s. 2)."""
    k = judgments.n_classes
    log_confusion = np.log(confusion).transpose(0, 2, 1).reshape(-1, k)
    logits = judgments.matrix @ log_confusion
    logits += np.log(priors)
    return normalise_logits(logits)


def class_priors(
    posteriors: NDArray[np.float64], labelled: NDArray[np.bool_] | None, smoothing: float
) -> NDArray[np.float64]:
    """Mean posterior over the judged items, smoothed: the class priors' M step."""
    judged = posteriors if labelled is None else posteriors[labelled]
    # the E step's posteriors are laid out class by class, so this sums contiguous columns
    totals = judged.sum(axis=0) + smoothing
    return totals / totals.sum()


def clamp_gold(
    posteriors: NDArray[np.float64], gold: tuple[NDArray[np.int64], NDArray[np.int64]] | None
) -> NDArray[np.float64]:
    """Set the posteriors of items with a known answer to that answer, in place."""
    if gold is not None:
        items, labels = gold
        posteriors[items] = 0.0
        posteriors[items, labels] = 1.0
    return posteriors


def fit(
    judgments: Incidence,
    start: NDArray[np.float64],
    m_step: MStep,
    *,
    max_iter: int,
    tol: float,
    smoothing: float,
    gold: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
    log_prior: LogPrior | None = None,
) -> Reliability:
    """Run EM from the posteriors ``start`` until the objective stops improving."""
    check_options(max_iter, tol, smoothing)
    labelled = judgments.labelled_items()
    mask = None if labelled.all() else labelled
    posteriors = clamp_gold(start.copy(), gold)
    confusion = m_step(judgments, posteriors, smoothing)
    priors = class_priors(posteriors, mask, smoothing)
    scale = max(len(judgments), 1)
    previous, converged, iterations = -np.inf, False, 0
    log_likelihood = -np.inf
    while iterations < max_iter and not converged:
        posteriors, log_likelihood = e_step(judgments, confusion, priors)
        objective = log_likelihood + (log_prior(confusion, priors) if log_prior else 0.0)
        clamp_gold(posteriors, gold)
        iterations += 1
        confusion = m_step(judgments, posteriors, smoothing)
        priors = class_priors(posteriors, mask, smoothing)
        converged = objective / scale - previous < tol
        previous = objective / scale
    if mask is not None:
        posteriors[~mask] = priors
        clamp_gold(posteriors, gold)
    return Reliability(
        posteriors=posteriors,
        labels=posteriors.argmax(axis=1).astype(np.int64),
        confusion=confusion,
        accuracy=np.einsum("k,akk->a", priors, confusion),
        priors=priors,
        judged=judgments.labels_per_annotator(),
        log_likelihood=log_likelihood,
        iterations=iterations,
        converged=converged,
    )
