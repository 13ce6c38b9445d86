"""What reviewers and writers see of demonstrations: the review queue, one demonstration with
its versions, diffs and reviews, and a writer's own demonstrations with their feedback.

Blindness: while a version is in review, its reviews are shown to nobody but their author
(the second of a double review never sees the first; the writer sees feedback once the
version is settled). Reviews of earlier, settled versions are visible to all who may open the
demonstration: its writer, and the project's reviewers and managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, and_, exists, func, select

from accord.core.demonstrations import rubric
from accord.core.demonstrations.edits import line_diff
from accord.core.demonstrations.states import STATES
from accord.core.errors import Forbidden, InvalidInput, NotFound
from accord.core.paging import Page, check_page, id_cursor, page_of
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import project_for_member
from accord.db.tables import (
    demonstration_reviews,
    demonstration_versions,
    demonstrations,
    prompts,
    tasks,
    users,
)

DEFAULT_PAGE = 50
MAX_PAGE = 200


@dataclass(frozen=True)
class Summary:
    """One demonstration in a list: the queue or a writer's own."""

    id: int
    task_id: str
    category: str
    writer: str
    status: str
    version: int
    rounds: int
    reviews_needed: int
    reviews_in: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Version:
    number: int
    text: str
    turns: list | None
    author: str
    reason: str
    edit_distance: int | None
    diff: str
    """A unified diff from the previous version; empty for version 1."""
    created_at: datetime


@dataclass(frozen=True)
class Review:
    id: int
    version: int
    reviewer: str
    scores: dict[str, int]
    checks: dict[str, bool]
    decision: str
    comment: str
    edited_text: str | None
    blind: bool
    created_at: datetime


@dataclass(frozen=True)
class Demonstration:
    """One demonstration as its writer or a reviewer sees it."""

    summary: Summary
    messages: list[dict]
    versions: list[Version]
    reviews: list[Review]
    hidden_reviews: int
    """Reviews of the version in review that the caller may not see yet (blind)."""
    reject_reason: str | None
    rubric: rubric.ReviewRules
    can_review: bool
    can_revise: bool


_SUMMARY = (demonstrations.c.id, tasks.c.external_id, prompts.c.category, users.c.name,
            demonstrations.c.status, demonstrations.c.version, demonstrations.c.rounds,
            demonstrations.c.reviews_needed, demonstrations.c.reviews_in,
            demonstrations.c.created_at, demonstrations.c.updated_at)


def _summaries(where, limit: int):
    return (select(*_SUMMARY)
            .join(tasks, tasks.c.id == demonstrations.c.task_id)
            .join(prompts, prompts.c.id == tasks.c.prompt_id)
            .join(users, users.c.id == demonstrations.c.writer_id)
            .where(*where).order_by(demonstrations.c.id).limit(limit + 1))


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATES:
        raise InvalidInput(f"status {status!r} is not one of {', '.join(STATES)}")


def queue(conn: Connection, user: User, project_name: str, *, category: str | None = None,
          status: str | None = "in_review", limit: int = DEFAULT_PAGE,
          after: str | None = None) -> Page[Summary]:
    """Demonstrations for a reviewer, oldest first: by default those waiting for a review,
    leaving out the caller's own writing and versions the caller already reviewed."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_review(user, roles):
        raise Forbidden(f'you are not a reviewer of "{project.name}"')
    check_page(limit, after, MAX_PAGE)
    _check_status(status)
    last = id_cursor(after, f'the demonstrations of "{project.name}"')
    reviewed = exists().where(
        demonstration_reviews.c.demonstration_id == demonstrations.c.id,
        demonstration_reviews.c.version == demonstrations.c.version,
        demonstration_reviews.c.reviewer_id == user.id)
    where = [demonstrations.c.project_id == project.id, demonstrations.c.writer_id != user.id]
    if status is not None:
        where.append(demonstrations.c.status == status)
    if status == "in_review":
        where.append(~reviewed)
    if category is not None:
        where.append(prompts.c.category == category)
    if last is not None:
        where.append(demonstrations.c.id > last)
    rows = conn.execute(_summaries(where, limit)).all()
    return page_of([Summary(*r) for r in rows], limit, "id")


def mine(conn: Connection, user: User, project_name: str, *, status: str | None = None,
         limit: int = DEFAULT_PAGE, after: str | None = None) -> Page[Summary]:
    """The caller's own demonstrations in the project, oldest first."""
    project, _ = project_for_member(conn, project_name, user)
    check_page(limit, after, MAX_PAGE)
    _check_status(status)
    last = id_cursor(after, f'your demonstrations in "{project.name}"')
    where = [demonstrations.c.project_id == project.id, demonstrations.c.writer_id == user.id]
    if status is not None:
        where.append(demonstrations.c.status == status)
    if last is not None:
        where.append(demonstrations.c.id > last)
    rows = conn.execute(_summaries(where, limit)).all()
    return page_of([Summary(*r) for r in rows], limit, "id")


def demonstration(conn: Connection, user: User, project_name: str,
                  demonstration_id: int) -> Demonstration:
    """One demonstration for its writer or a reviewer; to anyone else it does not exist."""
    project, roles = project_for_member(conn, project_name, user)
    row = conn.execute(
        select(*_SUMMARY, prompts.c.messages, demonstrations.c.writer_id,
               demonstrations.c.reject_reason)
        .join(tasks, tasks.c.id == demonstrations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .join(users, users.c.id == demonstrations.c.writer_id)
        .where(demonstrations.c.id == demonstration_id,
               demonstrations.c.project_id == project.id)).first()
    reviewer = access.can_review(user, roles)
    if row is None or not (reviewer or row.writer_id == user.id):
        raise NotFound(f'demonstration {demonstration_id} is not in project "{project.name}"')
    summary = Summary(*row[:len(_SUMMARY)])
    reviews = _reviews(conn, demonstration_id)
    shown = [r for r in reviews if _visible(r, summary, user.name)]
    mine_reviewed = any(r.version == summary.version and r.reviewer == user.name
                        for r in reviews)
    return Demonstration(
        summary=summary, messages=row.messages, versions=_versions(conn, demonstration_id),
        reviews=shown, hidden_reviews=len(reviews) - len(shown),
        reject_reason=row.reject_reason, rubric=rubric.rules_of(project),
        can_review=(reviewer and row.writer_id != user.id and summary.status == "in_review"
                    and not mine_reviewed),
        can_revise=row.writer_id == user.id and summary.status == "sent_back",
    )


def _visible(review: Review, summary: Summary, caller: str) -> bool:
    pending = summary.status == "in_review" and review.version == summary.version
    return not pending or review.reviewer == caller


def _versions(conn: Connection, demonstration_id: int) -> list[Version]:
    rows = conn.execute(
        select(demonstration_versions, users.c.name)
        .join(users, users.c.id == demonstration_versions.c.author_id)
        .where(demonstration_versions.c.demonstration_id == demonstration_id)
        .order_by(demonstration_versions.c.number)).all()
    found: list[Version] = []
    for r in rows:
        diff = "" if not found else line_diff(found[-1].text, r.text,
                                              before_name=f"version {found[-1].number}",
                                              after_name=f"version {r.number}")
        found.append(Version(r.number, r.text, r.turns, r.name, r.reason, r.edit_distance,
                             diff, r.created_at))
    return found


def _reviews(conn: Connection, demonstration_id: int) -> list[Review]:
    rows = conn.execute(
        select(demonstration_reviews, users.c.name)
        .join(users, users.c.id == demonstration_reviews.c.reviewer_id)
        .where(and_(demonstration_reviews.c.demonstration_id == demonstration_id))
        .order_by(demonstration_reviews.c.id)).all()
    return [Review(r.id, r.version, r.name, r.scores, r.checks, r.decision, r.comment,
                   r.edited_text, bool(r.blind), r.created_at) for r in rows]


def rules(conn: Connection, user: User, project_name: str) -> rubric.ReviewRules:
    """The project's review rules, for any member: writers see what they are judged by."""
    project, _ = project_for_member(conn, project_name, user)
    return rubric.rules_of(project)


def status_counts(conn: Connection, project_id: int) -> dict[str, int]:
    """How many of the project's demonstrations are in each state, every state named."""
    counts = dict(conn.execute(
        select(demonstrations.c.status, func.count())
        .where(demonstrations.c.project_id == project_id)
        .group_by(demonstrations.c.status)).all())
    return {state: counts.get(state, 0) for state in STATES}
