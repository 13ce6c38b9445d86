"""Staleness: how old are the preferences an export would hand to training?

Preferences are judgements of one generation of model outputs; as the policy moves on they
go off-policy, and reward models trained on old comparisons lose accuracy on the new
model's outputs — which is why Llama 2 collected preferences in weekly batches and retrained
its reward models on the newest ones (Touvron et al. 2023, §3.2.2), and why on-policy data
matters for preference fine-tuning (Tajwar et al. 2024, ICML). The statistic: the age
distribution (days between ``created_at`` and ``now``) of the preferences to be exported —
quantiles, the oldest and newest, and the share older than ``older_than_days``. The alert:
median age over ``max_median_days`` (warning) or ``critical_median_days`` (critical).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from accord.quality.monitors.alerts import Alert, Severity
from accord.quality.monitors.inputs import as_seconds, second_of

DAY = 86_400.0


@dataclass(frozen=True)
class StalenessDefaults:
    """The thresholds :func:`staleness` uses unless told otherwise."""

    older_than_days: float = 90.0
    """A quarter: about one model release cycle, after which a comparison is of old outputs."""
    max_median_days: float = 90.0
    """Warn when most of the export predates the current cycle."""
    critical_median_days: float = 365.0
    """A year: most of the export judged outputs of models long since replaced."""
    quantiles: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9)


DEFAULTS = StalenessDefaults()


@dataclass(frozen=True)
class Staleness:
    """The age distribution of the preferences, in days."""

    n: int
    quantiles: tuple[float, ...]
    age_quantiles_days: NDArray[np.float64]
    """One age per entry of ``quantiles`` (NaN when there is nothing to export)."""
    median_days: float
    oldest_days: float
    newest_days: float
    share_older: float
    """Share of preferences older than ``older_than_days``."""
    older_than_days: float
    alerts: list[Alert] = field(default_factory=list)


def staleness(
    created_at: ArrayLike,
    now: float | np.datetime64 | dt.datetime,
    *,
    older_than_days: float = DEFAULTS.older_than_days,
    max_median_days: float = DEFAULTS.max_median_days,
    critical_median_days: float = DEFAULTS.critical_median_days,
    quantiles: Sequence[float] = DEFAULTS.quantiles,
) -> Staleness:
    """Ages of the preferences that would be exported, given when each was made.

    ``created_at`` is one time per preference (``datetime64`` or epoch seconds); ``now`` is
    the moment of the export (a naive ``datetime`` is read as UTC). A preference dated after
    ``now`` is an error: its clock, or the caller's, is wrong.
    """
    seconds = as_seconds("created_at", created_at, None)
    ages = (second_of("now", now) - seconds) / DAY
    future = np.flatnonzero(ages < 0)
    if len(future):
        i = int(future[0])
        raise ValueError(f"created_at[{i}] is {-ages[i]:.2f} days after now")
    levels = tuple(float(q) for q in quantiles)
    if len(ages) == 0:
        nan = float("nan")
        return Staleness(0, levels, np.full(len(levels), np.nan), nan, nan, nan, nan,
                         older_than_days)
    *at_levels, median = np.quantile(ages, [*levels, 0.5])  # one partition for all
    return Staleness(
        n=len(ages), quantiles=levels, age_quantiles_days=np.asarray(at_levels),
        median_days=float(median), oldest_days=float(ages.max()),
        newest_days=float(ages.min()), share_older=float(np.mean(ages > older_than_days)),
        older_than_days=older_than_days,
        alerts=_alerts(float(median), len(ages), max_median_days, critical_median_days),
    )


def _alerts(median: float, n: int, warning: float, critical: float) -> list[Alert]:
    severity: Severity
    if median > critical:
        severity, limit = "critical", critical
    elif median > warning:
        severity, limit = "warning", warning
    else:
        return []
    return [Alert("staleness", None, severity, median, limit,
                  f"the median preference to export is {median:.0f} days old "
                  f"({n} preferences; limit {limit:g} days)")]
