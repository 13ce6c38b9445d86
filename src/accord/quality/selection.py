"""Active selection: how much one more label of a task is worth, as a number in [0, 1].

Each measure is per pair; a task counts its most informative pair. All are 1 where a label
is most wanted and 0 where it is least:

- :func:`indifference` of a model's probability ``p`` that one response is better (an AI
  judge's soft preference, or ``sigmoid(margin)`` of a reward model): ``1 - |2p - 1|``, so
  the pairs a model is least sure of come first (uncertainty sampling, Lewis and Gale 1994;
  for a Bradley-Terry reward model, the smallest predicted margin first).
- :func:`split_share` of the votes so far: twice the minority's share, 1 for an even split,
  0 for unanimity or no votes (query by committee with the annotators as the committee,
  Seung, Opper and Sompolinsky 1992).
- :func:`posterior_uncertainty` of the current consensus: with a uniform prior on the
  probability ``θ`` that the first response wins and ``a``, ``b`` votes for each side (a tie
  counts half to each), ``θ ~ Beta(1 + a, 1 + b)``; the chance that the side now ahead is
  in fact behind is ``min(P(θ < 1/2), P(θ > 1/2))``, doubled into [0, 1]. A pair nobody
  judged is 1; a 3-0 pair is 0.125.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import betainc

SCALE = 1000
"""Priorities are integers: the informativeness times this, rounded."""


def indifference(probability: ArrayLike) -> NDArray[np.float64]:
    """``1 - |2p - 1|``; NaN (no opinion) stays NaN."""
    p = np.asarray(probability, dtype=np.float64)
    return 1.0 - np.abs(2.0 * p - 1.0)


def split_share(first: ArrayLike, second: ArrayLike) -> NDArray[np.float64]:
    """Twice the minority's share of the votes; 0 where there are none."""
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    total = a + b
    return np.where(total > 0, 2.0 * np.minimum(a, b) / np.where(total > 0, total, 1.0), 0.0)


def posterior_uncertainty(first: ArrayLike, second: ArrayLike) -> NDArray[np.float64]:
    """Twice the posterior probability that the side ahead is behind (see the module)."""
    a = np.asarray(first, dtype=np.float64)
    b = np.asarray(second, dtype=np.float64)
    below = betainc(1.0 + a, 1.0 + b, 0.5)  # P(θ < 1/2), the regularised incomplete beta
    return 2.0 * np.minimum(below, 1.0 - below)


def priorities(informativeness: ArrayLike) -> NDArray[np.int64]:
    """Integer priorities, highest first in the claim queue; NaN (no signal) is 0."""
    value = np.asarray(informativeness, dtype=np.float64)
    return np.where(np.isnan(value), 0, np.rint(np.clip(value, 0, 1) * SCALE)).astype(np.int64)
