"""The report's ``overlap`` section over the real app: judgments per task, judgments saved
against a fixed overlap of ``max``, the estimated accuracy of settled tasks; the same figures
in the text and HTML reports and on the dashboard; and a settled task's stored consensus is
the report's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.projects.project import get_project
from accord.core.report import build_report
from accord.core.work import rules as work_rules
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from accord.exports.report_html import render_html
from accord.exports.report_text import render_text
from tests.core.test_adaptive_overlap import A_FIRST, B_FIRST, judge, people
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer, log_in

RULE = {"min": 2, "max": 4, "stop": "unanimous"}


def worked_project(engine):
    """Three tasks: two settled by two agreeing people, one split to max (2 + 2 + 4 = 8)."""
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 3)
    with engine.begin() as conn:
        project = work_rules.update_rules(conn, project.name, changes={"overlap": RULE})
    crowd = people(engine, project, 4)
    votes = {"item-0": [A_FIRST, A_FIRST], "item-1": [B_FIRST, B_FIRST],
             "item-2": [A_FIRST, B_FIRST, A_FIRST, A_FIRST]}
    for task, rankings in votes.items():
        for person, ranking in zip(crowd, rankings, strict=False):
            assert judge(engine, project, person, ranking) == task
    return project


def test_the_report_shows_what_adaptive_overlap_spent_and_bought(api, engine):
    project = worked_project(engine)
    lead = bearer(make_user(engine, "lead", project=project, roles=("manager",)).token)
    answer = api.get("/api/v1/projects/prefs/report", headers=lead)
    assert answer.status_code == 200, answer.text
    overlap = answer.json()["overlap"]
    assert overlap["rule"] == RULE
    assert (overlap["tasks_decided"], overlap["tasks_settled"], overlap["tasks_at_max"]) == \
        (3, 2, 1)
    assert overlap["judgments_per_task"] == {"2": 2, "4": 1}
    assert (overlap["judgments"], overlap["judgments_at_fixed_max"],
            overlap["judgments_saved"]) == (8, 12, 4)
    assert overlap["saved_share"] == pytest.approx(1 / 3, abs=1e-6)
    assert overlap["mean_judgments_per_task"] == pytest.approx(8 / 3, abs=1e-6)
    # item-0: two agreeing newcomers (0.7 each, a pair without ties) give 0.49 / 0.58; item-1:
    # the same two, now each (1 + 2.8) / 5 = 0.76 after agreeing on item-0.
    first, then = 0.49 / (0.49 + 0.09), 0.76**2 / (0.76**2 + 0.24**2)
    assert overlap["estimated_accuracy"] == pytest.approx((first + then) / 2, abs=1e-5)
    assert 0.5 < overlap["estimated_accuracy_decided"] < overlap["estimated_accuracy"]


def test_a_settled_task_keeps_the_consensus_the_report_computes(engine):
    project = worked_project(engine)
    with engine.begin() as conn:
        report = build_report(conn, get_project(conn, project.name), utcnow())
    assert report.consensus.tasks_settled == 3
    with engine.connect() as conn:
        stored = dict(conn.execute(select(tasks.c.external_id, task_consensus.c.ranking)
                                   .join(task_consensus, task_consensus.c.task_id == tasks.c.id)
                                   ).all())
    assert {task: ranking[0] for task, ranking in stored.items()} == \
        {"item-0": ["a"], "item-1": ["b"], "item-2": ["a"]}


def test_text_html_and_dashboard_show_the_section_and_leave_it_out_without_the_rule(
        api, engine):
    project = worked_project(engine)
    with engine.begin() as conn:
        report = build_report(conn, get_project(conn, project.name), utcnow(),
                              store_consensus=False)
    text, html = render_text(report), render_html(report)
    assert "Adaptive overlap" in text and "4 (33.3%) fewer than a fixed overlap of 4" in text
    assert "tasks by judgments taken  2: 2, 4: 1" in text
    assert "<h2>Adaptive overlap</h2>" in html and "2 judgments" in html
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    log_in(api, "rev", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert page.status_code == 200
    assert 'id="overlap-title"' in page.text and "fewer than a fixed overlap of 4" in page.text
    with engine.begin() as conn:
        work_rules.update_rules(conn, project.name, changes={"overlap": None})
        plain = build_report(conn, get_project(conn, project.name), utcnow(),
                             store_consensus=False)
    assert "overlap" not in plain.as_json() and "Adaptive overlap" not in render_text(plain)
    assert 'id="overlap-title"' not in api.get("/projects/prefs/dashboard").text
