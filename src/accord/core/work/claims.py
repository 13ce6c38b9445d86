"""Handing out work: leases on tasks, claimed atomically, expiring back into the pool.

A claim is one transaction that takes the write lock before it reads (``BEGIN IMMEDIATE`` on
SQLite; ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), then moves the task's ``taken`` counter,
which a CHECK keeps within the task's overlap, and inserts the assignment, which a unique
key keeps to one per (task, annotator). There is no read-then-write window to race through.

This is the hottest path in Accord, so its SQL runs on the driver connection (``db.raw``).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from accord.core.errors import Forbidden
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project
from accord.core.tasks.demonstration_setup import demonstration_view
from accord.core.tasks.queue import queue_after
from accord.core.tasks.view import TaskView, shown_in_order, stored_responses
from accord.core.work import breaks_and_rotation as fatigue_rules
from accord.core.work import calibration, exposure, prelabel
from accord.core.work import rules as work_rules
from accord.core.work.calibration import RoundPosition
from accord.core.work.loop_project import project_for_member
from accord.core.work.underfilled import note_claim, underfilled_categories
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import QUEUE_FRESH, QUEUE_FULL

EXPIRY_BATCH = 1000
_chance = random.Random()
"""Display orders and gold draws; callers (tests) may pass a seeded ``random.Random``."""


@dataclass(frozen=True)
class Claim:
    assignment_id: int
    lease_expires_at: datetime
    task: TaskView
    calibration: RoundPosition | None = None
    """Set on a calibration round's task (never on gold met in production work)."""


_EXPIRED = Statement(
    "SELECT id FROM assignments WHERE status = 'active' AND lease_expires_at < :now "
    f"AND project_id = :project_id LIMIT {EXPIRY_BATCH}"
)
# RETURNING only the rows this statement changed: a concurrent sweep cannot release twice.
_MARK_EXPIRED = Statement(
    "UPDATE assignments SET status = 'expired', finished_at = :now "
    "WHERE id = :id AND status = 'active' RETURNING task_id"
)
_RELEASE = Statement(
    f"UPDATE tasks SET taken = taken - :released, queue = {queue_after('taken - :released')} "
    "WHERE id = :task_id AND NOT is_gold"
)
_TAKE = Statement(
    f"UPDATE tasks SET taken = taken + 1, queue = {queue_after('taken + 1')} WHERE id = :task_id"
)
_ELIGIBLE = """
  AND NOT EXISTS (
    SELECT 1 FROM assignments a WHERE a.task_id = t.id AND a.annotator_id = :user_id)
  AND (NOT t.requires_expertise OR NOT EXISTS (
    SELECT 1 FROM task_expertise te WHERE te.task_id = t.id AND te.tag NOT IN (
      SELECT ue.tag FROM user_expertise ue WHERE ue.user_id = :user_id)))"""
# Gold tasks never fill up (everyone may answer each once), so they sit outside the claim
# queue: production work excludes them and gold is found through its own index.
_PRODUCTION_SQL = f"""
SELECT t.id, t.external_id, t.kind, p.messages, p.category, t.is_gold, t.queue,
  COALESCE(p.category_label, p.category)
FROM tasks t JOIN prompts p ON p.id = t.prompt_id
WHERE t.project_id = :project_id AND t.queue < {QUEUE_FULL} AND NOT t.is_gold{_ELIGIBLE}"""
_PRODUCTION_ORDER = " ORDER BY t.queue, t.priority DESC, t.id LIMIT 1"
_GOLD_SQL = f"""
SELECT t.id, t.external_id, t.kind, p.messages, p.category, t.is_gold, t.queue,
  COALESCE(p.category_label, p.category)
FROM tasks t JOIN prompts p ON p.id = t.prompt_id
WHERE t.project_id = :project_id AND t.is_gold = TRUE AND t.status = 'open'{_ELIGIBLE}"""
_GOLD_ORDER = " ORDER BY t.priority DESC, t.id LIMIT 1"
_OTHER_CATEGORY = " AND p.category <> :avoid_category"
# Started tasks stay first (the order still begins with the queue); among fresh ones, only
# the preferred category's.
_PREFERRED_CATEGORY = f" AND (t.queue < {QUEUE_FRESH} OR p.category = :prefer_category)"
_STATEMENTS: dict[tuple[str, bool, bool, bool, bool], Statement] = {}


def _candidate_statement(dialect: str, gold: bool, sheltered: bool, rotate: bool,
                         prefer: bool = False) -> Statement:
    """The claim's SELECT for one combination of rules, built once per process."""
    key = (dialect, gold, sheltered, rotate, prefer)
    found = _STATEMENTS.get(key)
    if found is None:
        sql = _GOLD_SQL if gold else _PRODUCTION_SQL
        if sheltered:
            sql += f" AND {exposure.NOT_SENSITIVE}"
        if rotate:
            sql += _OTHER_CATEGORY
        if prefer:
            sql += _PREFERRED_CATEGORY
        sql += _GOLD_ORDER if gold else _PRODUCTION_ORDER
        if dialect == "postgresql" and not gold:
            sql += " FOR UPDATE OF t SKIP LOCKED"
        found = _STATEMENTS[key] = Statement(sql)
    return found


_LEAVE_QUEUE = Statement(f"UPDATE tasks SET queue = {QUEUE_FULL} WHERE id = :task_id")
_INSERT_ASSIGNMENT = Statement(
    "INSERT INTO assignments (task_id, annotator_id, project_id, status, display_order, "
    "leased_at, lease_expires_at) VALUES (:task_id, :annotator_id, :project_id, 'active', "
    ":display_order, :leased_at, :lease_expires_at) RETURNING id"
)


def expire_leases(conn: Connection, project_id: int, now: datetime) -> int:
    """Mark leases past their expiry as expired and give their slots back. Returns how many."""
    at = raw.time_param(conn, now)
    ids = [r[0] for r in raw.execute(conn, _EXPIRED, {"now": at, "project_id": project_id})]
    released: Counter[int] = Counter()
    for assignment_id in ids:
        row = raw.execute(conn, _MARK_EXPIRED, {"id": assignment_id, "now": at}).fetchone()
        if row is not None:
            released[row[0]] += 1
    for task_id, count in released.items():
        raw.execute(conn, _RELEASE, {"task_id": task_id, "released": count})
    return sum(released.values())


@dataclass(frozen=True)
class Wait:
    """No task for now, and why: ``reason`` is a stable code, ``message`` says it to a person.

    ``calibration_failed`` and ``calibration_unavailable`` last until a manager acts;
    ``break`` lasts until ``until``.
    """

    reason: str
    message: str
    until: datetime | None = None


def _break_message(until: datetime, rule) -> str:
    return (f"Take a break until {until:%H:%M} UTC: you have worked {rule.work_minutes:g} "
            f"minutes without a {rule.break_minutes:g}-minute pause.")


def _failed_message(score: float | None, threshold: float) -> str:
    scored = f"{score:.0%} of the reference pairs" if score is not None else "no answer"
    return (f"You did not pass the calibration round ({scored}; {threshold:.0%} needed). "
            "A manager of this project can start a new round for you.")


UNAVAILABLE_MESSAGE = ("Your calibration round needs gold tasks and none is left for you in "
                       "this project; a manager must add some before you can start.")


def claim_or_wait(
    conn: Connection, project: Project, user: User, now: datetime,
    rng: random.Random | None = None,
) -> Claim | Wait | None:
    """Lease the caller's next task in ``project``; a Wait when a rule holds work back;
    None when nothing is left for them.

    The caller must already be allowed to annotate in the project (see ``core.people.access``).
    Rules that are off cost nothing; each rule that is on reads one small thing.
    """
    rng = rng or _chance
    expire_leases(conn, project.id, now)
    if project.archived_at is not None:
        return None  # an archived project keeps its data but hands out no more work
    rules = work_rules.rules_of(project)
    gate = calibration.CALIBRATED
    if rules.calibration is not None:
        gate = calibration.gate(conn, project, user.id, rules.calibration, now)
        if gate.blocked:
            return Wait(gate.blocked,
                        _failed_message(gate.score, rules.calibration.pass_threshold))
    if rules.breaks is not None:
        until = fatigue_rules.break_until(conn, project.id, project.lease_seconds, user.id,
                                          rules.breaks, now)
        if until is not None:
            return Wait("break", _break_message(until, rules.breaks), until)
    sheltered = rules.exposure is not None and exposure.exposed_today(
        conn, project.id, user.id, now) >= rules.exposure.per_day
    params = {"project_id": project.id, "user_id": user.id}
    if gate.round_id is not None:
        return _calibration_claim(conn, project, user, now, rng, rules, gate, params, sheltered)
    task = None
    if rules.rotation is not None:
        avoid = fatigue_rules.streak_category(conn, project.id, user.id, rules.rotation.after)
        if avoid is not None:
            task = _select(conn, {**params, "avoid_category": avoid}, gold=False,
                           sheltered=sheltered, rotate=True)
    if task is None and rules.favour_underfilled is not None:
        task = _underfilled_first(conn, project, params, sheltered, now)
    task = task or _select(conn, params, gold=False, sheltered=sheltered)
    if task is None:
        return None  # gold is mixed into production work, never handed out alone
    if project.gold_rate > 0 and rng.random() < project.gold_rate:
        task = _select(conn, params, gold=True, sheltered=sheltered) or task
    if rules.favour_underfilled is not None and not task[5]:  # gold holds no slot
        note_claim(conn, project, task[4])
    return _lease(conn, project, user, task, now, rng)


def next_task(
    conn: Connection, user: User, project_name: str, now: datetime,
    rng: random.Random | None = None,
) -> Claim | Wait | None:
    """The caller's next task in the project, as the API and the pages ask for it.

    The membership check runs in the claim's transaction, so both see the same state. A
    Wait when a project rule holds work back (failed calibration, a break); None when
    nothing is left for the caller.
    """
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_annotate(user, roles):
        raise Forbidden(f'you are not an annotator of "{project.name}"')
    return claim_or_wait(conn, project, user, now, rng)


def claim_next(
    conn: Connection, project: Project, user: User, now: datetime,
    rng: random.Random | None = None,
) -> Claim | None:
    """Lease the caller's next task, or None when nothing (or nothing now) is left for them."""
    got = claim_or_wait(conn, project, user, now, rng)
    return got if isinstance(got, Claim) else None


def _calibration_claim(conn, project, user, now, rng, rules, gate, params, sheltered):
    rule = rules.calibration
    task = _select(conn, params, gold=True, sheltered=sheltered)
    if task is not None:
        position = RoundPosition(min(gate.answered + 1, rule.tasks), rule.tasks)
        return _lease(conn, project, user, task, now, rng, position)
    if gate.answered == 0:
        return Wait(calibration.UNAVAILABLE, UNAVAILABLE_MESSAGE)
    # Fewer gold tasks than the round asks for: it is scored on the answers it has.
    passed, score = calibration.finish(conn, gate.round_id, user.id, project.id, rule,
                                       gate.since, now)
    if not passed:
        return Wait(calibration.FAILED, _failed_message(score, rule.pass_threshold))
    return claim_or_wait(conn, project, user, now, rng)


def _select(conn: Connection, params: dict, *, gold: bool, sheltered: bool,
            rotate: bool = False, prefer: bool = False):
    statement = _candidate_statement(conn.dialect.name, gold, sheltered, rotate, prefer)
    return raw.execute(conn, statement, params).fetchone()


def _underfilled_first(conn: Connection, project: Project, params: dict, sheltered: bool,
                       now: datetime):
    """A started task if there is one, else a fresh task of the category furthest below its
    mix target that has one for the caller; None leaves the choice to the usual order. Each
    try is the claim's own locking SELECT, so the claim stays one atomic step."""
    for category in underfilled_categories(conn, project, now):
        task = _select(conn, {**params, "prefer_category": category}, gold=False,
                       sheltered=sheltered, prefer=True)
        if task is not None:
            return task
    return None


def _lease(conn: Connection, project: Project, user: User, task, now: datetime,
           rng: random.Random, position: RoundPosition | None = None) -> Claim:
    task_id, external_id, kind, messages, category, is_gold, queue, label = task
    if not is_gold:
        raw.execute(conn, _TAKE, {"task_id": task_id})
    elif queue != QUEUE_FULL:
        raw.execute(conn, _LEAVE_QUEUE, {"task_id": task_id})
    shown = stored_responses(conn, task_id)
    order = [response.external_id for response in shown]
    rng.shuffle(order)
    expires = now + timedelta(seconds=project.lease_seconds)
    assignment_id = raw.execute(
        conn,
        _INSERT_ASSIGNMENT,
        {
            "task_id": task_id,
            "annotator_id": user.id,
            "project_id": project.id,
            "display_order": raw.json_param(order),
            "leased_at": raw.time_param(conn, now),
            "lease_expires_at": raw.time_param(conn, expires),
        },
    ).fetchone()[0]
    view = TaskView(
        id=external_id,
        kind=kind,
        messages=raw.read_json(messages),
        responses=shown_in_order(shown, order),
        category=category,
        guideline_version=project.guideline[1] if project.guideline else None,
        category_label=label,
        demonstration=(demonstration_view(conn, project, task_id)
                       if kind == "demonstration" else None),
        suggestion=_suggestion(conn, project, user, assignment_id, task, position),
    )
    return Claim(assignment_id, expires, view, position)


def _suggestion(conn: Connection, project: Project, user: User, assignment_id: int, task,
                position: RoundPosition | None) -> prelabel.Suggestion | None:
    """Pre-labelling's draw for a production comparison (gold measures the person alone)."""
    rule = prelabel.rule_of(project)
    task_id, external_id, kind, _, _, is_gold, _, _ = task
    if rule is None or kind != "comparison" or is_gold or position is not None:
        return None
    return prelabel.on_claim(conn, project, rule, assignment_id, task_id, external_id,
                             user.id)
