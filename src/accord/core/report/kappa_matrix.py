"""The pairwise Cohen's κ matrix of the report (``agreement.cohen_kappa.matrix``).

Every pair's κ comes from ``quality.agreement.pairwise_cohen`` on the same comparison
judgments as the mean; the matrix keeps the ``MATRIX_LIMIT`` annotators with the most
judgments, so that a lead at 500 annotators sees the people whose disagreement weighs most
in a grid that still fits a screen.
"""

from __future__ import annotations

import math

import numpy as np

from accord.quality.agreement import Judgments, pairwise_cohen
from accord.wire.report.kappa_matrix import KappaMatrix, KappaPair

MATRIX_LIMIT = 30


def kappa_matrix(judgments: Judgments, names: list[str], min_overlap: int,
                 limit: int = MATRIX_LIMIT) -> KappaMatrix:
    """κ for each pair among the ``limit`` most active annotators (ties broken by name), with
    pairs sharing fewer than ``min_overlap`` items marked ``too_few`` rather than dropped."""
    counts = np.bincount(judgments.annotator, minlength=len(names))
    active = [int(i) for i in np.flatnonzero(counts)]
    active.sort(key=lambda i: (-int(counts[i]), names[i]))
    chosen = active[:limit]
    place = {annotator: rank for rank, annotator in enumerate(chosen)}
    every = pairwise_cohen(judgments, min_overlap=1)
    pairs: list[tuple[int, int, KappaPair]] = []
    for a, b, shared, value in zip(every.annotator_a.tolist(), every.annotator_b.tolist(),
                                   every.n_shared.tolist(), every.kappa.tolist(), strict=True):
        if a not in place or b not in place:
            continue
        first, second = sorted((a, b), key=place.__getitem__)
        pairs.append((place[first], place[second], KappaPair(
            a=names[first], b=names[second],
            kappa=None if math.isnan(value) else round(value, 6),
            shared_items=shared, too_few=shared < min_overlap)))
    pairs.sort(key=lambda entry: entry[:2])
    return KappaMatrix(annotators=[names[i] for i in chosen], limit=limit,
                       left_out=len(active) - len(chosen), min_overlap=min_overlap,
                       pairs=[pair for _, _, pair in pairs])
