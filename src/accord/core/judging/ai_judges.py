"""AI judges as annotators: their user, the pairs left for them, and their stored verdicts.

A judge is a user of kind ``ai`` whose ``ai_settings`` name its backend, model, constitution
and prompt template; it is an annotator of the project like anyone else. Its verdict is
stored as a person's submission is: a ``submitted`` assignment with the display order the
model saw first, an annotation (checked by ``core.tasks.judgments`` against what was shown) and
the pairwise outcomes ``judgments.pairs_from_ranking`` derives, with the same columns. Two
things differ, on purpose:

- A judge takes no slot of the task's overlap (``tasks.taken`` and ``submitted`` count the
  people a task still needs), so it can judge tasks that people have already finished — the
  tasks its audit compares it on — and judging a task first does not take it from anyone.
- A judge's tie means "no consistent preference" (the two display orders disagreed), so it
  is stored even where the project asks people to always pick a side.

The annotation also carries ``preference`` (the judge's probability that its first-ranked
response is better, from token probabilities) and ``details`` (how the verdict was reached).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, exists, func, insert, select, update

from accord.core.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from accord.core.people.users import NAME_PATTERN, User, create_user
from accord.core.projects.project import Project, add_member, roles_of
from accord.core.tasks import judgments
from accord.core.tasks.judgments import Judgment
from accord.db.inserts import insert_one
from accord.db.tables import (
    annotations,
    api_tokens,
    assignments,
    pairwise_outcomes,
    prompts,
    responses,
    task_responses,
    tasks,
    users,
)

# The two figures of a verdict's ``details`` that routing and the audit read in SQL (the raw
# replies beside them stay in the table).
CONSISTENT = annotations.c.details["consistent"].as_boolean()
CONFIDENCE = annotations.c.details["confidence"].as_float()
PENDING_CHUNK = 200
"""Tasks read per query when walking the tasks a judge has not judged yet."""
MAX_REASONS = 20_000


@dataclass(frozen=True)
class ComparisonTask:
    """A comparison task as the judge is shown it: two responses, or K (the judge then
    compares every pair and aggregates, ``llm.judge_ranking``)."""

    id: int
    external_id: str
    category: str
    messages: list[dict]
    responses: tuple[tuple[str, str], ...]
    """(external id, content) of the responses, in imported order."""
    response_ids: dict[str, int]
    """External id → database id of the responses (for the pairwise outcomes)."""

    def pair(self, first: str, second: str) -> ComparisonTask:
        """The same task narrowed to two of its responses, as one pair is judged."""
        contents = dict(self.responses)
        return ComparisonTask(self.id, self.external_id, self.category, self.messages,
                              ((first, contents[first]), (second, contents[second])),
                              {rid: self.response_ids[rid] for rid in (first, second)})


@dataclass(frozen=True)
class AiVerdict:
    """What a judge decided about one pair, ready to be stored."""

    ranking: list[list[str]]
    display_order: list[str]
    preference: float | None
    rationale: str
    details: dict
    active_ms: int = 0


def judge_settings_conflict(stored: dict | None, wanted: dict) -> str | None:
    """Why an existing judge cannot judge with ``wanted`` settings, or None when it can.

    A judge's name stands for one model, backend and constitution: its earlier judgments
    and its audit are about them. The model is the exact id the server was asked for
    (``model_id``; a judge set up before ids were kept has it in ``model``), so a new
    ``--model-name`` for the same model keeps the judge. Other settings (concurrency,
    retries) may change.
    """
    stored = stored or {}
    for key in ("backend", "model_id", "constitution"):
        had, asked = _setting(stored, key), _setting(wanted, key)
        if had is not None and had != asked:
            shown = "model" if key == "model_id" else key
            return f"{shown} {had!r}, not {asked!r}; judge with another --judge name"
    return None


def _setting(settings: dict, key: str) -> object:
    if key == "model_id":
        return settings.get("model_id", settings.get("model"))
    return settings.get(key)


def ensure_judge(conn: Connection, project: Project, name: str, settings: dict) -> User:
    """The AI judge ``name`` (created with ``settings`` if missing), an annotator of the
    project. A name held by a person, or a judge of another model, is refused."""
    if not NAME_PATTERN.match(name):
        raise InvalidInput(f'judge name "{name}" must start with a letter or digit and use '
                           "only letters, digits and . _ @ - (at most 120 characters)")
    row = conn.execute(select(users.c.id, users.c.kind, users.c.is_admin, users.c.ai_settings)
                       .where(users.c.name == name)).first()
    if row is None:
        user = create_user(conn, name, kind="ai").user
        conn.execute(update(users).where(users.c.id == user.id).values(ai_settings=settings))
        # A judge runs inside `accord judge`, never through the API: it keeps no token.
        conn.execute(api_tokens.delete().where(api_tokens.c.user_id == user.id))
    else:
        if row.kind != "ai":
            raise AlreadyExists(f'"{name}" is a {row.kind} user, not an AI judge; '
                                "choose another --judge name")
        reason = judge_settings_conflict(row.ai_settings, settings)
        if reason:
            raise Conflict(f'judge "{name}" was set up with {reason}')
        user = User(row.id, name, "ai", bool(row.is_admin))
    if "annotator" not in roles_of(conn, project.id, user.id):
        add_member(conn, project, user, "annotator")
    return user


def get_judge(conn: Connection, name: str) -> User:
    """The AI judge called ``name``; a person's name is refused."""
    row = conn.execute(select(users.c.id, users.c.kind, users.c.is_admin)
                       .where(users.c.name == name)).first()
    if row is None:
        raise NotFound(f'judge "{name}" does not exist')
    if row.kind != "ai":
        raise InvalidInput(f'"{name}" is a {row.kind} user, not an AI judge')
    return User(row.id, name, "ai", bool(row.is_admin))


def judge_of_project(conn: Connection, project: Project, name: str) -> User:
    """The AI judge ``name`` of ``project``; anyone else — a person, a judge of other
    projects, no one — is "not found", so the answer reveals nothing about other users."""
    row = conn.execute(select(users.c.id, users.c.kind, users.c.is_admin)
                       .where(users.c.name == name)).first()
    if row is None or row.kind != "ai" or "annotator" not in roles_of(conn, project.id, row.id):
        raise NotFound(f'project "{project.name}" has no AI judge "{name}"')
    return User(row.id, name, "ai", bool(row.is_admin))


def _unjudged(project_id: int, judge_id: int):
    judged = exists().where(assignments.c.task_id == tasks.c.id,
                            assignments.c.annotator_id == judge_id)
    return and_(tasks.c.project_id == project_id, tasks.c.kind == "comparison", ~judged)


def count_pending(conn: Connection, project_id: int, judge_id: int) -> int:
    """Comparison tasks of the project the judge has not judged (pairs or not)."""
    return conn.execute(select(func.count()).select_from(tasks)
                        .where(_unjudged(project_id, judge_id))).scalar_one()


def count_judged(conn: Connection, project_id: int, judge_id: int) -> int:
    """Comparison tasks of the project the judge has judged: what an interrupted run kept."""
    judged = exists().where(assignments.c.task_id == tasks.c.id,
                            assignments.c.annotator_id == judge_id)
    return conn.execute(select(func.count()).select_from(tasks).where(
        tasks.c.project_id == project_id, tasks.c.kind == "comparison", judged)).scalar_one()


def pending_pairs(conn: Connection, project_id: int, judge_id: int, *, after: int = 0,
                  limit: int = PENDING_CHUNK) -> tuple[list[ComparisonTask], list[str], int]:
    """The next ``limit`` unjudged comparison tasks after task id ``after``, in id order.

    Returns the tasks, the external ids of tasks passed over because they hold fewer than
    two responses (nothing to compare), and the last task id read (0 when none).
    """
    rows = conn.execute(
        select(tasks.c.id, tasks.c.external_id, prompts.c.category, prompts.c.messages)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(_unjudged(project_id, judge_id), tasks.c.id > after)
        .order_by(tasks.c.id).limit(limit)
    ).all()
    if not rows:
        return [], [], 0
    shown: dict[int, list[tuple[str, str, int]]] = {row.id: [] for row in rows}
    for task_id, external_id, content, response_id in conn.execute(
        select(task_responses.c.task_id, responses.c.external_id, responses.c.content,
               responses.c.id)
        .join(responses, responses.c.id == task_responses.c.response_id)
        .where(task_responses.c.task_id.in_(list(shown)))
        .order_by(task_responses.c.task_id, task_responses.c.position)
    ):
        shown[task_id].append((external_id, content, response_id))
    pairs, passed = [], []
    for row in rows:
        found = shown[row.id]
        if len(found) < 2:
            passed.append(row.external_id)
            continue
        pairs.append(ComparisonTask(
            row.id, row.external_id, row.category, list(row.messages),
            tuple((rid, content) for rid, content, _ in found),
            {rid: response_id for rid, _, response_id in found}))
    return pairs, passed, rows[-1].id


def walk_pending(conn_factory: Callable[[], AbstractContextManager[Connection]],
                 project_id: int, judge_id: int, passed: list[str], *,
                 limit: int | None = None) -> Iterator[ComparisonTask]:
    """Every unjudged comparison task of the project, read a chunk at a time, each chunk in a
    short transaction of its own (``conn_factory()`` opens one), so no read stays open while
    the model works. Tasks of fewer than two responses are appended to ``passed``."""
    after, given = 0, 0
    while limit is None or given < limit:
        with conn_factory() as conn:
            pairs, skipped, last = pending_pairs(conn, project_id, judge_id, after=after)
        passed.extend(skipped)
        if not last:
            return
        after = last
        for pair in pairs:
            if limit is not None and given >= limit:
                return
            given += 1
            yield pair


def already_judged(conn: Connection, task_id: int, judge_id: int) -> bool:
    return conn.execute(select(assignments.c.id).where(
        assignments.c.task_id == task_id, assignments.c.annotator_id == judge_id)).first() \
        is not None


def record_verdict(conn: Connection, project: Project, judge: User, task: ComparisonTask,
                   verdict: AiVerdict, now: datetime) -> int | None:
    """Store the judge's verdict on ``task`` in the caller's transaction; returns the
    annotation id, or None when the judge had already judged the task (a rerun)."""
    if already_judged(conn, task.id, judge.id):
        return None
    shown = [rid for rid, _ in task.responses]
    if sorted(verdict.display_order) != sorted(shown):
        raise InvalidInput(f'task "{task.external_id}": display order '
                           f"{', '.join(verdict.display_order)} is not its responses "
                           f"({', '.join(shown)})")
    rationale = verdict.rationale[:MAX_REASONS]
    judgment = Judgment(ranking=verdict.ranking, rationale=rationale,
                        active_ms=min(max(verdict.active_ms, 0), judgments.MAX_ACTIVE_MS))
    # The judge's tie is its record of disagreeing with itself, kept in every project.
    judgments.check_comparison(judgment, shown, dataclasses.replace(project, allow_ties=True))
    if verdict.preference is not None and not 0.5 <= verdict.preference <= 1:
        raise InvalidInput(f"preference must be between 0.5 and 1, not {verdict.preference}")
    assignment_id = insert_one(conn, insert(assignments).values(
        task_id=task.id, annotator_id=judge.id, project_id=project.id, status="submitted",
        display_order=list(verdict.display_order), leased_at=now, lease_expires_at=now,
        finished_at=now,
    ))
    annotation_id = insert_one(conn, insert(annotations).values(
        assignment_id=assignment_id, task_id=task.id, annotator_id=judge.id,
        project_id=project.id, guideline_version_id=None, kind="comparison",
        ranking=judgment.ranking, preference=verdict.preference, rationale=rationale,
        flags=[], active_ms=judgment.active_ms, late=False, created_at=now,
        details=verdict.details,
    ))
    ids = task.response_ids
    position = {rid: i for i, rid in enumerate(verdict.display_order)}
    rows = [
        {"annotation_id": annotation_id, "task_id": task.id, "annotator_id": judge.id,
         "project_id": project.id, "winner_id": ids[pair.winner], "loser_id": ids[pair.loser],
         "tie": pair.tie, "winner_position": position[pair.winner],
         "loser_position": position[pair.loser], "strength": None}
        for pair in judgments.pairs_from_ranking(judgment.ranking or [])
    ]
    conn.execute(insert(pairwise_outcomes), rows)
    return annotation_id
