"""Demonstrations for review tests: a writer claims a demonstration task and submits it
through the real annotation loop, which opens it as version 1 in review."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, insert, select, update

from accord.core.demonstrations import lifecycle
from accord.core.demonstrations.rubric import rules_of
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project_by_id
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import annotations, assignments, demonstrations, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_user


def writer(engine: Engine, project: Project, name: str) -> User:
    return make_user(engine, name, project=project, roles=("annotator",), password="pw").user


def reviewer(engine: Engine, project: Project, name: str) -> User:
    return make_user(engine, name, project=project, roles=("reviewer",), password="pw").user


def write(engine: Engine, project: Project, person: User, task_id: str, text: str, *,
          category: str = "qa", at: datetime | None = None, active_ms: int = 60_000) -> int:
    """Add a demonstration task, let ``person`` claim and answer it; the demonstration's id."""
    now = at or utcnow() - timedelta(minutes=30)
    with engine.begin() as conn:
        add_comparison(conn, project, task_id, contents={}, category=category,
                       kind="demonstration")
    with engine.begin() as conn:
        claim = claims.claim_next(conn, project, person, now)
        assert claim is not None and claim.task.id == task_id
        done = submissions.submit(conn, person, claim.assignment_id,
                                  Judgment(response=text, active_ms=active_ms), now)
        return conn.execute(select(demonstrations.c.id).where(
            demonstrations.c.annotation_id == done.annotation_id)).scalar_one()


def good_review(project: Project, score: int = 4) -> dict:
    """Scores on every dimension and every default check ticked: an acceptable review."""
    rules = rules_of(project)
    return {"scores": {d.name: score for d in rules.dimensions},
            "checks": dict.fromkeys(rules.checks, True)}


def stored_demonstration(engine: Engine, project: Project, person: User, task_id: str,
                         text: str, *, category: str = "qa") -> int:
    """A demonstration written by ``person`` without going through the claim engine (for
    worlds whose routing rules would hand out other work first): the assignment and the
    annotation rows as a submission leaves them, then the demonstration it opens."""
    now = utcnow()
    with engine.begin() as conn:
        task = add_comparison(conn, project, task_id, contents={}, category=category,
                              kind="demonstration")
        assignment = conn.execute(insert(assignments).values(
            task_id=task, annotator_id=person.id, project_id=project.id, status="submitted",
            display_order=[], leased_at=now, lease_expires_at=now, finished_at=now,
        )).inserted_primary_key[0]
        annotation = conn.execute(insert(annotations).values(
            assignment_id=assignment, task_id=task, annotator_id=person.id,
            project_id=project.id, kind="demonstration", flags=[], response_text=text,
            active_ms=60_000, created_at=now)).inserted_primary_key[0]
        conn.execute(update(tasks).where(tasks.c.id == task).values(taken=1, submitted=1))
        return lifecycle.open_from_submission(
            conn, get_project_by_id(conn, project.id), task_id=task, annotation_id=annotation,
            writer_id=person.id, text=text, turns=None, now=now)


def accept_every_demonstration(engine: Engine, project: Project, by: User,
                               score: int = 4) -> None:
    """``by`` accepts every demonstration of the project waiting for review, as written."""
    with engine.connect() as conn:
        waiting = conn.execute(select(demonstrations.c.id, demonstrations.c.version).where(
            demonstrations.c.project_id == project.id,
            demonstrations.c.status == "in_review").order_by(demonstrations.c.id)).all()
    review = good_review(project, score)
    for demo, version in waiting:
        with engine.begin() as conn:
            lifecycle.decide(conn, by, project.name, demo, version=version, decision="accept",
                             now=utcnow(), **review)
