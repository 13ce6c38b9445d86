"""The disagreement digest for the weekly guideline review: where annotators split, and why.

For the comparison tasks whose annotation is finished (``complete``, ``needs_adjudication``
or ``resolved``; escalated content stays with the safety specialists), it measures, per
task, how far the annotators agreed, with the quality engine's percent agreement
(``quality.agreement.percent``): on the ranking, over every response pair (first preferred,
second preferred, tie), and on each quality dimension, over every response's rating. The
most disputed tasks come first (lowest agreement on the ranking, or on the dimension asked
for), each with every annotator's ranking, ratings and rationale, so the team can decide
what the guideline should say; a manager then adds the decision to the next draft as a
worked example or an edge case (``guideline_drafts.add_to_draft``).

Filters: category, the guideline version the annotations were made under, and a date range
on the annotations' time. Only annotations inside the filters count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, select

from accord.core import access
from accord.core.errors import Forbidden, InvalidInput
from accord.core.judgments import pairs_from_ranking
from accord.core.projects import Project, project_for_member
from accord.core.tasks import task_responses_of
from accord.core.users import User
from accord.db.tables import annotations, guideline_versions, prompts, tasks, users
from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.percent import PercentAgreement

FINISHED = ("complete", "needs_adjudication", "resolved")
MAX_ENTRIES = 200


@dataclass(frozen=True)
class DigestJudgment:
    annotator: str
    ranking: list[list[str]]
    ratings: dict[str, dict[str, int]]
    rationale: str
    flags: list[str]
    guideline_version: int | None
    created_at: datetime


@dataclass(frozen=True)
class DigestEntry:
    task_id: str
    category: str
    status: str
    agreement: float | None
    """Percent agreement on the ranking's response pairs (None: fewer than two judgments)."""
    dimensions: dict[str, float | None]
    judgments: list[DigestJudgment]
    messages: list[dict] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CategorySummary:
    category: str
    tasks: int
    agreement: float | None
    dimensions: dict[str, float | None]


@dataclass(frozen=True)
class Digest:
    project: Project
    entries: list[DigestEntry]
    categories: list[CategorySummary]
    dimensions: list[str]
    filters: dict[str, Any]


def _agreement_by_task(item: np.ndarray, item_task: list[int], annotator: list[int],
                       value: list[int], n_categories: int, n_tasks: int) -> np.ndarray:
    """Per task: Σ agreeing pairs / Σ pairs over its items (NaN where none)."""
    if not value:
        return np.full(n_tasks, np.nan)
    judged = Judgments.from_arrays(item, annotator, value, n_categories=n_categories,
                                   n_items=len(item_task))
    terms = np.asarray(PercentAgreement().item_terms(judged).matrix, dtype=np.float64)
    owner = np.asarray(item_task, dtype=np.int64)
    agreeing = np.bincount(owner, weights=terms[:, 0], minlength=n_tasks)
    pairs = np.bincount(owner, weights=terms[:, 1], minlength=n_tasks)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pairs > 0, agreeing / np.where(pairs > 0, pairs, 1), np.nan)


class _Items:
    """Dense item numbers for (task, key) pairs, remembering each item's task."""

    def __init__(self) -> None:
        self.index: dict[tuple[int, Any], int] = {}
        self.task: list[int] = []

    def __call__(self, task: int, key: Any) -> int:
        item = self.index.get((task, key))
        if item is None:
            item = self.index[(task, key)] = len(self.task)
            self.task.append(task)
        return item


def _measure(rows: list[Any], project: Project, n_tasks: int,
             task_of: dict[int, int]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Ranking agreement and per-dimension agreement for every task, as arrays."""
    who: dict[int, int] = {}
    pair_items, pair_ann, pair_value = _Items(), [], []
    pair_item_ids: list[int] = []
    dims = {d.name: (d, _Items(), [], [], []) for d in project.dimensions}
    for row in rows:
        t, a = task_of[row.task_id], who.setdefault(row.annotator_id, len(who))
        for pair in pairs_from_ranking(row.ranking or []):
            low, high = sorted((pair.winner, pair.loser))
            pair_item_ids.append(pair_items(t, (low, high)))
            pair_ann.append(a)
            pair_value.append(2 if pair.tie else (0 if pair.winner == low else 1))
        for rid, values in (row.ratings or {}).items():
            for name, rating in (values or {}).items():
                if name in dims and isinstance(rating, int):
                    dim, items, ids, anns, vals = dims[name]
                    if dim.low <= rating <= dim.high:
                        ids.append(items(t, rid))
                        anns.append(a)
                        vals.append(rating - dim.low)
    ranking = _agreement_by_task(np.asarray(pair_item_ids, dtype=np.int64), pair_items.task,
                                 pair_ann, pair_value, 3, n_tasks)
    by_dimension = {
        name: _agreement_by_task(np.asarray(ids, dtype=np.int64), items.task, anns, vals,
                                 dim.high - dim.low + 1, n_tasks)
        for name, (dim, items, ids, anns, vals) in dims.items()
    }
    return ranking, by_dimension


def _value(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


def _day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def _rows(conn: Connection, project: Project, category: str | None, version: int | None,
          since: date | None, until: date | None) -> list[Any]:
    query = (
        select(annotations.c.task_id, annotations.c.annotator_id, annotations.c.ranking,
               annotations.c.ratings, annotations.c.rationale, annotations.c.flags,
               annotations.c.created_at, users.c.name, guideline_versions.c.version,
               tasks.c.external_id, tasks.c.status, prompts.c.category)
        .join(tasks, tasks.c.id == annotations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .join(users, users.c.id == annotations.c.annotator_id)
        .outerjoin(guideline_versions,
                   guideline_versions.c.id == annotations.c.guideline_version_id)
        .where(annotations.c.project_id == project.id, tasks.c.kind == "comparison",
               tasks.c.status.in_(FINISHED))
        .order_by(annotations.c.task_id, annotations.c.id)
    )
    if category:
        query = query.where(prompts.c.category == category)
    if version is not None:
        query = query.where(guideline_versions.c.version == version)
    if since is not None:
        query = query.where(annotations.c.created_at >= _day_start(since))
    if until is not None:
        query = query.where(annotations.c.created_at < _day_start(until + timedelta(days=1)))
    return conn.execute(query).all()


def _summaries(rows_by_task: dict[int, list[Any]], ranking: np.ndarray,
               by_dimension: dict[str, np.ndarray]) -> list[CategorySummary]:
    groups: dict[str, list[int]] = {}
    for t, rows in enumerate(rows_by_task.values()):
        groups.setdefault(rows[0].category, []).append(t)

    def mean(values: np.ndarray, members: list[int]) -> float | None:
        chosen = values[members]
        chosen = chosen[~np.isnan(chosen)]
        return round(float(chosen.mean()), 4) if len(chosen) else None

    return sorted((
        CategorySummary(name, len(members), mean(ranking, members),
                        {d: mean(v, members) for d, v in by_dimension.items()})
        for name, members in groups.items()
    ), key=lambda s: (s.agreement is None, s.agreement if s.agreement is not None else 0,
                      s.category))


def digest(conn: Connection, user: User, project_name: str, *, category: str | None = None,
           guideline_version: int | None = None, since: date | None = None,
           until: date | None = None, dimension: str | None = None,
           limit: int = 20) -> Digest:
    """The most disputed finished tasks, lowest agreement first, with every judgment."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_review(user, roles):
        raise Forbidden(f'the disagreement digest of "{project.name}" is for its reviewers '
                        "and managers")
    names = [d.name for d in project.dimensions]
    if dimension and dimension not in names:
        raise InvalidInput(f"dimension {dimension!r} is not one of {', '.join(names) or 'none'}")
    if not 1 <= limit <= MAX_ENTRIES:
        raise InvalidInput(f"limit must be between 1 and {MAX_ENTRIES}, not {limit}")
    if since and until and since > until:
        raise InvalidInput(f"the date range ends ({until}) before it starts ({since})")
    rows_by_task: dict[int, list[Any]] = {}
    for row in _rows(conn, project, category, guideline_version, since, until):
        rows_by_task.setdefault(row.task_id, []).append(row)
    rows_by_task = {t: rows for t, rows in rows_by_task.items() if len(rows) >= 2}
    task_of = {task_id: i for i, task_id in enumerate(rows_by_task)}
    all_rows = [row for rows in rows_by_task.values() for row in rows]
    ranking, by_dimension = _measure(all_rows, project, len(task_of), task_of)
    order_by = by_dimension[dimension] if dimension else ranking
    keyed = np.where(np.isnan(order_by), np.inf, order_by)
    chosen = np.lexsort((np.arange(len(keyed)), keyed))[:limit]
    task_ids = list(rows_by_task)
    entries = []
    for t in chosen:
        if np.isinf(keyed[t]):
            break
        rows = rows_by_task[task_ids[t]]
        entries.append(DigestEntry(
            task_id=rows[0].external_id, category=rows[0].category, status=rows[0].status,
            agreement=_value(ranking[t]),
            dimensions={d: _value(v[t]) for d, v in by_dimension.items()},
            judgments=[DigestJudgment(r.name, r.ranking or [], r.ratings or {}, r.rationale,
                                      r.flags or [], r.version, r.created_at) for r in rows],
            messages=_messages(conn, task_ids[t]),
            responses=[(rid, content) for rid, _, content
                       in task_responses_of(conn, task_ids[t])],
        ))
    return Digest(
        project=project, entries=entries,
        categories=_summaries(rows_by_task, ranking, by_dimension), dimensions=names,
        filters={"category": category, "guideline_version": guideline_version,
                 "since": since, "until": until, "dimension": dimension, "limit": limit},
    )


def _messages(conn: Connection, task_db_id: int) -> list[dict]:
    return conn.execute(
        select(prompts.c.messages).join(tasks, tasks.c.prompt_id == prompts.c.id)
        .where(tasks.c.id == task_db_id)
    ).scalar_one() or []
