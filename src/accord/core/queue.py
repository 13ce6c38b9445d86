"""The claim queue a task sits in, kept in step with its counters in the same statement.

Started tasks (some slot taken) come before fresh ones so that work already begun is finished
first; full or closed tasks leave the queue, so a claim's index walk never passes over them.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, case

from accord.db.tables import QUEUE_FRESH, QUEUE_FULL, QUEUE_STARTED, tasks


def queue_after(taken: ColumnElement, status: ColumnElement | str | None = None) -> ColumnElement:
    """SQL for ``tasks.queue`` once ``taken`` holds the new count (and ``status`` the new one)."""
    status_expr = tasks.c.status if status is None else status
    return case(
        (status_expr != "open", QUEUE_FULL),
        (taken >= tasks.c.overlap, QUEUE_FULL),
        (taken > 0, QUEUE_STARTED),
        else_=QUEUE_FRESH,
    )
