"""``GET /api/v1/projects/{project}/judges/{judge}/audit``: for reviewers and managers."""

from __future__ import annotations

from accord.core.judging import ai_judges
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer

JUDGE = "judge-api"


def _annotate_everything(api, token: str) -> None:
    while (claim := api.get("/api/v1/projects/prefs/tasks/next",
                            headers=bearer(token))).status_code == 200:
        body = claim.json()
        ranking = [["a"], ["b"]] if body["task"]["id"] != "item-0" else [["b"], ["a"]]
        answer = api.post(f"/api/v1/assignments/{body['assignment_id']}/submit",
                          json={"ranking": ranking, "active_ms": 1000}, headers=bearer(token))
        assert answer.status_code == 200, answer.text


def _judge_everything(engine, project) -> None:
    """The judge prefers a on every task: it agrees with the person except on item-0."""
    with engine.begin() as conn:
        judge = ai_judges.ensure_judge(conn, project, JUDGE, {"model": "m"})
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id)
        for pair in pairs:
            ai_judges.record_verdict(conn, project, judge, pair, ai_judges.AiVerdict(
                [["a"], ["b"]], ["b", "a"], 0.8, "a is better",
                {"consistent": True, "confidence": 0.8}), utcnow())


def _project_with_people(engine, tasks: int):
    """A project of ``tasks`` pairs with an annotator (ann) and a manager (lead); returns
    the project and their tokens."""
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, tasks)
    person = make_user(engine, "ann", project=project, roles=("annotator",)).token
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    return project, person, lead


def test_a_manager_reads_the_judge_audit(api, engine):
    project, person, lead = _project_with_people(engine, 4)
    _annotate_everything(api, person)
    _judge_everything(engine, project)

    answer = api.get(f"/api/v1/projects/prefs/judges/{JUDGE}/audit", headers=bearer(lead))

    assert answer.status_code == 200, answer.text
    audit = answer.json()
    assert (audit["judge"], audit["pairs"], audit["agreement"]) == (JUDGE, 4, 0.75)
    assert audit["swap_consistency"] == 1.0 and audit["judgments"] == 4


def test_annotators_and_unknown_judges_get_no_audit(api, engine):
    project, person, lead = _project_with_people(engine, 2)
    _judge_everything(engine, project)

    mine = api.get(f"/api/v1/projects/prefs/judges/{JUDGE}/audit", headers=bearer(person))
    human = api.get("/api/v1/projects/prefs/judges/ann/audit", headers=bearer(lead))
    nobody = api.get("/api/v1/projects/prefs/judges/nobody/audit", headers=bearer(lead))

    assert mine.status_code == 403
    assert human.status_code == nobody.status_code == 404
    assert human.json()["error"]["message"] == 'project "prefs" has no AI judge "ann"'
