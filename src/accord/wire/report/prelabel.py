"""The report's ``prelabel`` section: what showing an AI judge's ranking did to people
(``accord.quality.monitors.prelabel`` has the definitions and the tests)."""

from __future__ import annotations

from accord.wire.report.base import Interval, PerAnnotator, PerAnnotatorCount, ReportModel
from accord.wire.report.monitors import MonitorAlert


class PrelabelArm(ReportModel):
    """One arm of the experiment: assignments drawn to show the suggestion, or to withhold it."""

    assignments: int
    """Submitted assignments of the arm."""
    median_active_ms: float | None
    """Median active time per assignment, in milliseconds."""
    agreement_with_ai: float | None
    """Share of assignments whose ranking equals the AI judge's."""
    agreement_with_consensus: float | None
    """Mean agreement of the assignments' pairs with the other annotators' consensus."""


class PrelabelSection(ReportModel):
    """Pre-labelling with a control arm: time, anchoring, acceptance and savings."""

    judge: str | None
    """The AI judge whose rankings are suggested (null: the setting is off now)."""
    show_rate: float | None
    """The share of assignments drawn to show a suggestion."""
    shown: PrelabelArm
    """Assignments that showed the AI's ranking."""
    control: PrelabelArm
    """Assignments drawn not to show it (the AI had judged the task)."""
    unavailable: int
    """Assignments of tasks the judge had not judged: in neither arm."""
    anchoring: float | None
    """Agreement with the AI, shown arm minus control arm."""
    anchoring_interval: Interval
    """95% bootstrap interval of ``anchoring`` (tasks resampled)."""
    follow_rate: float | None
    """``anchoring / (1 - control agreement with the AI)``: the share of shown assignments
    whose ranking is the AI's only because it was shown."""
    follow_rate_interval: Interval
    """95% bootstrap interval of ``follow_rate``."""
    consensus_difference: float | None
    """Agreement with the consensus of others, shown arm minus control arm."""
    consensus_difference_interval: Interval
    """95% bootstrap interval of ``consensus_difference``."""
    shown_per_annotator: PerAnnotatorCount
    """Per annotator: suggestions shown and submitted."""
    accepted_per_annotator: PerAnnotatorCount
    """Per annotator: suggestions taken by the one-key accept and submitted unchanged."""
    acceptance_rate: PerAnnotator
    """Per annotator: ``accepted / shown``."""
    rubber_stamping_p_value: PerAnnotator
    """Per annotator: one-sided binomial p-value that they accept more than an honest
    annotator would (``honest_acceptance_rate``)."""
    honest_acceptance_rate: float
    """The rubber-stamping test's null rate: halfway between the control arm's agreement
    with the AI and 1."""
    time_saved_ms_per_accept: float | None
    """Control arm's median active time minus the median of accepted assignments."""
    cost_saved: float | None
    """Time saved on accepted assignments at their annotators' pay rates."""
    cost_saved_per_accepted_pair: float | None
    """``cost_saved`` over the pairs the accepted assignments produced."""
    alerts: list[MonitorAlert]
    """``prelabel.rubber_stamping`` per annotator and ``prelabel.anchoring`` for the project."""
