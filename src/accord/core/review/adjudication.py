"""Settling split decisions: a reviewer who did not annotate the task gives the final ranking.

The quality report moves a task whose agreement falls below the project's threshold to
``needs_adjudication``. A reviewer's decision is recorded in ``adjudications`` (who, when,
why, the ranking), becomes the task's ``task_consensus`` (method ``adjudicated``; the
agreement and margin the report stored stay, they still describe the votes), and moves the
task to ``resolved``, and writes one audit event (``adjudication.decided``: who, the ranking,
why, and the consensus it replaced) in the same transaction. The annotations themselves are
never touched, so the split stays visible to every later report; the exports read the
consensus, so they use the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import combinations

from sqlalchemy import Connection, delete, exists, insert, select, update

from accord.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.core.review import audit, suspicion
from accord.core.tasks.judgments import MAX_ACTIVE_MS, check_ranking, pairs_from_ranking
from accord.core.tasks.view import task_responses_of
from accord.db.tables import (
    adjudications,
    annotations,
    prompts,
    task_consensus,
    tasks,
    users,
)

QUEUE_STATUS = "needs_adjudication"
VISIBLE_STATUSES = ("needs_adjudication", "resolved")
"""A reviewer sees a task's annotations only once it reached its overlap and was settled
by the report (split) or by a reviewer (resolved): never while annotation is open."""
MAX_RATIONALE = 20_000


@dataclass(frozen=True)
class QueueItem:
    task_id: str
    category: str
    annotations: int
    agreement: float | None
    completed_at: datetime | None
    reason: str = suspicion.SPLIT
    """``split`` (the annotators disagreed) or ``suspect label`` (a signal doubts the
    settled label: see :mod:`accord.core.review.suspicion`)."""
    signal: str | None = None
    """For a suspect label: the signal that doubts it (``judge:NAME``, ``reward-model:…``)."""
    signal_probability: float | None = None
    """For a suspect label: the signal's probability that the consensus' chosen response is
    the better one."""


@dataclass(frozen=True)
class AnnotatorView:
    """One annotator's judgment of the task, as the reviewer compares them."""

    annotator: str
    ranking: list[list[str]]
    strength: int | None
    ratings: dict[str, dict[str, int]]
    rationale: str
    flags: list[str]


@dataclass(frozen=True)
class PairCount:
    """How the annotators split on one response pair."""

    first: str
    second: str
    first_wins: int
    second_wins: int
    ties: int


@dataclass(frozen=True)
class Decision:
    reviewer: str
    ranking: list[list[str]]
    rationale: str
    created_at: datetime


@dataclass(frozen=True)
class SplitTask:
    """Everything a reviewer needs to settle one task."""

    project: Project
    task_id: str
    status: str
    category: str
    messages: list[dict]
    responses: list[tuple[str, str]]
    """(response id, content) in imported order: the same order for every reviewer."""
    annotations: list[AnnotatorView]
    matrix: list[PairCount]
    agreement: float | None
    margin: float | None
    decision: Decision | None
    can_decide: bool


def _annotated(conn: Connection, task_db_id: int, user: User) -> bool:
    return conn.execute(
        select(exists().where(annotations.c.task_id == task_db_id,
                              annotations.c.annotator_id == user.id))
    ).scalar_one()


def reviewer_project(conn: Connection, project_name: str, user: User) -> tuple[Project, frozenset]:
    """The project, and the caller's roles in it, when the caller may review it."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_review(user, roles):
        raise Forbidden(f'you are not a reviewer of "{project.name}"')
    return project, roles


def _task_row(conn: Connection, project: Project, task_id: str):
    row = conn.execute(
        select(tasks.c.id, tasks.c.status, tasks.c.kind, prompts.c.category, prompts.c.messages,
               suspicion.open_suspect(tasks.c.id).label("suspect"))
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project.id, tasks.c.external_id == task_id)
    ).first()
    # Tasks still being annotated (or escalated) are as invisible to a reviewer as missing ones.
    visible = row is not None and (row.status in VISIBLE_STATUSES or (
        row.status == suspicion.SUSPECT_STATUS and row.suspect))
    if row is None or not visible or row.kind != "comparison":
        raise NotFound(f'task "{task_id}" is not waiting for adjudication')
    return row


def disagreement_matrix(ids: list[str], rankings: list[list[list[str]]]) -> list[PairCount]:
    """For every response pair (in ``ids`` order): how many preferred each side, how many tied."""
    index = {rid: i for i, rid in enumerate(ids)}
    counts = {pair: [0, 0, 0] for pair in combinations(range(len(ids)), 2)}
    for ranking in rankings:
        for pair in pairs_from_ranking(ranking):
            a, b = index.get(pair.winner), index.get(pair.loser)
            if a is None or b is None:
                continue
            key = (min(a, b), max(a, b))
            slot = 2 if pair.tie else (0 if a < b else 1)
            counts[key][slot] += 1
    return [PairCount(ids[a], ids[b], *counts[(a, b)]) for a, b in sorted(counts)]


def _decision(conn: Connection, task_db_id: int) -> Decision | None:
    row = conn.execute(
        select(users.c.name, adjudications.c.ranking, adjudications.c.rationale,
               adjudications.c.created_at)
        .join(users, users.c.id == adjudications.c.reviewer_id)
        .where(adjudications.c.task_id == task_db_id)
        .order_by(adjudications.c.id.desc()).limit(1)
    ).first()
    return None if row is None else Decision(row[0], row[1], row[2], row[3])


def split_task(conn: Connection, user: User, project_name: str, task_id: str) -> SplitTask:
    """The task with every annotator's judgment side by side, for a reviewer who may see it."""
    project, roles = reviewer_project(conn, project_name, user)
    task = _task_row(conn, project, task_id)
    annotated = _annotated(conn, task.id, user)
    if annotated and not access.can_manage(user, roles):
        raise Forbidden(f'you annotated task "{task_id}", so another reviewer settles it')
    responses = [(rid, content) for rid, _, content in task_responses_of(conn, task.id)]
    rows = conn.execute(
        select(users.c.name, annotations.c.ranking, annotations.c.strength,
               annotations.c.ratings, annotations.c.rationale, annotations.c.flags)
        .join(users, users.c.id == annotations.c.annotator_id)
        .where(annotations.c.task_id == task.id)
        .order_by(annotations.c.id)
    ).all()
    views = [AnnotatorView(r[0], r[1] or [], r[2], r[3] or {}, r[4], r[5] or []) for r in rows]
    stored = conn.execute(
        select(task_consensus.c.agreement, task_consensus.c.margin)
        .where(task_consensus.c.task_id == task.id)
    ).first()
    return SplitTask(
        project=project, task_id=task_id, status=task.status, category=task.category,
        messages=task.messages, responses=responses, annotations=views,
        matrix=disagreement_matrix([rid for rid, _ in responses], [v.ranking for v in views]),
        agreement=stored[0] if stored else None, margin=stored[1] if stored else None,
        decision=_decision(conn, task.id),
        can_decide=_awaiting(task) and access.can_adjudicate(user, roles, annotated),
    )


def _awaiting(task) -> bool:
    """Whether the task (a ``_task_row``) waits for a reviewer's decision now."""
    return task.status == QUEUE_STATUS or (
        task.status == suspicion.SUSPECT_STATUS and bool(task.suspect))


def _decidable(conn: Connection, reviewer: User, project_name: str, task_id: str):
    """The project, the task and its response ids, once ``reviewer`` may settle it now."""
    project, roles = reviewer_project(conn, project_name, reviewer)
    task = _task_row(conn, project, task_id)
    if not access.can_adjudicate(reviewer, roles, _annotated(conn, task.id, reviewer)):
        raise Forbidden(f'you annotated task "{task_id}", so another reviewer settles it')
    if not _awaiting(task):
        raise Conflict(f'task "{task_id}" was already resolved')
    return project, task, [rid for rid, _, _ in task_responses_of(conn, task.id)]


def decide(conn: Connection, reviewer: User, project_name: str, task_id: str,
           ranking: list[list[str]], rationale: str, now: datetime, *,
           active_ms: int | None = None) -> Decision:
    """Record ``reviewer``'s final ranking for a split task and make it the task's consensus;
    ``active_ms``, the reviewer's active time, is kept with the decision for the cost."""
    project, task, ids = _decidable(conn, reviewer, project_name, task_id)
    return _record(conn, reviewer, project, task, task_id, ids, ranking, rationale, now,
                   active_ms)


def _record(conn: Connection, reviewer: User, project: Project, task, task_id: str,
            ids: list[str], ranking: list[list[str]], rationale: str,
            now: datetime, active_ms: int | None = None) -> Decision:
    if active_ms is not None and not 0 <= active_ms <= MAX_ACTIVE_MS:
        raise InvalidInput(f"active_ms must be between 0 and {MAX_ACTIVE_MS}, not {active_ms}")
    rationale = (rationale or "").strip()
    if not rationale:
        raise InvalidInput("say why: an adjudication needs a rationale")
    if len(rationale) > MAX_RATIONALE:
        raise InvalidInput(f"the rationale is longer than {MAX_RATIONALE:,} characters")
    check_ranking(ranking, ids, project)
    # Only one reviewer settles a task: the status check is in the UPDATE itself.
    moved = conn.execute(
        update(tasks).where(tasks.c.id == task.id, suspicion.awaiting_review())
        .values(status="resolved")
    ).rowcount
    if moved != 1:
        raise Conflict(f'task "{task_id}" was already resolved')
    suspects_closed = suspicion.close_reviewed(conn, task.id, now)
    stored = conn.execute(
        select(task_consensus.c.agreement, task_consensus.c.margin, task_consensus.c.method,
               task_consensus.c.ranking)
        .where(task_consensus.c.task_id == task.id)
    ).first()
    conn.execute(insert(adjudications).values(
        task_id=task.id, reviewer_id=reviewer.id, ranking=ranking,
        decision={"ranking": ranking, "method": "adjudicated",
                  **({} if active_ms is None else {"active_ms": active_ms})},
        rationale=rationale, created_at=now,
    ))
    conn.execute(delete(task_consensus).where(task_consensus.c.task_id == task.id))
    conn.execute(insert(task_consensus).values(
        task_id=task.id, method="adjudicated", ranking=ranking,
        agreement=stored[0] if stored else None, margin=stored[1] if stored else None,
        confidence=None, computed_at=now,
    ))
    audit.record(conn, project_id=project.id, actor_id=reviewer.id, action="adjudication.decided",
                 subject=f"task {task_id}", now=now, details={
                     "ranking": ranking, "rationale": rationale,
                     "previous": None if stored is None else
                     {"method": stored.method, "ranking": stored.ranking},
                     "suspects_reviewed": suspects_closed,
                 })
    return Decision(reviewer.name, ranking, rationale, now)


def ranking_from_places(ids: list[str], places: list[int | None]) -> list[list[str]]:
    """Tie groups, best first, from a place per response (1 = best; equal places tie).

    The review form asks for a place per response because a number per row is what a
    keyboard fills fastest; the ranking rules (``check_ranking``) then apply as for the API.
    """
    given = [p for p in places if p is not None]
    if len(places) != len(ids) or len(given) != len(places):
        raise InvalidInput("give every response a place (1 = best)")
    groups: dict[int, list[str]] = {}
    for rid, place in zip(ids, given, strict=True):
        groups.setdefault(int(place), []).append(rid)
    return [groups[place] for place in sorted(groups)]


def decide_by_places(conn: Connection, reviewer: User, project_name: str, task_id: str,
                     places: list[int | None], rationale: str, now: datetime) -> Decision:
    """``decide`` from the review form: places given in the task's imported response order."""
    project, task, ids = _decidable(conn, reviewer, project_name, task_id)
    return _record(conn, reviewer, project, task, task_id, ids,
                   ranking_from_places(ids, places), rationale, now)
