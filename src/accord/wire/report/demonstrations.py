"""The report's ``demonstrations`` section: each writer's demonstrations as review judged
them, and how far the reviewers agree."""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class WriterFigures(ReportModel):
    """One writer's demonstrations, over every demonstration they wrote in the project."""

    writer: str
    """The writer's name."""
    written: int
    """Demonstrations they wrote, in every status."""
    accepted: int
    """Their demonstrations that review accepted (with or without the reviewer's edits)."""
    rejected: int
    """Their demonstrations that review rejected."""
    acceptance_rate: float | None
    """``accepted / (accepted + rejected)``; null while none is settled."""
    mean_rounds_to_acceptance: float | None
    """Review rounds an accepted demonstration took (1: accepted at its first review, 2:
    sent back once); null without an accepted one."""
    mean_edit_distance_from_draft: float | None
    """Mean Levenshtein distance, in characters, from a model's draft to what they submitted,
    over their post-edited demonstrations; null without post-edits."""
    mean_edit_distance_to_accepted: float | None
    """Mean Levenshtein distance, in characters, from their first version to the accepted
    text (their revisions and the reviewer's edits); null without an accepted one."""
    mean_scores: dict[str, float]
    """Mean rubric score per dimension over every review of their demonstrations, keyed by
    dimension (dimensions no review scored left out)."""
    active_ms: int
    """Their active writing time, in milliseconds."""


class DemonstrationsSection(ReportModel):
    """Writers' figures and reviewer agreement on demonstrations. Present only in a project
    with demonstrations; it describes the whole project (a guideline-version cut of the
    report does not cut it). See docs/demonstration-review.md."""

    writers: list[WriterFigures]
    """One row per writer, by name."""
    double_reviewed: int
    """Demonstration versions scored by two reviewers (the blind double-reviewed share):
    what the reviewer agreement rests on."""
    reviewer_alpha: float | None
    """Krippendorff's alpha (interval) over the rubric scores of the double-reviewed
    versions, one unit per (version, dimension); null when undefined (fewer than two
    versions scored twice, or no spread in the scores)."""
    reviewer_alpha_by_dimension: dict[str, float | None]
    """The same alpha per rubric dimension of the project, keyed by dimension."""
