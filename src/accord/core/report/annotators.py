"""The report's ``annotators`` section: one row per person (or AI judge) who annotated.

``reliability`` is the Dawid-Skene estimate of how often the annotator's pairwise outcome is
the true one (Dawid & Skene 1979), fitted on every pair of the project; higher is more
reliable. Gold accuracy counts only calibration tasks, against their reference ranking.

Every user with an annotation in the report's cut has a row. An AI judge's row says how many
annotations it made, but its figures are empty (``counted_in_figures`` false) unless the
report counts AI judges (``report.scope``): it is measured against people in the ``judges``
section, not among them.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from accord.core.quality_inputs import ProjectArrays
from accord.core.report.consensus import Consensus


def _round(value: float, digits: int = 4) -> float | None:
    return None if value is None or math.isnan(value) else round(float(value), digits)


def _per_annotator_mean(index: NDArray[np.int64], values: NDArray, n: int) -> NDArray:
    total = np.bincount(index, weights=values.astype(np.float64), minlength=n)
    count = np.bincount(index, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _median_active_seconds(arrays: ProjectArrays, n: int) -> NDArray[np.float64]:
    """Each annotator's median active time per task, in seconds (NaN without annotations).

    One sort of (annotator, active time) keys, then the middle one or two entries of every
    annotator's run: the same values as ``np.median`` per annotator, without a loop.
    """
    a = arrays.annotations
    result = np.full(n, np.nan)
    if len(a.annotator) == 0:
        return result
    ms = a.active_ms.astype(np.int64)
    low, high = int(ms.min()), int(ms.max())
    span = high - low + 1
    if n * span < 2**62:
        ordered = np.sort(a.annotator.astype(np.int64) * span + (ms - low))
        sorted_annotator, sorted_ms = ordered // span, ordered % span + low
    else:
        order = np.lexsort((ms, a.annotator))
        sorted_annotator, sorted_ms = a.annotator[order], ms[order]
    starts = np.searchsorted(sorted_annotator, np.arange(n))
    ends = np.searchsorted(sorted_annotator, np.arange(n), side="right")
    present = np.flatnonzero(ends > starts)
    lower = sorted_ms[starts[present] + (ends[present] - starts[present] - 1) // 2]
    upper = sorted_ms[starts[present] + (ends[present] - starts[present]) // 2]
    result[present] = (lower.astype(np.float64) + upper.astype(np.float64)) / 2 / 1000
    return result


def section(arrays: ProjectArrays, consensus: Consensus, agrees: NDArray[np.bool_],
            gold: tuple[NDArray, NDArray] | None, spend: NDArray[np.float64],
            cut: ProjectArrays | None = None) -> list[dict]:
    """One row per annotator of ``cut`` (by default ``arrays``); figures from ``arrays``, the
    annotations the report counts."""
    n = len(arrays.annotators.ids)
    counts = np.bincount(arrays.annotations.annotator, minlength=n)
    in_cut = counts if cut is None else np.bincount(cut.annotations.annotator, minlength=n)
    hours = np.bincount(arrays.annotations.annotator,
                        weights=arrays.annotations.active_ms / 3_600_000, minlength=n)
    reliability = (consensus.weighted.reliability.accuracy if consensus.weighted is not None
                   else np.full(n, np.nan))
    agreement = (_per_annotator_mean(arrays.outcomes.annotator, agrees, n) if len(agrees)
                 else np.full(n, np.nan))
    median_s = _median_active_seconds(arrays, n)
    rows = []
    for i, name in enumerate(arrays.annotators.names):
        if in_cut[i] == 0:
            continue
        if counts[i] == 0:
            rows.append(_uncounted(name, arrays.annotators.kinds[i], int(in_cut[i]),
                                   gold is not None))
            continue
        row = {
            "name": name,
            "kind": arrays.annotators.kinds[i],
            "annotations": int(counts[i]),
            "reliability": _round(reliability[i]),
            "agreement_with_consensus": _round(agreement[i]),
            "median_seconds_per_task": _round(median_s[i], 1),
            "tasks_per_active_hour": _round(counts[i] / hours[i], 1) if hours[i] > 0 else None,
            "spend": _round(spend[i], 2) if len(spend) else None,
            "counted_in_figures": True,
        }
        if gold is not None:
            row["gold_answered"] = int(gold[0][i])
            row["gold_accuracy"] = _round(gold[1][i])
        rows.append(row)
    return rows


def _uncounted(name: str, kind: str, annotations: int, gold: bool) -> dict:
    """The row of an annotator whose annotations the figures leave out (an AI judge)."""
    row = {"name": name, "kind": kind, "annotations": annotations, "reliability": None,
           "agreement_with_consensus": None, "median_seconds_per_task": None,
           "tasks_per_active_hour": None, "spend": None, "counted_in_figures": False}
    if gold:
        row.update(gold_answered=None, gold_accuracy=None)
    return row
