"""Exposure to harmful content: counted per annotator per day, capped by the project.

A *sensitive* task is one whose content is harmful by construction or by report:

- a ``red_team`` task (its work is eliciting harm),
- a task whose prompt is in the ``safety`` category,
- a task that is ``escalated`` (someone flagged it ``unsafe``; the annotator who saw it
  before the flag was still exposed to it).

Every assignment of such a task counts once, whatever became of it (submitted, skipped,
expired): the annotator saw it. The day is the UTC day, as on the home page. Once an
annotator's count for the day reaches the project's ``exposure.per_day``, the claim leaves
sensitive tasks out for them; other work still comes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection

from accord.core.work.workload import start_of_day
from accord.db import raw
from accord.db.raw import Statement

SENSITIVE_CATEGORY = "safety"
SENSITIVE_KIND = "red_team"

# For the claim's candidate queries (``t`` the task, ``p`` its prompt): escalated tasks are
# out of the pool already, so only the two content rules need saying.
NOT_SENSITIVE = f"t.kind <> '{SENSITIVE_KIND}' AND p.category <> '{SENSITIVE_CATEGORY}'"

_EXPOSED_TODAY = Statement(f"""
SELECT COUNT(*) FROM assignments a JOIN tasks t ON t.id = a.task_id
JOIN prompts p ON p.id = t.prompt_id
WHERE a.annotator_id = :user_id AND a.project_id = :project_id AND a.leased_at >= :since
  AND (t.kind = '{SENSITIVE_KIND}' OR p.category = '{SENSITIVE_CATEGORY}'
       OR t.status = 'escalated')""")


def exposed_today(conn: Connection, project_id: int, user_id: int, now: datetime) -> int:
    """Sensitive tasks the annotator was given in the project since midnight UTC."""
    params = {"project_id": project_id, "user_id": user_id,
              "since": raw.time_param(conn, start_of_day(now))}
    return raw.execute(conn, _EXPOSED_TODAY, params).fetchone()[0]
