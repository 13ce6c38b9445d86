"""What pre-labelling did to the people who saw it: time, anchoring, rubber-stamping, savings.

Inputs are one row per submitted assignment of the experiment's two arms (``shown``: the AI
judge's ranking was offered; ``control``: it was withheld), with whether the submitted
ranking equals the AI's, its agreement with the other annotators' consensus, its active time
and, on the shown arm, whether the one-key accept took the suggestion. The arm was drawn at
random per assignment, so differences between arms are effects of seeing the suggestion.

- **Anchoring.** ``difference`` is agreement with the AI on the shown arm minus the control
  arm. If a person follows a shown suggestion with probability ``q`` and otherwise judges as
  they would have, the shown arm agrees with the AI ``q + (1 - q) c`` of the time where the
  control arm agrees ``c``, so ``follow_rate = difference / (1 - c)`` estimates ``q``: the
  share of shown assignments whose ranking is the AI's only because it was shown. Both come
  with percentile bootstrap intervals resampling tasks (``agreement.bootstrap``'s draws:
  judgments of one task share its difficulty). A ``follow_rate`` interval above 0 raises the
  ``prelabel.anchoring`` alert.
- **Rubber-stamping.** An annotator who accepts every suggestion is not judging. The test
  statistic is their acceptance count ``k`` of ``n`` shown suggestions, against the rate an
  honest annotator would reach: ``p0`` halfway between the control arm's agreement with the
  AI ``c`` (how often people reach the AI's ranking unaided) and 1, i.e. ``(1 + c) / 2``
  (0.75 without a control arm). The annotator is flagged when ``n >= min_shown``, their rate
  ``k / n >= stamp_rate`` and the exact one-sided binomial p-value ``P(X >= k)``,
  ``X ~ Binomial(n, p0)``, is below ``alpha`` over the number of annotators tested
  (Bonferroni). An annotator anchored with ``q`` below one half accepts at most
  ``q + (1 - q) c < p0`` and is not flagged however long they work.
- **Savings.** ``time_saved_ms`` is the control arm's median active time minus the median
  of accepted assignments; each accepted assignment saves that time at its annotator's pay
  rate, and ``saved_per_accepted_pair`` divides the total by the pairs those assignments
  produced.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.agreement.bootstrap import Interval, resample_draws
from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.cost import MS_PER_HOUR
from accord.quality.monitors.significance import binomial_greater, bonferroni

MIN_SHOWN = 20
STAMP_RATE = 0.9
NAN_INTERVAL = Interval(float("nan"), float("nan"))


@dataclass(frozen=True)
class ArmFigures:
    assignments: int
    median_active_ms: float
    agreement_with_ai: float
    agreement_with_consensus: float
    """Mean over the arm's assignments compared with a consensus of others (NaN: none)."""


@dataclass(frozen=True)
class PrelabelEffects:
    shown: ArmFigures
    control: ArmFigures
    difference: float
    difference_interval: Interval
    follow_rate: float
    follow_rate_interval: Interval
    consensus_difference: float
    consensus_difference_interval: Interval
    shown_per_annotator: NDArray[np.int64]
    accepted_per_annotator: NDArray[np.int64]
    acceptance_rate: NDArray[np.float64]
    stamp_p_value: NDArray[np.float64]
    rubber_stamping: NDArray[np.bool_]
    honest_rate: float
    """``p0`` of the rubber-stamping test."""
    time_saved_ms: float
    saved_total: float
    saved_per_accepted_pair: float
    alerts: list[Alert] = field(default_factory=list)


def _arm(mask, agrees_ai, agrees_consensus, active_ms) -> ArmFigures:
    compared = mask & np.isfinite(agrees_consensus)
    return ArmFigures(
        int(mask.sum()),
        float(np.median(active_ms[mask])) if mask.any() else float("nan"),
        float(agrees_ai[mask].mean()) if mask.any() else float("nan"),
        float(agrees_consensus[compared].mean()) if compared.any() else float("nan"))


def _task_sums(task, shown, agrees_ai, agrees_consensus) -> NDArray[np.float64]:
    """Per task: shown count and AI agreements, control count and AI agreements, and the
    same for consensus comparisons: the sums every resampled statistic is made of."""
    compared = np.isfinite(agrees_consensus)
    consensus = np.where(compared, agrees_consensus, 0.0)
    n = int(task.max()) + 1 if len(task) else 0
    columns = [shown, shown * agrees_ai, ~shown, ~shown * agrees_ai,
               shown & compared, shown * consensus, ~shown & compared, ~shown * consensus]
    return np.stack([np.bincount(task, weights=np.asarray(c, dtype=np.float64), minlength=n)
                     for c in columns], axis=1).astype(np.float64)


def _effects(sums: NDArray[np.float64]) -> NDArray[np.float64]:
    """(difference, follow rate, consensus difference) of rows of summed task columns."""
    with np.errstate(divide="ignore", invalid="ignore"):
        shown_ai, control_ai = sums[..., 1] / sums[..., 0], sums[..., 3] / sums[..., 2]
        difference = shown_ai - control_ai
        follow = np.where(control_ai < 1, difference / (1 - control_ai), np.nan)
        consensus = sums[..., 5] / sums[..., 4] - sums[..., 7] / sums[..., 6]
    return np.stack([difference, follow, consensus], axis=-1).astype(np.float64)


def _intervals(per_task: NDArray[np.float64], n_resamples: int, seed: int) -> list[Interval]:
    """Percentile bootstrap intervals of the three effects, resampling tasks."""
    n = len(per_task)
    if n < 2:
        return [NAN_INTERVAL] * 3
    rng = np.random.default_rng(seed)
    values = []
    for draws in resample_draws(n, n_resamples, rng):
        counts = np.stack([np.bincount(drawn, minlength=n) for drawn in draws])
        values.append(_effects(counts @ per_task))
    found = np.concatenate(values)
    intervals = []
    for column in found.T:
        defined = column[np.isfinite(column)]
        if len(defined) == 0:
            intervals.append(NAN_INTERVAL)
            continue
        low, high = np.quantile(defined, [0.025, 0.975])
        intervals.append(Interval(float(low), float(high)))
    return intervals


def prelabel_effects(
    task: ArrayLike, annotator: ArrayLike, shown: ArrayLike, agrees_ai: ArrayLike,
    agrees_consensus: ArrayLike, active_ms: ArrayLike, accepted: ArrayLike, pairs: ArrayLike,
    pay_rate_per_hour: ArrayLike, n_annotators: int, *, n_resamples: int = 1000,
    seed: int = 0, alpha: float = 0.05, min_shown: int = MIN_SHOWN,
    stamp_rate: float = STAMP_RATE,
) -> PrelabelEffects:
    """The experiment's figures from one entry per submitted assignment (module notes).

    ``task`` and ``annotator`` are codes from 0; ``agrees_consensus`` is NaN where the
    assignment had no consensus of others to compare with; ``pairs`` counts each
    assignment's pairwise outcomes; ``pay_rate_per_hour`` is per annotator code."""
    task = np.asarray(task, dtype=np.int64)
    person = np.asarray(annotator, dtype=np.int64)
    shown_arm = np.asarray(shown, dtype=bool)
    ai = np.asarray(agrees_ai, dtype=np.float64)
    consensus = np.asarray(agrees_consensus, dtype=np.float64)
    ms = np.asarray(active_ms, dtype=np.float64)
    took = np.asarray(accepted, dtype=bool) & shown_arm
    rates = np.asarray(pay_rate_per_hour, dtype=np.float64)
    shown_figures = _arm(shown_arm, ai, consensus, ms)
    control_figures = _arm(~shown_arm, ai, consensus, ms)
    sums = _task_sums(task, shown_arm, ai, consensus)
    difference, follow, consensus_difference = (float(x) for x in _effects(sums.sum(axis=0)))
    intervals = _intervals(sums, n_resamples, seed)

    n_shown = np.bincount(person[shown_arm], minlength=n_annotators)
    n_taken = np.bincount(person[took], minlength=n_annotators)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_shown > 0, n_taken / n_shown, np.nan)
    c = control_figures.agreement_with_ai
    honest = (1 + c) / 2 if np.isfinite(c) else 0.75
    p_value = binomial_greater(n_taken, n_shown, honest)
    tested = n_shown >= min_shown
    level = bonferroni(alpha, int(tested.sum()))
    stamping = tested & (np.nan_to_num(rate) >= stamp_rate) & (p_value < level)

    taken_ms = ms[took]
    saved_ms = (control_figures.median_active_ms - float(np.median(taken_ms))
                if len(taken_ms) and control_figures.assignments else float("nan"))
    rate_of = np.nan_to_num(rates[person[took]]) if len(rates) else np.zeros(len(taken_ms))
    saved_total = float((saved_ms / MS_PER_HOUR * rate_of).sum()) if np.isfinite(saved_ms) \
        else float("nan")
    taken_pairs = float(np.asarray(pairs, dtype=np.float64)[took].sum())
    per_pair = saved_total / taken_pairs if taken_pairs > 0 else float("nan")

    alerts = [Alert("prelabel.rubber_stamping", int(i), "warning", float(rate[i]), stamp_rate,
                    f"accepted {n_taken[i]} of {n_shown[i]} AI suggestions ({rate[i]:.0%}); "
                    f"an honest annotator would accept about {honest:.0%} (p = "
                    f"{p_value[i]:.2g})") for i in np.flatnonzero(stamping)]
    low = intervals[1].low
    if np.isfinite(low) and low > 0:
        alerts.append(Alert("prelabel.anchoring", None, "warning", follow, 0.0,
                            f"people took the AI's ranking because it was shown on about "
                            f"{follow:.0%} of shown assignments (95% interval {low:.0%} to "
                            f"{intervals[1].high:.0%}): agreement with the AI is "
                            f"{shown_figures.agreement_with_ai:.0%} when shown, "
                            f"{c:.0%} when not"))
    return PrelabelEffects(
        shown_figures, control_figures, difference, intervals[0], follow, intervals[1],
        consensus_difference, intervals[2], n_shown, n_taken, rate, p_value, stamping,
        honest, saved_ms, saved_total, per_pair, alerts)
