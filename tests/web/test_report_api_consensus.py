"""Agreement with consensus compares a person with the other judgments of the same pairs.

The reproduction of issue 17, point 6: on a project with overlap 1 an AI judge judged 20
tasks as ties and settled those that no person had ranked; one person ranked 8 of them through
the API. The stored consensus of those 8 tasks is the person's own ranking, and nobody else
among the people judged them, so the report has nothing to compare the person with. It used
to say the person "agrees with consensus 0.875" (their lone votes read through a Dawid-Skene
model fitted to them alone). Every figure that compares judgments with each other now leaves
the AI judge out unless asked, and never counts a vote toward the consensus it is compared with.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from accord.core.judging import ai_judges, hybrid
from accord.core.projects.project import Project, get_project
from accord.core.report import build_report
from accord.core.report.dashboard import agreement_by_day
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from accord.wire.report import QualityReport
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer

JUDGE = "judge-ties"
TASKS, RANKED = 20, 8
B_FIRST = "item-3"
"""The one task of the eight on which the person put ``b`` first."""


def person_ranks(api, token: str, count: int) -> dict[str, list[list[str]]]:
    """The person claims and ranks ``count`` tasks over HTTP; returns each task's ranking."""
    ranked = {}
    for _ in range(count):
        claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token))
        assert claim.status_code == 200, claim.text
        body = claim.json()
        task = body["task"]["id"]
        ranking = [["b"], ["a"]] if task == B_FIRST else [["a"], ["b"]]
        answer = api.post(f"/api/v1/assignments/{body['assignment_id']}/submit",
                          json={"ranking": ranking, "active_ms": 30_000}, headers=bearer(token))
        assert answer.status_code == 200, answer.text
        ranked[task] = ranking
    return ranked


def judge_everything_as_ties(engine: Engine, project: Project) -> None:
    """The judge's verdicts, stored as ``accord judge`` stores them: both display orders said
    tie, so the tie is consistent and the judge is sure of it."""
    settings = {"backend": "openai", "model": "planted", "constitution": "test-v1"}
    with engine.begin() as conn:
        judge = ai_judges.ensure_judge(conn, project, JUDGE, settings)
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id, limit=10_000)
        for pair in pairs:
            verdict = ai_judges.AiVerdict(
                ranking=[["a", "b"]], display_order=["a", "b"], preference=0.5,
                rationale="Both answers are equally good.",
                details={"consistent": True, "confidence": 0.9})
            ai_judges.record_verdict(conn, project, judge, pair, verdict, utcnow())


@pytest.fixture
def settled_by_the_judge(api, engine) -> tuple[Project, dict[str, list[list[str]]]]:
    """The project of the issue: 12 tasks settled by the judge's ties, 8 ranked by one person;
    returns the project and the person's rankings."""
    project = make_project(engine, overlap=1, allow_ties=True)
    add_comparisons(engine, project, TASKS)
    token = make_user(engine, "pat", project=project, roles=("annotator",)).token
    make_user(engine, "lead", project=project, roles=("manager",))
    ranked = person_ranks(api, token, RANKED)
    judge_everything_as_ties(engine, project)
    with engine.begin() as conn:
        hybrid.configure(conn, project, hybrid.HybridRule(judge=JUDGE, min_confidence=0.8))
        routing = hybrid.route(conn, get_project(conn, project.name), utcnow())
    assert (routing.settled, routing.to_humans["human_disagrees"]) == (TASKS - RANKED, RANKED)
    return project, ranked


def stored_report(engine: Engine, project: Project) -> QualityReport:
    """The report as ``accord report`` makes it: the consensus is stored."""
    with engine.begin() as conn:
        return build_report(conn, project, utcnow())


def stored_consensus(engine: Engine) -> dict[str, tuple[str, list[list[str]]]]:
    with engine.connect() as conn:
        rows = conn.execute(select(tasks.c.external_id, task_consensus.c.method,
                                   task_consensus.c.ranking)
                            .join(task_consensus, task_consensus.c.task_id == tasks.c.id))
        return {name: (method, ranking) for name, method, ranking in rows}


def test_a_person_nobody_else_judged_with_is_not_said_to_disagree_with_consensus(
        engine, settled_by_the_judge):
    project, ranked = settled_by_the_judge

    report = stored_report(engine, project)

    # the premise: the stored consensus is the person's ranking on all eight tasks
    stored = stored_consensus(engine)
    assert {task: stored[task][1] for task in ranked} == ranked
    assert sum(method == "ai_judge" for method, _ in stored.values()) == TASKS - RANKED
    person = next(row for row in report.annotators if row.name == "pat")
    assert person.annotations == RANKED
    # no other person judged these pairs: nothing to agree or disagree with (it was 0.875)
    assert person.agreement_with_consensus is None
    assert person.consensus_pairs == 0
    # one vote per pair is its own majority: no task agreement to average either
    assert report.consensus.mean_task_agreement is None


def test_counting_the_judge_compares_the_person_with_the_judges_ties(api, engine,
                                                                     settled_by_the_judge):
    lead = make_user(engine, "lead-2", project=settled_by_the_judge[0],
                     roles=("manager",)).token

    answer = api.get("/api/v1/projects/prefs/report", params={"include_ai": "true"},
                     headers=bearer(lead))

    assert answer.status_code == 200, answer.text
    rows = {row["name"]: row for row in answer.json()["annotators"]}
    # each of the eight pairs: the person against the judge's tie, the judge against the
    # person; the judge's twelve lone ties are compared with no one
    assert rows["pat"]["agreement_with_consensus"] == rows[JUDGE]["agreement_with_consensus"] == 0
    assert rows["pat"]["consensus_pairs"] == rows[JUDGE]["consensus_pairs"] == RANKED


def test_the_judge_audit_compares_the_judge_with_the_person(engine, settled_by_the_judge):
    project, _ = settled_by_the_judge

    (audit,) = stored_report(engine, project).judges.audit or []

    assert (audit.judge, audit.pairs, audit.agreement) == (JUDGE, RANKED, 0.0)


def test_the_dashboard_and_the_digest_do_not_count_the_judge_as_one_more_person(
        api, engine, settled_by_the_judge):
    project, _ = settled_by_the_judge
    lead = make_user(engine, "lead-3", project=project, roles=("manager",)).token

    with engine.connect() as conn:
        by_day = agreement_by_day(conn, project)
    digest = api.get("/api/v1/projects/prefs/digest", headers=bearer(lead))

    # one person judged each task: no two people to compare on any day or any task
    assert by_day == []
    assert digest.status_code == 200, digest.text
    assert digest.json()["entries"] == []
