"""Cost: what the annotations cost, per annotator, per category and per accepted pair, against
the project's budget.

An annotation costs its annotator's active time times their hourly pay rate, plus its
per-task price where there is one (a piece rate, or an AI judge's model call). Totals are
sums — no estimation — so the only judgement here is the projection: the spend at completion
is the spend so far scaled by planned / done annotations (the average cost so far carried to
the end; earned-value management's estimate at completion, EAC = AC / percent complete).
Alerts (``monitor="budget"``): spend at ``warning_share`` of the budget (warning) or at
``critical_share`` (critical), and a projection past the budget (warning). Annotators
without a pay rate are counted at zero and named in an informational alert, so that a
missing rate never looks like free work silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.monitors.alerts import Alert
from accord.quality.monitors.inputs import as_float, as_index

MS_PER_HOUR = 3_600_000.0


@dataclass(frozen=True)
class CostDefaults:
    """The thresholds :func:`cost` uses unless told otherwise."""

    warning_share: float = 0.8
    """Four fifths spent: time to decide before the money runs out, not after."""
    critical_share: float = 1.0
    """The budget is spent."""


DEFAULTS = CostDefaults()


@dataclass(frozen=True)
class Cost:
    """Spend in the currency of the pay rates; hours of active time."""

    hours: NDArray[np.float64]
    """Per annotator: active hours."""
    spend: NDArray[np.float64]
    """Per annotator: pay for active time plus per-task prices."""
    category_spend: NDArray[np.float64]
    """Per category code (empty when no categories were given)."""
    total_hours: float
    total_spend: float
    per_annotation: float
    per_accepted_pair: float
    """Total spend / pairs that enter the export (NaN when not given or zero)."""
    budget: float | None
    budget_share: float
    """``total_spend / budget`` (NaN without a budget)."""
    projected_spend: float
    """Spend at completion, carried forward from the cost per annotation so far."""
    alerts: list[Alert] = field(default_factory=list)


def cost(
    annotator: ArrayLike,
    active_ms: ArrayLike,
    pay_rate_per_hour: ArrayLike,
    *,
    task_price: ArrayLike | None = None,
    category: ArrayLike | None = None,
    n_categories: int | None = None,
    accepted_pairs: int | None = None,
    budget: float | None = None,
    planned_annotations: int | None = None,
    warning_share: float = DEFAULTS.warning_share,
    critical_share: float = DEFAULTS.critical_share,
) -> Cost:
    """Spend so far, where it went, and how it stands against the budget.

    Per annotation: ``annotator`` (index), ``active_ms``, optionally ``task_price`` and
    ``category`` (a code ``0 … n_categories-1``). Per annotator: ``pay_rate_per_hour`` (NaN
    where unknown). ``accepted_pairs`` is the number of pairs the export would hold;
    ``planned_annotations`` the number the project will have when complete (tasks x overlap).
    """
    rates = np.asarray(pay_rate_per_hour, dtype=np.float64).reshape(-1)
    who, n = as_index("annotator", annotator, len(rates))
    spent_ms = as_float("active_ms", active_ms, len(who))
    unpriced = np.isnan(rates)
    rate = np.where(unpriced, 0.0, rates)
    each = spent_ms / MS_PER_HOUR * rate[who]
    if task_price is not None:
        each = each + as_float("task_price", task_price, len(who))
    hours = np.bincount(who, weights=spent_ms, minlength=n) / MS_PER_HOUR
    # numpy's stub types a bincount as intp, weights or not
    spend: NDArray[np.float64] = np.bincount(  # pyright: ignore[reportAssignmentType]
        who, weights=each, minlength=n)
    category_spend: NDArray[np.float64] = np.zeros(0)
    if category is not None:
        code, k = as_index("category", category, n_categories, len(who))
        category_spend = np.bincount(  # pyright: ignore[reportAssignmentType]
            code, weights=each, minlength=k)

    total = float(spend.sum())
    done = len(who)
    projected = total / done * planned_annotations if done and planned_annotations else total
    alerts = _budget_alerts(total, projected, budget, warning_share, critical_share)
    alerts += [
        Alert("budget", int(i), "info", float(hours[i]), 0.0,
              f"annotator {i} has no pay rate: their {hours[i]:.1f} active hours count nothing")
        for i in np.flatnonzero(unpriced & (hours > 0))
    ]
    nan = float("nan")
    return Cost(
        hours=hours, spend=spend, category_spend=category_spend,
        total_hours=float(hours.sum()), total_spend=total,
        per_annotation=total / done if done else nan,
        per_accepted_pair=total / accepted_pairs if accepted_pairs else nan,
        budget=budget, budget_share=total / budget if budget else nan,
        projected_spend=projected, alerts=alerts,
    )


def _budget_alerts(total: float, projected: float, budget: float | None, warning: float,
                   critical: float) -> list[Alert]:
    if not budget:
        return []
    share = total / budget
    alerts = []
    if share >= critical:
        alerts.append(Alert("budget", None, "critical", share, critical,
                            f"{share:.0%} of the budget of {budget:,.2f} is spent"))
    elif share >= warning:
        alerts.append(Alert("budget", None, "warning", share, warning,
                            f"{share:.0%} of the budget of {budget:,.2f} is spent"))
    if projected > budget and share < critical:
        alerts.append(Alert("budget", None, "warning", projected / budget, 1.0,
                            f"at the cost so far, completion will take {projected:,.2f}, "
                            f"{projected / budget:.0%} of the budget of {budget:,.2f}"))
    return alerts
