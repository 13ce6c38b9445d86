"""The ``monitors`` and ``cost`` sections: each monitor's figures, and every alert.

The monitors are ``accord.quality.monitors``; each model below lists the figures of one of
them, in the monitor's own order. A per-annotator figure is a plain dict keyed by annotator
name, and is left out of a report whose project has no annotators.
"""

from __future__ import annotations

from typing import Literal

from accord.wire.report.base import Absent, PerAnnotator, PerAnnotatorCount, ReportModel
from accord.wire.report.cost import CompleteCost


class MonitorAlert(ReportModel):
    """One finding of one monitor, about one annotator or the whole project."""

    monitor: str
    """The monitor that raised it (``fatigue``, ``length_bias``, ``budget``, …)."""
    check: str
    """The finding within the monitor (``speedup``, ``session_length``, …; the monitor's
    name when it has one check)."""
    severity: Literal["info", "warning", "critical"]
    """``info``: worth knowing; ``warning``: look at it; ``critical``: act now."""
    statistic: float | None
    """The figure that tripped the alert, in the unit its message names."""
    threshold: float | None
    """The value the statistic crossed."""
    message: str
    """One sentence for a person: what was seen, against what."""
    annotator: str | Absent = None
    """The annotator it is about; absent for an alert about the project."""


class FatigueFigures(ReportModel):
    """Sessions and signs of fatigue (``quality.monitors.fatigue``)."""

    sessions: PerAnnotatorCount | Absent = None
    """Per annotator: how many sessions."""
    longest_session_minutes: PerAnnotator | Absent = None
    """Per annotator: the longest session, in minutes."""
    baseline_ms: PerAnnotator | Absent = None
    """Per annotator: median active time per task in the fresh part of their sessions."""
    speedup_share: PerAnnotator | Absent = None
    """Per annotator: share of in-session windows faster than the speed-up line."""
    early_agreement: PerAnnotator | Absent = None
    """Per annotator: agreement with the other annotators' consensus in the first hour of a
    session, over the annotations that had one to compare with."""
    late_agreement: PerAnnotator | Absent = None
    """Per annotator: agreement with the other annotators' consensus after the first hour of
    a session, over the annotations that had one to compare with."""
    agreement_p_value: PerAnnotator | Absent = None
    """Per annotator: one-sided p-value that late agreement is lower (1 when not tested)."""
    n_sessions: int
    """Sessions over everyone."""
    long_sessions: int
    """Sessions over everyone longer than the longest allowed."""


class LengthBiasFigures(ReportModel):
    """Whether the longer response wins more than it should (``quality.monitors.length_bias``)."""

    pairs: PerAnnotatorCount | Absent = None
    """Per annotator: non-tie outcomes whose two responses differ in length."""
    longer_wins: PerAnnotatorCount | Absent = None
    """Per annotator: of those, the outcomes the longer response won."""
    longer_win_rate: PerAnnotator | Absent = None
    """Per annotator: ``longer_wins / pairs``."""
    baseline_rate: PerAnnotator | Absent = None
    """Per annotator: the other annotators' longer-wins rate on the same pairs."""
    p_value: PerAnnotator | Absent = None
    """Per annotator: one-sided binomial p-value that the rate exceeds the baseline."""
    slope: PerAnnotator | Absent = None
    """Per annotator: logistic slope per root-mean-square length difference."""
    slope_se: PerAnnotator | Absent = None
    """Per annotator: standard error of the slope."""
    intercept: PerAnnotator | Absent = None
    """Per annotator: logistic intercept, the first-shown advantage at equal length."""
    overall_pairs: int
    """Pairs over everyone."""
    overall_longer_win_rate: float | None
    """The pool's longer-wins rate."""
    overall_p_value: float | None
    """One-sided binomial p-value of the pool's rate against 1/2."""
    overall_slope: float | None
    """The pool's logistic slope."""
    overall_intercept: float | None
    """The pool's logistic intercept."""
    length_scale: float | None
    """Root mean square of the length difference: the unit of the slopes."""


class PositionBiasFigures(ReportModel):
    """Whether a display position wins more than chance (``quality.monitors.position_bias``)."""

    statistic: PerAnnotator | Absent = None
    """Per annotator: z (two positions) or the scaled chi-square (more positions)."""
    p_value: PerAnnotator | Absent = None
    """Per annotator: p-value of that statistic."""
    overall_p_value: float | None
    """The pool's p-value."""


class OverRefusalFigures(ReportModel):
    """Whether refusals are preferred on benign prompts (``quality.monitors.over_refusal``)."""

    benign: PerAnnotatorCount | Absent = None
    """Per annotator: benign items judged."""
    refused_benign: PerAnnotatorCount | Absent = None
    """Per annotator: of those, the items where a refusal was preferred or judged right."""
    share: PerAnnotator | Absent = None
    """Per annotator: ``refused_benign / benign``."""
    p_value: PerAnnotator | Absent = None
    """Per annotator: one-sided binomial p-value that the share exceeds the limit."""
    harmful_refusal_share: PerAnnotator | Absent = None
    """Per annotator: the same share on items that are not benign, for contrast."""
    overall_benign: int
    """Benign items over everyone."""
    overall_share: float | None
    """The pool's share."""
    overall_harmful_refusal_share: float | None
    """The pool's share on items that are not benign."""


class StalenessFigures(ReportModel):
    """How old the preferences an export would take are (``quality.monitors.staleness``)."""

    n: int
    """Preferences measured."""
    median_days: float | None
    """Median age in days."""
    oldest_days: float | None
    """Age of the oldest, in days."""
    newest_days: float | None
    """Age of the newest, in days."""
    share_older: float | None
    """Share older than ``older_than_days``."""
    older_than_days: float | None
    """The age that counts as old."""


class DiversityFigures(ReportModel):
    """Who the annotations come from, by self-reported attribute (``quality.monitors
    .diversity``); its findings are alerts."""

    annotations: int
    """Annotations measured."""


class CostFigures(ReportModel):
    """Active hours and spend, in the currency of the pay rates (``quality.monitors.cost``)."""

    hours: PerAnnotator | Absent = None
    """Per annotator: active hours."""
    spend: PerAnnotator | Absent = None
    """Per annotator: pay for active time."""
    total_hours: float | None
    """Active hours over everyone."""
    total_spend: float | None
    """Spend over everyone."""
    per_annotation: float | None
    """Spend per annotation."""
    per_accepted_pair: float | None
    """Spend per pair an export would take."""
    budget: float | None
    """The project's budget; null without one."""
    budget_share: float | None
    """``total_spend / budget``."""
    projected_spend: float | None
    """Spend at completion, at the cost per annotation so far."""
    complete: CompleteCost | Absent = None
    """Everything the data cost: annotators' and reviewers' time, model calls, per accepted
    example and category, and the projection to completion by task kind (read from the
    database: absent from a report computed from arrays alone)."""


class MonitorsSection(ReportModel):
    """Every monitor's figures, and the alerts of all of them (the cost monitor's too)."""

    alerts: list[MonitorAlert]
    """Every alert, monitor by monitor."""
    fatigue: FatigueFigures
    """Sessions and signs of fatigue."""
    length_bias: LengthBiasFigures
    """Preference for the longer response."""
    position_bias: PositionBiasFigures
    """Preference for a display position."""
    over_refusal: OverRefusalFigures
    """Preference for refusals on benign prompts."""
    staleness: StalenessFigures
    """Age of the preferences."""
    diversity: DiversityFigures | Absent = None
    """Who the annotations come from; only when annotators reported attributes."""
