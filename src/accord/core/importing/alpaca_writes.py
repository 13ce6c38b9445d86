"""Writing checked AlpacaEval records: the tasks, the AI judges and their submitted verdicts.

A verdict is stored exactly as if the judge had claimed the task and submitted through
``core.work.submissions``: an assignment (``submitted``, display order ``[a, b]``), an annotation,
its pairwise outcome and the task's counters (``taken``, ``submitted``, ``complete`` at
``overlap``), so everything downstream — agreement, reliability, consensus, exports — treats
it like any other annotation, labelled AI by its annotator's kind. One transaction per batch
of records; a verdict whose judge already has an assignment on the task is left as it is,
which is what makes importing a file again add nothing.

The guideline version stays empty: the judge followed AlpacaEval's prompt, not the project's
guideline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import orjson
from sqlalchemy import Connection, select, update

from accord.core.errors import Conflict
from accord.core.importing.alpaca_check import annotated_by
from accord.core.importing.alpaca_records import SOURCE, Record
from accord.core.importing.existing import LOOKUP_CHUNK, find_existing
from accord.core.importing.store import insert_new, prepare
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
                      "created_at")
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


@dataclass
class BatchCounts:
    tasks_new: int = 0
    tasks_unchanged: int = 0
    annotations_new: int = 0
    annotations_unchanged: int = 0


def write_records(conn: Connection, project: Project, records: list[Record], source: str,
                  now: datetime, judge_kind: str = "ai") -> BatchCounts:
    """Write one batch inside the caller's transaction; returns what it added.

    ``judge_kind`` is the kind of user the verdicts' authors are: ``ai`` for AlpacaEval's
    judges, ``imported`` for labels that came with a data set (``core.importing.labelled``).
    """
    counts = BatchCounts()
    writer = writer_for(conn)
    items = {record.item.id: record for record in records}
    existing = find_existing(conn, project.id, list(items))
    fresh = [prepare(record.index, record.item)
             for item_id, record in items.items() if item_id not in existing]
    for item_id, found in existing.items():
        if found.content_hash != items[item_id].item.content_hash():
            raise Conflict(f"record {items[item_id].index}: task {item_id} changed while this "
                           "import ran; the batches before it are in")
    insert_new(writer, project, fresh, source)
    counts.tasks_new, counts.tasks_unchanged = len(fresh), len(items) - len(fresh)
    judged = [record for record in records if record.verdict is not None]
    if not judged:
        return counts
    task_ids = _task_ids(conn, project.id, [record.item.id for record in judged])
    judge_ids = {name: ensure_judge(conn, project, name, now, judge_kind)
                 for name in sorted({record.verdict.judge for record in judged})}
    done = annotated_by(conn, sorted(set(task_ids.values())), list(judge_ids.values()))
    verdicts = [(record, task_ids[record.item.id], judge_ids[record.verdict.judge])
                for record in judged
                if (task_ids[record.item.id], judge_ids[record.verdict.judge]) not in done]
    counts.annotations_unchanged = len(judged) - len(verdicts)
    counts.annotations_new = len(verdicts)
    if verdicts:
        _insert_verdicts(conn, writer, project, verdicts, now)
    return counts


def ensure_judge(conn: Connection, project: Project, name: str, now: datetime,
                 kind: str = "ai") -> int:
    """The id of judge ``name``, created (of ``kind``: ``ai`` or ``imported``) if missing, and
    an annotator of the project; the check refused names held by other kinds of user before
    anything was written."""
    row = conn.execute(select(users.c.id, users.c.name, users.c.kind, users.c.is_admin)
                       .where(users.c.name == name)).first()
    if row is None:
        user = create_user(conn, name, kind=kind).user
        if kind == "ai":
            conn.execute(update(users).where(users.c.id == user.id)
                         .values(ai_settings={"source": SOURCE, "judge": name}))
        # An imported judge never calls the API: the token create_user issued is withdrawn.
        conn.execute(update(api_tokens).where(api_tokens.c.user_id == user.id)
                     .values(revoked_at=now))
    else:
        user = User(row[0], row[1], row[2], bool(row[3]))
        if user.kind != kind:
            raise Conflict(f'user "{name}" became a {user.kind} user while this import ran')
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


def _insert_verdicts(conn: Connection, writer: BulkWriter, project: Project,
                     verdicts: list[tuple[Record, int, int]], now: datetime) -> None:
    """Assignments, annotations and outcomes with keys reserved up front, then the counters."""
    at = writer.timestamp(now)
    response_ids = _response_ids(conn, [task_id for _, task_id, _ in verdicts])
    assignment_ids = writer.allocate("assignments", len(verdicts))
    annotation_ids = writer.allocate("annotations", len(verdicts))
    assignment_rows, annotation_rows, outcome_rows = [], [], []
    for (record, task_id, judge_id), assignment_id, annotation_id in zip(
        verdicts, assignment_ids, annotation_ids, strict=True
    ):
        verdict = record.verdict
        position = {rid: i for i, rid in enumerate(verdict.display_order)}
        assignment_rows.append((assignment_id, task_id, judge_id, project.id, "submitted",
                                orjson.dumps(list(verdict.display_order)).decode(), at, at, at))
        annotation_rows.append((
            annotation_id, assignment_id, task_id, judge_id, project.id, "comparison",
            orjson.dumps(verdict.ranking).decode(), verdict.preference, verdict.rationale, "[]",
            verdict.active_ms, False, at,
        ))
        outcome_rows.extend(
            (annotation_id, task_id, judge_id, project.id, response_ids[task_id, pair.winner],
             response_ids[task_id, pair.loser], pair.tie, position[pair.winner],
             position[pair.loser])
            for pair in pairs_from_ranking(verdict.ranking)
        )
    writer.insert("assignments", ASSIGNMENT_COLUMNS, assignment_rows)
    writer.insert("annotations", ANNOTATION_COLUMNS, annotation_rows)
    writer.insert("pairwise_outcomes", OUTCOME_COLUMNS, outcome_rows)
    per_task = Counter(task_id for _, task_id, _ in verdicts)
    when = raw.time_param(conn, now)
    raw.execute_many(conn, _COUNT_SUBMISSIONS,
                     [{"task_id": task_id, "n": n, "now": when} for task_id, n in per_task.items()])
