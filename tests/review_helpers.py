"""A split decision for review tests: annotators judge one task, and it goes to adjudication.

The status move is the one the quality report makes (``report.store``) for a task whose
agreement falls below the project's threshold; it is set here directly so these tests do
not depend on the report's thresholds.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, insert, select, update

from accord.core.projects.project import Project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import memberships, task_consensus, tasks, users
from accord.db.types import utcnow
from tests.factories import add_comparison, make_user

SPLIT = {"ann1": [["a"], ["b"]], "ann2": [["b"], ["a"]], "ann3": [["a"], ["b"]]}


def annotate(engine: Engine, project: Project, rankings: dict[str, list[list[str]]],
             flags: dict[str, list[str]] | None = None, rationale: str | None = None) -> None:
    """Each named annotator (created if new) claims their next task and submits a ranking."""
    start = utcnow() - timedelta(minutes=30)
    for step, (name, ranking) in enumerate(rankings.items()):
        person = make_user(engine, name, project=project, roles=("annotator",),
                           password="pw").user
        with engine.begin() as conn:
            now = start + timedelta(minutes=step)
            claim = claims.claim_next(conn, project, person, now)
            assert claim is not None
            ratings = {rid: {d.name: 3 + (rid == ranking[0][0]) for d in project.dimensions}
                       for group in ranking for rid in group}
            judgment = Judgment(ranking=ranking, strength=2, ratings=ratings,
                                rationale=rationale or f"{name} thinks {ranking[0][0]} is better",
                                flags=(flags or {}).get(name, []), active_ms=20_000)
            submissions.submit(conn, person, claim.assignment_id, judgment, now)


def split_task(engine: Engine, project: Project, task_id: str = "split-1",
               rankings: dict[str, list[list[str]]] = SPLIT,
               contents: dict[str, str] | None = None, rationale: str | None = None) -> int:
    """One task, judged by ``rankings``' annotators, waiting for adjudication; its db id."""
    with engine.begin() as conn:
        db_id = add_comparison(conn, project, task_id, contents=contents or
                               {"a": "answer **alpha**", "b": "answer bravo"})
    annotate(engine, project, rankings, rationale=rationale)
    with engine.begin() as conn:
        assert conn.execute(select(tasks.c.status).where(tasks.c.id == db_id)).scalar_one() \
            == "complete"
        conn.execute(update(tasks).where(tasks.c.id == db_id)
                     .values(status="needs_adjudication"))
        conn.execute(insert(task_consensus).values(
            task_id=db_id, method="majority", ranking=[["a"], ["b"]], agreement=0.33,
            margin=0.33, confidence=None, computed_at=utcnow()))
    return db_id


def add_role(engine: Engine, project: Project, name: str, role: str) -> None:
    """Give an existing user one more role in ``project`` (an annotator who also reviews)."""
    with engine.begin() as conn:
        user_id = conn.execute(select(users.c.id).where(users.c.name == name)).scalar_one()
        conn.execute(insert(memberships).values(project_id=project.id, user_id=user_id,
                                                role=role, created_at=utcnow()))
