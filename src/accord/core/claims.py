"""Handing out work: leases on tasks, claimed atomically, expiring back into the pool.

A claim is one transaction that takes the write lock before it reads (``BEGIN IMMEDIATE`` on
SQLite; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), then moves the task's ``taken`` counter,
which a CHECK keeps within the task's overlap, and inserts the assignment, which a unique
key keeps to one per (task, annotator). There is no read-then-write window to race through.

Statements are built once at import (see ``core.tasks``): the claim is the hottest path.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, exists, insert, not_, or_, select, update

from accord.core.projects import Project
from accord.core.queue import queue_after
from accord.core.tasks import ShownResponse, TaskView, task_responses_of
from accord.core.users import User
from accord.db.tables import (
    QUEUE_FULL,
    assignments,
    prompts,
    task_expertise,
    tasks,
    user_expertise,
)

EXPIRY_BATCH = 1000
_shuffle = random.Random()


@dataclass(frozen=True)
class Claim:
    assignment_id: int
    lease_expires_at: datetime
    task: TaskView


_EXPIRED = (
    select(assignments.c.id, assignments.c.task_id)
    .where(
        assignments.c.status == "active",
        assignments.c.lease_expires_at < bindparam("now"),
        assignments.c.project_id == bindparam("project_id"),
    )
    .limit(EXPIRY_BATCH)
)
_MARK_EXPIRED = (
    update(assignments)
    .where(assignments.c.id.in_(bindparam("ids", expanding=True)), assignments.c.status == "active")
    .values(status="expired", finished_at=bindparam("now"))
)
_released = tasks.c.taken - bindparam("released")
_RELEASE = (
    update(tasks)
    .where(tasks.c.id == bindparam("task_id"))
    .values(taken=_released, queue=queue_after(_released))
)
_taken_one_more = tasks.c.taken + 1
_TAKE = (
    update(tasks)
    .where(tasks.c.id == bindparam("task_id"))
    .values(taken=_taken_one_more, queue=queue_after(_taken_one_more))
)
_INSERT_ASSIGNMENT = insert(assignments)


def _candidate_query(postgres: bool):
    """The first task in queue order that the caller has not had and has the expertise for."""
    already_had = exists().where(
        assignments.c.task_id == tasks.c.id, assignments.c.annotator_id == bindparam("user_id")
    )
    lacking_expertise = exists().where(
        task_expertise.c.task_id == tasks.c.id,
        task_expertise.c.tag.not_in(
            select(user_expertise.c.tag).where(user_expertise.c.user_id == bindparam("user_id"))
        ),
    )
    query = (
        select(tasks.c.id, tasks.c.external_id, tasks.c.kind, prompts.c.messages,
               prompts.c.category)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(
            tasks.c.project_id == bindparam("project_id"),
            tasks.c.queue < QUEUE_FULL,
            not_(already_had),
            or_(tasks.c.requires_expertise.is_(False), not_(lacking_expertise)),
        )
        .order_by(tasks.c.queue, tasks.c.priority.desc(), tasks.c.id)
        .limit(1)
    )
    return query.with_for_update(of=tasks, skip_locked=True) if postgres else query


_CANDIDATE = {False: _candidate_query(False), True: _candidate_query(True)}


def expire_leases(conn: Connection, project_id: int, now: datetime) -> int:
    """Mark leases past their expiry as expired and give their slots back. Returns how many."""
    rows = conn.execute(_EXPIRED, {"now": now, "project_id": project_id}).all()
    if not rows:
        return 0
    conn.execute(_MARK_EXPIRED, {"ids": [r.id for r in rows], "now": now})
    for task_id, released in Counter(r.task_id for r in rows).items():
        conn.execute(_RELEASE, {"task_id": task_id, "released": released})
    return len(rows)


def claim_next(conn: Connection, project: Project, user: User, now: datetime) -> Claim | None:
    """Lease the caller's next task in ``project``, or None when nothing is left for them.

    The caller must already be allowed to annotate in the project (see ``core.access``).
    """
    expire_leases(conn, project.id, now)
    postgres = conn.dialect.name == "postgresql"
    task = conn.execute(
        _CANDIDATE[postgres], {"project_id": project.id, "user_id": user.id}
    ).first()
    if task is None:
        return None
    task_id = task.id
    conn.execute(_TAKE, {"task_id": task_id})
    shown = task_responses_of(conn, task_id)
    order = [rid for rid, _, _ in shown]
    _shuffle.shuffle(order)
    expires = now + timedelta(seconds=project.lease_seconds)
    assignment_id = conn.execute(
        _INSERT_ASSIGNMENT,
        {
            "task_id": task_id,
            "annotator_id": user.id,
            "project_id": project.id,
            "status": "active",
            "display_order": order,
            "leased_at": now,
            "lease_expires_at": expires,
        },
    ).inserted_primary_key[0]
    contents = {rid: content for rid, _, content in shown}
    view = TaskView(
        id=task.external_id,
        kind=task.kind,
        messages=task.messages,
        responses=[ShownResponse(rid, contents[rid]) for rid in order],
        category=task.category,
        guideline_version=project.guideline[1] if project.guideline else None,
    )
    return Claim(assignment_id, expires, view)
