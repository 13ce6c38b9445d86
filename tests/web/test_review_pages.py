"""Reviewer queue, escalations and the dashboard over HTTP: who may open what, and a
decision made through the page or the API lands as the task's adjudicated consensus."""

from __future__ import annotations

import orjson
from sqlalchemy import func, select

from accord.db.tables import adjudications, escalations, task_consensus, tasks
from accord.exports import export
from tests.factories import add_comparison, make_project, make_user
from tests.review_helpers import add_role, annotate, split_task
from tests.web.conftest import bearer, log_in

PAGES = ("/projects/prefs/review", "/projects/prefs/escalations", "/projects/prefs/dashboard")


def test_an_annotator_is_refused_every_review_page(api, engine):
    project = make_project(engine)
    split_task(engine, project)
    log_in(api, "ann1", "pw")
    for path in (*PAGES, "/projects/prefs/review/split-1"):
        # escalated content is not even admitted to exist for an annotator
        assert api.get(path).status_code == (404 if "escalations" in path else 403), path
    home = api.get("/").text
    assert all(path not in home for path in PAGES)
    assert api.get("/api/v1/projects/prefs/adjudication").status_code == 403


def test_a_stranger_is_told_the_project_does_not_exist(api, engine):
    project = make_project(engine)
    make_project(engine, "other")
    make_user(engine, "rev", project=project, roles=("reviewer", "manager"), password="pw")
    log_in(api, "rev", "pw")
    for path in PAGES:
        assert api.get(path.replace("prefs", "other")).status_code == 404


def test_each_role_gets_its_own_pages_and_links(api, engine):
    project = make_project(engine)
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    make_user(engine, "safe", project=project, roles=("safety_specialist",), password="pw")
    log_in(api, "rev", "pw")
    assert api.get(PAGES[0]).status_code == 200
    # the dashboard is the report drawn, and reviewers read the report (test_dashboard_access)
    assert [api.get(p).status_code for p in PAGES[1:]] == [404, 200]
    assert PAGES[0] in api.get("/").text and PAGES[2] in api.get("/").text
    log_in(api, "safe", "pw")
    assert [api.get(p).status_code for p in PAGES] == [403, 200, 403]
    assert PAGES[1] in api.get("/").text


def test_a_reviewer_settles_a_split_through_the_page(api, engine):
    project = make_project(engine)
    db_id = split_task(engine, project)
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    log_in(api, "rev", "pw")
    queue = api.get("/projects/prefs/review").text
    assert "/projects/prefs/review/split-1" in queue
    page = api.get("/projects/prefs/review/split-1").text
    for name in ("ann1", "ann2", "ann3"):
        assert f'data-annotator="{name}"' in page and f"{name} thinks" in page
    assert 'data-pair="a|b"' in page and "answer <strong>alpha</strong>" in page
    refused = api.post("/projects/prefs/review/split-1",
                       data={"count": "2", "place-0": "2", "place-1": "", "rationale": "x"})
    assert refused.status_code == 422 and "give every response a place" in refused.text
    answer = api.post("/projects/prefs/review/split-1", follow_redirects=False,
                      data={"count": "2", "place-0": "2", "place-1": "1",
                            "rationale": "bravo is right"})
    assert answer.status_code == 303
    with engine.connect() as conn:
        assert conn.execute(select(adjudications.c.ranking)).scalar_one() == [["b"], ["a"]]
        assert conn.execute(select(tasks.c.status).where(tasks.c.id == db_id)).scalar_one() \
            == "resolved"
    assert "Nothing waits" in api.get(answer.headers["location"]).text


def test_a_reviewer_who_annotated_cannot_adjudicate(api, engine):
    project = make_project(engine)
    split_task(engine, project)
    add_role(engine, project, "ann1", "reviewer")
    log_in(api, "ann1", "pw")
    assert "split-1" not in api.get("/projects/prefs/review").text
    assert api.get("/projects/prefs/review/split-1").status_code == 403
    answer = api.post("/projects/prefs/review/split-1",
                      data={"count": "2", "place-0": "1", "place-1": "2", "rationale": "mine"})
    assert answer.status_code == 403
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(adjudications)).scalar_one() == 0


def test_the_api_queue_and_decision(api, engine, tmp_path):
    project = make_project(engine)
    split_task(engine, project)
    token = make_user(engine, "rev", project=project, roles=("reviewer",)).token
    queue = api.get("/api/v1/projects/prefs/adjudication", headers=bearer(token)).json()
    assert [item["task_id"] for item in queue] == ["split-1"]
    bad = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate", headers=bearer(token),
                   json={"ranking": [["a"], ["zz"]], "rationale": "x"})
    assert bad.status_code == 422
    done = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate", headers=bearer(token),
                    json={"ranking": [["b"], ["a"]], "rationale": "b is right"})
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["reviewer"]) == ("resolved", "rev")
    again = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate", headers=bearer(token),
                     json={"ranking": [["a"], ["b"]], "rationale": "changed my mind"})
    assert again.status_code == 409
    with engine.connect() as conn:
        assert conn.execute(select(task_consensus.c.method)).scalar_one() == "adjudicated"
    out = tmp_path / "prefs.jsonl"
    export(engine, "prefs", "preference", out)
    exported = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert [(r["source"], r["chosen"][-1]["content"]) for r in exported] == \
        [("adjudicated", "answer bravo")]  # the reviewer's b over a, not the majority's a


def test_escalated_content_is_for_safety_specialists_only(api, engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad", contents={"a": "HARMFUL-TEXT", "b": "fine"})
    annotate(engine, project, {"ann1": [["a"], ["b"]]}, flags={"ann1": ["unsafe"]})
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    make_user(engine, "safe", project=project, roles=("safety_specialist",), password="pw")
    log_in(api, "rev", "pw")
    assert api.get("/projects/prefs/review/bad").status_code == 404
    log_in(api, "safe", "pw")
    page = api.get("/projects/prefs/escalations").text
    assert "<details" in page and "Content warning" in page
    assert page.index("<details") < page.index("HARMFUL-TEXT")
    with engine.connect() as conn:
        escalation_id = conn.execute(select(escalations.c.id)).scalar_one()
    answer = api.post(f"/projects/prefs/escalations/{escalation_id}", follow_redirects=False,
                      data={"status": "resolved", "note": "removed from the pool"})
    assert answer.status_code == 303
    with engine.connect() as conn:
        assert conn.execute(select(escalations.c.status)).scalar_one() == "resolved"


def test_a_manager_sees_the_dashboard_with_charts(api, engine):
    project = make_project(engine)
    split_task(engine, project)
    make_user(engine, "boss", project=project, roles=("manager",), password="pw")
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert page.status_code == 200
    text = page.text
    assert 'class="chart progress-chart"' in text and 'class="chart agreement-chart"' in text
    assert '<circle class="point"' in text and '<rect class="bar"' in text
    assert "ann1" in text and " style=" not in text
    with engine.connect() as conn:  # looking stores nothing
        assert conn.execute(select(tasks.c.status)).scalar_one() == "needs_adjudication"


def test_an_unsafe_flag_through_the_api_reaches_only_the_safety_specialist(api, engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad", contents={"a": "HARMFUL-TEXT", "b": "fine"})
    first = make_user(engine, "ann1", project=project, roles=("annotator",)).token
    second = make_user(engine, "ann2", project=project, roles=("annotator",)).token
    reviewer = make_user(engine, "rev", project=project, roles=("reviewer",)).token
    safety = make_user(engine, "safe", project=project, roles=("safety_specialist",)).token
    claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(first)).json()
    stored = api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit",
                      headers=bearer(first),
                      json={"ranking": [["a"], ["b"]], "flags": ["unsafe"],
                            "rationale": "instructions for harm", "active_ms": 1000})
    assert stored.status_code == 200, stored.text
    assert api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(second)).status_code \
        == 204
    assert api.get("/api/v1/projects/prefs/escalations", headers=bearer(reviewer)).status_code \
        == 404
    assert api.get("/api/v1/projects/prefs/adjudication", headers=bearer(reviewer)).json() == []
    items = api.get("/api/v1/projects/prefs/escalations", headers=bearer(safety)).json()
    assert [(i["task_id"], i["status"], i["severity"], i["raised_by"]) for i in items] == \
        [("bad", "open", 1, "ann1")]
    assert items[0]["responses"][0] == ["a", "HARMFUL-TEXT"]
    answer = api.post(f"/api/v1/projects/prefs/escalations/{items[0]['id']}",
                      headers=bearer(safety), json={"status": "resolved", "note": "removed"})
    assert answer.status_code == 204
    items = api.get("/api/v1/projects/prefs/escalations", headers=bearer(safety)).json()
    assert (items[0]["status"], items[0]["resolution"]) == ("resolved", "removed")
