"""A password login in two transactions, with the slow password hash between them.

scrypt takes tens of milliseconds of CPU by design. Run inside a request's transaction it
would hold the database (on SQLite, the one writer connection on the event loop) and stall
every other request while it hashes. So the server asks ``begin`` (the throttle counts the
attempt and the stored hash is read), checks the password on a worker thread, and then asks
``finish`` (the session starts, the throttle forgives). ``sessions.log_in`` does all three in
one transaction, for callers that hold no event loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from accord.core.errors import Unauthenticated
from accord.core.people import login_throttle, sessions
from accord.core.people.login_throttle import LockedOut, Subject, ThrottleLimits
from accord.core.people.users import LOGIN_FAILED, NAME_PATTERN, User, password_holder


@dataclass(frozen=True)
class Candidate:
    """An attempt the throttle let through: the user it names, if any, and the hash their
    password is checked against (None for an unknown name or a user without a password:
    ``verify_password`` still hashes once, so timing tells nothing apart)."""

    attempt: tuple[Subject, ...]
    user: User | None
    password_hash: str | None


def begin(conn: Connection, name: str, address: str, limits: ThrottleLimits,
          now: datetime) -> Candidate | LockedOut:
    """Count the attempt and read what the password must match, or refuse it unread.

    A name no user can have (``NAME_PATTERN``) is counted against the address alone, so the
    throttle's table never holds arbitrary text as an account.
    """
    account = name if NAME_PATTERN.match(name) else None
    attempt = login_throttle.subjects(account, address, limits)
    locked = login_throttle.admit(conn, attempt, limits.window, now)
    if locked is not None:
        return locked
    holder = password_holder(conn, name) if account is not None else None
    if holder is None:
        return Candidate(attempt, None, None)
    return Candidate(attempt, *holder)


def finish(conn: Connection, candidate: Candidate, password_matches: bool,
           now: datetime) -> sessions.NewSession:
    """Start the session of a matching password; a wrong one stays counted as a failure."""
    if not password_matches or candidate.user is None:
        raise Unauthenticated(LOGIN_FAILED)
    login_throttle.forgive(conn, candidate.attempt)
    return sessions.start_session(conn, candidate.user, now)
