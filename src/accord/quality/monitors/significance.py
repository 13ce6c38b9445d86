"""The tests behind the alerts, vectorised over annotators.

Every per-annotator alert needs two things: an effect big enough to matter (a threshold in
the statistic's own unit) and evidence that it is not noise (a p-value under ``alpha``
divided by the number of annotators tested — Bonferroni's correction, so that the chance of
any false alert in a whole pool stays under ``alpha``). Exact binomial tail probabilities come
from :mod:`scipy.stats`; the two-proportion test is the pooled z-test (Agresti, *Categorical
Data Analysis*, 3rd ed., §3.1), used where both samples are large.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats


def binomial_greater(k: ArrayLike, n: ArrayLike, p: ArrayLike) -> NDArray[np.float64]:
    """One-sided exact p-value ``P(X >= k)`` for ``X ~ Binomial(n, p)``; 1 where ``n`` is 0."""
    k, n = np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    p = np.clip(np.asarray(p, dtype=np.float64), 0.0, 1.0)
    return np.where(n > 0, stats.binom.sf(k - 1, n, p), 1.0)


def binomial_two_sided_half(k: ArrayLike, n: ArrayLike) -> NDArray[np.float64]:
    """Exact two-sided p-value of ``k`` successes in ``n`` trials against ``p = 1/2``.

    The distribution is symmetric, so the two-sided p-value is twice the smaller tail
    (capped at 1) — the same figure :func:`scipy.stats.binomtest` gives.
    """
    k, n = np.asarray(k, dtype=np.float64), np.asarray(n, dtype=np.float64)
    tail = np.minimum(stats.binom.cdf(k, n, 0.5), stats.binom.sf(k - 1, n, 0.5))
    return np.where(n > 0, np.minimum(1.0, 2.0 * tail), 1.0)


def proportion_lower(
    k_before: ArrayLike, n_before: ArrayLike, k_after: ArrayLike, n_after: ArrayLike
) -> NDArray[np.float64]:
    """One-sided p-value that the ``after`` proportion is lower, by the pooled z-test.

    ``z = (p_before - p_after) / sqrt(p (1 - p) (1/n_before + 1/n_after))`` with ``p`` the
    pooled proportion; the p-value is the upper normal tail of ``z``. 1 where either sample
    is empty or the pooled proportion is 0 or 1 (no variation, no evidence).
    """
    kb, nb = np.asarray(k_before, np.float64), np.asarray(n_before, np.float64)
    ka, na = np.asarray(k_after, np.float64), np.asarray(n_after, np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = (kb + ka) / (nb + na)
        se = np.sqrt(pooled * (1 - pooled) * (1 / nb + 1 / na))
        z = (kb / nb - ka / na) / se
    usable = (nb > 0) & (na > 0) & (se > 0)
    return np.where(usable, stats.norm.sf(np.where(usable, z, 0.0)), 1.0)


def bonferroni(alpha: float, tests: int) -> float:
    """The per-test level that keeps the chance of any false alert among ``tests`` under alpha."""
    return alpha / max(tests, 1)
