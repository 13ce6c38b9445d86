"""Handing out work: leases on tasks, claimed atomically, expiring back into the pool.

A claim is one transaction that takes the write lock before it reads (``BEGIN IMMEDIATE`` on
SQLite; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), then moves the task's ``taken`` counter,
which a CHECK keeps within the task's overlap, and inserts the assignment, which a unique
key keeps to one per (task, annotator). There is no read-then-write window to race through.

This is the hottest path in Accord, so its SQL runs on the driver connection (``db.raw``).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from accord.core.projects import Project
from accord.core.queue import queue_after
from accord.core.tasks import ShownResponse, TaskView, task_responses_of
from accord.core.users import User
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import QUEUE_FULL

EXPIRY_BATCH = 1000
_shuffle = random.Random()


@dataclass(frozen=True)
class Claim:
    assignment_id: int
    lease_expires_at: datetime
    task: TaskView


_EXPIRED = Statement(
    "SELECT id FROM assignments WHERE status = 'active' AND lease_expires_at < :now "
    f"AND project_id = :project_id LIMIT {EXPIRY_BATCH}"
)
# RETURNING only the rows this statement changed: a concurrent sweep cannot release twice.
_MARK_EXPIRED = Statement(
    "UPDATE assignments SET status = 'expired', finished_at = :now "
    "WHERE id = :id AND status = 'active' RETURNING task_id"
)
_RELEASE = Statement(
    f"UPDATE tasks SET taken = taken - :released, queue = {queue_after('taken - :released')} "
    "WHERE id = :task_id"
)
_TAKE = Statement(
    f"UPDATE tasks SET taken = taken + 1, queue = {queue_after('taken + 1')} WHERE id = :task_id"
)
_CANDIDATE_SQL = f"""
SELECT t.id, t.external_id, t.kind, p.messages, p.category
FROM tasks t JOIN prompts p ON p.id = t.prompt_id
WHERE t.project_id = :project_id AND t.queue < {QUEUE_FULL}
  AND NOT EXISTS (
    SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.annotator_id = :user_id)
  AND (NOT t.requires_expertise OR NOT EXISTS (
    SELECT 1 FROM task_expertise te WHERE te.task_id = t.id AND te.tag NOT IN (
      SELECT ue.tag FROM user_expertise ue WHERE ue.user_id = :user_id)))
ORDER BY t.queue, t.priority DESC, t.id
LIMIT 1"""
_CANDIDATE = {
    "sqlite": Statement(_CANDIDATE_SQL),
    "postgresql": Statement(_CANDIDATE_SQL + " FOR UPDATE OF t SKIP LOCKED"),
}
_INSERT_ASSIGNMENT = Statement(
    "INSERT INTO assignments (task_id, annotator_id, project_id, status, display_order, "
    "leased_at, lease_expires_at) VALUES (:task_id, :annotator_id, :project_id, 'active', "
    ":display_order, :leased_at, :lease_expires_at) RETURNING id"
)


def expire_leases(conn: Connection, project_id: int, now: datetime) -> int:
    """Mark leases past their expiry as expired and give their slots back. Returns how many."""
    at = raw.time_param(conn, now)
    ids = [r[0] for r in raw.execute(conn, _EXPIRED, {"now": at, "project_id": project_id})]
    released: Counter[int] = Counter()
    for assignment_id in ids:
        row = raw.execute(conn, _MARK_EXPIRED, {"id": assignment_id, "now": at}).fetchone()
        if row is not None:
            released[row[0]] += 1
    for task_id, count in released.items():
        raw.execute(conn, _RELEASE, {"task_id": task_id, "released": count})
    return sum(released.values())


def claim_next(conn: Connection, project: Project, user: User, now: datetime) -> Claim | None:
    """Lease the caller's next task in ``project``, or None when nothing is left for them.

    The caller must already be allowed to annotate in the project (see ``core.access``).
    """
    expire_leases(conn, project.id, now)
    task = raw.execute(
        conn, _CANDIDATE[conn.dialect.name], {"project_id": project.id, "user_id": user.id}
    ).fetchone()
    if task is None:
        return None
    task_id, external_id, kind, messages, category = task
    raw.execute(conn, _TAKE, {"task_id": task_id})
    shown = task_responses_of(conn, task_id)
    order = [rid for rid, _, _ in shown]
    _shuffle.shuffle(order)
    expires = now + timedelta(seconds=project.lease_seconds)
    assignment_id = raw.execute(
        conn,
        _INSERT_ASSIGNMENT,
        {
            "task_id": task_id,
            "annotator_id": user.id,
            "project_id": project.id,
            "display_order": raw.json_param(order),
            "leased_at": raw.time_param(conn, now),
            "lease_expires_at": raw.time_param(conn, expires),
        },
    ).fetchone()[0]
    contents = {rid: content for rid, _, content in shown}
    view = TaskView(
        id=external_id,
        kind=kind,
        messages=raw.read_json(messages),
        responses=[ShownResponse(rid, contents[rid]) for rid in order],
        category=category,
        guideline_version=project.guideline[1] if project.guideline else None,
    )
    return Claim(assignment_id, expires, view)
