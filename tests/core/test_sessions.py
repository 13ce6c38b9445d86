"""Login sessions: hashed tokens, sliding expiry within a maximum lifetime, one answer for
every failed login."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accord.core.errors import Unauthenticated
from accord.core.people import passwords, sessions
from accord.db.tables import login_sessions, users
from accord.db.types import utcnow
from tests.factories import make_user


def test_only_the_hash_of_a_session_token_is_stored(engine):
    make_user(engine, "ann", password="correct horse")
    with engine.begin() as conn:
        started = sessions.log_in(conn, "ann", "correct horse", utcnow())
        stored = conn.execute(select(login_sessions.c.token_hash)).scalar_one()
    assert started.token not in stored
    assert stored == hashlib.sha256(started.token.encode()).hexdigest()


def test_a_used_session_slides_on_but_never_past_its_maximum_lifetime(engine):
    make_user(engine, "ann", password="pw")
    start = utcnow()
    with engine.begin() as conn:
        token = sessions.log_in(conn, "ann", "pw", start).token
    now = start
    # Working all day, a request every 90 minutes: each one pushes the idle expiry on.
    while now + timedelta(minutes=90) < start + sessions.MAX_LIFETIME:
        now += timedelta(minutes=90)
        with engine.begin() as conn:
            assert sessions.authenticate_session(conn, token, now).name == "ann"
    with engine.begin() as conn, pytest.raises(Unauthenticated):
        sessions.authenticate_session(conn, token, start + sessions.MAX_LIFETIME)


def test_an_idle_session_ends_after_the_idle_timeout(engine):
    make_user(engine, "ann", password="pw")
    start = utcnow()
    with engine.begin() as conn:
        token = sessions.log_in(conn, "ann", "pw", start).token
    with engine.begin() as conn, pytest.raises(Unauthenticated, match="session has ended"):
        sessions.authenticate_session(conn, token, start + sessions.IDLE_TIMEOUT)


def test_logging_out_and_deactivation_end_sessions(engine):
    new = make_user(engine, "ann", password="pw")
    now = utcnow()
    with engine.begin() as conn:
        first = sessions.log_in(conn, "ann", "pw", now).token
        second = sessions.log_in(conn, "ann", "pw", now).token
        sessions.log_out(conn, first)
    with engine.begin() as conn, pytest.raises(Unauthenticated):
        sessions.authenticate_session(conn, first, now)
    with engine.begin() as conn:
        assert sessions.authenticate_session(conn, second, now).id == new.user.id
        conn.execute(update(users).where(users.c.id == new.user.id).values(active=False))
    with engine.begin() as conn, pytest.raises(Unauthenticated):
        sessions.authenticate_session(conn, second, now)


def test_unknown_users_and_wrong_passwords_cost_one_password_hash_each(engine, monkeypatch):
    """No timing oracle: the same scrypt run and the same message, whatever was wrong."""
    make_user(engine, "ann", password="right")
    make_user(engine, "nopass")
    calls = []
    real_scrypt = passwords.hashlib.scrypt
    monkeypatch.setattr(passwords.hashlib, "scrypt",
                        lambda *a, **k: calls.append(1) or real_scrypt(*a, **k))
    messages = []
    for name, password in (("ann", "wrong"), ("nobody", "wrong"), ("nopass", "")):
        calls.clear()
        with engine.begin() as conn, pytest.raises(Unauthenticated) as failure:
            sessions.log_in(conn, name, password, utcnow())
        assert len(calls) == 1, name
        messages.append(failure.value.message)
    assert len(set(messages)) == 1
