"""A small project with prompt-mix targets and items at every stage, for the mix tests.

Project ``mixed`` (overlap 1), targets coding 0.5 and "Q&A" (key ``q-a``) 0.3:

- coding: comparisons c1 … c4; ``writer`` answers c1 and c2;
- Q&A: comparisons q1, q2 and the demonstration qd; ``writer`` answers q1 and writes qd;
- creative: one pool prompt with one generated response, no task.

So: imported coding 4, q-a 3, creative 1; generated creative 1; annotated (reached overlap)
coding 2, q-a 2; accepted coding 2 pairs, q-a 1 pair and 1 demonstration (``editor``
accepts qd in review).
"""

from __future__ import annotations

from sqlalchemy import Engine, insert

from accord.core.admin import projects as admin_projects
from accord.core.projects.project import Project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import prompts, responses
from accord.db.types import utcnow
from tests.demonstration_helpers import accept_every_demonstration
from tests.factories import add_comparison, make_project, make_user

TARGETS = {"coding": 0.5, "Q&A": 0.3}


def build_mixed(engine: Engine) -> Project:
    project = make_project(engine, "mixed", overlap=1)
    with engine.begin() as conn:
        for name in ("c1", "c2", "c3", "c4"):
            add_comparison(conn, project, name, category="coding",
                           priority=1 if name in ("c1", "c2") else 0)
        add_comparison(conn, project, "q1", category="q-a", priority=1)
        add_comparison(conn, project, "q2", category="q-a")
        add_comparison(conn, project, "qd", category="q-a", kind="demonstration", contents={},
                       priority=1)
        prompt_id = conn.execute(insert(prompts).values(
            project_id=project.id, external_id="pool-1", category="creative",
            messages=[{"role": "user", "content": "write a poem"}], domains=[], source="test",
            metadata={}, content_hash="pool-1", created_at=utcnow(),
        )).inserted_primary_key[0]
        conn.execute(insert(responses).values(
            prompt_id=prompt_id, external_id="g1", content="a poem", model="m", sampling={},
            origin="generated", created_at=utcnow()))
        project = admin_projects.change(conn, None, "mixed", {"mix": TARGETS}, utcnow())
    writer = make_user(engine, "writer", project=project, roles=("annotator",)).user
    for _ in range(4):
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, writer, utcnow())
            assert claim is not None and claim.task.id in ("c1", "c2", "q1", "qd")
            judgment = (Judgment(response="written") if claim.task.kind == "demonstration"
                        else Judgment(ranking=[["a"], ["b"]]))
            submissions.submit(conn, writer, claim.assignment_id, judgment, utcnow())
    editor = make_user(engine, "editor", project=project, roles=("reviewer",)).user
    accept_every_demonstration(engine, project, editor)
    return project
