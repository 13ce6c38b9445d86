"""Position bias: does the place a response is shown in decide whether it wins?

Display order is shuffled per assignment, so an unbiased annotator's winners are spread over
the positions in proportion to how often each position was in play. Per annotator and
display position: the **win rate** (pairs won / pairs the position took part in, ties left
out). Evidence that the rates differ:

- **Two positions**: the exact two-sided binomial test of the first position's wins against
  1/2 (the primacy effect of Krosnick & Alwin 1987, *Public Opinion Quarterly* 51(2); for
  LLM judges, Zheng et al. 2023, *Judging LLM-as-a-Judge with MT-Bench*, §3.3).
- **K positions**: a chi-square score test with K - 1 degrees of freedom. Under no bias each
  outcome's winner is either of its two positions with probability 1/2, so the wins minus
  half the appearances, ``D``, have covariance ``L / 4`` with ``L`` the Laplacian of the
  position pairs compared; the statistic is ``Dᵀ (L/4)⁺ D``. Pairs cut from one K-way
  ranking are not independent: for complete rankings the statistic is ``(K + 1) / 3`` times
  Friedman's rank test (Friedman 1937) on the positions, so it is divided by that factor —
  exact for complete rankings, conservative for independent pairs.

An annotator is flagged when some position's win rate is ``min_deviation`` or more from 1/2
and the p-value is under ``alpha`` divided by the number of annotators tested; the pool as a
whole, by the same rule at ``alpha`` (a pool-wide bias points at the interface: is the
display order really shuffled?).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_bool, as_index
from accord.quality.monitors.significance import binomial_two_sided_half, bonferroni


@dataclass(frozen=True)
class PositionBiasDefaults:
    """The thresholds :func:`position_bias` uses unless told otherwise."""

    min_deviation: float = 0.10
    """A position winning 60 % (or 40 %) of its pairs: a bias that moves consensus."""
    alpha: float = 0.01
    """Family-wise false-alert rate over the whole pool (Bonferroni)."""


DEFAULTS = PositionBiasDefaults()


@dataclass(frozen=True)
class PositionBias:
    """Per-annotator arrays (first index = annotator), then the pool's figures."""

    wins: NDArray[np.int64]
    """``(annotators, positions)``: pairs won by the response at each display position."""
    appearances: NDArray[np.int64]
    """``(annotators, positions)``: non-tie pairs each position took part in."""
    win_rate: NDArray[np.float64]
    """``wins / appearances`` (NaN where a position never appeared)."""
    statistic: NDArray[np.float64]
    """Per annotator: z (two positions) or the scaled chi-square (K positions)."""
    p_value: NDArray[np.float64]
    overall_wins: NDArray[np.int64]
    overall_appearances: NDArray[np.int64]
    overall_win_rate: NDArray[np.float64]
    overall_p_value: float
    alerts: list[Alert] = field(default_factory=list)


def position_bias(
    annotator: ArrayLike,
    winner_position: ArrayLike,
    loser_position: ArrayLike,
    *,
    tie: ArrayLike | None = None,
    n_positions: int | None = None,
    n_annotators: int | None = None,
    min_deviation: float = DEFAULTS.min_deviation,
    alpha: float = DEFAULTS.alpha,
) -> PositionBias:
    """Win rate of each display position, per annotator and overall, with its test.

    One entry per pairwise outcome: ``annotator`` (index), the 0-based display positions of
    the winner and the loser, and optionally ``tie`` (ties are left out).
    """
    who, n = as_index("annotator", annotator, n_annotators)
    win_at, k_win = as_index("winner_position", winner_position, n_positions, len(who))
    lose_at, k_lose = as_index("loser_position", loser_position, n_positions, len(who))
    k = max(k_win, k_lose, 2)
    same = np.flatnonzero(win_at == lose_at)
    if len(same):
        raise ValueError(f"outcome {int(same[0])}: winner and loser share position "
                         f"{win_at[same[0]]}")
    if tie is not None:
        decided = ~as_bool("tie", tie, len(who))
        who, win_at, lose_at = who[decided], win_at[decided], lose_at[decided]
    compared = np.bincount((who * k + win_at) * k + lose_at, minlength=n * k * k)
    compared = compared.reshape(n, k, k)
    statistic, p_value = _test(compared)
    pooled = compared.sum(axis=0, keepdims=True)
    _, pooled_p = _test(pooled)
    wins, appearances, rate = _rates(compared)
    overall_wins, overall_appearances, overall_rate = (v[0] for v in _rates(pooled))
    tested = appearances.sum(axis=1) > 0
    alerts = _alerts(rate, p_value, tested, min_deviation, bonferroni(alpha, int(tested.sum())))
    alerts += _pool_alert(overall_rate, float(pooled_p[0]), min_deviation, alpha)
    return PositionBias(
        wins=wins, appearances=appearances, win_rate=rate, statistic=statistic,
        p_value=p_value, overall_wins=overall_wins, overall_appearances=overall_appearances,
        overall_win_rate=overall_rate, overall_p_value=float(pooled_p[0]), alerts=alerts,
    )


def _rates(compared: NDArray[np.int64]):
    """Wins, appearances and win rates from ``compared[a, winner, loser]`` counts."""
    wins = compared.sum(axis=2)
    appearances = wins + compared.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(appearances > 0, wins / appearances, np.nan)
    return wins, appearances, rate


def _test(compared: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The statistic and p-value of each ``compared[a]`` table (see the module notes)."""
    k = compared.shape[1]
    if k == 2:
        first_wins, total = compared[:, 0, 1], compared[:, 0, 1] + compared[:, 1, 0]
        with np.errstate(invalid="ignore", divide="ignore"):
            z = np.where(total > 0, (2.0 * first_wins - total) / np.sqrt(total), 0.0)
        return z, binomial_two_sided_half(first_wins, total)
    both = (compared + compared.transpose(0, 2, 1)).astype(np.float64)
    laplacian = np.eye(k) * both.sum(axis=2)[:, :, None] - both
    deviation = compared.sum(axis=2) - both.sum(axis=2) / 2.0
    scaled = np.einsum("ai,aij,aj->a", deviation, np.linalg.pinv(laplacian / 4.0), deviation)
    statistic = scaled * 3.0 / (k + 1)
    dof = np.linalg.matrix_rank(laplacian)
    p_value = np.where(dof > 0, stats.chi2.sf(statistic, np.maximum(dof, 1)), 1.0)
    return statistic, p_value


def _alerts(rate, p_value, tested, min_deviation: float, level: float) -> list[Alert]:
    """Flag the tested annotators with a large, significant deviation; name the favourite."""
    filled = np.nan_to_num(rate, nan=0.5)
    biggest = np.abs(filled - 0.5).max(axis=1) if filled.size else np.zeros(len(tested))
    favourite = filled.argmax(axis=1) if filled.size else np.zeros(len(tested), int)
    flagged = tested & (biggest >= min_deviation) & (p_value < level)
    return [
        Alert("position_bias", int(i), "warning", float(biggest[i]), min_deviation,
              f"annotator {i}: the response shown {_place(favourite[i])} won "
              f"{rate[i, favourite[i]]:.0%} of its pairs (p = {p_value[i]:.2g})")
        for i in np.flatnonzero(flagged)
    ]


def _pool_alert(rate, p_value: float, min_deviation: float, alpha: float) -> list[Alert]:
    """The whole pool favouring one place points at the interface, not at a person."""
    if not np.isfinite(rate).any():
        return []
    favourite = int(np.nanargmax(rate))
    deviation = float(np.nanmax(np.abs(rate - 0.5)))
    if deviation < min_deviation or p_value >= alpha:
        return []
    return [Alert("position_bias", None, "warning", deviation, min_deviation,
                  f"across the pool the response shown {_place(favourite)} won "
                  f"{rate[favourite]:.0%} of its pairs (p = {p_value:.2g}): check that display "
                  "order is shuffled")]


def _place(position: int) -> str:
    """A 0-based display position as people say it."""
    names = ("first", "second", "third", "fourth", "fifth")
    return names[position] if position < len(names) else f"in place {position + 1}"
