"""What the complete cost is computed from, read with a few grouped queries.

- people's active time per (annotator, task kind, category), AI judges left out: their
  work is paid through the model calls;
- reviewers' active time per (reviewer, category), from the reviews that recorded it
  (``adjudications.decision["active_ms"]``); the one place to add other kinds of review;
- the model-call ledger per purpose; the generated responses' cost (candidates and drafts)
  per category of their prompt, and the cost of calls that name the task they served (an AI
  judge's) per category of that task;
- per task kind, the tasks done (a task counts the share of its overlap submitted) and the
  open slots left, in tasks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Float, cast, func, select

from accord.core.report.scope import AI_KIND
from accord.db.tables import (
    adjudications,
    annotations,
    demonstration_reviews,
    demonstrations,
    model_calls,
    profiles,
    prompts,
    responses,
    tasks,
    users,
)
from accord.wire.report.cost import ModelUse


@dataclass(frozen=True)
class TimeSpent:
    """Active milliseconds of one person at one pay rate on one kind and category."""

    person: str
    rate: float
    kind: str
    category: str
    active_ms: int


@dataclass(frozen=True)
class Work:
    """A task kind's work done and left, in tasks."""

    done: float
    remaining: float


@dataclass(frozen=True)
class CostInputs:
    annotation_time: list[TimeSpent]
    review_time: list[TimeSpent]
    models: dict[str, ModelUse]
    generated_by_category: dict[str, float]
    work: dict[str, Work]
    task_calls_by_category: dict[str, float]
    """Model calls that name their task (an AI judge's), by the task's category."""


def annotation_time(conn: Connection, project_id: int) -> list[TimeSpent]:
    """People's active time per (annotator, task kind, category)."""
    rows = conn.execute(
        select(users.c.name, func.coalesce(profiles.c.pay_rate_per_hour, 0.0), tasks.c.kind,
               prompts.c.category, func.sum(annotations.c.active_ms))
        .select_from(annotations)
        .join(users, users.c.id == annotations.c.annotator_id)
        .outerjoin(profiles, profiles.c.user_id == users.c.id)
        .join(tasks, tasks.c.id == annotations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(annotations.c.project_id == project_id, users.c.kind != AI_KIND)
        .group_by(users.c.name, profiles.c.pay_rate_per_hour, tasks.c.kind, prompts.c.category))
    return [TimeSpent(name, float(rate), kind, category, int(ms or 0))
            for name, rate, kind, category, ms in rows]


def review_time(conn: Connection, project_id: int) -> list[TimeSpent]:
    """Reviewers' recorded active time on adjudications, per reviewer and category."""
    rows = conn.execute(
        select(users.c.name, func.coalesce(profiles.c.pay_rate_per_hour, 0.0),
               prompts.c.category, adjudications.c.decision)
        .select_from(adjudications)
        .join(users, users.c.id == adjudications.c.reviewer_id)
        .outerjoin(profiles, profiles.c.user_id == users.c.id)
        .join(tasks, tasks.c.id == adjudications.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.project_id == project_id))
    found = []
    for name, rate, category, decision in rows:
        spent = (decision or {}).get("active_ms")
        if isinstance(spent, int) and not isinstance(spent, bool) and spent > 0:
            found.append(TimeSpent(name, float(rate), "comparison", category, spent))
    return found + demonstration_review_time(conn, project_id)


def demonstration_review_time(conn: Connection, project_id: int) -> list[TimeSpent]:
    """Reviewers' recorded active time on demonstrations (every review, first and second,
    of every version), per reviewer and category."""
    rows = conn.execute(
        select(users.c.name, func.coalesce(profiles.c.pay_rate_per_hour, 0.0),
               prompts.c.category, func.sum(demonstration_reviews.c.active_ms))
        .select_from(demonstration_reviews)
        .join(demonstrations, demonstrations.c.id == demonstration_reviews.c.demonstration_id)
        .join(users, users.c.id == demonstration_reviews.c.reviewer_id)
        .outerjoin(profiles, profiles.c.user_id == users.c.id)
        .join(tasks, tasks.c.id == demonstrations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(demonstrations.c.project_id == project_id, demonstration_reviews.c.active_ms > 0)
        .group_by(users.c.name, profiles.c.pay_rate_per_hour, prompts.c.category)
        .order_by(users.c.name, prompts.c.category))
    return [TimeSpent(name, float(rate), "demonstration", category, int(spent))
            for name, rate, category, spent in rows]


def model_use(conn: Connection, project_id: int) -> dict[str, ModelUse]:
    """The ledger's calls, failures, tokens and cost per purpose."""
    rows = conn.execute(
        select(model_calls.c.purpose, func.count(), func.count(model_calls.c.error),
               func.coalesce(func.sum(model_calls.c.prompt_tokens), 0),
               func.coalesce(func.sum(model_calls.c.completion_tokens), 0),
               func.coalesce(func.sum(model_calls.c.cost), 0.0))
        .where(model_calls.c.project_id == project_id)
        .group_by(model_calls.c.purpose).order_by(model_calls.c.purpose))
    return {purpose: ModelUse(calls=calls, failed=failed, prompt_tokens=int(prompt),
                              completion_tokens=int(completion), cost=float(cost))
            for purpose, calls, failed, prompt, completion, cost in rows}


def generated_by_category(conn: Connection, project_id: int) -> dict[str, float]:
    """The recorded cost of generated responses per category of their prompt."""
    rows = conn.execute(
        select(prompts.c.category, func.sum(responses.c.cost))
        .join(responses, responses.c.prompt_id == prompts.c.id)
        .where(prompts.c.project_id == project_id, responses.c.origin == "generated",
               responses.c.cost.is_not(None))
        .group_by(prompts.c.category))
    return {category: float(cost) for category, cost in rows if cost}


def task_calls_by_category(conn: Connection, project_id: int) -> dict[str, float]:
    """The recorded cost of model calls that name the task they served, per category of
    that task's prompt (a judge's verdicts on a coding task cost coding)."""
    rows = conn.execute(
        select(prompts.c.category, func.sum(model_calls.c.cost))
        .select_from(model_calls)
        .join(tasks, tasks.c.id == model_calls.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(model_calls.c.project_id == project_id, model_calls.c.cost.is_not(None))
        .group_by(prompts.c.category))
    return {category: float(cost) for category, cost in rows if cost}


def work(conn: Connection, project_id: int) -> dict[str, Work]:
    """Per task kind (gold left out): tasks done and open slots left, in tasks."""
    share_done = cast(tasks.c.submitted, Float) / tasks.c.overlap
    share_left = cast(tasks.c.overlap - tasks.c.submitted, Float) / tasks.c.overlap
    rows = conn.execute(
        select(tasks.c.kind, tasks.c.status, func.sum(share_done), func.sum(share_left))
        .where(tasks.c.project_id == project_id, tasks.c.is_gold.is_(False))
        .group_by(tasks.c.kind, tasks.c.status))
    found: dict[str, list[float]] = {}
    for kind, status, done, left in rows:
        entry = found.setdefault(kind, [0.0, 0.0])
        entry[0] += float(done or 0)
        if status == "open":
            entry[1] += float(left or 0)
    return {kind: Work(done, left) for kind, (done, left) in sorted(found.items())}


def cost_inputs(conn: Connection, project_id: int) -> CostInputs:
    """Everything ``core.report.cost`` needs of ``project_id``."""
    return CostInputs(annotation_time(conn, project_id), review_time(conn, project_id),
                      model_use(conn, project_id), generated_by_category(conn, project_id),
                      work(conn, project_id), task_calls_by_category(conn, project_id))
