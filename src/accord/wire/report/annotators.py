"""The ``annotators`` section: one row per person (or AI judge) who annotated."""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class AnnotatorRow(ReportModel):
    """One annotator's figures. An annotator the figures leave out (an AI judge, unless the
    report counts them) has its count and nulls."""

    name: str
    """The annotator's login name."""
    kind: str
    """``human`` or ``ai`` (an AI judge)."""
    annotations: int
    """Annotations in the report's scope."""
    reliability: float | None
    """Dawid-Skene estimate of how often the annotator's pairwise outcome is the true one."""
    agreement_with_consensus: float | None
    """Share of the annotator's compared pairwise outcomes equal to the consensus of the
    *other* annotators the report counts on the same pair (the outcome most of them gave,
    first preferred, second preferred or a tie, with no other as common); the annotator's
    own vote never counts toward it. Pairs no one else judged, or where the others split
    evenly, are not compared; null when none of the annotator's pairs is."""
    consensus_pairs: int | None
    """The annotator's pairwise outcomes that were compared with the others' consensus: the
    count ``agreement_with_consensus`` is a share of."""
    median_seconds_per_task: float | None
    """Median active time per annotation, in seconds."""
    tasks_per_active_hour: float | None
    """Annotations per hour of active time."""
    spend: float | None
    """Pay for the annotator's active time, in the currency of the pay rates."""
    counted_in_figures: bool
    """Whether the report's figures count this annotator's annotations."""
    gold_answered: int | None = None
    """Gold pairs the annotator judged; only in a project with gold tasks."""
    gold_accuracy: float | None = None
    """Share of those judged as the gold answer says; only in a project with gold tasks."""
