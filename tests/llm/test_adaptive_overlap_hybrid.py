"""Adaptive overlap beside hybrid routing: a task the AI judge settled is settled — people's
later judgments never reopen, grow or re-decide it — and the judge's own verdict never counts
as one of the people the rule weighs."""

from __future__ import annotations

from sqlalchemy import select

from accord.core.projects.project import get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.core.work import rules as work_rules
from accord.db.tables import QUEUE_FULL, task_settlements, tasks
from accord.db.types import utcnow
from tests.factories import make_user
from tests.llm.test_hybrid import annotate, planted, route, states

RULE = {"min": 2, "max": 3, "stop": "unanimous"}


def adaptive(engine, project):
    with engine.begin() as conn:
        return work_rules.update_rules(conn, project.name, changes={"overlap": RULE})


def row(engine, name):
    with engine.connect() as conn:
        return conn.execute(select(tasks.c.overlap, tasks.c.submitted, tasks.c.status,
                                   tasks.c.queue).where(tasks.c.external_id == name)).one()


def decided(engine) -> set[int]:
    with engine.connect() as conn:
        return set(conn.execute(select(task_settlements.c.task_id)).scalars())


def test_a_task_the_judge_settled_stays_settled_when_a_leased_judgment_arrives(
        engine, fake_openai):
    project = adaptive(engine, planted(engine, fake_openai))
    late = make_user(engine, "late", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        project = get_project(conn, project.name)
        leases = {}
        while (got := claims.claim_next(conn, project, late, utcnow())) is not None:
            leases[got.task.id] = got.assignment_id
    assert {"calm-1", "calm-2"} <= set(leases)

    route(engine, project, min_confidence=0.8)
    assert states(engine)["calm-1"][:3] == ("resolved", QUEUE_FULL, "ai_judge")
    with engine.begin() as conn:
        submissions.submit(conn, late, leases["calm-1"],
                           Judgment(ranking=[["b"], ["a"]], strength=1), utcnow())
    overlap, submitted, status, queue = row(engine, "calm-1")
    assert (overlap, status, queue) == (2, "resolved", QUEUE_FULL) and submitted == 1
    assert not decided(engine)


def test_people_fill_the_rest_under_the_rule_and_the_judge_is_not_one_of_them(
        engine, fake_openai):
    project = adaptive(engine, planted(engine, fake_openai))
    route(engine, project, min_confidence=0.8)
    crowd = [make_user(engine, f"p{i}", project=project, roles=("annotator",)).user
             for i in range(3)]
    done = set()
    for person in crowd[:2]:
        while (task := annotate(engine, project, person)) is not None:
            done.add(task)
    assert done == {"unsafe-1", "flagged-1", "split-1", "unsure-1"}
    assert "calm-1" not in done
    # Everyone agreed (b first), so two people settle each task though the judge judged it too
    # (and, on split-1, disagreed with itself).
    for name in done:
        assert row(engine, name)[:3] == (2, 2, "complete")
    assert len(decided(engine)) == 4
