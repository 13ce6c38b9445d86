"""The home page and the workbench over HTTP: who sees what, in which order, with which
guideline; the page leases through the same engine as the API."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from accord.db.tables import assignments
from tests.factories import (
    add_comparison,
    add_comparisons,
    import_lines,
    make_project,
    make_user,
    publish_guideline,
)
from tests.web.conftest import bearer, log_in


def annotator(engine, project, name="ann", password="pw"):
    return make_user(engine, name, project=project, roles=("annotator",), password=password)


def test_another_projects_pages_do_not_exist_for_you(api, engine):
    mine = make_project(engine, "mine")
    make_project(engine, "theirs")
    annotator(engine, mine)
    log_in(api, "ann", "pw")
    for path in ("/projects/theirs/annotate", "/projects/nowhere/annotate"):
        answer = api.get(path)
        assert answer.status_code == 404, path
        assert "does not exist" in answer.text and "text/html" in answer.headers["content-type"]
    assert "theirs" not in api.get("/").text


def test_a_reviewer_is_not_given_the_workbench(api, engine):
    project = make_project(engine)
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    log_in(api, "rev", "pw")
    assert api.get("/projects/prefs/annotate").status_code == 403
    home = api.get("/").text
    assert "prefs" in home and "/projects/prefs/annotate" not in home


def test_the_workbench_shows_responses_in_the_recorded_display_order(api, engine):
    project = make_project(engine, allow_ties=True, ranking_mode="kway")
    with engine.begin() as conn:
        add_comparison(conn, project, "k", contents={
            "a": "alpha **bold**", "b": "bravo", "c": "charlie", "d": "delta"})
    annotator(engine, project)
    log_in(api, "ann", "pw")
    page = api.get("/projects/prefs/annotate").text
    with engine.connect() as conn:
        order = conn.execute(select(assignments.c.display_order)).scalar_one()
    contents = {"a": "alpha <strong>bold</strong>", "b": "bravo", "c": "charlie", "d": "delta"}
    positions = [page.index(contents[rid]) for rid in order]
    assert positions == sorted(positions)
    assert re.search(r'"responses":\s*\[' + r",\s*".join(f'"{rid}"' for rid in order), page)


def test_reloading_the_workbench_keeps_the_task_in_hand(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 3)
    annotator(engine, project)
    log_in(api, "ann", "pw")
    first = api.get("/projects/prefs/annotate").text
    second = api.get("/projects/prefs/annotate").text
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(assignments)).scalar_one() == 1
    assert re.search(r'"assignmentId":\s*(\d+)', first)[1] == \
        re.search(r'"assignmentId":\s*(\d+)', second)[1]


def test_the_page_and_the_api_share_one_assignment_engine(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 1)
    annotator(engine, project)
    other = annotator(engine, project, "other").token
    log_in(api, "ann", "pw")
    assert api.get("/projects/prefs/annotate").status_code == 200
    assert api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(other)).status_code == 204


def test_nothing_waiting_is_said_plainly(api, engine):
    project = make_project(engine)
    annotator(engine, project)
    log_in(api, "ann", "pw")
    assert "Nothing is waiting for you" in api.get("/projects/prefs/annotate").text


def test_no_guideline_yet_is_said_plainly(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    annotator(engine, project)
    log_in(api, "ann", "pw")
    assert "No guideline has been published for this project yet." in api.get("/").text
    assert "No guideline has been published" in api.get("/projects/prefs/annotate").text


def test_the_guideline_panel_shows_the_current_version_by_priority(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    publish_guideline(engine, project, "old text")
    publish_guideline(
        engine, project, "Prefer *correct* answers.",
        dimensions=[{"name": "honesty", "definition": "No invented facts."},
                    {"name": "helpfulness", "definition": "Does what was asked."}],
        edge_cases={"both_bad": "Rank the less bad one first."},
        escalation_rules=["Flag anything unsafe."], change_note="Honesty now comes first.",
    )
    annotator(engine, project)
    log_in(api, "ann", "pw")
    page = api.get("/projects/prefs/annotate").text
    assert "version 2" in page and "old text" not in page
    assert "Prefer <em>correct</em> answers." in page
    assert page.index("No invented facts.") < page.index("Does what was asked.")
    assert "Both bad" in page and "Rank the less bad one first." in page
    assert "Flag anything unsafe." in page and "Honesty now comes first." in page
    home = api.get("/").text
    assert "version 2" in home and "Honesty now comes first." in home


def test_the_guideline_panel_shows_worked_examples_sanitised(api, engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "padded", contents={"a": "Paris.", "b": "Well... Paris."})
    publish_guideline(engine, project, "Prefer short answers.", examples=[
        {"task": "padded", "title": "Length is <b>not</b> quality", "better_response": "a",
         "explanation": "**A** is as good and shorter.\n\n<script>alert(1)</script>\n\n"
                        "[more](javascript:alert(1))"},
        {"task": None, "title": "Look for the deciding difference", "better_response": "",
         "explanation": "Name it in the rationale."},
    ])
    annotator(engine, project)
    log_in(api, "ann", "pw")
    page = api.get("/projects/prefs/annotate").text
    assert "Worked examples" in page
    assert page.index("Length is &lt;b&gt;not&lt;/b&gt; quality") < page.index(
        "Look for the deciding difference")
    assert "question padded" in page and "<code>padded</code>" in page
    assert "Better response: <strong>a</strong>" in page
    assert "<strong>A</strong> is as good and shorter." in page
    assert "<script>alert(1)</script>" not in page and 'href="javascript' not in page
    assert "Name it in the rationale." in page


def test_home_shows_what_waits_and_the_day_so_far(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 3)
    token = annotator(engine, project).token
    log_in(api, "ann", "pw")
    assert re.search(r"3\s+tasks", api.get("/").text)
    claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
    api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit",
             json={"ranking": [["a"], ["b"]], "active_ms": 125_000}, headers=bearer(token))
    home = api.get("/").text
    assert re.search(r"2\s+tasks", home)
    assert "1 submitted" in home and "2 min" in home


def test_demonstration_and_red_team_pages(api, engine):
    project = make_project(engine, overlap=1)
    import_lines(
        engine, project,
        {"id": "d-1", "kind": "demonstration", "prompt": "Explain *tides*.",
         "category": "qa", "priority": 2},
        {"id": "r-1", "kind": "red_team", "topic": "Extract the system prompt",
         "model_response": "I can't share that.", "category": "safety", "priority": 1},
    )
    annotator(engine, project)
    log_in(api, "ann", "pw")
    demo = api.get("/projects/prefs/annotate").text
    assert "Explain <em>tides</em>." in demo and 'id="response-text"' in demo and "qa" in demo
    assignment = int(re.search(r'"assignmentId":\s*(\d+)', demo)[1])
    api.post(f"/api/v1/assignments/{assignment}/submit",
             json={"response": "Tides are…", "active_ms": 5})
    red = api.get("/projects/prefs/annotate").text
    assert "Extract the system prompt" in red and 'id="attack"' in red
    assert "<p>I can't share that.</p>" in red  # shown …
    assert "I can&#39;t share that.</textarea>" in red  # … and filled in for the annotator


def test_one_annotator_never_sees_anothers_judgment(api, engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 1)
    first = annotator(engine, project, "first").token
    annotator(engine, project, "second")
    claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(first)).json()
    api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit",
             json={"ranking": [["b"], ["a"]], "rationale": "SECRET-RATIONALE"},
             headers=bearer(first))
    log_in(api, "second", "pw")
    page = api.get("/projects/prefs/annotate").text
    assert "item-0" in page and "SECRET-RATIONALE" not in page
    stolen = api.post(f"/api/v1/assignments/{claim['assignment_id']}/submit",
                      json={"ranking": [["a"], ["b"]]})
    assert stolen.status_code == 404


def test_the_markdown_preview_is_sanitised_and_needs_a_login(api, engine):
    make_user(engine, "ann", password="pw")
    assert api.post("/api/v1/markdown", json={"text": "x"}).status_code == 401
    log_in(api, "ann", "pw")
    html = api.post("/api/v1/markdown",
                    json={"text": "**hi** <img src=x onerror=alert(1)> [x](javascript:alert(1))"})
    assert html.status_code == 200
    body = html.json()["html"]
    assert "<strong>hi</strong>" in body and "<img" not in body and "javascript:alert(1)\"" \
        not in body
