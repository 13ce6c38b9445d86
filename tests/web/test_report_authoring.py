"""The report's authoring figures over the real API: demonstrations by mode, and the model
drafts submitted unchanged counted per writer, in the JSON, the text and the HTML report;
a project without demonstrations leaves the section out."""

from __future__ import annotations

from accord.core.report import build_report
from accord.db.types import utcnow
from accord.exports.report_html import render_html
from accord.exports.report_text import render_text
from tests.factories import add_comparisons, import_lines, make_project, make_user
from tests.web.conftest import bearer

DRAFT = "The answer is 42."


def _write(api, headers, body: dict) -> None:
    claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=headers).json()
    answer = api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit", json=body,
                      headers=headers)
    assert answer.status_code == 200, answer.text


def test_unchanged_drafts_are_counted_per_writer(api, engine):
    project = make_project(engine, overlap=3)
    import_lines(engine, project,
                 {"id": "p-1", "kind": "demonstration", "prompt": "Why?", "priority": 2,
                  "responses": [{"id": "a", "content": DRAFT, "model": "m"}],
                  "demonstration": {"mode": "post_edit"}},
                 {"id": "w-1", "kind": "demonstration", "prompt": "How?", "priority": 1})
    lead = bearer(make_user(engine, "lead", project=project, roles=("manager",)).token)
    writers = [bearer(make_user(engine, name, project=project, roles=("annotator",)).token)
               for name in ("ana", "bo", "cy")]
    _write(api, writers[0], {"response": DRAFT})
    _write(api, writers[1], {"response": DRAFT})
    _write(api, writers[2], {"response": "The answer is 43."})
    _write(api, writers[0], {"response": "From scratch."})

    figures = api.get("/api/v1/projects/prefs/report", headers=lead).json()["authoring"]
    assert figures == {"demonstrations": 4,
                       "by_mode": {"write": 1, "post_edit": 3, "multi_turn": 0},
                       "unchanged_drafts": 2, "unchanged_share": 2 / 3,
                       "mean_edit_distance": 1 / 3,
                       "unchanged_by_annotator": {"ana": 1, "bo": 1}}
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    assert "unchanged drafts    2 (0.67 of post-edits)" in render_text(report)
    assert "2 model drafts submitted unchanged" in render_html(report)


def test_a_project_without_demonstrations_has_no_authoring_section(api, engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    lead = bearer(make_user(engine, "lead", project=project, roles=("manager",)).token)
    report = api.get("/api/v1/projects/prefs/report", headers=lead).json()
    assert "authoring" not in report
