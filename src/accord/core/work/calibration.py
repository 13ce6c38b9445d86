"""Calibration rounds: an annotator answers gold tasks, is scored, and only then works.

A round is a ``calibrations`` row (pending, then passed or failed). Its answers are the
annotator's submitted gold assignments in the project leased from the round's
``created_at`` until its ``finished_at``: while a round is pending the claim hands out
nothing but gold tasks, so no other gold assignment falls in that window. (Leases taken
before the round began are outside it.)

An annotator needs a *current* passed round: one whose guideline version is at or after the
newest published version that requires recalibration. This is derived at claim time, so
publishing such a version sends everyone back through a round without the publish code
knowing about calibration. A failed round blocks production work until a manager starts a
new one.

The score is the share of the reference ranking's pairs that the annotator ranked the same
way (``quality.reliability.gold_accuracy`` over the round's pairs), so a K-way task with one
swapped pair still earns most of its credit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import Connection, insert, select, update

from accord.core.errors import Forbidden, InvalidInput, NotFound
from accord.core.people import access
from accord.core.people.users import User, get_user
from accord.core.projects.project import Project, project_for_member, roles_of
from accord.core.tasks.judgments import pairs_from_ranking
from accord.core.tasks.view import TaskView, load_view
from accord.core.work.rules import CalibrationRule, rules_of
from accord.db import raw
from accord.db.inserts import insert_one
from accord.db.raw import Statement
from accord.db.tables import annotations, assignments, calibrations, guideline_versions, tasks
from accord.db.tables import users as users_table
from accord.quality.reliability import gold_accuracy

FAILED = "calibration_failed"
UNAVAILABLE = "calibration_unavailable"
_MISSING = 3  # an outcome no reference has: a pair the annotator did not rank


@dataclass(frozen=True)
class Gate:
    """What calibration asks of one claim: nothing, a calibration task, or no work at all."""

    round_id: int | None = None
    """A pending round: the next task is one of its gold tasks."""
    since: datetime | None = None
    answered: int = 0
    blocked: str | None = None
    """``calibration_failed`` when the latest round failed."""
    score: float | None = None


CALIBRATED = Gate()


@dataclass(frozen=True)
class RoundPosition:
    """Where an annotator is in a round: the task in hand is ``position`` of ``of``."""

    position: int
    of: int


@dataclass(frozen=True)
class Feedback:
    """What an annotator sees after a calibration answer: the reference and the round so far."""

    reference: list[list[str]]
    explanation: str
    answered: int
    of: int
    status: str
    score: float | None
    pass_threshold: float


@dataclass(frozen=True)
class Round:
    """A calibration round as a manager sees it."""

    id: int
    user: str
    status: str
    score: float | None
    guideline_version: int | None
    created_at: datetime
    finished_at: datetime | None


_STATE = Statement("""
SELECT c.id, c.status, g.version, c.created_at, c.score,
  (SELECT MAX(v.version) FROM guideline_versions v WHERE v.project_id = :project_id
     AND v.status = 'published' AND v.requires_recalibration) AS required,
  CASE WHEN c.status = 'pending' THEN (
    SELECT COUNT(*) FROM assignments a JOIN tasks t ON t.id = a.task_id
    WHERE a.annotator_id = :user_id AND a.project_id = :project_id
      AND a.leased_at >= c.created_at AND a.status = 'submitted' AND t.is_gold) END AS answered
FROM calibrations c LEFT JOIN guideline_versions g ON g.id = c.guideline_version_id
WHERE c.project_id = :project_id AND c.user_id = :user_id
ORDER BY c.id DESC LIMIT 1""")


def gate(conn: Connection, project: Project, user_id: int, rule: CalibrationRule,
         now: datetime) -> Gate:
    """Calibration's say in this claim; starts a round when the annotator needs one."""
    row = raw.execute(conn, _STATE, {"project_id": project.id, "user_id": user_id}).fetchone()
    if row is None:
        return Gate(round_id=start_round(conn, project, user_id, now), since=now)
    round_id, status, version, created_at, score, required, answered = row
    if status == "failed":
        return Gate(blocked=FAILED, score=score)
    if status == "passed":
        if required is None or (version is not None and version >= required):
            return CALIBRATED
        return Gate(round_id=start_round(conn, project, user_id, now), since=now)
    since = raw.read_time(created_at)
    if answered >= rule.tasks:
        passed, score = finish(conn, round_id, user_id, project.id, rule, since, now)
        return CALIBRATED if passed else Gate(blocked=FAILED, score=score)
    return Gate(round_id=round_id, since=since, answered=int(answered))


def start_round(conn: Connection, project: Project, user_id: int, now: datetime) -> int:
    """A new pending round under the guideline version in force; returns its id."""
    return insert_one(conn, insert(calibrations).values(
        project_id=project.id, user_id=user_id,
        guideline_version_id=project.guideline[0] if project.guideline else None,
        status="pending", created_at=now,
    ))


def _outcomes(ranking: list[list[str]]) -> dict[tuple[str, str], int]:
    """Each unordered pair of a ranking: 0 the first id is better, 1 the second, 2 a tie."""
    result = {}
    for pair in pairs_from_ranking(ranking):
        first, second = sorted((pair.winner, pair.loser))
        result[(first, second)] = 2 if pair.tie else (0 if pair.winner == first else 1)
    return result


def agreement(answers: list[tuple[list[list[str]], list[list[str]]]]) -> float | None:
    """Share of reference pairs ranked as the reference ranks them; None without pairs.

    ``answers``: (the annotator's ranking, the reference ranking) per calibration task.
    """
    labels, gold_labels = [], []
    for ranking, reference in answers:
        mine = _outcomes(ranking or [])
        for key, outcome in _outcomes(reference or []).items():
            labels.append(mine.get(key, _MISSING))
            gold_labels.append(outcome)
    if not gold_labels:
        return None
    items = np.arange(len(gold_labels))
    result = gold_accuracy(items, np.zeros(len(items), dtype=np.int64), labels, items,
                           gold_labels, n_annotators=1)
    return float(result.accuracy[0])


def _answers(conn: Connection, project_id: int, user_id: int,
             since: datetime) -> list[tuple[list, list]]:
    """The round's answers beside their references: gold submitted since it began (while
    a round is pending the claim hands out only its gold, so nothing later is another's)."""
    query = (
        select(annotations.c.ranking, tasks.c.gold_answer)
        .join(assignments, assignments.c.id == annotations.c.assignment_id)
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .where(assignments.c.annotator_id == user_id, assignments.c.project_id == project_id,
               assignments.c.leased_at >= since, tasks.c.is_gold.is_(True))
    )
    return [(ranking, (answer or {}).get("ranking") or [])
            for ranking, answer in conn.execute(query)]


def finish(conn: Connection, round_id: int, user_id: int, project_id: int,
           rule: CalibrationRule, since: datetime, now: datetime) -> tuple[bool, float | None]:
    """Score a pending round on the answers it has and close it: (passed, score)."""
    return _close(conn, round_id, rule, _answers(conn, project_id, user_id, since), now)


def _close(conn: Connection, round_id: int, rule: CalibrationRule,
           answers: list[tuple[list, list]], now: datetime) -> tuple[bool, float | None]:
    score = agreement(answers)
    passed = score is not None and score >= rule.pass_threshold
    conn.execute(
        update(calibrations)
        .where(calibrations.c.id == round_id, calibrations.c.status == "pending")
        .values(status="passed" if passed else "failed", score=score, finished_at=now)
    )
    return passed, score


_ROUND_OF_LEASE = (
    select(calibrations.c.id, calibrations.c.status, calibrations.c.created_at,
           calibrations.c.score)
    .order_by(calibrations.c.id.desc())
    .limit(1)
)


def _round_of_lease(conn: Connection, project_id: int, user_id: int, leased_at: datetime):
    return conn.execute(_ROUND_OF_LEASE.where(
        calibrations.c.project_id == project_id, calibrations.c.user_id == user_id,
        calibrations.c.created_at <= leased_at,
        (calibrations.c.finished_at.is_(None)) | (calibrations.c.finished_at > leased_at),
    )).first()


def after_answer(conn: Connection, project: Project, user_id: int, task_id: int,
                 leased_at: datetime, now: datetime) -> Feedback | None:
    """Feedback for a submitted gold assignment that belongs to a calibration round.

    None for a gold task met in production work: those answers show nothing. The round is
    scored here when this answer completes it.
    """
    found = _round_of_lease(conn, project.id, user_id, leased_at)
    if found is None:
        return None
    rule = rules_of(project).calibration
    answers = _answers(conn, project.id, user_id, found.created_at)
    answered = len(answers)
    of = rule.tasks if rule else answered
    status, score = found.status, found.score
    if status == "pending" and rule is not None and answered >= rule.tasks:
        passed, score = _close(conn, found.id, rule, answers, now)  # not read a second time
        status = "passed" if passed else "failed"
    answer = conn.execute(select(tasks.c.gold_answer).where(tasks.c.id == task_id)).scalar_one()
    answer = answer or {}
    return Feedback(
        reference=answer.get("ranking") or [], explanation=str(answer.get("explanation") or ""),
        answered=min(answered, of), of=of, status=status, score=score,
        pass_threshold=rule.pass_threshold if rule else 0.0,
    )


def round_position_of(conn: Connection, project: Project, user_id: int, assignment_id: int
                ) -> RoundPosition | None:
    """The round position of a held lease on a calibration task, None for any other lease."""
    rule = rules_of(project).calibration
    if rule is None:
        return None  # no rounds in this project: nothing to read
    row = conn.execute(
        select(assignments.c.leased_at, tasks.c.is_gold)
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .where(assignments.c.id == assignment_id)
    ).one()
    if not row.is_gold:
        return None
    found = _round_of_lease(conn, project.id, user_id, row.leased_at)
    if found is None or found.status != "pending":
        return None
    answered = len(_answers(conn, project.id, user_id, found.created_at))
    return RoundPosition(min(answered + 1, rule.tasks), rule.tasks)


def _managed(conn: Connection, manager: User, project_name: str) -> Project:
    project, roles = project_for_member(conn, project_name, manager)
    if not access.can_manage(manager, roles):
        raise Forbidden(f'calibration rounds of "{project.name}" are for its managers')
    return project


def restart(conn: Connection, manager: User, project_name: str, user_name: str,
            now: datetime) -> Round:
    """Start a new round for an annotator (after a failed one, or to check them again)."""
    project = _managed(conn, manager, project_name)
    return start_for(conn, project, user_name, now)


def start_for(conn: Connection, project: Project, user_name: str, now: datetime) -> Round:
    """A new pending round for ``user_name`` in ``project`` (no access check: CLI, tests)."""
    if rules_of(project).calibration is None:
        raise InvalidInput(
            f'project "{project.name}" has no calibration rule; set settings.calibration first'
        )
    try:
        target = get_user(conn, user_name)
    except NotFound:
        raise NotFound(f'user "{user_name}" does not exist') from None
    if "annotator" not in roles_of(conn, project.id, target.id):
        raise InvalidInput(f'user "{user_name}" is not an annotator of "{project.name}"')
    round_id = start_round(conn, project, target.id, now)
    return next(r for r in rounds_in(conn, project) if r.id == round_id)


def rounds(conn: Connection, manager: User, project_name: str) -> list[Round]:
    """Every round in the project, newest first."""
    return rounds_in(conn, _managed(conn, manager, project_name))


def rounds_in(conn: Connection, project: Project) -> list[Round]:
    rows = conn.execute(
        select(calibrations, users_table.c.name, guideline_versions.c.version)
        .join(users_table, users_table.c.id == calibrations.c.user_id)
        .outerjoin(guideline_versions,
                   guideline_versions.c.id == calibrations.c.guideline_version_id)
        .where(calibrations.c.project_id == project.id)
        .order_by(calibrations.c.id.desc())
    ).all()
    return [Round(r.id, r.name, r.status, r.score, r.version, r.created_at, r.finished_at)
            for r in rows]


@dataclass(frozen=True)
class AnswerReview:
    """One calibration answer beside the reference, in the order the annotator saw."""

    project: Project
    task: TaskView
    ranking: list[list[str]]
    feedback: Feedback


def review_answer(conn: Connection, user: User, project_name: str, assignment_id: int,
                  now: datetime) -> AnswerReview:
    """The caller's own submitted calibration answer with its feedback.

    Anything else (someone else's assignment, a production task, gold met in production
    work, an answer not yet submitted) does not exist here: production gold shows nothing.
    """
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_annotate(user, roles):
        raise Forbidden(f'you are not an annotator of "{project.name}"')
    row = conn.execute(
        select(assignments.c.task_id, assignments.c.leased_at, assignments.c.display_order,
               tasks.c.is_gold, annotations.c.ranking)
        .join(tasks, tasks.c.id == assignments.c.task_id)
        .join(annotations, annotations.c.assignment_id == assignments.c.id)
        .where(assignments.c.id == assignment_id, assignments.c.annotator_id == user.id,
               assignments.c.project_id == project.id, assignments.c.status == "submitted")
    ).first()
    feedback = None
    if row is not None and row.is_gold:
        feedback = after_answer(conn, project, user.id, row.task_id, row.leased_at, now)
    if row is None or feedback is None:
        raise NotFound(f"calibration answer {assignment_id} does not exist")
    version = project.guideline[1] if project.guideline else None
    view = load_view(conn, row.task_id, list(row.display_order), version)
    return AnswerReview(project, view, row.ranking or [], feedback)
