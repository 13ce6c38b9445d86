"""Over-refusal: how often a refusal is preferred, or judged right, where the prompt is benign.

A preference set that rewards refusing harmless requests teaches the model to refuse them —
the failure that XSTest (Röttger et al. 2024, NAACL) and OR-Bench (Cui et al. 2024) measure
in models; here it is measured in the people (or the AI judge) whose judgements train them.
Per annotator and overall: the **over-refusal share** = benign items where the annotator
preferred a refusal (or judged refusing appropriate) / benign items they judged. The
refusal share on non-benign items is reported beside it, for contrast, without alerts.

An annotator is flagged when their share is above ``max_share`` *and* significantly so: the
one-sided exact binomial test against ``max_share`` is under ``alpha`` divided by the number
of annotators tested, so a couple of refusals among a handful of items raise nothing. The
pool is flagged when its share is above ``max_share`` with the same test at ``alpha``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_bool, as_index
from accord.quality.monitors.significance import binomial_greater, bonferroni


@dataclass(frozen=True)
class OverRefusalDefaults:
    """The thresholds :func:`over_refusal` uses unless told otherwise."""

    max_share: float = 0.10
    """One benign request in ten refused: a rate that XSTest counts as a clear failure."""
    alpha: float = 0.01
    """Family-wise false-alert rate over the whole pool (Bonferroni)."""


DEFAULTS = OverRefusalDefaults()


@dataclass(frozen=True)
class OverRefusal:
    """Per-annotator arrays (index = annotator) and the pool's figures."""

    benign: NDArray[np.int64]
    """Benign items the annotator judged."""
    refused_benign: NDArray[np.int64]
    """Of those, the items where they preferred a refusal or judged one appropriate."""
    share: NDArray[np.float64]
    """``refused_benign / benign`` (NaN with no benign items)."""
    p_value: NDArray[np.float64]
    """One-sided binomial p-value that the share exceeds ``max_share``."""
    harmful_refusal_share: NDArray[np.float64]
    """The same share on non-benign items, for contrast."""
    overall_benign: int
    overall_share: float
    overall_harmful_refusal_share: float
    alerts: list[Alert] = field(default_factory=list)


def over_refusal(
    annotator: ArrayLike,
    benign: ArrayLike,
    refusal_preferred: ArrayLike,
    *,
    n_annotators: int | None = None,
    max_share: float = DEFAULTS.max_share,
    alpha: float = DEFAULTS.alpha,
) -> OverRefusal:
    """Share of benign items where a refusal was preferred or judged right, with alerts.

    One entry per judgement: ``annotator`` (index), ``benign`` (the prompt is harmless, from
    the item's labels) and ``refusal_preferred`` (the annotator ranked a refusal first, or
    answered ``refusal_appropriate = true`` in red-team work).
    """
    who, n = as_index("annotator", annotator, n_annotators)
    harmless = as_bool("benign", benign, len(who))
    refused = as_bool("refusal_preferred", refusal_preferred, len(who))
    counts = np.bincount(who * 4 + harmless * 2 + refused, minlength=4 * n).reshape(n, 4)
    benign_n, refused_benign = counts[:, 2] + counts[:, 3], counts[:, 3]
    harmful_n, refused_harmful = counts[:, 0] + counts[:, 1], counts[:, 1]
    share = _share(refused_benign, benign_n)
    p_value = binomial_greater(refused_benign, benign_n, max_share)

    total, total_refused = int(benign_n.sum()), int(refused_benign.sum())
    overall = float(_share(total_refused, total))
    level = bonferroni(alpha, int((benign_n > 0).sum()))
    flagged = (benign_n > 0) & (share > max_share) & (p_value < level)
    alerts = [
        Alert("over_refusal", int(i), "warning", float(share[i]), max_share,
              f"annotator {i} preferred a refusal on {share[i]:.0%} of {benign_n[i]} benign "
              f"items (limit {max_share:.0%}, one-sided p = {p_value[i]:.2g})")
        for i in np.flatnonzero(flagged)
    ]
    if total and overall > max_share and binomial_greater(total_refused, total, max_share) < alpha:
        alerts.append(Alert(
            "over_refusal", None, "warning", overall, max_share,
            f"refusals were preferred on {overall:.0%} of {total} benign judgements "
            f"(limit {max_share:.0%})",
        ))
    return OverRefusal(
        benign=benign_n, refused_benign=refused_benign, share=share, p_value=p_value,
        harmful_refusal_share=_share(refused_harmful, harmful_n), overall_benign=total,
        overall_share=overall,
        overall_harmful_refusal_share=float(_share(refused_harmful.sum(), harmful_n.sum())),
        alerts=alerts,
    )


def _share(part: ArrayLike, whole: ArrayLike) -> NDArray[np.float64]:
    part, whole = np.asarray(part, np.float64), np.asarray(whole, np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(whole > 0, part / whole, np.nan)
