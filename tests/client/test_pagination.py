"""The audit trail pages lazily: each page is fetched when iteration reaches it, the next
one starts after the cursor the previous gave (``next`` → ``?after=``), and every event comes once,
in order, even when several share a timestamp."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from itertools import islice

import httpx

from accord.client import AsyncClient, Client
from accord.core.projects import project as project_rules
from accord.core.review import audit
from accord.db.types import utcnow
from accord.demo.seed import PROJECT
from tests.client.scripted_server import scripted_server


def _record_events(engine, count: int) -> None:
    """``count`` escalation events, all but the first two at one instant (ties on ``at``)."""
    now = utcnow() + timedelta(minutes=5)
    with engine.begin() as conn:
        project = project_rules.get_project(conn, PROJECT)
        for number in range(count):
            at = now - timedelta(seconds=2 - number) if number < 2 else now
            audit.record(conn, project_id=project.id, actor_id=None,
                         action="escalation.opened", subject=f"event {number}",
                         details={"number": number}, now=at)


def test_the_audit_trail_iterates_across_pages_newest_first_each_event_once(live_demo):
    _record_events(live_demo.engine, 7)
    with Client(live_demo.base, live_demo.tokens["admin"]) as client:
        paged = list(client.audit(PROJECT, page_size=3))
        whole = list(client.audit(PROJECT, page_size=1000))
        opened = [e.subject for e in client.audit(PROJECT, action="escalation.", page_size=2)]
    assert [e.id for e in paged] == [e.id for e in whole]
    assert len({e.id for e in paged}) == len(paged) == 8
    assert opened == [f"event {n}" for n in (6, 5, 4, 3, 2, 1, 0)]
    assert paged[-1].action == "guideline.published"


def test_the_async_client_pages_the_same_trail(live_demo):
    _record_events(live_demo.engine, 4)

    async def read():
        async with AsyncClient(live_demo.base, live_demo.tokens["admin"]) as client:
            return [event.subject async for event in client.audit(PROJECT, page_size=2)]

    assert asyncio.run(read()) == ["event 3", "event 2", "event 1", "event 0",
                                   "guideline version 1"]


def test_a_cursor_that_is_not_an_event_of_the_project_is_refused(live_demo):
    answer = httpx.get(f"{live_demo.base}/api/v1/projects/{PROJECT}/audit",
                       params={"after": "999999"},
                       headers={"Authorization": f"Bearer {live_demo.tokens['admin']}"})
    assert answer.status_code == 422
    assert answer.json()["error"]["message"] == (
        'after: 999999 is not an event of the audit trail of "demo"')


def _event(number: int) -> dict:
    return {"id": number, "at": "2026-01-02T03:04:05Z", "actor": None,
            "action": "guideline.published", "subject": f"event {number}", "details": {}}


def test_a_page_is_fetched_only_when_the_iteration_reaches_it():
    pages = [(200, {}, {"items": [_event(9), _event(8)], "next": "8"}),
             (200, {}, {"items": [_event(7), _event(6)], "next": "6"}),
             (200, {}, {"items": [_event(5)], "next": None})]
    with scripted_server(*pages[:2], *pages) as (base, script), Client(base, "acc_test") as client:
        trail = client.audit("p", page_size=2)
        first_three = [event.id for event in islice(trail, 3)]
        assert first_three == [9, 8, 7] and len(script.received) == 2
        assert [event.id for event in trail] == [9, 8, 7, 6, 5]
    assert len(script.received) == 5, "a new iteration starts again from the first page"
    cursors = [dict(request.query).get("after") for request in script.received]
    assert cursors == [None, "8", None, "8", "6"]
    assert all(dict(request.query)["limit"] == "2" for request in script.received)
