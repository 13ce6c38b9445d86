"""The disagreement digest and the audit trail over HTTP: disputed tasks first with every
rationale, filters, a decision added to the next draft from the page, and managers alone
reading the trail, which records adjudications made through the API."""

from __future__ import annotations

import orjson
from sqlalchemy import select

from accord.db.tables import guideline_examples, guideline_versions
from accord.exports import export
from tests.factories import add_comparison, make_project, make_user, publish_guideline
from tests.review_helpers import annotate, split_task
from tests.web.conftest import bearer, log_in


def _world(engine):
    project = make_project(engine)
    publish_guideline(engine, project, "v1")
    with engine.begin() as conn:
        add_comparison(conn, project, "calm", category="coding")
    annotate(engine, project, {"u1": [["a"], ["b"]], "u2": [["a"], ["b"]],
                               "u3": [["a"], ["b"]]})
    split_task(engine, project, rationale=None)
    boss = make_user(engine, "boss", project=project, roles=("manager",), password="pw")
    rev = make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    return project, boss, rev


def test_the_digest_api_orders_by_disagreement_with_every_rationale(api, engine):
    _, boss, rev = _world(engine)
    body = api.get("/api/v1/projects/prefs/digest", headers=bearer(rev.token)).json()
    assert [e["task_id"] for e in body["entries"]] == ["split-1", "calm"]
    first = body["entries"][0]
    assert [j["rationale"] for j in first["judgments"]] == [
        "ann1 thinks a is better", "ann2 thinks b is better", "ann3 thinks a is better"]
    assert first["agreement"] < body["entries"][1]["agreement"]
    coding = api.get("/api/v1/projects/prefs/digest?category=coding",
                     headers=bearer(boss.token)).json()
    assert [e["task_id"] for e in coding["entries"]] == ["calm"]
    assert api.get("/api/v1/projects/prefs/digest?from=2030-01-02&to=2030-01-01",
                   headers=bearer(boss.token)).status_code == 422
    ann = make_user(engine, "ann", project=make_project(engine, "other"),
                    roles=("annotator",)).token
    assert api.get("/api/v1/projects/prefs/digest", headers=bearer(ann)).status_code == 404


def test_a_manager_adds_a_digest_decision_to_the_next_draft(api, engine):
    _world(engine)
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/digest?category=qa").text
    assert 'data-task="split-1"' in page and 'data-task="calm"' not in page
    assert "ann2 thinks b is better" in page and "Add to draft" in page
    added = api.post("/projects/prefs/digest/add", follow_redirects=False, data={
        "kind": "example", "task": "split-1", "title": "Read the question first",
        "better_response": "b", "explanation": "B answers what was asked.",
        "back": "?category=qa"})
    assert added.status_code == 303
    assert added.headers["location"].startswith("/projects/prefs/digest?category=qa&added=")
    with engine.connect() as conn:
        draft = conn.execute(select(guideline_versions.c.id, guideline_versions.c.version)
                             .where(guideline_versions.c.status == "draft")).one()
        assert draft.version == 2
        assert conn.execute(select(guideline_examples.c.title).where(
            guideline_examples.c.guideline_version_id == draft.id)).scalars().all() == \
            ["Read the question first"]
    log_in(api, "rev", "pw")
    assert "Add to draft" not in api.get("/projects/prefs/digest").text
    refused = api.post("/projects/prefs/digest/add", data={
        "kind": "edge_case", "title": "x", "explanation": "y"})
    assert refused.status_code == 403


def test_the_audit_trail_records_an_api_adjudication_and_the_export_uses_it(api, engine,
                                                                            tmp_path):
    _, boss, rev = _world(engine)
    decided = api.post("/api/v1/projects/prefs/tasks/split-1/adjudicate",
                       headers=bearer(rev.token),
                       json={"ranking": [["b"], ["a"]], "rationale": "B is what was asked."})
    assert decided.status_code == 200
    listed = api.get("/api/v1/projects/prefs/audit", headers=bearer(boss.token)).json()
    trail = listed["items"]
    assert listed["next"] is None
    assert [(e["action"], e["actor"], e["subject"]) for e in trail] == [
        ("adjudication.decided", "rev", "task split-1"),
        ("guideline.published", None, "guideline version 1")]
    assert trail[0]["details"]["rationale"] == "B is what was asked."
    assert api.get("/api/v1/projects/prefs/audit", headers=bearer(rev.token)).status_code == 403
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/audit").text
    assert 'data-action="adjudication.decided"' in page and "B is what was asked." in page
    out = tmp_path / "prefs.jsonl"
    export(engine, "prefs", "preference", out)
    rows = {r["source"]: r for r in map(orjson.loads, out.read_text().splitlines())}
    assert rows["adjudicated"]["chosen"][-1]["content"] == "answer bravo"
