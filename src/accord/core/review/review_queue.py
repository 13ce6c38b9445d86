"""The reviewers' queue: split tasks and suspect labels waiting for a decision, counted,
sorted, filtered and paged in the database, so a queue of thousands reads as fast as one of ten.

A task waits while it is split (``needs_adjudication``: the submission that closed it found its
agreement below the project's threshold, or the report did) or settled with an open suspect
label. Tasks the caller annotated are left to another reviewer, in the items and the total
alike. Sorts: ``priority`` (the task's priority, then import order; the default),
``agreement`` (least agreement first; tasks without a stored agreement last), ``oldest``
(completed first) and ``category`` (then least agreement). Every sort ends on the task's id,
so pages never repeat or skip an item.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from accord.core.errors import InvalidInput
from accord.core.people.users import User
from accord.core.review import suspicion
from accord.core.review.adjudication import QUEUE_STATUS, QueueItem, reviewer_project
from accord.db.tables import annotations, prompts, task_consensus, tasks

SORTS = ("priority", "agreement", "oldest", "category")
REASONS = (suspicion.SPLIT, suspicion.SUSPECT)
MAX_LIMIT = 200


@dataclass(frozen=True)
class QueueQuery:
    """Which page of the queue, in which order, narrowed how."""

    sort: str = "priority"
    category: str | None = None
    reason: str | None = None
    """``split`` or ``suspect label``; None: both."""
    offset: int = 0
    limit: int = 50

    def checked(self) -> QueueQuery:
        if self.sort not in SORTS:
            raise InvalidInput(f'sort must be one of {", ".join(SORTS)}, not "{self.sort}"')
        if self.reason is not None and self.reason not in REASONS:
            raise InvalidInput(f'reason must be one of {", ".join(REASONS)}, '
                               f'not "{self.reason}"')
        if self.offset < 0:
            raise InvalidInput(f"offset must be 0 or more, not {self.offset}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}, not {self.limit}")
        return self


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    """Items waiting under the query's filters, on every page."""
    query: QueueQuery
    categories: list[str]
    """The categories of every waiting item (the filter's choices), whatever the filters."""


def _order(sort: str) -> list:
    agreement = task_consensus.c.agreement.asc().nulls_last()
    by = {"priority": [tasks.c.priority.desc()],
          "agreement": [agreement],
          "oldest": [tasks.c.completed_at.asc().nulls_last()],
          "category": [prompts.c.category.asc(), agreement]}[sort]
    return [*by, tasks.c.id.asc()]


def page(conn: Connection, user: User, project_name: str,
         query: QueueQuery | None = None) -> QueuePage:
    """One page of the queue for ``user``, who must review ``project_name``."""
    query = (query or QueueQuery()).checked()
    project, _ = reviewer_project(conn, project_name, user)
    mine = select(annotations.c.task_id).where(
        annotations.c.project_id == project.id, annotations.c.annotator_id == user.id)
    waiting = [tasks.c.project_id == project.id, suspicion.awaiting_review(),
               tasks.c.id.not_in(mine)]
    categories = list(conn.execute(
        select(prompts.c.category).distinct().join(tasks, tasks.c.prompt_id == prompts.c.id)
        .where(*waiting).order_by(prompts.c.category)).scalars())
    if query.category is not None:
        waiting.append(prompts.c.category == query.category)
    if query.reason == suspicion.SPLIT:
        waiting.append(tasks.c.status == QUEUE_STATUS)
    elif query.reason == suspicion.SUSPECT:
        waiting.append(tasks.c.status == suspicion.SUSPECT_STATUS)
    total = conn.execute(
        select(func.count()).select_from(tasks)
        .join(prompts, prompts.c.id == tasks.c.prompt_id).where(*waiting)).scalar_one()
    counted = (select(func.count()).where(annotations.c.task_id == tasks.c.id)
               .correlate(tasks).scalar_subquery())
    rows = conn.execute(
        select(tasks.c.external_id, prompts.c.category, counted, task_consensus.c.agreement,
               tasks.c.completed_at, tasks.c.id, tasks.c.status)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .outerjoin(task_consensus, task_consensus.c.task_id == tasks.c.id)
        .where(*waiting).order_by(*_order(query.sort))
        .offset(query.offset).limit(query.limit)).all()
    doubted = suspicion.most_doubtful(
        conn, [r[5] for r in rows if r[6] == suspicion.SUSPECT_STATUS])
    items = []
    for external_id, category, n, agreement, completed_at, db_id, status in rows:
        signal, probability = doubted.get(db_id, (None, None))
        reason = suspicion.SPLIT if status == QUEUE_STATUS else suspicion.SUSPECT
        items.append(QueueItem(external_id, category, n or 0, agreement, completed_at, reason,
                               signal, probability))
    return QueuePage(items, total, query, categories)
