"""Safety escalation: an ``unsafe`` flag takes a task out of the general pool.

The rule is deliberately minimal: a submitted annotation carrying the ``unsafe`` flag opens
an escalation (severity from the red-team severity, else 1; status ``open``) unless the task
already has one that is not resolved, and moves the task to ``escalated``, which closes its
claim queue and keeps it out of the reviewer queue and the exports. Only safety specialists
and managers see escalated content; they move an escalation to ``in_review`` or
``resolved`` with a note. Resolving records the outcome; the task stays ``escalated`` (out
of exports) because whether flagged content may return to the pool is a project decision
this rule does not make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, insert, select, update

from accord.core import access
from accord.core.errors import Forbidden, InvalidInput, NotFound
from accord.core.projects import project_for_member
from accord.core.tasks import task_responses_of
from accord.core.users import User
from accord.db.tables import QUEUE_FULL, escalations, prompts, tasks, users

FLAG = "unsafe"
STATUSES = ("open", "in_review", "resolved")
MAX_NOTE = 20_000


@dataclass(frozen=True)
class Escalation:
    """One escalated task with its content, for a safety specialist."""

    id: int
    task_id: str
    category: str
    severity: int
    status: str
    reason: str
    raised_by: str | None
    resolution: str | None
    created_at: datetime
    messages: list[dict]
    responses: list[tuple[str, str]]


def escalate_flagged(conn: Connection, *, task_id: int, annotation_id: int, raised_by: int,
                     severity: int | None, reason: str, now: datetime) -> bool:
    """Open an escalation for a task an annotator flagged ``unsafe``; False if one is open.

    Called from the submission path only when the flag is present, so ordinary submissions
    pay nothing for it.
    """
    pending = conn.execute(select(exists().where(
        escalations.c.task_id == task_id, escalations.c.status != "resolved"))).scalar_one()
    if not pending:
        conn.execute(insert(escalations).values(
            task_id=task_id, annotation_id=annotation_id, raised_by=raised_by,
            severity=max(1, severity or 0), status="open", reason=reason[:MAX_NOTE],
            created_at=now,
        ))
    conn.execute(update(tasks).where(tasks.c.id == task_id)
                 .values(status="escalated", queue=QUEUE_FULL))
    return not pending


def _safety_project(conn: Connection, project_name: str, user: User):
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_see_escalations(user, roles):
        raise Forbidden(f'escalated items of "{project.name}" are for safety specialists')
    return project


def escalated(conn: Connection, user: User, project_name: str) -> list[Escalation]:
    """The project's escalations, unresolved first, most severe first, with their content."""
    project = _safety_project(conn, project_name, user)
    rows = conn.execute(
        select(escalations.c.id, tasks.c.id.label("task_db_id"), tasks.c.external_id,
               prompts.c.category, escalations.c.severity, escalations.c.status,
               escalations.c.reason, users.c.name, escalations.c.resolution,
               escalations.c.created_at, prompts.c.messages)
        .join(tasks, tasks.c.id == escalations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .outerjoin(users, users.c.id == escalations.c.raised_by)
        .where(tasks.c.project_id == project.id)
        .order_by((escalations.c.status == "resolved"), escalations.c.severity.desc(),
                  escalations.c.id)
    ).all()
    return [
        Escalation(r.id, r.external_id, r.category, r.severity, r.status, r.reason, r.name,
                   r.resolution, r.created_at, r.messages,
                   [(rid, content) for rid, _, content in task_responses_of(conn, r.task_db_id)])
        for r in rows
    ]


def set_status(conn: Connection, user: User, project_name: str, escalation_id: int,
               status: str, note: str, now: datetime) -> None:
    """Move an escalation to ``in_review`` or ``resolved``; resolving needs a note."""
    project = _safety_project(conn, project_name, user)
    if status not in ("in_review", "resolved"):
        raise InvalidInput(f"status {status!r} is not one of in_review, resolved")
    note = (note or "").strip()
    if status == "resolved" and not note:
        raise InvalidInput("say how it was resolved: a resolution needs a note")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is longer than {MAX_NOTE:,} characters")
    in_project = select(tasks.c.id).where(tasks.c.project_id == project.id)
    values: dict = {"status": status, "assigned_to": user.id}
    if status == "resolved":
        values.update(resolution=note, resolved_at=now)
    elif note:
        values["resolution"] = note
    changed = conn.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id, escalations.c.task_id.in_(in_project))
        .values(**values)
    ).rowcount
    if changed != 1:
        raise NotFound(f"escalation {escalation_id} does not exist")
