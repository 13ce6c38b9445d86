"""Diversity: whose judgements make up the data, by the attributes annotators chose to share.

Preference data encodes the values of the people who gave it (Santurkar et al. 2023, *Whose
Opinions Do Language Models Reflect?*; Kirk et al. 2024, *The PRISM Alignment Dataset*), so a
data card should say how the annotations — not the headcount — spread over the pool's
self-reported attributes. Per attribute (e.g. ``age_band``, ``region``): the number and share
of annotations per value, where annotations by people who did not consent, or left the
attribute blank, count as :data:`NOT_SHARED`. Over the shared values only (``not shared`` is
not a group of alike people): the **effective number of groups**, ``exp(H)`` with ``H`` the
Shannon entropy of the shares (Hill 1973, *Ecology* 54(2), order 1), and the **evenness**
``H / ln k`` over the ``k`` values seen (Pielou 1966; NaN for fewer than two values).

The alerts are informational: a value holding more than ``max_group_share`` of the shared
annotations, or ``not shared`` covering more than ``max_not_shared`` of all annotations (then
the figures speak for few).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_bool, as_index

NOT_SHARED = "not shared"


@dataclass(frozen=True)
class DiversityDefaults:
    """The thresholds :func:`diversity` uses unless told otherwise."""

    max_group_share: float = 0.6
    """Past 60 % one group's judgements are most of the data on that attribute."""
    max_not_shared: float = 0.5
    """Past half the annotations undisclosed, the distribution describes a minority."""


DEFAULTS = DiversityDefaults()


@dataclass(frozen=True)
class AttributeDistribution:
    """How the annotations spread over one attribute's values."""

    values: tuple[str, ...]
    """The shared values, sorted, then :data:`NOT_SHARED` last."""
    counts: NDArray[np.int64]
    shares: NDArray[np.float64]
    """Of all annotations (so they sum to 1, ``not shared`` included)."""
    shared: int
    """Annotations by people who shared this attribute."""
    effective_groups: float
    evenness: float


@dataclass(frozen=True)
class Diversity:
    attributes: dict[str, AttributeDistribution]
    annotations: int
    alerts: list[Alert] = field(default_factory=list)


def diversity(
    annotator: ArrayLike,
    attributes: Mapping[str, Sequence[str | None]],
    consented: ArrayLike,
    *,
    max_group_share: float = DEFAULTS.max_group_share,
    max_not_shared: float = DEFAULTS.max_not_shared,
) -> Diversity:
    """The distribution of each attribute over the annotations, with informational alerts.

    ``annotator`` has one index per annotation; ``consented`` one flag per annotator (their
    consent to demographic reporting); ``attributes`` maps each attribute's name to one value
    per annotator (``None`` where not given). Values of people who did not consent are never
    read.
    """
    agreed = as_bool("consented", consented, None)
    who, n = as_index("annotator", annotator, len(agreed))
    per_annotator = np.bincount(who, minlength=n)
    result: dict[str, AttributeDistribution] = {}
    alerts: list[Alert] = []
    for name, values in attributes.items():
        if len(values) != n:
            raise ValueError(f"attribute {name!r} has {len(values)} values, expected {n}")
        distribution = _distribution(values, agreed, per_annotator)
        result[name] = distribution
        alerts += _alerts(name, distribution, len(who), max_group_share, max_not_shared)
    return Diversity(attributes=result, annotations=len(who), alerts=alerts)


def _distribution(values, agreed, per_annotator) -> AttributeDistribution:
    """Annotation counts per value: one pass over the pool, one weighted bincount."""
    shown = [v if ok and v is not None and v != "" else None
             for v, ok in zip(values, agreed.tolist(), strict=True)]
    names = sorted({v for v in shown if v is not None})
    code_of = {v: i for i, v in enumerate(names)}
    codes = np.array([code_of[v] if v is not None else len(names) for v in shown], np.intp)
    counts = np.bincount(codes, weights=per_annotator, minlength=len(names) + 1)
    counts = counts.astype(np.int64)
    total, shared = int(counts.sum()), int(counts[:-1].sum())
    shares = counts / total if total else np.zeros(len(counts))
    effective, evenness = _evenness(counts[:-1])
    return AttributeDistribution((*names, NOT_SHARED), counts, shares, shared, effective,
                                 evenness)


def _evenness(counts: NDArray[np.int64]) -> tuple[float, float]:
    """Hill's effective number of groups and Pielou's evenness of the nonzero counts."""
    seen = counts[counts > 0].astype(np.float64)
    if len(seen) == 0:
        return float("nan"), float("nan")
    p = seen / seen.sum()
    entropy = float(-(p * np.log(p)).sum())
    evenness = entropy / float(np.log(len(seen))) if len(seen) > 1 else float("nan")
    return float(np.exp(entropy)), evenness


def _alerts(name, d: AttributeDistribution, total: int, max_group: float,
            max_hidden: float) -> list[Alert]:
    alerts = []
    if d.shared:
        within = d.counts[:-1] / d.shared
        for i in np.flatnonzero(within > max_group):
            alerts.append(Alert(
                "diversity", None, "info", float(within[i]), max_group,
                f"{name} = {d.values[i]!r} gave {within[i]:.0%} of the annotations by people "
                f"who shared their {name}",
            ))
    hidden = d.counts[-1] / total if total else 0.0
    if hidden > max_hidden:
        alerts.append(Alert(
            "diversity", None, "info", float(hidden), max_hidden,
            f"{hidden:.0%} of annotations come from people who did not share their {name}",
        ))
    return alerts
