"""One clock for every route: a test that sets ``app.state.clock`` moves time for the
guideline editor, the escalation queue and the login session alike, not only for the
annotation loop (these routes read the real clock before)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from accord.db.tables import audit_events
from tests.factories import add_comparison, make_project, make_user
from tests.web.conftest import bearer, log_in
from tests.web.routing_helpers import START, use_clock

GUIDELINES = "/api/v1/projects/prefs/guidelines"


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def test_a_guideline_is_drafted_and_published_at_the_apps_clock(api, engine):
    project = make_project(engine)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    clock = use_clock(api)
    created = api.post(GUIDELINES, headers=boss, json={"text": "Rank best first."})
    assert created.status_code == 201, created.text
    assert _at(created.json()["created_at"]) == START
    later = clock.advance(days=3, hours=2)
    published = api.post(f"{GUIDELINES}/1/publish", headers=boss)
    assert published.status_code == 200, published.text
    assert _at(published.json()["published_at"]) == later


def test_an_escalation_moves_on_at_the_apps_clock(api, engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad")
    ann = bearer(make_user(engine, "ann", project=project, roles=("annotator",)).token)
    safe = bearer(make_user(engine, "safe", project=project,
                            roles=("safety_specialist",)).token)
    clock = use_clock(api)
    claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=ann).json()
    api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit", headers=ann,
             json={"ranking": [["a"], ["b"]], "flags": ["unsafe"], "rationale": "harm"})
    [item] = api.get("/api/v1/projects/prefs/escalations", headers=safe).json()
    later = clock.advance(hours=5)
    moved = api.post(f"/api/v1/projects/prefs/escalations/{item['id']}", headers=safe,
                     json={"status": "in_review"})
    assert moved.status_code == 204, moved.text
    with engine.connect() as conn:
        stamped = conn.execute(select(audit_events.c.at)
                               .where(audit_events.c.action == "escalation.in_review")
                               ).scalar_one()
    assert stamped == later


def test_a_login_session_ends_by_the_apps_clock(api, engine):
    """The cookie check in ``web.deps`` measures the session's expiry at the app's clock."""
    project = make_project(engine)
    make_user(engine, "ann", project=project, roles=("annotator",), password="pw")
    clock = use_clock(api)
    log_in(api, "ann", "pw")
    assert api.get("/api/v1/me").status_code == 200
    clock.advance(hours=1, minutes=59)
    assert api.get("/api/v1/me").status_code == 200  # used: the session slides on
    clock.advance(hours=2, minutes=1)
    ended = api.get("/api/v1/me")
    assert ended.status_code == 401
    assert ended.json()["error"]["message"] == "your session has ended; log in again"
    page = api.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
