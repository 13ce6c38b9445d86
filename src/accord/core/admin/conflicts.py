"""Setting changes that the project's stored work forbids (answered 409 with the reason).

A setting may change whenever what was already stored stays valid under it: a rating scale
may widen, or narrow to the values people gave; a harm category no stored red-team answer
uses may go. What would leave stored judgments meaning something else is refused: lowering
the overlap once tasks have annotators (a task could then hold more judgments than it
wants), switching the ranking mode once anything was judged, forbidding ties that stored
rankings contain, and removing a dimension, a scale value or a harm category in use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, select

from accord.core.errors import Conflict
from accord.core.projects.project import Dimension, Project
from accord.core.tasks.judgments import HARM_CATEGORIES
from accord.core.work import rules as work_rules
from accord.core.work.overlap_rule import SECTION as OVERLAP_SECTION
from accord.db.tables import annotations, tasks

CHUNK = 1000


def check(conn: Connection, project: Project, changes: dict[str, Any]) -> None:
    """Raise Conflict naming the first change that stored work forbids; else nothing."""
    if "overlap" in changes:
        _overlap_under_rule(project, changes)
    if "overlap" in changes and changes["overlap"] < project.overlap:
        _lowered_overlap(conn, project, changes["overlap"])
    if "ranking_mode" in changes and changes["ranking_mode"] != project.ranking_mode:
        count = _annotation_count(conn, project)
        if count:
            raise Conflict(f'the ranking mode of "{project.name}" cannot change: {count} '
                           "annotations were made under the current one")
    if changes.get("allow_ties") is False and project.allow_ties:
        _ties_in_use(conn, project)
    if "dimensions" in changes:
        _ratings_fit(conn, project, changes["dimensions"])
    if "harm_categories" in changes:
        _categories_in_use(conn, project, changes["harm_categories"])


def _overlap_under_rule(project: Project, changes: dict[str, Any]) -> None:
    """Under adaptive overlap each task's target is the rule's; a fixed overlap would fight
    it. Turning the rule off in the same change (``rules.overlap`` null) frees it."""
    rules = changes.get("rules") or {}
    if OVERLAP_SECTION in rules:
        if rules[OVERLAP_SECTION] is None:
            return
        raise Conflict("overlap and rules.overlap cannot both be set: under adaptive overlap "
                       "the rule's min is the project's overlap")
    if work_rules.rules_of(project).overlap is not None:
        raise Conflict(f'the overlap of "{project.name}" is set by its adaptive overlap rule '
                       "(rules.overlap: min, max, stop); change the rule, or turn it off "
                       "with rules.overlap null")


def _annotation_count(conn: Connection, project: Project) -> int:
    return conn.execute(select(func.count()).select_from(annotations)
                        .where(annotations.c.project_id == project.id)).scalar_one()


def _lowered_overlap(conn: Connection, project: Project, overlap: int) -> None:
    started = conn.execute(select(func.count()).select_from(tasks).where(
        tasks.c.project_id == project.id, tasks.c.taken + tasks.c.submitted > 0,
        tasks.c.is_gold.is_(False))).scalar_one()
    if started:
        raise Conflict(f'the overlap of "{project.name}" cannot go down from '
                       f"{project.overlap} to {overlap}: {started} tasks already have "
                       "annotators (it may go up)")


def _stored(conn: Connection, project: Project, column) -> Iterator[Any]:
    """The non-null values of one annotations column of the project, read in chunks."""
    query = (select(column).where(annotations.c.project_id == project.id, column.is_not(None))
             .execution_options(yield_per=CHUNK))
    for (value,) in conn.execute(query):
        yield value


def _ties_in_use(conn: Connection, project: Project) -> None:
    for ranking in _stored(conn, project, annotations.c.ranking):
        if any(len(group) > 1 for group in ranking):
            raise Conflict(f'ties cannot be forbidden in "{project.name}": stored rankings '
                           "contain ties")


def _ratings_fit(conn: Connection, project: Project, dimensions: list[Dimension]) -> None:
    scale = {d.name: (d.low, d.high) for d in dimensions}
    for ratings in _stored(conn, project, annotations.c.ratings):
        for scores in ratings.values():
            for name, value in scores.items():
                if name not in scale:
                    raise Conflict(f'dimension "{name}" of "{project.name}" cannot be '
                                   "removed: stored annotations rate it")
                low, high = scale[name]
                if not low <= value <= high:
                    raise Conflict(f'dimension "{name}" cannot take the scale {low}-{high}: '
                                   f"stored annotations rate it {value}")


def _categories_in_use(conn: Connection, project: Project, chosen: list[str] | None) -> None:
    allowed = set(HARM_CATEGORIES if chosen is None else chosen)
    for used in _stored(conn, project, annotations.c.harm_categories):
        missing = sorted(set(used) - allowed)
        if missing:
            raise Conflict(f'harm category "{missing[0]}" of "{project.name}" cannot be '
                           "removed: stored red-team annotations use it")
