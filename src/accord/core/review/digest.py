"""The disagreement digest for the weekly guideline review: where annotators split, and why.

For the comparison tasks whose annotation is finished (``complete``, ``needs_adjudication``
or ``resolved``; escalated content stays with the safety specialists), it measures, per
task, how far the annotators agreed. On the ranking it is the task agreement the review
queue and the report use, one definition everywhere (``quality.consensus.majority_pairs``):
per response pair, the share of votes equal to the pair's most common outcome (first
preferred, second preferred, tie), averaged over the pairs that two or more annotators
judged inside the filters. On each quality dimension it is the quality engine's percent
agreement (``quality.agreement.percent``) over every response's rating. The
most disputed tasks come first (lowest agreement on the ranking, or on the dimension asked
for), each with every annotator's ranking, ratings and rationale, so the team can decide
what the guideline should say; a manager then adds the decision to the next draft as a
worked example or an edge case (``guideline_drafts.add_to_draft``).

Filters: category, the guideline version the annotations were made under, and a date range
on the annotations' time. Only annotations inside the filters count, and only people's: an AI
judge's verdict on a task people finished is measured against them by the judge audit
(``core.judging.judge_audit``), not counted here as one more annotator splitting the task.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import numpy as np
from sqlalchemy import Connection, func, select

from accord.core.errors import Forbidden, InvalidInput
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.categories import filter_keys, shown_labels
from accord.core.projects.project import Project, project_for_member
from accord.core.tasks.view import task_responses_of
from accord.db.tables import (
    annotations,
    guideline_versions,
    pairwise_outcomes,
    prompts,
    tasks,
    users,
)
from accord.quality.agreement.judgments import Judgments
from accord.quality.agreement.percent import PercentAgreement
from accord.quality.consensus import majority_pairs
from accord.quality.grouped import group_means

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
    """The task agreement on the ranking: the mean over its response pairs of the share of
    votes with the pair's majority, as in the review queue (None: fewer than two
    judgments)."""
    dimensions: dict[str, float | None]
    judgments: list[DigestJudgment]
    messages: list[dict] = field(default_factory=list)
    responses: list[tuple[str, str]] = field(default_factory=list)
    category_label: str = ""
    """The category as the task's source wrote it (``category`` is its key)."""


@dataclass(frozen=True)
class CategorySummary:
    category: str
    tasks: int
    agreement: float | None
    dimensions: dict[str, float | None]
    category_label: str = ""
    """The label shown for the key (``categories.shown_labels``)."""


@dataclass(frozen=True)
class Digest:
    project: Project
    entries: list[DigestEntry]
    categories: list[CategorySummary]
    dimensions: list[str]
    filters: dict[str, Any]


def _agreement_by_task(item: np.ndarray, item_task: np.ndarray, annotator: np.ndarray,
                       value: np.ndarray, n_categories: int, n_tasks: int) -> np.ndarray:
    """Per task: Σ agreeing pairs / Σ pairs over its items (NaN where none)."""
    judged = Judgments.from_arrays(item, annotator, value, n_categories=n_categories,
                                   n_items=len(item_task))
    terms = np.asarray(PercentAgreement().item_terms(judged).matrix, dtype=np.float64)
    owner = np.asarray(item_task, dtype=np.int64)
    agreeing = np.bincount(owner, weights=terms[:, 0], minlength=n_tasks)
    pairs = np.bincount(owner, weights=terms[:, 1], minlength=n_tasks)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(pairs > 0, agreeing / np.where(pairs > 0, pairs, 1), np.nan)


def _by_keys(task: np.ndarray, keys: list[np.ndarray], annotator: np.ndarray,
             value: np.ndarray, n_categories: int, n_tasks: int) -> np.ndarray:
    """Agreement per task over items identified by (task, *keys): items and annotators get
    dense numbers, then ``_agreement_by_task``."""
    if not len(task):
        return np.full(n_tasks, np.nan)
    unique, item = np.unique(np.stack([task, *keys], axis=1), axis=0, return_inverse=True)
    _, who = np.unique(annotator, return_inverse=True)
    return _agreement_by_task(item.reshape(-1), unique[:, 0], who.reshape(-1), value,
                              n_categories, n_tasks)


def _day_start(day: date | None) -> datetime | None:
    return None if day is None else datetime.combine(day, time.min, tzinfo=UTC)


def _scoped(query, project: Project, scope: dict[str, Any]):
    """``query`` (over ``annotations``) joined to its task, prompt and guideline version and
    narrowed to the digest's tasks and filters."""
    query = (
        query.join(tasks, tasks.c.id == annotations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .outerjoin(guideline_versions,
                   guideline_versions.c.id == annotations.c.guideline_version_id)
        .where(annotations.c.project_id == project.id, tasks.c.kind == "comparison",
               tasks.c.status.in_(FINISHED),
               annotations.c.annotator_id.not_in(select(users.c.id).where(users.c.kind == "ai")))
    )
    if scope["category"]:
        query = query.where(prompts.c.category == scope["category"])
    if scope["guideline_version"] is not None:
        query = query.where(guideline_versions.c.version == scope["guideline_version"])
    if scope["since"] is not None:
        query = query.where(annotations.c.created_at >= _day_start(scope["since"]))
    if scope["until"] is not None:
        query = query.where(
            annotations.c.created_at < _day_start(scope["until"] + timedelta(days=1)))
    return query


def _ranking_agreement(conn: Connection, project: Project, scope: dict[str, Any],
                       task_ids: np.ndarray) -> np.ndarray:
    """From the narrow ``pairwise_outcomes`` (integers, no JSON to parse): per (task,
    response pair) one of first preferred, second preferred, tie."""
    if not len(task_ids):
        return np.full(0, np.nan)
    rows = conn.execute(_scoped(
        select(pairwise_outcomes.c.task_id, pairwise_outcomes.c.annotator_id,
               pairwise_outcomes.c.winner_id, pairwise_outcomes.c.loser_id,
               pairwise_outcomes.c.tie, func.coalesce(pairwise_outcomes.c.strength, 0))
        .select_from(pairwise_outcomes.join(
            annotations, annotations.c.id == pairwise_outcomes.c.annotation_id)),
        project, scope))
    # Plain tuples: NumPy probes a Row as a mapping, a hundred times slower.
    table = np.array([tuple(row) for row in rows], dtype=np.int64).reshape(-1, 6)
    t = np.searchsorted(task_ids, table[:, 0])
    kept = (t < len(task_ids)) & (task_ids[np.minimum(t, len(task_ids) - 1)] == table[:, 0])
    table, t = table[kept], t[kept]
    majorities = majority_pairs(t, table[:, 2], table[:, 3], table[:, 4].astype(bool),
                                table[:, 5])
    several = majorities.votes >= 2
    return group_means(majorities.task[several], majorities.agreement[several], len(task_ids))


def _rating_agreement(conn: Connection, project: Project, scope: dict[str, Any],
                      task_ids: np.ndarray) -> dict[str, np.ndarray]:
    """Per dimension: per (task, response) the rating given, as a category."""
    if not project.dimensions:
        return {}
    index = {int(task_id): i for i, task_id in enumerate(task_ids)}
    dims = {d.name: d for d in project.dimensions}
    columns: dict[str, list[list[int]]] = {d: [[], [], [], []] for d in dims}
    responses: dict[str, int] = {}
    for task_id, annotator_id, ratings in conn.execute(_scoped(
            select(annotations.c.task_id, annotations.c.annotator_id, annotations.c.ratings)
            .select_from(annotations), project, scope)):
        t = index.get(task_id)
        if t is None or not isinstance(ratings, dict):
            continue
        for rid, values in ratings.items():
            for name, rating in (values or {}).items():
                dim = dims.get(name)
                if dim is not None and isinstance(rating, int) \
                        and dim.low <= rating <= dim.high:
                    column = columns[name]
                    column[0].append(t)
                    column[1].append(responses.setdefault(rid, len(responses)))
                    column[2].append(annotator_id)
                    column[3].append(rating - dim.low)
    return {
        name: _by_keys(np.asarray(c[0], dtype=np.int64), [np.asarray(c[1], dtype=np.int64)],
                       np.asarray(c[2], dtype=np.int64), np.asarray(c[3], dtype=np.int64),
                       dims[name].high - dims[name].low + 1, len(task_ids))
        for name, c in columns.items()
    }


def _judgments(conn: Connection, project: Project, scope: dict[str, Any],
               task_id: int) -> list[DigestJudgment]:
    """Every judgment of one task inside the filters, in the order they were made."""
    rows = conn.execute(_scoped(
        select(annotations.c.ranking, annotations.c.ratings, annotations.c.rationale,
               annotations.c.flags, annotations.c.created_at, users.c.name,
               guideline_versions.c.version)
        .select_from(annotations.join(users, users.c.id == annotations.c.annotator_id)),
        project, scope).where(annotations.c.task_id == task_id).order_by(annotations.c.id))
    return [DigestJudgment(r.name, r.ranking or [], r.ratings or {}, r.rationale,
                           r.flags or [], r.version, r.created_at) for r in rows]


def _value(x: float) -> float | None:
    return None if np.isnan(x) else round(float(x), 4)


_LABEL = func.coalesce(prompts.c.category_label, prompts.c.category).label("label")


def _summaries(categories: list[str], labels: dict[str, str], ranking: np.ndarray,
               by_dimension: dict[str, np.ndarray]) -> list[CategorySummary]:
    groups: dict[str, list[int]] = {}
    for t, category in enumerate(categories):
        groups.setdefault(category, []).append(t)

    def mean(values: np.ndarray, members: list[int]) -> float | None:
        chosen = values[members]
        chosen = chosen[~np.isnan(chosen)]
        return round(float(chosen.mean()), 4) if len(chosen) else None

    return sorted((
        CategorySummary(name, len(members), mean(ranking, members),
                        {d: mean(v, members) for d, v in by_dimension.items()},
                        labels.get(name, name))
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
    if category is not None:
        category = filter_keys([category], "category")[0]
    scope = {"category": category, "guideline_version": guideline_version, "since": since,
             "until": until}
    # The tasks with two or more judgments inside the filters, in id order.
    judged = conn.execute(_scoped(
        select(annotations.c.task_id, tasks.c.external_id, tasks.c.status, prompts.c.category,
               _LABEL).select_from(annotations), project, scope)
        .group_by(annotations.c.task_id, tasks.c.external_id, tasks.c.status,
                  prompts.c.category, _LABEL)
        .having(func.count() >= 2).order_by(annotations.c.task_id)).all()
    task_ids = np.array([row.task_id for row in judged], dtype=np.int64)
    ranking = _ranking_agreement(conn, project, scope, task_ids)
    by_dimension = _rating_agreement(conn, project, scope, task_ids)
    order_by = by_dimension[dimension] if dimension else ranking
    keyed = np.where(np.isnan(order_by), np.inf, order_by)
    entries = []
    for t in map(int, np.lexsort((np.arange(len(keyed)), keyed))[:limit]):
        if np.isinf(keyed[t]):
            break
        row = judged[t]
        entries.append(DigestEntry(
            task_id=row.external_id, category=row.category, status=row.status,
            agreement=_value(ranking[t]),
            dimensions={d: _value(v[t]) for d, v in by_dimension.items()},
            judgments=_judgments(conn, project, scope, row.task_id),
            messages=_messages(conn, row.task_id),
            responses=[(rid, content) for rid, _, content
                       in task_responses_of(conn, row.task_id)],
            category_label=row.label,
        ))
    return Digest(
        project=project, entries=entries,
        categories=_summaries([row.category for row in judged], shown_labels(conn, project.id),
                              ranking, by_dimension),
        dimensions=names, filters={**scope, "dimension": dimension, "limit": limit},
    )


def _messages(conn: Connection, task_db_id: int) -> list[dict]:
    return conn.execute(
        select(prompts.c.messages).join(tasks, tasks.c.prompt_id == prompts.c.id)
        .where(tasks.c.id == task_db_id)
    ).scalar_one() or []
