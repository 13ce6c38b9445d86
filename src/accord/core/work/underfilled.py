"""The ``favour_underfilled`` rule's order: the categories furthest below their prompt-mix
target, by the work already handed out.

A category's share is its tasks' ``taken`` slots (active leases and submissions, gold left
out) over every category's; its gap is the target minus that share. The categories with a
positive gap come first, the largest gap first (ties by key). ``taken`` moves in the same
transaction as each claim, so the next claim already sees this one.

The counts are one grouped query over the project's tasks, which on 20,000 tasks costs
about 13 ms — twenty claims' worth. So a process reads them at most once a second of claim
time per project (``REFRESH``) and adds each claim it makes to what it read; a claim made
by another process, or a lease that expired, shows at the next reading. The order is a
preference, not an invariant: the claim's atomicity is the locking SELECT's, untouched.
"""

from __future__ import annotations

import threading
import weakref
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, func, select

from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project
from accord.db.tables import prompts, tasks

TOLERANCE = 1e-9
"""A gap this small is a category on target (0.2 - 1/5 in floating point)."""
REFRESH = timedelta(seconds=1)
# Per engine, then per project id: tests (and tools) open several databases, one engine
# each, whose projects share ids; an engine's readings go when the engine does.
_READ: weakref.WeakKeyDictionary[Engine, dict[int, tuple[datetime, dict[str, int]]]] = (
    weakref.WeakKeyDictionary())
_LOCK = threading.Lock()  # claims of one process may run on several threads (PostgreSQL)


def _readings(conn: Connection) -> dict[int, tuple[datetime, dict[str, int]]]:
    return _READ.setdefault(conn.engine, {})


def taken_by_category(conn: Connection, project_id: int) -> dict[str, int]:
    """Per category key, the slots of its production tasks taken so far."""
    rows = conn.execute(
        select(prompts.c.category, func.coalesce(func.sum(tasks.c.taken), 0))
        .select_from(tasks).join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project_id, tasks.c.is_gold.is_(False))
        .group_by(prompts.c.category))
    return {category: int(taken) for category, taken in rows}


def below_target(targets: dict[str, float], taken: dict[str, int]) -> list[str]:
    """The under-filled categories, furthest below their target first."""
    total = sum(taken.values())
    gaps = {key: target - (taken.get(key, 0) / total if total else 0.0)
            for key, target in targets.items()}
    return sorted((key for key, gap in gaps.items() if gap > TOLERANCE),
                  key=lambda key: (-gaps[key], key))


def underfilled_categories(conn: Connection, project: Project, now: datetime) -> list[str]:
    """The project's under-filled categories in the order the claim tries them."""
    targets = mix_of(project)
    if not targets:
        return []
    with _LOCK:
        found = _readings(conn).get(project.id)
        counts = dict(found[1]) if found and found[0] <= now < found[0] + REFRESH else None
    if counts is None:
        counts = taken_by_category(conn, project.id)
        with _LOCK:
            _readings(conn)[project.id] = (now, dict(counts))
    return below_target(targets, counts)


def note_claim(conn: Connection, project: Project, category: str) -> None:
    """Count a claim this process made into what it last read of the project."""
    with _LOCK:
        found = _readings(conn).get(project.id)
        if found is not None:
            found[1][category] = found[1].get(category, 0) + 1
