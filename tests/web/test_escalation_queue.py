"""The safety specialists' queue over HTTP: an unsafe flag hides the task from annotators
and ordinary reviewers (404, as if it did not exist), while a safety specialist filters the
queue by status and severity tier and moves an item to in review, then resolved."""

from __future__ import annotations

from sqlalchemy import select

from accord.db.tables import audit_events, escalations
from tests.factories import add_comparison, make_project, make_user
from tests.web.conftest import bearer, log_in

QUEUE = "/api/v1/projects/prefs/escalations"


def _flag(api, token: str) -> None:
    claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
    body = {"ranking": [["a"], ["b"]], "flags": ["unsafe"], "rationale": "usable harm",
            "active_ms": 1000}
    stored = api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit",
                      headers=bearer(token), json=body)
    assert stored.status_code == 200, stored.text


def _world(api, engine):
    project = make_project(engine, overlap=2)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad", contents={"a": "HARMFUL-TEXT", "b": "fine"})
        add_comparison(conn, project, "worse", contents={"a": "WORSE-TEXT", "b": "fine"})
    people = {name: make_user(engine, name, project=project, roles=(role,), password="pw")
              for name, role in (("ann1", "annotator"), ("ann2", "annotator"),
                                 ("rev", "reviewer"), ("safe", "safety_specialist"))}
    return project, people


def test_flagged_content_is_a_404_to_annotators_and_reviewers(api, engine):
    _, people = _world(api, engine)
    _flag(api, people["ann1"].token)
    assert api.get("/api/v1/projects/prefs/tasks/next",
                   headers=bearer(people["ann2"].token)).json()["task"]["id"] == "worse"
    for name in ("ann1", "ann2", "rev"):
        assert api.get(QUEUE, headers=bearer(people[name].token)).status_code == 404, name
        log_in(api, name, "pw")
        page = api.get("/projects/prefs/escalations")
        assert page.status_code == 404 and "HARMFUL-TEXT" not in page.text, name
        # the split-task page exists only for reviewers; to them the flagged task does not
        review = api.get("/projects/prefs/review/bad")
        assert review.status_code == (404 if name == "rev" else 403), name
        assert "HARMFUL-TEXT" not in review.text
        assert "/projects/prefs/escalations" not in api.get("/").text
        moved = api.post("/projects/prefs/escalations/1", data={"status": "resolved",
                                                                 "note": "mine now"})
        assert moved.status_code == 404
    with engine.connect() as conn:
        assert conn.execute(select(escalations.c.status)).scalar_one() == "open"


def test_a_safety_specialist_filters_and_works_the_queue(api, engine):
    _, people = _world(api, engine)
    _flag(api, people["ann1"].token)
    _flag(api, people["ann1"].token)
    safe = bearer(people["safe"].token)
    items = api.get(QUEUE, headers=safe).json()
    assert [(i["task_id"], i["tier"]) for i in items] == [("bad", "low"), ("worse", "low")]
    retiered = api.post(f"{QUEUE}/{items[1]['id']}", headers=safe,
                        json={"status": "in_review", "severity": 4})
    assert retiered.status_code == 204
    items = api.get(QUEUE, headers=safe).json()
    worse = items[0]["id"]
    assert [(i["task_id"], i["status"], i["tier"], i["assigned_to"]) for i in items] == [
        ("worse", "in_review", "critical", "safe"), ("bad", "open", "low", None)]
    assert [i["task_id"] for i in api.get(f"{QUEUE}?severity=4", headers=safe).json()] == \
        ["worse"]
    assert [i["task_id"] for i in api.get(f"{QUEUE}?status=open", headers=safe).json()] == \
        ["bad"]
    assert api.get(f"{QUEUE}?status=closed", headers=safe).status_code == 422
    assert api.get(f"{QUEUE}?severity=9", headers=safe).status_code == 422
    assert api.post(f"{QUEUE}/{worse}", headers=safe,
                    json={"status": "resolved"}).status_code == 422
    log_in(api, "safe", "pw")
    page = api.get("/projects/prefs/escalations?status=open").text
    assert 'data-task="bad"' in page and 'data-task="worse"' not in page
    reviewing = api.post(f"/projects/prefs/escalations/{worse}",
                         data={"status": "resolved", "note": "Model retrained; removed.",
                               "severity": "4"}, follow_redirects=False)
    assert reviewing.status_code == 303
    again = api.post(f"/projects/prefs/escalations/{worse}",
                     data={"status": "in_review", "note": ""})
    assert again.status_code == 409 and "is resolved" in again.text
    done = api.get(f"{QUEUE}?status=resolved", headers=safe).json()
    assert [(i["task_id"], i["resolution"]) for i in done] == \
        [("worse", "Model retrained; removed.")]
    with engine.connect() as conn:
        actions = conn.execute(select(audit_events.c.action).order_by(audit_events.c.id))
        assert actions.scalars().all() == ["escalation.opened", "escalation.opened",
                                           "escalation.in_review", "escalation.resolved"]
