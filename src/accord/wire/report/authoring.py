"""How the project's demonstrations were authored: the modes, and the post-edits of model
drafts that changed nothing."""

from __future__ import annotations

from accord.wire.report.base import PerAnnotatorCount, ReportModel


class AuthoringFigures(ReportModel):
    """Demonstrations by authoring mode, over every demonstration of the project."""

    demonstrations: int
    """Demonstration annotations submitted."""
    by_mode: dict[str, int]
    """Demonstrations per mode: write (from scratch), post_edit (a model draft edited),
    multi_turn (a conversation's assistant turns)."""
    unchanged_drafts: int
    """Post-edits submitted with the draft exactly as the model wrote it."""
    unchanged_share: float | None
    """Unchanged drafts as a share of post-edits; null without post-edits."""
    mean_edit_distance: float | None
    """Mean Levenshtein distance, in characters, from draft to submitted text over the
    post-edits; null without post-edits."""
    unchanged_by_annotator: PerAnnotatorCount
    """Unchanged drafts per writer, keyed by name (writers with none left out)."""
