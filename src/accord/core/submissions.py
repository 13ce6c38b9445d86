"""Storing annotations: idempotent, checked against what was shown, never silently dropped.

The assignment row is the unit of idempotency: the first submission moves it to
``submitted`` and inserts the annotation (unique per assignment); a repeat finds it submitted
and gets the stored result back. A late submission (lease expired) is kept while the task
still has a free slot, and refused with the annotation echoed back when it has not.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Connection, case, insert, select, update

from accord.core import judgments
from accord.core.errors import Conflict, InvalidInput, NotFound
from accord.core.judgments import Judgment
from accord.core.projects import current_guideline_version, get_project_by_id
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


def _load_assignment(conn: Connection, assignment_id: int, user: User):
    query = (
        select(
            assignments.c.id, assignments.c.status, assignments.c.lease_expires_at,
            assignments.c.display_order, assignments.c.project_id, assignments.c.task_id,
            assignments.c.annotator_id, tasks.c.kind, tasks.c.external_id,
        )
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .where(assignments.c.id == assignment_id)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(of=assignments)
    row = conn.execute(query).first()
    if row is None or row.annotator_id != user.id:
        # Someone else's assignment is as invisible as one that does not exist.
        raise NotFound(f"assignment {assignment_id} does not exist")
    return row


def _stored(conn: Connection, assignment) -> Submission:
    row = conn.execute(
        select(annotations).where(annotations.c.assignment_id == assignment.id)
    ).one()
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
    new_taken = tasks.c.taken + 1
    result = conn.execute(
        update(tasks)
        .where(tasks.c.id == task_id, tasks.c.status == "open", tasks.c.taken < tasks.c.overlap)
        .values(taken=new_taken, queue=queue_after(new_taken))
    )
    return result.rowcount == 1


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
    annotation_id = _insert_annotation(conn, assignment, project.id, judgment, late, now)
    if assignment.kind == "comparison":
        _insert_pairs(conn, assignment, annotation_id, judgment, project.id)
    conn.execute(
        update(assignments)
        .where(assignments.c.id == assignment.id)
        .values(status="submitted", finished_at=now)
    )
    _count_submission(conn, assignment.task_id, now)
    return Submission(annotation_id, assignment.id, assignment.external_id, late, now,
                      _echo(judgment))


def _insert_annotation(conn, assignment, project_id, judgment: Judgment, late, now) -> int:
    guideline = current_guideline_version(conn, project_id)
    values = {name: getattr(judgment, name) for name in STORED_FIELDS}
    return conn.execute(
        insert(annotations).values(
            assignment_id=assignment.id,
            task_id=assignment.task_id,
            annotator_id=assignment.annotator_id,
            project_id=project_id,
            guideline_version_id=guideline[0] if guideline else None,
            kind=assignment.kind,
            response_text=judgment.response,
            late=late,
            created_at=now,
            **values,
        )
    ).inserted_primary_key[0]


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
        conn.execute(insert(pairwise_outcomes), rows)


def _count_submission(conn: Connection, task_id: int, now: datetime) -> None:
    new_submitted = tasks.c.submitted + 1
    done = new_submitted >= tasks.c.overlap
    new_status = case((done & (tasks.c.status == "open"), "complete"), else_=tasks.c.status)
    conn.execute(
        update(tasks)
        .where(tasks.c.id == task_id)
        .values(
            submitted=new_submitted,
            status=new_status,
            completed_at=case((done, now), else_=tasks.c.completed_at),
            queue=queue_after(tasks.c.taken, new_status),
        )
    )


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
        update(assignments)
        .where(assignments.c.id == assignment.id)
        .values(status="skipped", finished_at=now, skip_reason=reason)
    )
    if assignment.status == "active":
        new_taken = tasks.c.taken - 1
        conn.execute(
            update(tasks)
            .where(tasks.c.id == assignment.task_id)
            .values(taken=new_taken, queue=queue_after(new_taken))
        )
