"""Accuracy on gold items: the share of each annotator's judgments that match a known answer.

Gold (calibration) items are the one place where an annotator's accuracy needs no model:
it is counted. The counts come with it, because 4 of 5 and 400 of 500 are not the same
evidence.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.reliability.incidence import as_ids, size_of


@dataclass(frozen=True)
class GoldAccuracy:
    """Per annotator: gold judgments, how many were right, and the share right."""

    answered: NDArray[np.int64]
    """Incidence the annotator gave on gold items."""
    correct: NDArray[np.int64]
    """Of those, how many matched the gold label."""
    accuracy: NDArray[np.float64]
    """``correct / answered``; NaN for annotators who judged no gold item."""


def _answer_key(
    items: NDArray[np.int64], labels: NDArray[np.int64], size: int
) -> NDArray[np.int64]:
    """Gold label per item id, -1 where there is none; one item may not have two answers."""
    key = np.full(size, -1, dtype=np.int64)
    key[items] = labels
    clash = np.flatnonzero(key[items] != labels)
    if len(clash):
        i = int(clash[0])
        raise ValueError(f"gold_item {items[i]} has two gold labels ({labels[i]} and "
                         f"{key[items[i]]})")
    return key


def gold_accuracy(
    item: ArrayLike,
    annotator: ArrayLike,
    label: ArrayLike,
    gold_item: ArrayLike,
    gold_label: ArrayLike,
    n_annotators: int | None = None,
) -> GoldAccuracy:
    """Each annotator's accuracy on the items whose answer is known.

    ``item``, ``annotator``, ``label``: one entry per judgment. ``gold_item`` and
    ``gold_label``: one entry per gold item. Incidence of other items are ignored.
    """
    items = as_ids("item", item)
    annotators = as_ids("annotator", annotator, len(items))
    labels = as_ids("label", label, len(items))
    golds = as_ids("gold_item", gold_item)
    answers = as_ids("gold_label", gold_label, len(golds), "gold_item")
    n_annotators = size_of("annotator", "n_annotators", annotators, n_annotators)
    size = max(int(items.max(initial=-1)), int(golds.max(initial=-1))) + 1
    key = _answer_key(golds, answers, size)[items]
    on_gold = key >= 0
    answered = np.bincount(annotators[on_gold], minlength=n_annotators)
    correct = np.bincount(annotators[on_gold & (labels == key)], minlength=n_annotators)
    accuracy = np.full(n_annotators, np.nan)
    np.divide(correct, answered, out=accuracy, where=answered > 0)
    return GoldAccuracy(answered=answered, correct=correct, accuracy=accuracy)
