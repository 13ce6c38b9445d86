"""Calibration rounds over the HTTP API: gold tasks first, feedback after each answer, then
production work for those who pass and none for those who fail, until a manager starts a
new round; a guideline version that requires recalibration sends everyone back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import InvalidInput
from accord.core.projects.project import get_project
from accord.core.work.rules import update_rules
from accord.db.tables import assignments, calibrations
from tests.factories import import_lines, make_project, make_user, publish_guideline
from tests.web.conftest import bearer, log_in
from tests.web.routing_helpers import claim, item, submit

REFERENCE = [["a"], ["b"]]
WRONG = [["b"], ["a"]]
WHY = "Response **a** answers the question; b only restates it."


def calibrated_project(engine, *, tasks=2, threshold=0.8, gold=4, production=3):
    """Gold items first in the file (``g-``-free ids: an id must not give gold away)."""
    project = make_project(engine)
    lines = [item(f"c-{i}", gold=REFERENCE, explanation=WHY, priority=1) for i in range(gold)]
    lines += [item(f"p-{i}") for i in range(production)]
    import_lines(engine, project, *lines)
    with engine.begin() as conn:
        update_rules(conn, project.name,
                     changes={"calibration": {"tasks": tasks, "pass_threshold": threshold}})
    return project


def answer_round(api, token, ranking, tasks=2, of=None):
    """Claim and answer ``tasks`` calibration tasks of a round of ``of`` (default: all of
    them); returns each submission's feedback."""
    feedback = []
    for position in range(1, tasks + 1):
        got = claim(api, token)
        assert got.status_code == 200, got.text
        assert got.headers["Accord-Calibration"] == f"{position}/{of or tasks}"
        stored = submit(api, token, got.json()["assignment_id"], ranking)
        assert stored.status_code == 200, stored.text
        feedback.append(stored.json()["calibration"])
    return feedback


def annotator(engine, project, name="ann"):
    return make_user(engine, name, project=project, roles=("annotator",), password="pw").token


def test_an_annotator_who_passes_sees_the_reference_after_each_answer_then_works(api, engine):
    project = calibrated_project(engine)
    token = annotator(engine, project)

    first, second = answer_round(api, token, REFERENCE)

    assert first == {"reference": REFERENCE, "explanation": WHY, "answered": 1, "of": 2,
                     "status": "pending", "score": None, "pass_threshold": 0.8}
    assert second["answered"] == 2 and second["status"] == "passed" and second["score"] == 1.0
    work = claim(api, token)
    assert work.status_code == 200
    assert "Accord-Calibration" not in work.headers
    assert work.json()["task"]["id"].startswith("p-")
    production = submit(api, token, work.json()["assignment_id"], REFERENCE)
    assert production.json()["calibration"] is None


def test_an_annotator_who_fails_gets_no_production_task_until_a_new_round(api, engine):
    project = calibrated_project(engine)
    token = annotator(engine, project)
    manager = make_user(engine, "lead", project=project, roles=("manager",)).token

    *_, last = answer_round(api, token, WRONG)

    assert last["status"] == "failed" and last["score"] == 0.0
    for _ in range(2):  # asking again changes nothing
        refused = claim(api, token)
        assert refused.status_code == 204 and refused.content == b""
        assert refused.headers["Accord-Wait"] == "calibration_failed"
        assert "did not pass" in refused.headers["Accord-Wait-Message"]
    assert annotator_may_not_restart(api, token)

    started = api.post("/api/v1/projects/prefs/calibrations", json={"user": "ann"},
                       headers=bearer(manager))
    assert started.status_code == 201, started.text
    assert started.json()["status"] == "pending" and started.json()["user"] == "ann"
    answer_round(api, token, REFERENCE)  # two gold tasks they have not seen yet
    assert claim(api, token).json()["task"]["id"].startswith("p-")
    rounds = api.get("/api/v1/projects/prefs/calibrations", headers=bearer(manager)).json()
    assert [(r["user"], r["status"], r["score"]) for r in rounds] == [
        ("ann", "passed", 1.0), ("ann", "failed", 0.0)]


def annotator_may_not_restart(api, token) -> bool:
    answer = api.post("/api/v1/projects/prefs/calibrations", json={"user": "ann"},
                      headers=bearer(token))
    return answer.status_code == 403


def test_the_score_is_the_share_of_reference_pairs_ranked_alike(api, engine):
    project = calibrated_project(engine, tasks=4, threshold=0.75)
    token = annotator(engine, project)

    feedback = [*answer_round(api, token, REFERENCE, tasks=3, of=4)]
    got = claim(api, token)
    feedback.append(submit(api, token, got.json()["assignment_id"], WRONG).json()["calibration"])

    assert feedback[-1]["status"] == "passed" and feedback[-1]["score"] == 0.75
    assert claim(api, token).json()["task"]["id"].startswith("p-")


def test_a_version_that_requires_recalibration_sends_annotators_back(api, engine):
    project = calibrated_project(engine, gold=4)
    publish_guideline(engine, project, "Rank best first.")
    token = annotator(engine, project)
    answer_round(api, token, REFERENCE)
    assert claim(api, token).json()["task"]["id"].startswith("p-")

    publish_guideline(engine, project, "Typos matter now.", change_note="typos")
    assert claim(api, token).json()["task"]["id"].startswith("p-")  # no recalibration asked

    publish_guideline(engine, project, "Safety first.", requires_recalibration=True)
    again = claim(api, token)
    assert again.headers["Accord-Calibration"] == "1/2"
    assert again.json()["task"]["id"].startswith("c-")
    assert again.json()["task"]["guideline_version"] == 3
    submit(api, token, again.json()["assignment_id"], REFERENCE)
    answer_round_rest = claim(api, token)
    assert answer_round_rest.headers["Accord-Calibration"] == "2/2"
    done = submit(api, token, answer_round_rest.json()["assignment_id"], REFERENCE).json()
    assert done["calibration"]["status"] == "passed"
    assert claim(api, token).json()["task"]["id"].startswith("p-")
    with engine.connect() as conn:
        assert conn.execute(select(calibrations.c.status).order_by(calibrations.c.id)
                            ).scalars().all() == ["passed", "passed"]


def test_too_few_gold_tasks_score_the_round_on_what_was_answered(api, engine):
    project = calibrated_project(engine, tasks=5, gold=2)
    token = annotator(engine, project)

    answer_round(api, token, REFERENCE, tasks=2, of=5)

    assert claim(api, token).json()["task"]["id"].startswith("p-")


def test_no_gold_at_all_is_said_plainly(api, engine):
    project = calibrated_project(engine, gold=0)
    token = annotator(engine, project)
    refused = claim(api, token)
    assert refused.status_code == 204
    assert refused.headers["Accord-Wait"] == "calibration_unavailable"


def test_the_workbench_shows_the_round_and_the_reference_after_each_answer(api, engine):
    project = calibrated_project(engine)
    annotator(engine, project)
    log_in(api, "ann", "pw")

    page = api.get("/projects/prefs/annotate")
    assert "Calibration round: task" in page.text and "calibration-position\">1<" in page.text
    with engine.connect() as conn:
        assignment_id = conn.execute(select(assignments.c.id)).scalar_one()
    stored = api.post(f"/api/v1/assignments/{assignment_id}/submit",
                      json={"ranking": WRONG, "strength": 1, "active_ms": 900})
    assert stored.json()["calibration"]["reference"] == REFERENCE

    feedback = api.get(f"/projects/prefs/calibration/{assignment_id}")
    assert feedback.status_code == 200
    assert "Reference ranking" in feedback.text
    assert "answers the question" in feedback.text and "<strong>a</strong>" in feedback.text
    assert "Answer 1 of 2" in feedback.text
    assert "calibration-position\">2<" in api.get("/projects/prefs/annotate").text


def test_gold_met_in_production_work_has_no_feedback_page(api, engine):
    project = make_project(engine, gold_rate=1.0)
    import_lines(engine, project, item("c-0", gold=REFERENCE, explanation=WHY), item("p-0"))
    token = annotator(engine, project)
    log_in(api, "ann", "pw")
    got = claim(api, token).json()
    assert got["task"]["id"] == "c-0"  # gold rate 1: gold whenever there is some
    stored = submit(api, token, got["assignment_id"], WRONG)
    assert stored.json()["calibration"] is None
    assert api.get(f"/projects/prefs/calibration/{got['assignment_id']}").status_code == 404


def test_calibration_rules_are_checked_before_anything_is_stored(engine):
    project = make_project(engine)
    bad = [
        ({"calibration": {"tasks": 0}}, "settings.calibration.tasks must be a whole number"),
        ({"calibration": {"tasks": 3, "pass_threshold": 1.5}},
         "settings.calibration.pass_threshold must be a number from 0 to 1"),
        ({"calibration": {"tasks": 3, "passmark": 1}}, "unknown field 'passmark'"),
        ({"breaks": {"work_minutes": 90}}, "settings.breaks.break_minutes"),
        ({"exposure": {"per_day": "5"}}, "settings.exposure.per_day"),
        ({"rotation": []}, "settings.rotation must be an object"),
        ({"rotate": {"after": 3}}, "settings has no rule 'rotate'"),
    ]
    for changes, message in bad:
        with pytest.raises(InvalidInput, match=message), engine.begin() as conn:
            update_rules(conn, project.name, changes=changes)
    with engine.connect() as conn:
        assert get_project(conn, "prefs").settings == {}


def test_managers_read_and_change_the_rules_over_the_api(api, engine):
    project = make_project(engine)
    lead = make_user(engine, "lead", project=project, roles=("manager",)).token
    token = annotator(engine, project)

    changed = api.put("/api/v1/projects/prefs/rules", headers=bearer(lead), json={
        "gold_rate": 0.1, "rules": {"calibration": {"tasks": 3},
                                    "exposure": {"per_day": 12}}})
    assert changed.status_code == 200, changed.text
    assert changed.json() == {"gold_rate": 0.1, "rules": {
        "calibration": {"tasks": 3, "pass_threshold": 0.8}, "exposure": {"per_day": 12}}}
    refused = api.put("/api/v1/projects/prefs/rules", headers=bearer(lead),
                      json={"rules": {"exposure": None, "rotation": {"after": 0}}})
    assert refused.status_code == 422
    assert "settings.rotation.after must be a whole number" in refused.json()["error"]["message"]
    after = api.get("/api/v1/projects/prefs/rules", headers=bearer(lead)).json()
    assert after == changed.json()  # the refused change left everything as it was
    assert api.get("/api/v1/projects/prefs/rules", headers=bearer(token)).status_code == 403
    assert api.put("/api/v1/projects/prefs/rules", headers=bearer(token),
                   json={"rules": {"exposure": None}}).status_code == 403


def test_the_feedback_page_renders_the_explanation_sanitised(api, engine):
    project = make_project(engine)
    import_lines(engine, project, item("c-0", gold=REFERENCE, explanation=(
        "Better: <script>alert(1)</script> [link](javascript:alert(2)) **a**")), item("p-0"))
    with engine.begin() as conn:
        update_rules(conn, project.name, changes={"calibration": {"tasks": 1}})
    token = annotator(engine, project)
    log_in(api, "ann", "pw")
    got = claim(api, token).json()
    submit(api, token, got["assignment_id"], REFERENCE)

    page = api.get(f"/projects/prefs/calibration/{got['assignment_id']}").text

    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert 'href="javascript' not in page
    assert "<strong>a</strong>" in page and "Calibration passed" in page
