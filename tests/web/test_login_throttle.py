"""Password guessing at /login is throttled per account and per address, and the password
hash never holds the event loop that answers everyone else."""

from __future__ import annotations

import asyncio
import threading

import anyio
import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from accord.core.people import passwords
from accord.db.tables import login_throttle
from accord.settings import Settings
from accord.web.app import create_app
from accord.web.pages import auth
from tests.factories import make_user
from tests.web.conftest import bearer
from tests.web.routing_helpers import use_clock

BASE = "http://accord.test"
LIMITS = {"login_failures_per_account": 3, "login_failures_per_address": 5,
          "login_window_seconds": 600}


def _site(db_url: str, address: str = "203.0.113.7") -> TestClient:
    app = create_app(Settings(database_url=db_url, **LIMITS))
    return TestClient(app, base_url=BASE, client=(address, 50000))


def _log_in(client: TestClient, name: str, password: str):
    return client.post("/login", data={"username": name, "password": password},
                       follow_redirects=False)


def test_an_account_is_locked_after_its_failures_even_for_the_right_password(db_url, engine):
    make_user(engine, "ann", password="right")
    with _site(db_url) as site:
        clock = use_clock(site)
        for _ in range(3):
            assert _log_in(site, "ann", "wrong").status_code == 401
        locked = _log_in(site, "ann", "right")
        assert locked.status_code == 429
        assert locked.headers["retry-after"] == "600"
        assert "Too many failed logins for this account" in locked.text
        assert "set-cookie" not in locked.headers
        clock.advance(minutes=4)
        assert _log_in(site, "ann", "right").headers["retry-after"] == "360"
        clock.advance(minutes=6)
        assert _log_in(site, "ann", "right").status_code == 303


def test_a_correct_password_starts_the_accounts_count_afresh(db_url, engine):
    make_user(engine, "ann", password="right")
    with _site(db_url) as site:
        for _ in range(2):
            assert _log_in(site, "ann", "wrong").status_code == 401
        assert _log_in(site, "ann", "right").status_code == 303
        for _ in range(3):
            assert _log_in(site, "ann", "wrong").status_code == 401
        assert _log_in(site, "ann", "wrong").status_code == 429


def test_an_address_is_locked_whatever_accounts_it_tries(db_url, engine):
    for name in ("ann", "bob", "cy"):
        make_user(engine, name, password="right")
    with _site(db_url) as site:
        for name in ("ann", "ann", "bob", "bob", "nobody"):
            assert _log_in(site, name, "wrong").status_code == 401
        refused = _log_in(site, "cy", "right")
        assert refused.status_code == 429
        assert "from this address" in refused.text
    with _site(db_url, address="198.51.100.2") as elsewhere:
        assert _log_in(elsewhere, "cy", "right").status_code == 303


def test_logins_that_succeed_do_not_use_up_the_address(db_url, engine):
    """An office behind one address logs in all day: only failures count."""
    make_user(engine, "ann", password="right")
    with _site(db_url) as site:
        for _ in range(12):
            assert _log_in(site, "ann", "right").status_code == 303


def test_the_throttle_is_shared_by_every_server_process(db_url, engine):
    """The counts are rows, so a second app on the same database sees them."""
    make_user(engine, "ann", password="right")
    with _site(db_url) as first, _site(db_url, address="198.51.100.2") as second:
        for site in (first, second, first):
            assert _log_in(site, "ann", "wrong").status_code == 401
        assert _log_in(second, "ann", "right").status_code == 429
    with engine.connect() as conn:
        rows = conn.execute(select(login_throttle.c.key, login_throttle.c.failures))
        counted = {row.key: row.failures for row in rows}
    assert counted == {"ann": 3, "203.0.113.7": 2, "198.51.100.2": 2}


def test_names_no_user_can_have_count_against_the_address_only(db_url, engine):
    with _site(db_url) as site:
        assert _log_in(site, "x" * 5000, "wrong").status_code == 401
        assert _log_in(site, "bad\x00name", "wrong").status_code == 401
    with engine.connect() as conn:
        scopes = [row.scope for row in conn.execute(select(login_throttle.c.scope))]
    assert scopes == ["address"]


def test_other_requests_are_answered_while_a_password_hashes(db_url, engine, monkeypatch):
    """The hash runs on a worker thread: a request sent while it is running is answered
    before it ends. Told apart by the order of events, not by timing."""
    make_user(engine, "ann", password="right")
    token = make_user(engine, "reader").token
    hashing, release, hashed = threading.Event(), threading.Event(), threading.Event()

    def held_hash(password: str, stored: str | None) -> bool:
        hashing.set()
        release.wait(timeout=30)  # the test releases it; the bound only ends a broken run
        hashed.set()
        return passwords.verify_password(password, stored)

    monkeypatch.setattr(auth, "verify_password", held_hash)
    app = create_app(Settings(database_url=db_url))

    async def scenario() -> tuple[int, bool, int]:
        transport = httpx.ASGITransport(app=app)
        async with (app.router.lifespan_context(app),
                    httpx.AsyncClient(transport=transport, base_url=BASE) as client):
            login = asyncio.create_task(client.post(
                "/login", data={"username": "ann", "password": "right"}))
            await anyio.to_thread.run_sync(hashing.wait, 30)
            answer = await client.get("/api/v1/me", headers=bearer(token))
            answered_while_hashing = not hashed.is_set()
            release.set()
            return answer.status_code, answered_while_hashing, (await login).status_code

    me, answered_while_hashing, logged_in = asyncio.run(scenario())
    assert me == 200 and logged_in in (200, 303)
    assert answered_while_hashing
