"""Login sessions for people using the pages: random tokens, stored only as hashes.

A session ends at ``expires_at``, which slides forward while it is used (``IDLE_TIMEOUT``
after the last request) but never past ``MAX_LIFETIME`` after login: a forgotten browser on
a shared machine is logged out by the next morning, yet a working day with a lunch break
never is. The token travels in a cookie; the database holds its SHA-256, like API tokens, so
a copy of the database opens no session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from accord.core.errors import Unauthenticated
from accord.core.people.passwords import hash_token, new_session_token
from accord.core.people.users import User, authenticate_password
from accord.db.tables import login_sessions, users

IDLE_TIMEOUT = timedelta(hours=2)
MAX_LIFETIME = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
"""``last_seen_at`` is written at most this often: one write a minute, not one a request."""


@dataclass(frozen=True)
class NewSession:
    """A started session; ``token`` goes into the cookie and is never stored."""

    user: User
    token: str
    expires_at: datetime


def log_in(conn: Connection, name: str, password: str, now: datetime) -> NewSession:
    """Check the password and start a session; one message for every kind of failure.

    The password is hashed right here, inside the transaction: for scripts and tests. The
    server checks it on a worker thread between two transactions instead (``logins``).
    """
    return start_session(conn, authenticate_password(conn, name, password), now)


def start_session(conn: Connection, user: User, now: datetime, *,
                  id_token: str | None = None) -> NewSession:
    """A new session for ``user``, whose credentials were checked; ended sessions are
    deleted on the way. ``id_token``: the provider's, for a single sign-on login, sent back
    when the person signs out."""
    conn.execute(delete(login_sessions).where(login_sessions.c.expires_at <= now))
    token = new_session_token()
    expires = now + min(IDLE_TIMEOUT, MAX_LIFETIME)
    conn.execute(
        insert(login_sessions).values(
            user_id=user.id, token_hash=hash_token(token), created_at=now, last_seen_at=now,
            expires_at=expires, id_token=id_token,
        )
    )
    return NewSession(user, token, expires)


def authenticate_session(conn: Connection, token: str, now: datetime) -> User:
    """The active user whose unexpired session ``token`` is; slides the expiry forward."""
    row = conn.execute(
        select(
            login_sessions.c.id, login_sessions.c.created_at, login_sessions.c.last_seen_at,
            users.c.id.label("user_id"), users.c.name, users.c.kind, users.c.is_admin,
        )
        .join(users, users.c.id == login_sessions.c.user_id)
        .where(
            login_sessions.c.token_hash == hash_token(token),
            login_sessions.c.expires_at > now,
            users.c.active.is_(True),
        )
    ).first()
    if row is None:
        raise Unauthenticated("your session has ended; log in again")
    if now - row.last_seen_at >= TOUCH_EVERY:
        conn.execute(
            update(login_sessions)
            .where(login_sessions.c.id == row.id)
            .values(last_seen_at=now, expires_at=_expiry(row.created_at, now))
        )
    return User(row.user_id, row.name, row.kind, bool(row.is_admin))


def _expiry(created_at: datetime, now: datetime) -> datetime:
    return min(created_at + MAX_LIFETIME, now + IDLE_TIMEOUT)


def log_out(conn: Connection, token: str) -> str | None:
    """End the session ``token`` names; ending an unknown or ended session is no error.

    Returns the provider's ID token the session was started with (single sign-on), so
    that the sign-out can end the provider's session too; None otherwise.
    """
    ended = conn.execute(delete(login_sessions).where(
        login_sessions.c.token_hash == hash_token(token)).returning(login_sessions.c.id_token)
    ).first()
    return None if ended is None else ended.id_token
