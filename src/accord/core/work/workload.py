"""An annotator's day at a glance: what waits for them in each project, what they have done.

"Waiting" counts the tasks the claim could still hand this person (open, not full, not
theirs already, expertise matching), using the claim's own conditions; it stops counting
at ``WAITING_CAP`` so that a home page over a project of a million tasks stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import Connection, and_, func, select, text

from accord.core.guidelines.current import Guideline, current_guideline
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, projects_of, roles_of
from accord.db.tables import QUEUE_FULL, annotations, assignments

WAITING_CAP = 1000

_WAITING = text(f"""
SELECT COUNT(*) FROM (
  SELECT 1 FROM tasks t
  WHERE t.project_id = :project_id AND t.queue < {QUEUE_FULL} AND NOT t.is_gold
    AND NOT EXISTS (
      SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.annotator_id = :user_id)
    AND (NOT t.requires_expertise OR NOT EXISTS (
      SELECT 1 FROM task_expertise te WHERE te.task_id = t.id AND te.tag NOT IN (
        SELECT ue.tag FROM user_expertise ue WHERE ue.user_id = :user_id)))
  LIMIT {WAITING_CAP}
) AS waiting""")


@dataclass(frozen=True)
class Today:
    """The caller's own work in a project since ``since`` (midnight UTC)."""

    submitted: int
    skipped: int
    active_ms: int


@dataclass(frozen=True)
class ProjectDay:
    project: Project
    roles: frozenset[str]
    waiting: int | None
    """Tasks the caller could still take (None when they do not annotate here)."""
    today: Today
    guideline: Guideline | None

    @property
    def waiting_capped(self) -> bool:
        return self.waiting is not None and self.waiting >= WAITING_CAP


def start_of_day(now: datetime) -> datetime:
    """Midnight UTC of ``now``'s day: the server's notion of "today", shown as UTC."""
    return datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)


def waiting_for(conn: Connection, project: Project, user: User) -> int:
    """Production tasks the caller could still take. Gold tasks never count: they are mixed
    into production work, never handed out alone (see ``core.work.claims``)."""
    return conn.execute(_WAITING, {"project_id": project.id, "user_id": user.id}).scalar_one()


def today(conn: Connection, project: Project, user: User, since: datetime) -> Today:
    submitted, active_ms = conn.execute(
        select(func.count(), func.coalesce(func.sum(annotations.c.active_ms), 0)).where(
            annotations.c.annotator_id == user.id,
            annotations.c.project_id == project.id,
            annotations.c.created_at >= since,
        )
    ).one()
    skipped = conn.execute(
        select(func.count()).where(and_(
            assignments.c.annotator_id == user.id,
            assignments.c.project_id == project.id,
            assignments.c.status == "skipped",
            assignments.c.finished_at >= since,
        ))
    ).scalar_one()
    return Today(int(submitted), int(skipped), int(active_ms))


def overview(conn: Connection, user: User, now: datetime) -> list[ProjectDay]:
    """One line per project the caller belongs to, in name order."""
    since = start_of_day(now)
    result = []
    for project in projects_of(conn, user):
        roles = roles_of(conn, project.id, user.id)
        waiting = waiting_for(conn, project, user) if access.can_annotate(user, roles) else None
        result.append(ProjectDay(project, roles, waiting, today(conn, project, user, since),
                                 current_guideline(conn, project)))
    return result
