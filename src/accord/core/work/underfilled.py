"""The ``favour_underfilled`` rule's order: the categories furthest below their prompt-mix
target, by the work already handed out.

A category's share is its tasks' ``taken`` slots (active leases and submissions, gold left
out) over every category's; its gap is the target minus that share. The categories with a
positive gap come first, the largest gap first (ties by key). ``taken`` moves in the same
transaction as each claim, so the next claim already sees this one. One grouped query over
the project's tasks: the rule is for projects that want the mix more than the last few
milliseconds of a claim.
"""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project
from accord.db.tables import prompts, tasks

TOLERANCE = 1e-9
"""A gap this small is a category on target (0.2 - 1/5 in floating point)."""


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


def underfilled_categories(conn: Connection, project: Project) -> list[str]:
    """The project's under-filled categories in the order the claim tries them."""
    targets = mix_of(project)
    return below_target(targets, taken_by_category(conn, project.id)) if targets else []
