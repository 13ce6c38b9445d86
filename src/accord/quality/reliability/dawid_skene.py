"""Dawid-Skene annotator models: a full confusion matrix per annotator, or one coin.

- :func:`dawid_skene`: Dawid & Skene (1979), every annotator has a ``K x K`` confusion
  matrix, so systematic confusions (always calling B "A") are learnt, not just error rates.
- :func:`one_coin`: the one-coin simplification (Dawid & Skene 1979, sec. 4; used by Zhang,
  Chen, Zhou & Jordan 2016): one accuracy per annotator, errors spread evenly over the other
  classes. Fewer parameters, so steadier when annotators give only a few labels each.

Both start from majority-vote shares (as crowd-kit does) and share the EM loop of
:mod:`accord.quality.reliability.em`. Items with a known answer (gold) may be passed: their
posteriors are held at that answer, so they anchor the annotators' confusion matrices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.reliability import em
from accord.quality.reliability.incidence import Incidence, as_ids
from accord.quality.reliability.majority import majority_of

MAX_ITER = 200
TOL = 1e-8
"""Stop when the mean log-likelihood per judgment gains less than this. Tighter than
crowd-kit's 1e-5 on its evidence bound, which can stop EM after two steps (d_Duck) or
before the labels settle (d_jn-product): the estimate should not depend on the stopping
rule. Well-separated data converges in 10-25 steps all the same."""
SMOOTHING = 0.01
"""Pseudo-count added to every confusion cell and class total: a symmetric Dirichlet prior
small enough to leave well-observed annotators untouched."""
SKILL_BOUNDS = (1e-6, 1.0 - 1e-6)
"""One-coin accuracies are kept inside these, so no confusion entry is exactly 0."""


def full_confusion(
    judgments: Incidence, posteriors: NDArray[np.float64], smoothing: float
) -> NDArray[np.float64]:
    """M step of the full model: smoothed expected counts, normalised per true class."""
    counts = judgments.counts(posteriors) + smoothing
    return counts / counts.sum(axis=2, keepdims=True)


def one_coin_confusion(
    judgments: Incidence, posteriors: NDArray[np.float64], smoothing: float
) -> NDArray[np.float64]:
    """M step of the one-coin model: expected share correct, errors spread evenly."""
    counts = judgments.counts(posteriors)
    k = judgments.n_classes
    correct = np.trace(counts, axis1=1, axis2=2)
    skill = (correct + smoothing) / (counts.sum(axis=(1, 2)) + k * smoothing)
    skill = np.clip(skill, *SKILL_BOUNDS)
    confusion = np.repeat(((1.0 - skill) / (k - 1))[:, None, None], k * k, axis=1)
    confusion = confusion.reshape(-1, k, k)
    diagonal = np.arange(k)
    confusion[:, diagonal, diagonal] = skill[:, None]
    return confusion


def gold_answers(
    judgments: Incidence, gold_item: ArrayLike | None, gold_label: ArrayLike | None
) -> tuple[NDArray[np.int64], NDArray[np.int64]] | None:
    """The gold (item, label) arrays, checked against the judgments' sizes."""
    if gold_item is None and gold_label is None:
        return None
    if gold_item is None or gold_label is None:
        raise ValueError("gold_item and gold_label must be given together")
    items = as_ids("gold_item", gold_item)
    labels = as_ids("gold_label", gold_label, len(items), "gold_item")
    for name, ids, size in (("gold_item", items, judgments.n_items),
                            ("gold_label", labels, judgments.n_classes)):
        outside = np.flatnonzero(ids >= size)
        if len(outside):
            i = int(outside[0])
            raise ValueError(f"{name}[{i}] is {ids[i]}, outside 0..{size - 1}")
    return items, labels


def _estimator(m_step: em.MStep, name: str, doc: str):
    """An EM estimator with :func:`dawid_skene`'s signature whose M step is ``m_step``: it
    checks the inputs, starts from majority-vote shares and runs EM."""

    def estimate(
        item: ArrayLike,
        annotator: ArrayLike,
        label: ArrayLike,
        n_items: int | None = None,
        n_annotators: int | None = None,
        n_classes: int | None = None,
        *,
        gold_item: ArrayLike | None = None,
        gold_label: ArrayLike | None = None,
        max_iter: int = MAX_ITER,
        tol: float = TOL,
        smoothing: float = SMOOTHING,
    ) -> em.Reliability:
        judgments = Incidence.of(item, annotator, label, n_items, n_annotators, n_classes)
        return em.fit(judgments, majority_of(judgments).posteriors, m_step, max_iter=max_iter,
                      tol=tol, smoothing=smoothing,
                      gold=gold_answers(judgments, gold_item, gold_label))

    estimate.__name__ = estimate.__qualname__ = name
    estimate.__doc__ = doc
    return estimate


dawid_skene = _estimator(full_confusion, "dawid_skene", """\
True-class posteriors and a full confusion matrix per annotator (Dawid & Skene 1979).

    ``item``, ``annotator`` and ``label`` hold one entry per judgment; labels are classes
    ``0..n_classes-1``. Each size defaults to one more than the largest id seen. Items with
    a known answer may be passed as ``gold_item`` and ``gold_label``: their posteriors are
    held at that answer.
    """)

one_coin = _estimator(one_coin_confusion, "one_coin", """\
Like :func:`dawid_skene`, but one accuracy per annotator (the one-coin model).

    ``confusion[a]`` has ``accuracy[a]`` on its diagonal and ``(1 - accuracy[a]) / (K - 1)``
    elsewhere.
    """)
