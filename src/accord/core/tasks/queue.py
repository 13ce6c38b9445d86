"""The claim queue a task sits in, kept in step with its counters in the same statement.

Started tasks (some slot taken) come before fresh ones so that work already begun is finished
first; full or closed tasks leave the queue, so a claim's index walk never passes over them.
In an UPDATE every right-hand side sees the row as it was, so callers pass the new ``taken``
as an expression of the old one.
"""

from __future__ import annotations

from accord.db.tables import QUEUE_FRESH, QUEUE_FULL, QUEUE_STARTED


def queue_after(taken: str, *, closing: str = "FALSE") -> str:
    """SQL for ``tasks.queue`` once ``taken`` (an SQL expression) holds the new count.

    ``closing`` is an SQL condition under which the task leaves the queue for good (its
    last submission arrived).
    """
    return (
        f"CASE WHEN {closing} THEN {QUEUE_FULL} "
        f"WHEN status <> 'open' THEN {QUEUE_FULL} "
        f"WHEN {taken} >= overlap THEN {QUEUE_FULL} "
        f"WHEN {taken} > 0 THEN {QUEUE_STARTED} "
        f"ELSE {QUEUE_FRESH} END"
    )
