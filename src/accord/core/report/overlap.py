"""The report's ``overlap`` section, from the decisions adaptive overlap recorded.

Each decided task has one ``task_settlements`` row (``core.work.adaptive_overlap``); one
grouped query reads their counts and confidence sums per number of judgments, so the
section costs the same at any size.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from accord.core.projects.project import Project
from accord.core.work import rules as work_rules
from accord.db.tables import task_settlements
from accord.wire.report.overlap import OverlapSection


def section(conn: Connection, project: Project) -> OverlapSection | None:
    """The section, or None when the project has no adaptive overlap rule."""
    rule = work_rules.rules_of(project).overlap
    if rule is None:
        return None
    s = task_settlements.c
    rows = conn.execute(
        select(s.judgments, s.settled, func.count(), func.sum(s.confidence))
        .where(s.project_id == project.id).group_by(s.judgments, s.settled)).all()
    per_task: dict[int, int] = {}
    counts = {True: 0, False: 0}
    confidence = {True: 0.0, False: 0.0}
    judgments = 0
    for taken, settled, tasks, total in rows:
        per_task[taken] = per_task.get(taken, 0) + tasks
        counts[bool(settled)] += tasks
        confidence[bool(settled)] += float(total or 0.0)
        judgments += taken * tasks
    decided = counts[True] + counts[False]
    at_max = decided * rule.max
    return OverlapSection(
        rule=rule.as_setting(),
        tasks_decided=decided,
        tasks_settled=counts[True],
        tasks_at_max=counts[False],
        judgments_per_task={str(k): per_task[k] for k in sorted(per_task)},
        mean_judgments_per_task=_share(judgments, decided),
        judgments=judgments,
        judgments_at_fixed_max=at_max,
        judgments_saved=at_max - judgments,
        saved_share=_share(at_max - judgments, at_max),
        estimated_accuracy=_share(confidence[True], counts[True]),
        estimated_accuracy_decided=_share(confidence[True] + confidence[False], decided),
    )


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None
