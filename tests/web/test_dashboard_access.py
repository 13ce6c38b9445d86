"""The dashboard page and the report API answer each role alike: the dashboard is the
quality report drawn as charts, so reviewers, managers and administrators open both, and
annotators and safety specialists neither."""

from __future__ import annotations

import pytest

from tests.factories import make_project, make_user
from tests.review_helpers import split_task
from tests.web.conftest import bearer, log_in

ROLES = {"annotator": 403, "safety_specialist": 403, "reviewer": 200, "manager": 200}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_the_dashboard_page_and_the_report_api_agree_for_each_role(api, engine, role):
    project = make_project(engine)
    split_task(engine, project)
    member = make_user(engine, "member", project=project, roles=(role,), password="pw")
    report = api.get("/api/v1/projects/prefs/report", headers=bearer(member.token))
    log_in(api, "member", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert report.status_code == page.status_code == ROLES[role]
    home = api.get("/").text
    assert ('href="/projects/prefs/dashboard"' in home) == (ROLES[role] == 200)


def test_a_reviewer_reads_the_split_task_s_annotators_on_the_dashboard(api, engine):
    project = make_project(engine)
    split_task(engine, project)
    make_user(engine, "rev", project=project, roles=("reviewer",), password="pw")
    log_in(api, "rev", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert page.status_code == 200
    assert 'class="chart agreement-chart"' in page.text and "ann1" in page.text
