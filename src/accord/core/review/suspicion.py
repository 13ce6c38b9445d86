"""Suspect labels in the review queue: a settled task whose label a signal doubts.

``accord suspects`` (:mod:`accord.core.curation.suspects`) stores, per run, the settled pairs
whose consensus an AI judge or a reward model most doubts. An *open* suspect puts its
``complete`` task in the adjudication queue beside the split decisions, with its own reason
("suspect label") and the signal's probability that the consensus' chosen response is the
better one; a reviewer settles it exactly like a split task (``adjudication.decide``), which
closes the task's open suspects as ``reviewed``. The task keeps its status until then, so the
report's consensus store, which moves ``complete`` tasks only by their agreement, never drops
a suspect from the queue.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Connection, and_, exists, select, update

from accord.db.tables import suspect_labels, tasks

SPLIT = "split"
SUSPECT = "suspect label"
SUSPECT_STATUS = "complete"
"""A suspect waits for review while its task stays settled by the report."""


def open_suspect(task_id_column: ColumnElement) -> ColumnElement[bool]:
    """True for a task with an open suspect label."""
    return exists().where(suspect_labels.c.task_id == task_id_column,
                          suspect_labels.c.status == "open")


def awaiting_review() -> ColumnElement[bool]:
    """A task a reviewer may settle now: split, or settled with an open suspect label."""
    return (tasks.c.status == "needs_adjudication") | and_(
        tasks.c.status == SUSPECT_STATUS, open_suspect(tasks.c.id))


def most_doubtful(conn: Connection, task_db_ids: list[int]) -> dict[int, tuple[str, float]]:
    """Per task with open suspects: the most doubtful one's signal and that signal's
    probability that the consensus' chosen response is the better one."""
    found: dict[int, tuple[str, float]] = {}
    if not task_db_ids:
        return found
    rows = conn.execute(
        select(suspect_labels.c.task_id, suspect_labels.c.signal,
               suspect_labels.c.signal_probability)
        .where(suspect_labels.c.task_id.in_(task_db_ids), suspect_labels.c.status == "open")
        .order_by(suspect_labels.c.rank.desc())).all()
    for task_id, signal, probability in rows:
        found[task_id] = (signal, probability)  # the lowest rank, read last, wins
    return found


def close_reviewed(conn: Connection, task_db_id: int, now: datetime) -> int:
    """Mark the task's open suspects ``reviewed`` (a reviewer gave the final label)."""
    return conn.execute(
        update(suspect_labels)
        .where(suspect_labels.c.task_id == task_db_id, suspect_labels.c.status == "open")
        .values(status="reviewed", closed_at=now)).rowcount
