"""The report's ``overlap`` section: what adaptive overlap spent and what it bought."""

from __future__ import annotations

from accord.wire.report.base import ReportModel


class OverlapSection(ReportModel):
    """Adaptive overlap (``rules.overlap``): judgments per decided task against a fixed
    overlap of ``max``, and the estimated accuracy of the settled tasks. Present only while the
    project has the rule; it describes the whole project (a guideline-version cut of the
    report does not cut it). See docs/calibration.md, "Adaptive overlap"."""

    rule: dict
    """The rule in force: ``{"min", "max", "stop"}``."""
    tasks_decided: int
    """Tasks the rule has decided: settled, or closed at ``max`` without meeting the stop."""
    tasks_settled: int
    """Decided tasks whose stop was met (confidence reached, or unanimous)."""
    tasks_at_max: int
    """Decided tasks closed at ``max`` with the stop still unmet."""
    judgments_per_task: dict[str, int]
    """Decided tasks by the number of human judgments they took (``"2": 140`` means 140
    tasks took two), the distribution of the overlap actually spent."""
    mean_judgments_per_task: float | None
    """Judgments per decided task; null before any task is decided."""
    judgments: int
    """Human judgments the decided tasks took."""
    judgments_at_fixed_max: int
    """What the same tasks would have taken at a fixed overlap of ``max``."""
    judgments_saved: int
    """``judgments_at_fixed_max - judgments``."""
    saved_share: float | None
    """``judgments_saved / judgments_at_fixed_max``; null before any task is decided."""
    estimated_accuracy: float | None
    """Mean posterior confidence of the settled tasks' consensus label under the annotators'
    running reliabilities (the one-coin model): the share of them expected to be right.
    Null before any task is settled."""
    estimated_accuracy_decided: float | None
    """The same mean over every decided task, those closed at ``max`` included."""
