"""Helpers for the routing and calibration tests: a movable clock on the app, the loop's
calls as the contract names them, and items written through the real importer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.web.conftest import bearer

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    """The app's clock (``app.state.clock``): time moves only when a test moves it."""

    def __init__(self, at: datetime = START) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> datetime:
        self.at += timedelta(**delta)
        return self.at


def use_clock(api, at: datetime = START) -> Clock:
    clock = Clock(at)
    api.app.state.clock = clock
    return clock


def claim(api, token, project="prefs"):
    return api.get(f"/api/v1/projects/{project}/tasks/next", headers=bearer(token))


def submit(api, token, assignment_id, ranking, **extra):
    body = {"ranking": ranking, "strength": 2, "flags": [], "active_ms": 1000, **extra}
    return api.post(f"/api/v1/assignments/{assignment_id}/submit", json=body,
                    headers=bearer(token))


def claim_and_submit(api, token, ranking=(("a",), ("b",)), project="prefs"):
    """One task claimed and answered; returns the claim's JSON (None on 204)."""
    got = claim(api, token, project)
    if got.status_code == 204:
        return None
    body = got.json()
    stored = submit(api, token, body["assignment_id"], [list(g) for g in ranking])
    assert stored.status_code == 200, stored.text
    return body


def work_on_one(api, token, clock: Clock, minutes: float) -> None:
    """Claim a task, spend ``minutes`` on it by the clock, and submit it."""
    got = claim(api, token)
    assert got.status_code == 200, got.headers.get("Accord-Wait-Message")
    clock.advance(minutes=minutes)
    submit(api, token, got.json()["assignment_id"], [["a"], ["b"]])


def item(external_id: str, *, category: str = "qa", priority: int = 0,
         gold: list[list[str]] | None = None, explanation: str = "",
         domains: list[str] | None = None) -> dict:
    """A comparison as an import-file line; ``gold`` makes it a calibration item."""
    line = {"id": external_id, "kind": "comparison", "prompt": f"question {external_id}",
            "responses": [{"id": "a", "content": f"answer a to {external_id}"},
                          {"id": "b", "content": f"answer b to {external_id}"}],
            "category": category, "priority": priority}
    if gold is not None:
        line["gold"] = {"ranking": gold, **({"explanation": explanation} if explanation else {})}
    if domains:
        line["domains"] = domains
    return line
