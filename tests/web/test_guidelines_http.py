"""Guidelines over HTTP: a manager drafts, previews (sanitised, as annotators see it) and
publishes through the API and through the editor page; a published version answers 409 to
edits; bad input answers 422 and changes nothing; annotators read the diff."""

from __future__ import annotations

from sqlalchemy import select

from accord.db.tables import annotations, guideline_versions, tasks
from tests.factories import add_comparisons, make_project, make_user, publish_guideline
from tests.web.conftest import bearer, log_in
from tests.web.routing_helpers import claim_and_submit

DRAFT = {
    "text": "Rank **best first**. <script>alert(1)</script>",
    "dimensions": [{"name": "helpfulness", "min": 1, "max": 5, "definition": "Does it."},
                   {"name": "honesty", "min": 1, "max": 5, "definition": "True only."}],
    "priority": ["honesty", "helpfulness"],
    "edge_cases": [{"title": "Ties", "text": "Rarely."}],
    "examples": [{"task": "item-0", "title": "Honest wins", "better_response": "b",
                  "explanation": "B *admits* doubt."}],
    "change_note": "Honesty first.",
}


def _people(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    boss = make_user(engine, "boss", project=project, roles=("manager",), password="pw")
    ann = make_user(engine, "ann", project=project, roles=("annotator",), password="pw")
    return project, bearer(boss.token), bearer(ann.token)


def _rows(engine):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(guideline_versions)
                                               .order_by(guideline_versions.c.id))]


def test_draft_preview_publish_over_the_api(api, engine):
    _, boss, ann = _people(engine)
    base = "/api/v1/projects/prefs/guidelines"
    created = api.post(base, headers=boss, json=DRAFT)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["version"], body["status"], body["priority"]) == \
        (1, "draft", ["honesty", "helpfulness"])
    assert api.get(base, headers=ann).json() == []  # annotators never see drafts
    assert api.get(f"{base}/1", headers=ann).status_code == 404
    preview = api.post(f"{base}/1/preview", headers=boss, json={"change_note": "Unsaved."})
    html = preview.json()["html"]
    assert "<strong>best first</strong>" in html and "<script>" not in html
    assert "Unsaved." in html and "Honest wins" in html and "<em>admits</em>" in html
    assert html.index("honesty") < html.index("helpfulness")
    assert api.get(f"{base}/1", headers=boss).json()["change_note"] == "Honesty first."
    edited = api.patch(f"{base}/1", headers=boss, json={"requires_recalibration": True})
    assert edited.json()["requires_recalibration"] is True
    assert api.post(f"{base}/1/publish", headers=ann).status_code == 403
    published = api.post(f"{base}/1/publish", headers=boss)
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert [v["version"] for v in api.get(base, headers=ann).json()] == [1]
    before = _rows(engine)
    refused = api.patch(f"{base}/1", headers=boss, json={"text": "rewrite history"})
    assert refused.status_code == 409 and "published" in refused.json()["error"]["message"]
    assert _rows(engine) == before


def test_bad_input_answers_422_and_changes_nothing(api, engine):
    _, boss, _ = _people(engine)
    base = "/api/v1/projects/prefs/guidelines"
    bad_task = api.post(base, headers=boss, json={**DRAFT, "examples": [
        {"task": "missing", "title": "x"}]})
    assert bad_task.status_code == 422
    assert "examples[0]: task 'missing'" in bad_task.json()["error"]["message"]
    assert _rows(engine) == []
    api.post(base, headers=boss, json=DRAFT)
    before = _rows(engine)
    bad_order = api.patch(f"{base}/1", headers=boss, json={"priority": ["honesty"]})
    assert bad_order.status_code == 422
    assert "leaves out helpfulness" in bad_order.json()["error"]["message"]
    assert api.post(f"{base}/1/preview", headers=boss,
                    json={"priority": ["style"]}).status_code == 422
    assert api.patch(f"{base}/1", headers=boss, json={"edge_case": []}).status_code == 422
    assert _rows(engine) == before


def test_the_diff_over_the_api_and_on_the_annotators_page(api, engine):
    project, _, ann = _people(engine)
    publish_guideline(engine, project, "Read the prompt.\nRank.", dimensions=DRAFT["dimensions"])
    publish_guideline(engine, project, "Read the whole prompt.\nRank.",
                      dimensions=list(reversed(DRAFT["dimensions"])),
                      edge_cases={"refusals": "Refuse only harm."}, change_note="Refusals.")
    diff = api.get("/api/v1/projects/prefs/guidelines/diff", headers=ann).json()
    assert (diff["from"], diff["to"], diff["why"]) == (1, 2, "previous version")
    assert {"kind": "added", "text": "Read the whole prompt."} in diff["text"]
    assert diff["priority"] == {"before": ["helpfulness", "honesty"],
                                "after": ["honesty", "helpfulness"]}
    assert diff["edge_cases"]["added"] == ["Refusals"]
    log_in(api, "ann", "pw")
    assert "/projects/prefs/guidelines/changes" in api.get("/").text
    page = api.get("/projects/prefs/guidelines/changes").text
    assert 'class="line added">+ Read the whole prompt.' in page
    assert 'class="priority-after">honesty &gt; helpfulness' in page
    assert "Refusals" in page and "Refuse only harm." not in page.split("edge-case-changes")[0]
    assert api.get("/projects/prefs/guidelines").status_code == 403
    assert api.get("/projects/prefs/guidelines/changes?from=x").status_code == 422


def test_the_editor_page_saves_previews_and_publishes(api, engine):
    _people(engine)
    log_in(api, "boss", "pw")
    started = api.post("/projects/prefs/guidelines/new", follow_redirects=False)
    assert started.status_code == 303
    assert started.headers["location"] == "/projects/prefs/guidelines/1/edit"
    form = {
        "text": "Rank *carefully*.", "change_note": "First.", "priority": "honesty, helpfulness",
        "dimensions-count": "3",
        "dimensions-0-name": "helpfulness", "dimensions-0-min": "1", "dimensions-0-max": "5",
        "dimensions-0-definition": "Does it.",
        "dimensions-1-name": "honesty", "dimensions-1-min": "1", "dimensions-1-max": "5",
        "dimensions-1-definition": "True.",
        "edge_cases-count": "1", "edge_cases-0-title": "Ties", "edge_cases-0-text": "Rarely.",
        "escalation_rules-count": "0",
        "examples-count": "1", "examples-0-task": "item-1", "examples-0-title": "Lesson",
        "examples-0-better_response": "a", "examples-0-explanation": "A is right.",
    }
    shown = api.post("/projects/prefs/guidelines/1/edit", data={**form, "action": "preview"})
    assert shown.status_code == 200
    assert "<em>carefully</em>" in shown.text and "Lesson" in shown.text
    assert _rows(engine)[0][4] == ""  # previewing stored nothing
    wrong = api.post("/projects/prefs/guidelines/1/edit",
                     data={**form, "priority": "honesty", "action": "save"})
    assert wrong.status_code == 422 and "leaves out helpfulness" in wrong.text
    assert 'value="honesty"' in wrong.text  # the form keeps what was typed
    saved = api.post("/projects/prefs/guidelines/1/edit", data={**form, "action": "save"},
                     follow_redirects=False)
    assert saved.status_code == 303
    assert _rows(engine)[0][4] == "Rank *carefully*."
    done = api.post("/projects/prefs/guidelines/1/publish", follow_redirects=False)
    assert done.headers["location"] == "/projects/prefs/guidelines?published=1"
    listing = api.get("/projects/prefs/guidelines").text
    assert 'data-status="published"' in listing and "Start a new draft" in listing
    frozen = api.get("/projects/prefs/guidelines/1/edit").text
    assert "can no longer change" in frozen and 'name="text"' not in frozen


def test_every_annotation_carries_the_guideline_version_it_was_made_under(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 3)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    ann = make_user(engine, "ann", project=project, roles=("annotator",)).token
    base = "/api/v1/projects/prefs/guidelines"

    shown = [claim_and_submit(api, ann)["task"]["guideline_version"]]
    for text in ("Rank best first.", "Rank best first; typos matter."):
        assert api.post(base, headers=boss, json={"text": text}).status_code == 201
        assert api.post(f"{base}/{len(shown)}/publish", headers=boss).status_code == 200
        shown.append(claim_and_submit(api, ann)["task"]["guideline_version"])

    with engine.connect() as conn:
        stored = conn.execute(
            select(tasks.c.external_id, guideline_versions.c.version)
            .select_from(annotations.join(tasks, tasks.c.id == annotations.c.task_id)
                         .outerjoin(guideline_versions, guideline_versions.c.id
                                    == annotations.c.guideline_version_id))
            .order_by(annotations.c.id)).all()
    assert [version for _, version in stored] == shown == [None, 1, 2]
