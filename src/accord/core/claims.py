"""Handing out work: leases on tasks, claimed atomically, expiring back into the pool.

A claim is one transaction that takes the write lock before it reads (``BEGIN IMMEDIATE`` on
SQLite; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), then moves the task's ``taken`` counter,
which a CHECK keeps within the task's overlap, and inserts the assignment, which a unique
key keeps to one per (task, annotator). There is no read-then-write window to race through.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, exists, insert, not_, or_, select, update

from accord.core.projects import Project, current_guideline_version
from accord.core.queue import queue_after
from accord.core.tasks import TaskView, load_view, response_ids
from accord.core.users import User, expertise_of
from accord.db.tables import QUEUE_FULL, assignments, task_expertise, tasks

EXPIRY_BATCH = 1000
_shuffle = random.Random()


@dataclass(frozen=True)
class Claim:
    assignment_id: int
    lease_expires_at: datetime
    task: TaskView


def expire_leases(conn: Connection, project_id: int, now: datetime) -> int:
    """Mark leases past their expiry as expired and give their slots back. Returns how many."""
    rows = conn.execute(
        select(assignments.c.id, assignments.c.task_id)
        .where(
            assignments.c.status == "active",
            assignments.c.lease_expires_at < now,
            assignments.c.project_id == project_id,
        )
        .limit(EXPIRY_BATCH)
    ).all()
    if not rows:
        return 0
    conn.execute(
        update(assignments)
        .where(assignments.c.id.in_([r.id for r in rows]), assignments.c.status == "active")
        .values(status="expired", finished_at=now)
    )
    for task_id, released in Counter(r.task_id for r in rows).items():
        new_taken = tasks.c.taken - released
        conn.execute(
            update(tasks)
            .where(tasks.c.id == task_id)
            .values(taken=new_taken, queue=queue_after(new_taken))
        )
    return len(rows)


def _candidate_query(project_id: int, user_id: int, tags: list[str], postgres: bool):
    already_had = exists().where(
        assignments.c.task_id == tasks.c.id, assignments.c.annotator_id == user_id
    )
    lacking_expertise = exists().where(
        task_expertise.c.task_id == tasks.c.id,
        not_(task_expertise.c.tag.in_(tags)) if tags else True,
    )
    query = (
        select(tasks.c.id, tasks.c.prompt_id)
        .where(
            tasks.c.project_id == project_id,
            tasks.c.queue < QUEUE_FULL,
            not_(already_had),
            or_(tasks.c.requires_expertise.is_(False), not_(lacking_expertise)),
        )
        .order_by(tasks.c.queue, tasks.c.priority.desc(), tasks.c.id)
        .limit(1)
    )
    if postgres:
        query = query.with_for_update(of=tasks, skip_locked=True)
    return query


def claim_next(conn: Connection, project: Project, user: User, now: datetime) -> Claim | None:
    """Lease the caller's next task in ``project``, or None when nothing is left for them.

    The caller must already be allowed to annotate in the project (see ``core.access``).
    """
    expire_leases(conn, project.id, now)
    postgres = conn.dialect.name == "postgresql"
    tags = expertise_of(conn, user.id)
    row = conn.execute(_candidate_query(project.id, user.id, tags, postgres)).first()
    if row is None:
        return None
    task_id = row.id
    new_taken = tasks.c.taken + 1
    conn.execute(
        update(tasks)
        .where(tasks.c.id == task_id)
        .values(taken=new_taken, queue=queue_after(new_taken))
    )
    order = list(response_ids(conn, task_id))
    _shuffle.shuffle(order)
    expires = now + timedelta(seconds=project.lease_seconds)
    assignment_id = conn.execute(
        insert(assignments).values(
            task_id=task_id,
            annotator_id=user.id,
            project_id=project.id,
            status="active",
            display_order=order,
            leased_at=now,
            lease_expires_at=expires,
        )
    ).inserted_primary_key[0]
    guideline = current_guideline_version(conn, project.id)
    view = load_view(conn, task_id, order, guideline[1] if guideline else None)
    return Claim(assignment_id, expires, view)
