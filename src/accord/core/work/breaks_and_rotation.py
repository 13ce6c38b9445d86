"""Breaks and rotation: rules about the stretch of work an annotator has just done.

**Breaks.** Work is a sequence of assignments, each occupying the time from its lease to its
end (its submission or skip, or now while it is held, never past its lease's expiry). Two
assignments belong to one stretch of continuous work when the gap between one's end and the
next one's start is shorter than ``break_minutes``. When the latest stretch has lasted
``work_minutes`` or more and has not yet been followed by a pause of ``break_minutes``, the
annotator gets no task until the pause is complete.

**Rotation.** After ``after`` consecutive assignments in one category, the claim prefers a
task of another category when one is available (and falls back to the same category when
none is).

The time is always the caller's ``now``, so tests move a clock instead of sleeping.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from accord.core.work.rules import BreakRule
from accord.db import raw
from accord.db.raw import Statement

# Seconds since 1970 of a stored time: SQLite keeps "YYYY-MM-DD HH:MM:SS.ffffff" text.
_EPOCH = {
    "sqlite": "(CAST(strftime('%s', {0}) AS REAL) + CAST(substr({0}, 20) AS REAL))",
    "postgresql": "EXTRACT(EPOCH FROM {0})",
}
_LEAST = {"sqlite": "MIN", "postgresql": "LEAST"}
# The latest stretch in one pass, in the database: each assignment starts a new stretch when
# it begins ``pause`` or more after every earlier one has ended.
_STRETCH_SQL = """
WITH spans AS (
  SELECT {began} AS began,
         {least}({finished}, {expires}) AS ended
  FROM assignments
  WHERE annotator_id = :user_id AND project_id = :project_id AND leased_at >= :horizon
), marked AS (
  SELECT began, ended, MAX(ended) OVER (
    ORDER BY began ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before
  FROM spans
)
SELECT MAX(CASE WHEN before IS NULL OR began - before >= :pause THEN began END), MAX(ended)
FROM marked"""
_STRETCH = {
    dialect: Statement(_STRETCH_SQL.format(
        began=epoch.format("leased_at"), least=_LEAST[dialect],
        finished=epoch.format("COALESCE(finished_at, :now)"),
        expires=epoch.format("lease_expires_at")))
    for dialect, epoch in _EPOCH.items()
}
_LAST_CATEGORIES = Statement(
    "SELECT p.category FROM assignments a JOIN tasks t ON t.id = a.task_id "
    "JOIN prompts p ON p.id = t.prompt_id "
    "WHERE a.annotator_id = :user_id AND a.project_id = :project_id "
    "ORDER BY a.leased_at DESC, a.id DESC LIMIT :after"
)


def break_due(stretch_start: float | None, stretch_end: float | None, now: datetime,
              rule: BreakRule) -> datetime | None:
    """When the current break ends, or None when the annotator may work now.

    ``stretch_start`` and ``stretch_end``: the latest stretch of continuous work, in seconds
    since 1970 (None when there was no work).
    """
    if stretch_start is None or stretch_end is None:
        return None
    pause = rule.break_minutes * 60
    if now.timestamp() - stretch_end >= pause:
        return None  # rested since
    if stretch_end - stretch_start < rule.work_minutes * 60:
        return None
    return datetime.fromtimestamp(round(stretch_end + pause, 6), UTC)


def break_until(conn: Connection, project_id: int, lease_seconds: int, user_id: int,
                rule: BreakRule, now: datetime) -> datetime | None:
    """When the annotator's break ends, or None.

    An assignment never ends later than its lease expires, so nothing that started before
    ``now - work - 2 * break - lease`` can change the answer: if the stretch reaches back
    that far it is longer than ``work_minutes`` whichever of its assignments comes first.
    """
    horizon = now - timedelta(minutes=rule.work_minutes + 2 * rule.break_minutes,
                              seconds=lease_seconds)
    start, end = raw.execute(conn, _STRETCH[conn.dialect.name], {
        "user_id": user_id, "project_id": project_id, "now": raw.time_param(conn, now),
        "horizon": raw.time_param(conn, horizon), "pause": rule.break_minutes * 60.0,
    }).fetchone()
    return break_due(None if start is None else float(start),
                     None if end is None else float(end), now, rule)


def streak_category(conn: Connection, project_id: int, user_id: int, after: int) -> str | None:
    """The category of the annotator's last ``after`` assignments if they all share one."""
    rows = raw.execute(conn, _LAST_CATEGORIES,
                       {"user_id": user_id, "project_id": project_id, "after": after}).fetchall()
    categories = {row[0] for row in rows}
    if len(rows) < after or len(categories) != 1:
        return None
    return categories.pop()
