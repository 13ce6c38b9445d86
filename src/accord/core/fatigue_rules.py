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

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Connection

from accord.core.work_rules import BreakRule
from accord.db import raw
from accord.db.raw import Statement

_RECENT = Statement(
    "SELECT leased_at, finished_at, lease_expires_at FROM assignments "
    "WHERE annotator_id = :user_id AND project_id = :project_id AND leased_at >= :horizon "
    "ORDER BY leased_at"
)
_LAST_CATEGORIES = Statement(
    "SELECT p.category FROM assignments a JOIN tasks t ON t.id = a.task_id "
    "JOIN prompts p ON p.id = t.prompt_id "
    "WHERE a.annotator_id = :user_id AND a.project_id = :project_id "
    "ORDER BY a.leased_at DESC, a.id DESC LIMIT :after"
)


def break_due(intervals: Iterable[tuple[datetime, datetime]], now: datetime,
              rule: BreakRule) -> datetime | None:
    """When the current break ends, or None when the annotator may work now.

    ``intervals``: (start, end) of each assignment, in order of start.
    """
    pause = timedelta(minutes=rule.break_minutes)
    start = end = None
    for began, ended in intervals:
        if end is None or began - end >= pause:
            start, end = began, ended
        else:
            end = max(end, ended)
    if start is None or now - end >= pause:
        return None
    if end - start >= timedelta(minutes=rule.work_minutes):
        return end + pause
    return None


def break_until(conn: Connection, project_id: int, lease_seconds: int, user_id: int,
                rule: BreakRule, now: datetime) -> datetime | None:
    """When the annotator's break ends, or None; reads only the assignments that can matter.

    Only assignments ending after ``now - work - 2 * break`` can belong to a stretch that
    decides the answer, and an assignment never ends later than its lease expires.
    """
    horizon = now - timedelta(minutes=rule.work_minutes + 2 * rule.break_minutes,
                              seconds=lease_seconds)
    rows = raw.execute(conn, _RECENT, {"user_id": user_id, "project_id": project_id,
                                       "horizon": raw.time_param(conn, horizon)})
    intervals = []
    for leased, finished, expires in rows:
        began, expires = raw.read_time(leased), raw.read_time(expires)
        ended = raw.read_time(finished) if finished is not None else now
        intervals.append((began, max(began, min(ended, expires))))
    return break_due(intervals, now, rule)


def streak_category(conn: Connection, project_id: int, user_id: int, after: int) -> str | None:
    """The category of the annotator's last ``after`` assignments if they all share one."""
    rows = raw.execute(conn, _LAST_CATEGORIES,
                       {"user_id": user_id, "project_id": project_id, "after": after}).fetchall()
    categories = {row[0] for row in rows}
    if len(rows) < after or len(categories) != 1:
        return None
    return categories.pop()
