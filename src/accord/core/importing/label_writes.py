"""Writing the labels an import keeps: their authors, and each label as a submitted annotation.

A label is stored exactly as if its author had claimed the task and submitted through
``core.work.submissions``: an assignment (``submitted``, with the display order the author
saw), an annotation, its pairwise outcomes and the task's counters (``taken``, ``submitted``,
``complete`` at ``overlap``), so everything downstream — agreement, reliability, consensus,
exports — treats it like any other annotation, labelled AI or imported by its author's kind.
A label whose author already has an assignment on the task is left as it is, which is what
makes importing a file again add nothing.

The guideline version stays empty: the author followed the source's instructions, not the
project's guideline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime

import orjson
from sqlalchemy import Connection, select, update

from accord.core.errors import Conflict
from accord.core.importing.existing import LOOKUP_CHUNK
from accord.core.importing.label_check import annotated_by
from accord.core.importing.records import Author, Label
from accord.core.importing.writers import BulkWriter, writer_for
from accord.core.people.users import User, create_user
from accord.core.projects.project import Project, add_member, roles_of
from accord.core.tasks.judgments import pairs_from_ranking
from accord.core.tasks.queue import queue_after
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import api_tokens, responses, task_responses, tasks, users

ASSIGNMENT_COLUMNS = ("id", "task_id", "annotator_id", "project_id", "status", "display_order",
                      "leased_at", "lease_expires_at", "finished_at")
ANNOTATION_COLUMNS = ("id", "assignment_id", "task_id", "annotator_id", "project_id", "kind",
                      "ranking", "preference", "rationale", "flags", "active_ms", "late",
                      "created_at", "ratings")
OUTCOME_COLUMNS = ("annotation_id", "task_id", "annotator_id", "project_id", "winner_id",
                   "loser_id", "tie", "winner_position", "loser_position")
_FULL = "submitted + :n >= overlap"
_COUNT_SUBMISSIONS = Statement(
    "UPDATE tasks SET taken = taken + :n, submitted = submitted + :n, "
    f"status = CASE WHEN {_FULL} AND status = 'open' THEN 'complete' ELSE status END, "
    f"completed_at = CASE WHEN {_FULL} THEN :now ELSE completed_at END, "
    f"queue = {queue_after('taken + :n', closing=_FULL)} "
    "WHERE id = :task_id"
)


def write_labels(conn: Connection, project: Project, labels: Sequence[tuple[str, Label]],
                 now: datetime) -> tuple[int, int]:
    """Write one batch's labels, each given with its item's id, inside the caller's
    transaction (their tasks are written); returns how many were new and how many stored."""
    task_ids = _task_ids(conn, project.id, [item_id for item_id, _ in labels])
    authors = {label.author.name: label.author for _, label in labels}
    author_ids = {name: ensure_author(conn, project, authors[name], now)
                  for name in sorted(authors)}
    done = annotated_by(conn, sorted(set(task_ids.values())), list(author_ids.values()))
    fresh = [(label, task_ids[item_id], author_ids[label.author.name])
             for item_id, label in labels
             if (task_ids[item_id], author_ids[label.author.name]) not in done]
    if fresh:
        _insert_labels(conn, writer_for(conn), project, fresh, now)
    return len(fresh), len(labels) - len(fresh)


def ensure_author(conn: Connection, project: Project, author: Author, now: datetime) -> int:
    """The id of ``author``'s user, created if missing, and an annotator of the project; the
    check refused names held by other kinds of user before anything was written."""
    row = conn.execute(select(users.c.id, users.c.name, users.c.kind, users.c.is_admin)
                       .where(users.c.name == author.name)).first()
    if row is None:
        user = create_user(conn, author.name, kind=author.kind).user
        if author.ai_settings is not None:
            conn.execute(update(users).where(users.c.id == user.id)
                         .values(ai_settings=author.ai_settings))
        # An imported author never calls the API: the token create_user issued is withdrawn.
        conn.execute(update(api_tokens).where(api_tokens.c.user_id == user.id)
                     .values(revoked_at=now))
    else:
        user = User(row[0], row[1], row[2], bool(row[3]))
        if user.kind != author.kind:
            raise Conflict(f'user "{author.name}" became a {user.kind} user while this import '
                           "ran")
    if "annotator" not in roles_of(conn, project.id, user.id):
        add_member(conn, project, user, "annotator")
    return user.id


def _task_ids(conn: Connection, project_id: int, external_ids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    unique = sorted(set(external_ids))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        rows = conn.execute(select(tasks.c.external_id, tasks.c.id).where(
            tasks.c.project_id == project_id,
            tasks.c.external_id.in_(unique[start:start + LOOKUP_CHUNK])))
        found.update({row[0]: row[1] for row in rows})
    return found


def _response_ids(conn: Connection, task_ids: Sequence[int]) -> dict[tuple[int, str], int]:
    """(task id, response external id) → response id, for the given tasks."""
    found: dict[tuple[int, str], int] = {}
    unique = sorted(set(task_ids))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        rows = conn.execute(
            select(task_responses.c.task_id, responses.c.external_id, responses.c.id)
            .join(responses, responses.c.id == task_responses.c.response_id)
            .where(task_responses.c.task_id.in_(unique[start:start + LOOKUP_CHUNK])))
        found.update({(row[0], row[1]): row[2] for row in rows})
    return found


def _insert_labels(conn: Connection, writer: BulkWriter, project: Project,
                   labels: list[tuple[Label, int, int]], now: datetime) -> None:
    """Assignments, annotations and outcomes with keys reserved up front, then the counters."""
    at = writer.timestamp(now)
    response_ids = _response_ids(conn, [task_id for _, task_id, _ in labels])
    assignment_ids = writer.allocate("assignments", len(labels))
    annotation_ids = writer.allocate("annotations", len(labels))
    assignment_rows, annotation_rows, outcome_rows = [], [], []
    for (label, task_id, author_id), assignment_id, annotation_id in zip(
        labels, assignment_ids, annotation_ids, strict=True
    ):
        position = {rid: i for i, rid in enumerate(label.display_order)}
        assignment_rows.append((assignment_id, task_id, author_id, project.id, "submitted",
                                orjson.dumps(list(label.display_order)).decode(), at, at, at))
        annotation_rows.append((
            annotation_id, assignment_id, task_id, author_id, project.id, "comparison",
            orjson.dumps(label.ranking).decode(), label.preference, label.rationale, "[]",
            label.active_ms, False, at,
            None if label.ratings is None else orjson.dumps(label.ratings).decode(),
        ))
        outcome_rows.extend(
            (annotation_id, task_id, author_id, project.id, response_ids[task_id, pair.winner],
             response_ids[task_id, pair.loser], pair.tie, position[pair.winner],
             position[pair.loser])
            for pair in pairs_from_ranking(label.ranking)
        )
    writer.insert("assignments", ASSIGNMENT_COLUMNS, assignment_rows)
    writer.insert("annotations", ANNOTATION_COLUMNS, annotation_rows)
    writer.insert("pairwise_outcomes", OUTCOME_COLUMNS, outcome_rows)
    per_task = Counter(task_id for _, task_id, _ in labels)
    when = raw.time_param(conn, now)
    raw.execute_many(conn, _COUNT_SUBMISSIONS,
                     [{"task_id": task_id, "n": n, "now": when} for task_id, n in per_task.items()])
