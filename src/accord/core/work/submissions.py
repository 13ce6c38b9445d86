"""Storing annotations: idempotent, checked against what was shown, never silently dropped.

The assignment row is the unit of idempotency: the first submission moves it to
``submitted`` and inserts the annotation (unique per assignment); a repeat finds it submitted
and gets the stored result back. A late submission (lease expired) is kept while the task
still has a free slot, and refused with the annotation echoed back when it has not.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from accord.core.demonstrations import lifecycle as demonstration_lifecycle
from accord.core.errors import Conflict, InvalidInput, NotFound
from accord.core.people.users import User
from accord.core.projects.project import Project
from accord.core.review import escalation
from accord.core.tasks import judgments
from accord.core.tasks.judgments import Judgment
from accord.core.tasks.queue import queue_after
from accord.core.tasks.view import response_ids
from accord.core.work import adaptive_overlap, calibration, demonstrations, prelabel, splits
from accord.core.work import rules as work_rules
from accord.core.work.calibration import Feedback
from accord.core.work.demonstrations import Authored
from accord.core.work.loop_project import project_by_id
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import annotations

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
    calibration: Feedback | None = None
    """The reference and the round so far, for an answer in a calibration round only."""


_JUDGMENT_FIELDS = tuple(f.name for f in fields(Judgment))
_ASSIGNMENT_SQL = (
    "SELECT a.id, a.status, a.lease_expires_at, a.display_order, a.project_id, a.task_id, "
    "a.annotator_id, t.kind, t.external_id, t.is_gold, a.leased_at "
    "FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = :assignment_id"
)
_ASSIGNMENT = {
    "sqlite": Statement(_ASSIGNMENT_SQL),
    # A second submission of the same assignment waits here for the first to commit.
    "postgresql": Statement(_ASSIGNMENT_SQL + " FOR UPDATE OF a"),
}
_STORED = select(annotations).where(annotations.c.assignment_id == bindparam("assignment_id"))
_RETAKE_SLOT = Statement(
    f"UPDATE tasks SET taken = taken + 1, queue = {queue_after('taken + 1')} "
    "WHERE id = :task_id AND status = 'open' AND taken < overlap"
)
_ANNOTATION_COLUMNS = (
    "assignment_id", "task_id", "annotator_id", "project_id", "guideline_version_id", "kind",
    "ranking", "strength", "ratings", "rationale", "flags", "active_ms", "response_text",
    "attack", "model_response", "harm_categories", "severity", "refusal_appropriate", "late",
    "created_at", "details",
)
_JSON_COLUMNS = ("ranking", "ratings", "flags", "harm_categories")
_INSERT_ANNOTATION = Statement(
    f"INSERT INTO annotations ({', '.join(_ANNOTATION_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _ANNOTATION_COLUMNS)}) RETURNING id"
)
_PAIR_COLUMNS = (
    "annotation_id", "task_id", "annotator_id", "project_id", "winner_id", "loser_id", "tie",
    "winner_position", "loser_position", "strength",
)
_INSERT_PAIR = Statement(
    f"INSERT INTO pairwise_outcomes ({', '.join(_PAIR_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in _PAIR_COLUMNS)})"
)
_FINISH = Statement(
    "UPDATE assignments SET status = :status, finished_at = :now, skip_reason = :skip_reason "
    "WHERE id = :assignment_id"
)
_LAST = "submitted + 1 >= overlap"
_COUNT_SUBMISSION = Statement(
    "UPDATE tasks SET submitted = submitted + 1, "
    f"status = CASE WHEN {_LAST} AND status = 'open' THEN 'complete' ELSE status END, "
    f"completed_at = CASE WHEN {_LAST} THEN :now ELSE completed_at END, "
    f"queue = {queue_after('taken', closing=_LAST)} "
    "WHERE id = :task_id RETURNING status, submitted, overlap"
)
_GIVE_BACK = Statement(
    f"UPDATE tasks SET taken = taken - 1, queue = {queue_after('taken - 1')} WHERE id = :task_id"
)


@dataclass(frozen=True)
class _Assignment:
    id: int
    status: str
    lease_expires_at: datetime
    display_order: list[str]
    project_id: int
    task_id: int
    annotator_id: int
    kind: str
    external_id: str
    is_gold: bool
    leased_at: datetime


def _load_assignment(conn: Connection, assignment_id: int, user: User) -> _Assignment:
    row = raw.execute(
        conn, _ASSIGNMENT[conn.dialect.name], {"assignment_id": assignment_id}
    ).fetchone()
    if row is None or row[6] != user.id:
        # Someone else's assignment is as invisible as one that does not exist.
        raise NotFound(f"assignment {assignment_id} does not exist")
    return _Assignment(
        row[0], row[1], raw.read_time(row[2]), raw.read_json(row[3]), row[4], row[5], row[6],
        row[7], row[8], bool(row[9]), raw.read_time(row[10]),
    )


def _stored(conn: Connection, assignment) -> Submission:
    row = conn.execute(_STORED, {"assignment_id": assignment.id}).one()
    echo = {name: row._mapping[name] for name in STORED_FIELDS}
    if row.kind == "demonstration":
        echo.update(demonstrations.stored_echo(row.response_text, row.details))
    echo = {k: v for k, v in echo.items() if v is not None}
    return Submission(row.id, assignment.id, assignment.external_id, bool(row.late),
                      row.created_at, echo, replayed=True)


def _echo(judgment: Judgment) -> dict:
    """The judgment's fields that were given, as the API echoes them back.

    Read field by field rather than with ``asdict``, whose deep copy of every ranking and
    rating cost a tenth of a submission; the judgment is frozen and read only from here on.
    """
    return {name: value for name in _JUDGMENT_FIELDS
            if (value := getattr(judgment, name)) is not None}


def _take_slot_back(conn: Connection, task_id: int) -> bool:
    """Re-occupy a slot for a late submission whose lease already expired, if one is free."""
    return raw.execute(conn, _RETAKE_SLOT, {"task_id": task_id}).rowcount == 1


def submit(
    conn: Connection, user: User, assignment_id: int, judgment: Judgment, now: datetime,
    suggestion_accepted: bool = False,
) -> Submission:
    """Store ``judgment`` for the caller's assignment, or return the one already stored.

    ``suggestion_accepted``: the annotator took the AI's suggested ranking with the one-key
    accept (pre-labelling, ``core.work.prelabel``)."""
    assignment = _load_assignment(conn, assignment_id, user)
    if assignment.status == "submitted":
        stored = _stored(conn, assignment)
        return replace(stored, calibration=_feedback(conn, assignment, now))
    if assignment.status == "skipped":
        raise Conflict(
            f"assignment {assignment_id} was skipped; its slot went back to the pool",
            details={"annotation": _echo(judgment)},
        )
    project = project_by_id(conn, assignment.project_id)
    judgments.check(assignment.kind, judgment, list(assignment.display_order), project)
    written = (demonstrations.authored(conn, project, assignment.task_id, judgment)
               if assignment.kind == "demonstration" else None)
    late = assignment.status == "expired" or assignment.lease_expires_at < now
    # Gold tasks hold no slots (everyone may answer each once), so they are never full.
    if (assignment.status == "expired" and not assignment.is_gold
            and not _take_slot_back(conn, assignment.task_id)):
        raise Conflict(
            f"the lease on assignment {assignment_id} expired and task "
            f'"{assignment.external_id}" has since been filled by other annotators; '
            "your annotation is returned unsaved",
            details={"annotation": _echo(judgment)},
        )
    annotation_id = _insert_annotation(conn, assignment, project, judgment, late, now, written)
    if assignment.kind == "comparison":
        _insert_pairs(conn, assignment, annotation_id, judgment, project.id)
        if prelabel.rule_of(project) is not None:
            prelabel.on_submit(conn, assignment.id, judgment.ranking, suggestion_accepted)
    elif assignment.kind == "demonstration" and not assignment.is_gold:
        # A written demonstration goes to review as its version 1 (core/demonstrations).
        demonstration_lifecycle.open_from_submission(
            conn, project, task_id=assignment.task_id, annotation_id=annotation_id,
            writer_id=assignment.annotator_id,
            text=(judgment.response if written is None else written.response_text) or "",
            turns=None if written is None else written.details.get("turns"), now=now)
    at = raw.time_param(conn, now)
    raw.execute(
        conn,
        _FINISH,
        {"assignment_id": assignment.id, "status": "submitted", "now": at, "skip_reason": None},
    )
    if (not assignment.is_gold and _count_submission(conn, project, assignment, at, now)
            and assignment.kind == "comparison"):
        # its last wanted judgment: a split goes to the review queue now (core.work.splits)
        splits.queue_if_split(conn, assignment.task_id, project.agreement_threshold, now)
    if escalation.FLAG in judgment.flags:
        escalation.escalate_flagged(
            conn, task_id=assignment.task_id, annotation_id=annotation_id,
            raised_by=assignment.annotator_id, severity=judgment.severity,
            reason=judgment.rationale, now=now,
        )
    echo = _echo(judgment)
    if written is not None:
        echo["authoring"] = written.details
    return Submission(annotation_id, assignment.id, assignment.external_id, late, now,
                      echo, calibration=_feedback(conn, assignment, now, project))


def _count_submission(conn: Connection, project: Project, assignment: _Assignment, at,
                      now: datetime) -> bool:
    """Count the judgment on its task, closing the task at its overlap; under adaptive
    overlap the rule decides at the target instead (``core.work.adaptive_overlap``).
    Returns whether this judgment closed the task."""
    rule = work_rules.rules_of(project).overlap
    if rule is None:
        status, submitted, overlap = raw.execute(
            conn, _COUNT_SUBMISSION, {"task_id": assignment.task_id, "now": at}).fetchone()
        return status == "complete" and submitted == overlap
    return adaptive_overlap.count_submission(
        conn, project.id, rule, assignment.task_id, assignment.kind,
        len(assignment.display_order), project.allow_ties, now)


def _feedback(conn: Connection, assignment: _Assignment, now: datetime,
              project: Project | None = None) -> Feedback | None:
    """Calibration feedback; only gold tasks can have any, so other submissions pay nothing."""
    if not assignment.is_gold:
        return None
    project = project or project_by_id(conn, assignment.project_id)
    return calibration.after_answer(conn, project, assignment.annotator_id,
                                    assignment.task_id, assignment.leased_at, now)


def _insert_annotation(conn, assignment, project, judgment: Judgment, late, now,
                       written: Authored | None) -> int:
    values = {name: getattr(judgment, name) for name in STORED_FIELDS}
    for name in _JSON_COLUMNS:
        values[name] = raw.json_param(values[name])
    values.update(
        assignment_id=assignment.id,
        task_id=assignment.task_id,
        annotator_id=assignment.annotator_id,
        project_id=project.id,
        guideline_version_id=project.guideline[0] if project.guideline else None,
        kind=assignment.kind,
        response_text=judgment.response if written is None else written.response_text,
        details=None if written is None else raw.json_param(written.details),
        late=late,
        created_at=raw.time_param(conn, now),
    )
    return raw.execute(conn, _INSERT_ANNOTATION, values).fetchone()[0]


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
        raw.execute_many(conn, _INSERT_PAIR, rows)


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
    raw.execute(
        conn,
        _FINISH,
        {"assignment_id": assignment.id, "status": "skipped",
         "now": raw.time_param(conn, now), "skip_reason": reason},
    )
    if assignment.status == "active" and not assignment.is_gold:
        raw.execute(conn, _GIVE_BACK, {"task_id": assignment.task_id})
