"""Safety escalation: an ``unsafe`` flag takes a task out of the general pool.

A submitted annotation carrying the ``unsafe`` flag opens an escalation (its severity tier
from the red-team severity, else 1: low) unless the task already has one that is not
resolved, and moves the task to ``escalated``, which closes its claim queue and keeps it out
of the reviewer queue and the exports. Only safety specialists and managers see escalated
content; to everyone else in the project the queue does not exist (404, as for a project
one is not a member of), so its existence reveals nothing either.

The queue is ordered unresolved first, most severe first, and filters by status and
severity. An item moves ``open`` → ``in_review`` → ``resolved`` (or straight from open to
resolved); resolving needs a resolution text, and a resolved item is final. Each opening
and each move writes one audit event in the same transaction. The task stays ``escalated``
(out of exports) after resolution, because whether flagged content may return to the pool
is a project decision this rule does not make.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, exists, insert, select, update

from accord.core.errors import Conflict, InvalidInput, NotFound
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import project_for_member
from accord.core.review import audit
from accord.db.inserts import insert_one
from accord.db.tables import (
    QUEUE_FULL,
    escalations,
    prompts,
    responses,
    task_responses,
    tasks,
    users,
)

FLAG = "unsafe"
STATUSES = ("open", "in_review", "resolved")
MOVES = {"open": ("in_review", "resolved"), "in_review": ("resolved",), "resolved": ()}
SEVERITY_TIERS = {1: "low", 2: "medium", 3: "high", 4: "critical"}
"""The red-team severity scale (0 none … 4 critical); a flag without a severity is low."""
MAX_NOTE = 20_000


def tier_name(severity: int) -> str:
    return SEVERITY_TIERS.get(severity, str(severity))


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
    assigned_to: str | None = None
    resolved_at: datetime | None = None

    @property
    def tier(self) -> str:
        return tier_name(self.severity)


def escalate_flagged(conn: Connection, *, task_id: int, annotation_id: int, raised_by: int,
                     severity: int | None, reason: str, now: datetime) -> bool:
    """Open an escalation for a task an annotator flagged ``unsafe``; False if one is open.

    Called from the submission path only when the flag is present, so ordinary submissions
    pay nothing for it.
    """
    pending = conn.execute(select(exists().where(
        escalations.c.task_id == task_id, escalations.c.status != "resolved"))).scalar_one()
    if not pending:
        tier = min(max(1, severity or 0), max(SEVERITY_TIERS))
        escalation_id = insert_one(conn, insert(escalations).values(
            task_id=task_id, annotation_id=annotation_id, raised_by=raised_by,
            severity=tier, status="open", reason=reason[:MAX_NOTE], created_at=now,
        ))
        task = conn.execute(select(tasks.c.project_id, tasks.c.external_id)
                            .where(tasks.c.id == task_id)).one()
        audit.record(conn, project_id=task.project_id, actor_id=raised_by,
                     action="escalation.opened", subject=f"task {task.external_id}", now=now,
                     details={"escalation": int(escalation_id), "severity": tier,
                              "status": "open", "reason": reason[:MAX_NOTE]})
    conn.execute(update(tasks).where(tasks.c.id == task_id)
                 .values(status="escalated", queue=QUEUE_FULL))
    return not pending


def _safety_project(conn: Connection, project_name: str, user: User):
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_see_escalations(user, roles):
        # Not 403: to anyone else the queue does not exist, and neither do its items.
        raise NotFound(f'"{project.name}" has no escalation queue you can open')
    return project


def _filters(status: str | None, severity: int | None) -> list:
    """The queue's filters as conditions; an unknown status or tier is an error, not []."""
    conditions = []
    if status:
        if status not in STATUSES:
            raise InvalidInput(f"status {status!r} is not one of {', '.join(STATUSES)}")
        conditions.append(escalations.c.status == status)
    if severity is not None:
        if severity not in SEVERITY_TIERS:
            raise InvalidInput(f"severity {severity} is not a tier (1 low … 4 critical)")
        conditions.append(escalations.c.severity == severity)
    return conditions


def escalated(conn: Connection, user: User, project_name: str, *, status: str | None = None,
              severity: int | None = None) -> list[Escalation]:
    """The project's escalations, unresolved first, most severe first, with their content;
    ``status`` and ``severity`` narrow the list."""
    project = _safety_project(conn, project_name, user)
    conditions = (tasks.c.project_id == project.id, *_filters(status, severity))
    assignee = users.alias("assignee")
    rows = conn.execute(
        select(escalations.c.id, tasks.c.id.label("task_db_id"), tasks.c.external_id,
               prompts.c.category, escalations.c.severity, escalations.c.status,
               escalations.c.reason, users.c.name, escalations.c.resolution,
               escalations.c.created_at, prompts.c.messages,
               assignee.c.name.label("assignee"), escalations.c.resolved_at)
        .join(tasks, tasks.c.id == escalations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .outerjoin(users, users.c.id == escalations.c.raised_by)
        .outerjoin(assignee, assignee.c.id == escalations.c.assigned_to)
        .where(*conditions)
        .order_by((escalations.c.status == "resolved"), escalations.c.severity.desc(),
                  escalations.c.id)
    ).all()
    shown = _responses_of_escalated(conn, conditions) if rows else {}
    return [
        Escalation(r.id, r.external_id, r.category, r.severity, r.status, r.reason, r.name,
                   r.resolution, r.created_at, r.messages, shown.get(r.task_db_id, []),
                   r.assignee, r.resolved_at)
        for r in rows
    ]


def _responses_of_escalated(conn: Connection, conditions: tuple) -> dict[int, list]:
    """The responses of every listed item's task, in imported order: one query, not one per
    item (the queue has no page limit)."""
    listed = (select(escalations.c.task_id)
              .join(tasks, tasks.c.id == escalations.c.task_id).where(*conditions))
    found: dict[int, list[tuple[str, str]]] = {}
    for task_id, response_id, content in conn.execute(
        select(task_responses.c.task_id, responses.c.external_id, responses.c.content)
        .join(responses, responses.c.id == task_responses.c.response_id)
        .where(task_responses.c.task_id.in_(listed))
        .order_by(task_responses.c.task_id, task_responses.c.position)
    ):
        found.setdefault(task_id, []).append((response_id, content))
    return found


def set_status(conn: Connection, user: User, project_name: str, escalation_id: int,
               status: str, note: str, now: datetime, *, severity: int | None = None) -> None:
    """Move an escalation on (``open`` → ``in_review`` → ``resolved``); resolving needs a
    note. ``severity`` re-tiers the item on the way. One audit event records the move."""
    project = _safety_project(conn, project_name, user)
    if status not in ("in_review", "resolved"):
        raise InvalidInput(f"status {status!r} is not one of in_review, resolved")
    if severity is not None and severity not in SEVERITY_TIERS:
        raise InvalidInput(f"severity {severity} is not a tier (1 low … 4 critical)")
    note = (note or "").strip()
    if status == "resolved" and not note:
        raise InvalidInput("say how it was resolved: a resolution needs a note")
    if len(note) > MAX_NOTE:
        raise InvalidInput(f"the note is longer than {MAX_NOTE:,} characters")
    current = conn.execute(
        select(escalations.c.status, escalations.c.severity, tasks.c.external_id)
        .join(tasks, tasks.c.id == escalations.c.task_id)
        .where(escalations.c.id == escalation_id, tasks.c.project_id == project.id)
    ).first()
    if current is None:
        raise NotFound(f"escalation {escalation_id} does not exist")
    if status not in MOVES[current.status]:
        raise Conflict(f"escalation {escalation_id} is {current.status.replace('_', ' ')}; "
                       f"it cannot move to {status.replace('_', ' ')}")
    values: dict = {"status": status, "assigned_to": user.id}
    if severity is not None:
        values["severity"] = severity
    if status == "resolved":
        values.update(resolution=note, resolved_at=now)
    elif note:
        values["resolution"] = note
    # The expected status is part of the UPDATE: of two specialists acting at once, one wins.
    changed = conn.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id, escalations.c.status == current.status)
        .values(**values)
    ).rowcount
    if changed != 1:
        raise Conflict(f"escalation {escalation_id} was changed by someone else; reload it")
    audit.record(conn, project_id=project.id, actor_id=user.id, action=f"escalation.{status}",
                 subject=f"task {current.external_id}", now=now, details={
                     "escalation": escalation_id, "from": current.status, "to": status,
                     "note": note, "severity": severity or current.severity,
                 })
