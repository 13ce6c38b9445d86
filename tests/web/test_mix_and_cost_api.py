"""Prompt-mix targets and the complete cost over the API: a manager sets and clears the
targets with PATCH, a bad target answers 422 naming it and changes nothing, the report
carries the ``mix`` section, and a reviewer's adjudication time is paid in the cost."""

from __future__ import annotations

from tests.factories import make_project, make_user
from tests.mix_world import build_mixed
from tests.web.conftest import bearer


def test_a_manager_sets_reads_and_clears_the_targets(api, engine):
    project = make_project(engine, "prefs")
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    changed = api.patch("/api/v1/projects/prefs", headers=boss,
                        json={"mix": {"Open QA": 0.4, "coding": 0.3}})
    assert changed.status_code == 200, changed.text
    assert changed.json()["mix"] == {"coding": 0.3, "open-qa": 0.4}
    assert api.get("/api/v1/projects/prefs/settings", headers=boss).json()["mix"] == {
        "coding": 0.3, "open-qa": 0.4}
    too_much = api.patch("/api/v1/projects/prefs", headers=boss,
                         json={"mix": {"coding": 0.7, "qa": 0.4}})
    assert too_much.status_code == 422, too_much.text
    assert too_much.json()["error"]["message"] == \
        "mix: the shares sum to 1.1; they may sum to at most 1"
    zero = api.patch("/api/v1/projects/prefs", headers=boss, json={"mix": {"coding": 0}})
    assert zero.status_code == 422 and "mix" in zero.text
    assert api.get("/api/v1/projects/prefs/settings", headers=boss).json()["mix"] == {
        "coding": 0.3, "open-qa": 0.4}
    cleared = api.patch("/api/v1/projects/prefs", headers=boss, json={"mix": None})
    assert cleared.json()["mix"] == {}


def test_the_report_carries_the_mix_section(api, engine):
    project = build_mixed(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    report = api.get("/api/v1/projects/mixed/report", headers=boss)
    assert report.status_code == 200, report.text
    coding = report.json()["mix"]["categories"]["coding"]
    assert (coding["target"], coding["accepted"]) == (0.5, {"count": 2, "share": 0.5,
                                                            "gap": 0.0})


def test_a_reviewers_adjudication_time_is_paid_in_the_complete_cost(api, engine):
    from sqlalchemy import update

    from accord.db.tables import profiles
    from tests.review_helpers import split_task

    project = make_project(engine, "prefs")
    split_task(engine, project)
    made = make_user(engine, "rev", project=project, roles=("reviewer",))
    with engine.begin() as conn:
        conn.execute(update(profiles).where(profiles.c.user_id == made.user.id)
                     .values(pay_rate_per_hour=40.0))
    rev = bearer(made.token)
    body = {"ranking": [["a"], ["b"]], "rationale": "a is right"}
    refused = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate", headers=rev,
                       json={**body, "active_ms": -1})
    assert refused.status_code == 422 and "active_ms" in refused.text
    done = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate", headers=rev,
                    json={**body, "active_ms": 90_000})
    assert done.status_code == 200, done.text
    report = api.get("/api/v1/projects/prefs/report", headers=rev).json()
    complete = report["cost"]["complete"]
    # 90 s at 40 an hour: 1.00; nobody else has a pay rate
    assert (complete["reviewer_hours"], complete["reviewer_spend"]) == (0.025, 1.0)
