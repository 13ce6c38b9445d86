"""Storing annotations: idempotent, checked against what was shown, never silently dropped.

The assignment row is the unit of idempotency: the first submission moves it to
``submitted`` and inserts the annotation (unique per assignment); a repeat finds it submitted
and gets the stored result back. A late submission (lease expired) is kept while the task
still has a free slot, and refused with the annotation echoed back when it has not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, case, insert, select, update

from accord.core import judgments
from accord.core.errors import Conflict, InvalidInput, NotFound
from accord.core.judgments import Judgment
from accord.core.projects import get_project_by_id
from accord.core.queue import queue_after
from accord.core.tasks import response_ids
from accord.core.users import User
from accord.db.tables import annotations, assignments, pairwise_outcomes, tasks

STORED_FIELDS = (
    "ranking", "strength", "ratings", "rationale", "flags", "active_ms", "attack",
    "model_response", "harm_categories", "severity", "refusal_appropriate",
)


@dataclass(frozen=True)
class Submission:
    """A stored annotation; ``replayed`` is True when this call repeated an earlier one."""

    annotation_id: int
    assignment_id: int
    task_id: str
    late: bool
    created_at: datetime
    annotation: dict
    replayed: bool = False


def _assignment_query(postgres: bool):
    query = (
        select(
            assignments.c.id, assignments.c.status, assignments.c.lease_expires_at,
            assignments.c.display_order, assignments.c.project_id, assignments.c.task_id,
            assignments.c.annotator_id, tasks.c.kind, tasks.c.external_id,
        )
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .where(assignments.c.id == bindparam("assignment_id"))
    )
    # On PostgreSQL a second submission of the same assignment waits here for the first.
    return query.with_for_update(of=assignments) if postgres else query


_ASSIGNMENT = {False: _assignment_query(False), True: _assignment_query(True)}
_STORED = select(annotations).where(annotations.c.assignment_id == bindparam("assignment_id"))
_retaken = tasks.c.taken + 1
_RETAKE_SLOT = (
    update(tasks)
    .where(
        tasks.c.id == bindparam("task_id"),
        tasks.c.status == "open",
        tasks.c.taken < tasks.c.overlap,
    )
    .values(taken=_retaken, queue=queue_after(_retaken))
)
_INSERT_ANNOTATION = insert(annotations)
_INSERT_PAIRS = insert(pairwise_outcomes)
_FINISH = (
    update(assignments)
    .where(assignments.c.id == bindparam("assignment_id"))
    .values(status=bindparam("status"), finished_at=bindparam("now"),
            skip_reason=bindparam("skip_reason"))
)
_submitted = tasks.c.submitted + 1
_done = _submitted >= tasks.c.overlap
_status_after = case((_done & (tasks.c.status == "open"), "complete"), else_=tasks.c.status)
_COUNT_SUBMISSION = (
    update(tasks)
    .where(tasks.c.id == bindparam("task_id"))
    .values(
        submitted=_submitted,
        status=_status_after,
        completed_at=case((_done, bindparam("now")), else_=tasks.c.completed_at),
        queue=queue_after(tasks.c.taken, _status_after),
    )
)
_given_back = tasks.c.taken - 1
_GIVE_BACK = (
    update(tasks)
    .where(tasks.c.id == bindparam("task_id"))
    .values(taken=_given_back, queue=queue_after(_given_back))
)


def _load_assignment(conn: Connection, assignment_id: int, user: User):
    postgres = conn.dialect.name == "postgresql"
    row = conn.execute(_ASSIGNMENT[postgres], {"assignment_id": assignment_id}).first()
    if row is None or row.annotator_id != user.id:
        # Someone else's assignment is as invisible as one that does not exist.
        raise NotFound(f"assignment {assignment_id} does not exist")
    return row


def _stored(conn: Connection, assignment) -> Submission:
    row = conn.execute(_STORED, {"assignment_id": assignment.id}).one()
    echo = {name: row._mapping[name] for name in STORED_FIELDS}
    if row.response_text is not None:
        echo["response"] = row.response_text
    echo = {k: v for k, v in echo.items() if v is not None}
    return Submission(row.id, assignment.id, assignment.external_id, bool(row.late),
                      row.created_at, echo, replayed=True)


def _echo(judgment: Judgment) -> dict:
    return {k: v for k, v in asdict(judgment).items() if v is not None}


def _take_slot_back(conn: Connection, task_id: int) -> bool:
    """Re-occupy a slot for a late submission whose lease already expired, if one is free."""
    return conn.execute(_RETAKE_SLOT, {"task_id": task_id}).rowcount == 1


def submit(
    conn: Connection, user: User, assignment_id: int, judgment: Judgment, now: datetime
) -> Submission:
    """Store ``judgment`` for the caller's assignment, or return the one already stored."""
    assignment = _load_assignment(conn, assignment_id, user)
    if assignment.status == "submitted":
        return _stored(conn, assignment)
    if assignment.status == "skipped":
        raise Conflict(
            f"assignment {assignment_id} was skipped; its slot went back to the pool",
            details={"annotation": _echo(judgment)},
        )
    project = get_project_by_id(conn, assignment.project_id)
    judgments.check(assignment.kind, judgment, list(assignment.display_order), project)
    late = assignment.status == "expired" or assignment.lease_expires_at < now
    if assignment.status == "expired" and not _take_slot_back(conn, assignment.task_id):
        raise Conflict(
            f"the lease on assignment {assignment_id} expired and task "
            f'"{assignment.external_id}" has since been filled by other annotators; '
            "your annotation is returned unsaved",
            details={"annotation": _echo(judgment)},
        )
    annotation_id = _insert_annotation(conn, assignment, project, judgment, late, now)
    if assignment.kind == "comparison":
        _insert_pairs(conn, assignment, annotation_id, judgment, project.id)
    conn.execute(
        _FINISH,
        {"assignment_id": assignment.id, "status": "submitted", "now": now, "skip_reason": None},
    )
    conn.execute(_COUNT_SUBMISSION, {"task_id": assignment.task_id, "now": now})
    return Submission(annotation_id, assignment.id, assignment.external_id, late, now,
                      _echo(judgment))


def _insert_annotation(conn, assignment, project, judgment: Judgment, late, now) -> int:
    guideline = project.guideline
    values = {name: getattr(judgment, name) for name in STORED_FIELDS}
    values.update(
        assignment_id=assignment.id,
        task_id=assignment.task_id,
        annotator_id=assignment.annotator_id,
        project_id=project.id,
        guideline_version_id=guideline[0] if guideline else None,
        kind=assignment.kind,
        response_text=judgment.response,
        late=late,
        created_at=now,
    )
    return conn.execute(_INSERT_ANNOTATION, values).inserted_primary_key[0]


def _insert_pairs(conn, assignment, annotation_id: int, judgment: Judgment, project_id) -> None:
    ids = response_ids(conn, assignment.task_id)
    position = {rid: i for i, rid in enumerate(assignment.display_order)}
    rows = [
        {
            "annotation_id": annotation_id,
            "task_id": assignment.task_id,
            "annotator_id": assignment.annotator_id,
            "project_id": project_id,
            "winner_id": ids[pair.winner],
            "loser_id": ids[pair.loser],
            "tie": pair.tie,
            "winner_position": position[pair.winner],
            "loser_position": position[pair.loser],
            "strength": None if pair.tie else judgment.strength,
        }
        for pair in judgments.pairs_from_ranking(judgment.ranking or [])
    ]
    if rows:
        conn.execute(_INSERT_PAIRS, rows)


def skip(conn: Connection, user: User, assignment_id: int, reason: str, now: datetime) -> None:
    """Give the slot back; the caller never gets this task again (one assignment per pair)."""
    if reason not in judgments.SKIP_REASONS:
        raise InvalidInput(
            f"skip reason {reason!r} is not one of {', '.join(judgments.SKIP_REASONS)}"
        )
    assignment = _load_assignment(conn, assignment_id, user)
    if assignment.status == "skipped":
        return
    if assignment.status == "submitted":
        raise Conflict(f"assignment {assignment_id} is already submitted and cannot be skipped")
    conn.execute(
        _FINISH,
        {"assignment_id": assignment.id, "status": "skipped", "now": now, "skip_reason": reason},
    )
    if assignment.status == "active":
        conn.execute(_GIVE_BACK, {"task_id": assignment.task_id})
