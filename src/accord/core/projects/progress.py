"""How far a project has come: tasks by status, annotations, leases out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select

from accord.core.projects.project import Project
from accord.db.tables import annotations, assignments, tasks


@dataclass(frozen=True)
class ProjectProgress:
    tasks: int
    by_status: dict[str, int]
    annotations: int
    active_leases: int


def progress(conn: Connection, project: Project, now: datetime) -> ProjectProgress:
    by_status = dict(
        conn.execute(
            select(tasks.c.status, func.count())
            .where(tasks.c.project_id == project.id)
            .group_by(tasks.c.status)
        ).all()
    )
    annotation_count = conn.execute(
        select(func.count()).select_from(annotations).where(annotations.c.project_id == project.id)
    ).scalar_one()
    leases = conn.execute(
        select(func.count())
        .select_from(assignments)
        .where(
            assignments.c.project_id == project.id,
            assignments.c.status == "active",
            assignments.c.lease_expires_at >= now,
        )
    ).scalar_one()
    return ProjectProgress(sum(by_status.values()), by_status, annotation_count, leases)
