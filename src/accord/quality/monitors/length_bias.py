"""Length bias: does an annotator reward the longer response more than the pair deserves?

Longer answers win human and AI preference judgements more often than their content
justifies (Singhal et al. 2023, *A Long Way to Go: Investigating Length Correlations in
RLHF*; Saito et al. 2023, *Verbosity Bias in Preference Labeling by Large Language Models*;
Dubois et al. 2024, *Length-Controlled AlpacaEval*). Two statistics per annotator, over their
non-tie pairwise outcomes:

- **Longer-wins rate** against a **length-matched baseline**: the share of their pairs of
  unequal length in which the longer response won, against the rate at which *the other
  annotators of the same pairs* chose the longer one (leave-one-out, so the annotator is never
  their own baseline; 1/2 for a pair nobody else judged, or when no ``pair`` is given). The
  baseline absorbs pairs where the longer answer really is better. Test: one-sided exact
  binomial test of the count against the annotator's mean baseline — conservative, since a
  binomial with the mean probability is at least as spread as the Poisson-binomial of the
  per-pair baselines (Hoeffding 1956).
- **Logistic slope**: ``P(first wins) = sigmoid(a + b z)``, ``z`` the length difference
  (first - second) divided by its root mean square over all pairs, so one unit is one
  typical difference and slopes compare across annotators (the length-control regression of
  Dubois et al.). With display positions (``winner_first``), *first* is the response shown
  first and the intercept measures position bias at equal length; without them the
  orientation is arbitrary, so the fit has no intercept and each pair is read as "the winner
  beat the loser".

An annotator is flagged when their rate exceeds the baseline by ``min_excess`` and the binomial
p-value is under ``alpha`` divided by the number of annotators tested.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_bool, as_float, as_index
from accord.quality.monitors.logistic import grouped_logistic
from accord.quality.monitors.significance import binomial_greater, bonferroni


@dataclass(frozen=True)
class LengthBiasDefaults:
    """The thresholds :func:`length_bias` uses unless told otherwise."""

    min_excess: float = 0.10
    """Ten points over baseline: past the few points that length-matched judges drift by."""
    alpha: float = 0.01
    """Family-wise false-alert rate over the whole pool (Bonferroni)."""


DEFAULTS = LengthBiasDefaults()


@dataclass(frozen=True)
class LengthBias:
    """Per-annotator arrays (index = annotator) and the pool's figures."""

    pairs: NDArray[np.int64]
    """Non-tie outcomes whose two responses differ in length."""
    longer_wins: NDArray[np.int64]
    longer_win_rate: NDArray[np.float64]
    baseline_rate: NDArray[np.float64]
    """Mean over the annotator's pairs of the other annotators' longer-wins rate."""
    p_value: NDArray[np.float64]
    """One-sided binomial p-value that the rate exceeds the baseline."""
    slope: NDArray[np.float64]
    """Logistic slope per root-mean-square length difference (NaN where not fitted)."""
    slope_se: NDArray[np.float64]
    intercept: NDArray[np.float64]
    """Logistic intercept: first-shown advantage at equal length (NaN without positions)."""
    overall_pairs: int
    overall_longer_win_rate: float
    overall_p_value: float
    """One-sided binomial p-value of the pool's longer-wins rate against 1/2."""
    overall_slope: float
    overall_intercept: float
    length_scale: float
    """Root mean square of the length difference: the unit of ``z``."""
    alerts: list[Alert] = field(default_factory=list)


def length_bias(
    annotator: ArrayLike,
    winner_length: ArrayLike,
    loser_length: ArrayLike,
    *,
    tie: ArrayLike | None = None,
    winner_first: ArrayLike | None = None,
    pair: ArrayLike | None = None,
    n_annotators: int | None = None,
    min_excess: float = DEFAULTS.min_excess,
    alpha: float = DEFAULTS.alpha,
) -> LengthBias:
    """Longer-wins rates, baselines and logistic length slopes of every annotator.

    One entry per pairwise outcome: ``annotator`` (index), the lengths (characters or tokens)
    of the winner and the loser, optionally ``tie`` (ties are left out), ``winner_first``
    (the winner was displayed before the loser) and ``pair`` (an index naming the judged pair,
    e.g. task and response pair, so that the other annotators of a pair make its baseline).
    """
    who, n = as_index("annotator", annotator, n_annotators)
    winner = as_float("winner_length", winner_length, len(who))
    loser = as_float("loser_length", loser_length, len(who))
    decided = np.ones(len(who), bool) if tie is None else ~as_bool("tie", tie, len(who))
    unequal = decided & (winner != loser)
    longer_won = winner > loser
    baseline = _baseline(pair, unequal, longer_won, len(who))

    pairs = np.bincount(who[unequal], minlength=n)
    wins = np.bincount(who[unequal & longer_won], minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = np.where(pairs > 0, wins / pairs, np.nan)
        base = np.where(pairs > 0, np.bincount(who[unequal], baseline[unequal], n) / pairs,
                        np.nan)
    p_value = binomial_greater(wins, pairs, np.nan_to_num(base, nan=0.5))

    x, y, scale, with_intercept = _design(winner, loser, winner_first, decided)
    fit = grouped_logistic(who[decided], x, y, n, intercept=with_intercept)
    pooled = grouped_logistic(np.zeros(len(x), np.intp), x, y, 1, intercept=with_intercept)

    total, total_wins = int(pairs.sum()), int(wins.sum())
    overall_rate = total_wins / total if total else float("nan")
    overall_p = float(binomial_greater(total_wins, total, 0.5))
    alerts = _alerts(rate, base, p_value, pairs, min_excess, bonferroni(alpha, int(
        (pairs > 0).sum())))
    if total and overall_rate - 0.5 >= min_excess and overall_p < alpha:
        alerts.append(Alert(
            "length_bias", None, "info", overall_rate, 0.5 + min_excess,
            f"across the pool the longer response won {overall_rate:.0%} of {total} pairs: "
            "check whether longer responses are better or the guidelines reward length",
        ))
    return LengthBias(
        pairs=pairs, longer_wins=wins, longer_win_rate=rate, baseline_rate=base,
        p_value=p_value, slope=fit.slope, slope_se=fit.slope_se, intercept=fit.intercept,
        overall_pairs=total, overall_longer_win_rate=overall_rate, overall_p_value=overall_p,
        overall_slope=float(pooled.slope[0]), overall_intercept=float(pooled.intercept[0]),
        length_scale=scale, alerts=alerts,
    )


def _baseline(pair, unequal, longer_won, length: int) -> NDArray[np.float64]:
    """Per outcome: the other annotators' longer-wins rate on the same pair (else 1/2)."""
    if pair is None:
        return np.full(length, 0.5)
    pair_index, n_pairs = as_index("pair", pair, None, length)
    judged = np.bincount(pair_index, weights=unequal, minlength=n_pairs)
    longer = np.bincount(pair_index, weights=unequal & longer_won, minlength=n_pairs)
    others = judged[pair_index] - 1
    with np.errstate(invalid="ignore", divide="ignore"):
        rate = (longer[pair_index] - longer_won) / others
    return np.where(others > 0, rate, 0.5)


def _design(winner, loser, winner_first, decided):
    """The covariate ``z``, the response, the length unit, and whether to fit an intercept."""
    if winner_first is None:
        difference = (winner - loser)[decided]
        y = np.ones(len(difference))
    else:
        first_won = as_bool("winner_first", winner_first, len(winner))[decided]
        difference = np.where(first_won, 1.0, -1.0) * (winner - loser)[decided]
        y = first_won.astype(np.float64)
    scale = float(np.sqrt(np.mean(difference**2))) if len(difference) else 0.0
    x = difference / scale if scale > 0 else difference
    return x, y, scale, winner_first is not None


def _alerts(rate, base, p_value, pairs, min_excess: float, level: float) -> list[Alert]:
    flagged = (pairs > 0) & (rate - base >= min_excess) & (p_value < level)
    return [
        Alert("length_bias", int(i), "warning", float(rate[i]), float(base[i] + min_excess),
              f"annotator {i} chose the longer response in {rate[i]:.0%} of {pairs[i]} pairs, "
              f"against a length-matched baseline of {base[i]:.0%} "
              f"(one-sided binomial p = {p_value[i]:.2g})")
        for i in np.flatnonzero(flagged)
    ]
