"""What the annotator's workbench page shows: the task in hand, or the next one.

The page leases through the same engine as ``GET …/tasks/next`` (``claims.claim_next``), but
first resumes a lease the annotator still holds in the project: reloading the page, or
coming back after a short interruption, must not take a second task and leave the first
one's slot blocked until its lease runs out.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, select

from accord.core.errors import Forbidden
from accord.core.guidelines.current import Guideline, current_guideline
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.core.tasks.view import load_view
from accord.core.work import calibration, claims, prelabel
from accord.core.work.claims import Claim, Wait
from accord.core.work.rules import rules_of
from accord.db.tables import assignments, prompts, tasks

DEFAULT_BREAK_AFTER_MINUTES = 50.0
"""Continuous work after which the page suggests a break, unless the project sets
``settings["break_after_minutes"]``."""


@dataclass(frozen=True)
class Workbench:
    """The project, its guideline in force, and the caller's task (None: nothing waits)."""

    project: Project
    guideline: Guideline | None
    claim: Claim | None
    seed: dict = field(default_factory=dict)
    """A red-team task's seed from its import line: ``topic`` and maybe ``model_response``."""
    wait: Wait | None = None
    """Why no task was given, when a project rule holds work back (a break, calibration)."""


def break_after_minutes(project: Project) -> float:
    """How long a stretch of continuous work runs before the page asks for a break.

    A project with a break rule (``settings.breaks``) reminds at its ``work_minutes``, the
    point where the claim starts refusing work.
    """
    rule = rules_of(project).breaks
    if rule is not None:
        return rule.work_minutes
    configured = project.settings.get("break_after_minutes")
    if isinstance(configured, int | float) and not isinstance(configured, bool) and configured > 0:
        return float(configured)
    return DEFAULT_BREAK_AFTER_MINUTES


def _held_lease(conn: Connection, project: Project, user: User, now: datetime) -> Claim | None:
    row = conn.execute(
        select(assignments.c.id, assignments.c.task_id, assignments.c.display_order,
               assignments.c.lease_expires_at)
        .where(
            assignments.c.annotator_id == user.id,
            assignments.c.project_id == project.id,
            assignments.c.status == "active",
            assignments.c.lease_expires_at > now,
        )
        .order_by(assignments.c.leased_at.desc(), assignments.c.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    version = project.guideline[1] if project.guideline else None
    view = load_view(conn, row.task_id, list(row.display_order), version, project)
    if prelabel.rule_of(project) is not None:
        view = replace(view, suggestion=prelabel.shown_suggestion(conn, row.id))
    return Claim(row.id, row.lease_expires_at, view,
                 calibration.round_position_of(conn, project, user.id, row.id))


def _seed(conn: Connection, assignment_id: int) -> dict:
    metadata = conn.execute(
        select(prompts.c.metadata)
        .select_from(assignments.join(tasks, tasks.c.id == assignments.c.task_id)
                     .join(prompts, prompts.c.id == tasks.c.prompt_id))
        .where(assignments.c.id == assignment_id)
    ).scalar_one()
    seed = (metadata or {}).get("red_team")
    return dict(seed) if isinstance(seed, dict) else {}


def open_task(conn: Connection, user: User, project_name: str, now: datetime,
              rng: random.Random | None = None) -> Workbench:
    """The caller's task in hand in ``project_name``, else a newly leased one, else none
    (with the reason when a project rule holds work back)."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_annotate(user, roles):
        raise Forbidden(f'you are not an annotator of "{project.name}"')
    got = _held_lease(conn, project, user, now) or claims.claim_or_wait(
        conn, project, user, now, rng)
    wait = got if isinstance(got, Wait) else None
    claim = got if isinstance(got, Claim) else None
    seed = _seed(conn, claim.assignment_id) if claim and claim.task.kind == "red_team" else {}
    return Workbench(project, current_guideline(conn, project), claim, seed, wait)
