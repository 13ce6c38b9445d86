"""The stored report: the dashboard and the report API read it, a background refresh brings it
up to date after annotations arrive, and no scope ever reads another's report."""

from __future__ import annotations

import threading
from datetime import timedelta

from accord.core.projects.project import get_project
from accord.core.report import cache
from accord.core.report.scope import Scope
from accord.db.types import utcnow
from accord.web.report_refresh import ReportRefresher
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer, log_in

REPORT = "/api/v1/projects/prefs/report"


def _annotate(api, token: str, tasks: int | None = None) -> int:
    """Claim and submit up to ``tasks`` tasks (all that are left when None); how many."""
    done = 0
    while tasks is None or done < tasks:
        claim = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token))
        if claim.status_code != 200:
            break
        body = claim.json()
        first, other = (r["id"] for r in body["task"]["responses"][:2])
        answer = api.post(f"/api/v1/assignments/{body['assignment_id']}/submit",
                          json={"ranking": [[first], [other]], "active_ms": 3000},
                          headers=bearer(token))
        assert answer.status_code in (200, 201), answer.text
        done += 1
    return done


def _team(engine, tasks: int = 4):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, tasks)
    people = [make_user(engine, n, project=project, roles=("annotator",)).token
              for n in ("x", "y")]
    lead = make_user(engine, "lead", project=project, roles=("manager",), password="pw").token
    return project, people, lead


def test_a_new_annotation_is_counted_after_the_background_refresh(api, engine):
    _, (x, y), lead = _team(engine)
    _annotate(api, x)
    first = api.get(REPORT, headers=bearer(lead))
    assert first.json()["counts"]["annotations"] == 4
    assert first.headers["X-Report-Annotations-Since"] == "0"

    _annotate(api, y, tasks=1)
    stale = api.get(REPORT, headers=bearer(lead))
    assert stale.json()["counts"]["annotations"] == 4
    assert stale.headers["X-Report-Annotations-Since"] == "1"

    assert api.app.state.reports.drain()
    fresh = api.get(REPORT, headers=bearer(lead))
    assert fresh.json()["counts"]["annotations"] == 5
    assert fresh.headers["X-Report-Annotations-Since"] == "0"


def test_the_report_s_age_is_shown_in_the_api_and_on_the_dashboard(api, engine):
    _, (x, y), lead = _team(engine)
    start = utcnow()
    api.app.state.clock = lambda: start
    _annotate(api, x)
    assert api.get(REPORT, headers=bearer(lead)).headers["Age"] == "0"
    _annotate(api, y, tasks=2)

    api.app.state.clock = lambda: start + timedelta(seconds=40)
    log_in(api, "lead", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert "Figures computed 40 s ago, 2 annotations since; refreshing." in page.text

    assert api.app.state.reports.drain()  # the page's view asked for the refresh
    later = api.get(REPORT, headers=bearer(lead))
    assert later.headers["Age"] == "0"
    assert later.headers["X-Report-Computed-At"] == (start + timedelta(seconds=40)).isoformat()
    assert later.headers["X-Report-Annotations-Since"] == "0"
    assert "Figures computed 0 s ago, up to date." in api.get("/projects/prefs/dashboard").text


def test_a_manager_may_ask_for_a_fresh_report_and_a_reviewer_may_not(api, engine):
    project, (x, y), lead = _team(engine)
    reviewer = make_user(engine, "rev", project=project, roles=("reviewer",)).token
    _annotate(api, x)
    api.get(REPORT, headers=bearer(lead))
    _annotate(api, y, tasks=1)

    refused = api.get(REPORT, params={"fresh": "true"}, headers=bearer(reviewer))
    assert refused.status_code == 403
    assert "fresh=true" in refused.text
    fresh = api.get(REPORT, params={"fresh": "true"}, headers=bearer(lead))
    assert fresh.json()["counts"]["annotations"] == 5
    assert fresh.headers["X-Report-Annotations-Since"] == "0"


def test_a_report_cut_by_scope_is_never_served_for_another_scope(api, engine):
    _, (x, _y), lead = _team(engine)
    _annotate(api, x)
    whole = api.get(REPORT, headers=bearer(lead)).json()
    with_ai = api.get(REPORT, params={"include_ai": "true"}, headers=bearer(lead)).json()
    again = api.get(REPORT, headers=bearer(lead)).json()
    assert whole["scope"]["include_ai"] is False and again["scope"]["include_ai"] is False
    assert with_ai["scope"]["include_ai"] is True
    assert cache.scope_key(Scope()) != cache.scope_key(Scope(include_ai=True))
    assert cache.scope_key(Scope((2, 1))) == cache.scope_key(Scope((1, 2)))


def test_refreshes_requested_while_one_runs_run_once_more_only_if_needed(api, engine):
    project, (x, y), _lead = _team(engine)
    _annotate(api, x, tasks=2)
    with engine.begin() as conn:
        stored_project = get_project(conn, project.name)
        cache.refresh(conn, stored_project, utcnow())
    _annotate(api, x, tasks=1)

    entered, release = threading.Event(), threading.Event()

    def held_clock():
        entered.set()
        assert release.wait(30)
        return utcnow()

    refresher = ReportRefresher(engine, held_clock)
    try:
        refresher.request(stored_project.id)
        assert entered.wait(30)
        for _ in range(5):  # views during the refresh queue one more, not five
            refresher.request(stored_project.id)
        release.set()
        assert refresher.drain()
        assert refresher.refreshes == 1  # the queued one found nothing new and computed nothing

        entered.clear()
        release.clear()
        _annotate(api, y, tasks=1)
        refresher.request(stored_project.id)
        assert entered.wait(30)
        _annotate(api, y, tasks=1)  # arrives while the refresh runs: its view queues one more
        refresher.request(stored_project.id)
        release.set()
        assert refresher.drain()
        # The running refresh read the newest annotation after the hold, so it counts both;
        # the queued one sees nothing new and computes nothing.
        assert refresher.refreshes == 2
    finally:
        release.set()
        refresher.close()
    with engine.connect() as conn:
        stored = cache.read(conn, stored_project, Scope())
    assert stored is not None and stored.annotations_since == 0
    assert stored.report.counts.annotations == 5
