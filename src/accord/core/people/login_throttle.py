"""How many password guesses an account and an address get: a window of failures each.

Every login attempt is counted as a failure *before* its password is hashed, in one
conditional upsert per subject (the account named, the address it came from), so
simultaneous attempts can never slip past the limit together, and a refused attempt costs
no hash at all. A correct password then takes its count back: the account's count is reset,
the address's attempt returned. Once a subject has used up its failures, every attempt is
refused (a correct password too) until its window, which starts at its first failure, has
passed.

The counts live in a table (``login_throttle``), not in one process's memory, so several
server processes (``accord serve --workers N``, or several servers on one PostgreSQL) share
them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from accord.db.tables import login_throttle

Scope = Literal["account", "address"]


@dataclass(frozen=True)
class ThrottleLimits:
    """Failures allowed in one window, per account and per address."""

    per_account: int
    per_address: int
    window: timedelta


@dataclass(frozen=True)
class Subject:
    """Who is counted: an account name or an address, within its limit."""

    scope: Scope
    key: str
    limit: int


@dataclass(frozen=True)
class LockedOut:
    """An attempt refused unread: ``subject`` used up its failures until ``retry_after``."""

    scope: Scope
    retry_after: timedelta

    @property
    def retry_after_seconds(self) -> int:
        """Whole seconds to wait (at least one), as ``Retry-After`` says it."""
        return max(1, math.ceil(self.retry_after.total_seconds()))


def subjects(account: str | None, address: str, limits: ThrottleLimits) -> tuple[Subject, ...]:
    """The address first: an address that guesses at many accounts is stopped by its own
    limit before it can use up theirs. ``account`` is None for a name no user can have."""
    by_address = Subject("address", address, limits.per_address)
    if account is None:
        return (by_address,)
    return by_address, Subject("account", account, limits.per_account)


def _count_attempt(conn: Connection, subject: Subject, now: datetime) -> bool:
    """Count one failure against ``subject`` unless it has none left; True if counted.

    One statement, so two simultaneous attempts cannot both take the last failure.
    """
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(login_throttle).values(
        scope=subject.scope, key=subject.key, failures=1, window_started_at=now,
    ).on_conflict_do_update(
        index_elements=[login_throttle.c.scope, login_throttle.c.key],
        set_={"failures": login_throttle.c.failures + 1},
        where=login_throttle.c.failures < subject.limit,
    ).returning(login_throttle.c.failures)
    # Whether the upsert wrote a row: RETURNING tells on both drivers, the row count not.
    return conn.execute(statement).first() is not None


def _window_left(conn: Connection, subject: Subject, window: timedelta,
                 now: datetime) -> timedelta:
    started = conn.execute(
        select(login_throttle.c.window_started_at).where(
            login_throttle.c.scope == subject.scope, login_throttle.c.key == subject.key)
    ).scalar_one()
    return started + window - now


def admit(conn: Connection, attempt: tuple[Subject, ...], window: timedelta,
          now: datetime) -> LockedOut | None:
    """Count the attempt against each subject, or say which one refuses it and for how long.

    Windows that have ended are deleted first: their subjects start afresh, and the table
    holds only live counts.
    """
    conn.execute(delete(login_throttle).where(login_throttle.c.window_started_at <= now - window))
    for subject in attempt:
        if not _count_attempt(conn, subject, now):
            return LockedOut(subject.scope, _window_left(conn, subject, window, now))
    return None


def forgive(conn: Connection, attempt: tuple[Subject, ...]) -> None:
    """A correct password: the account starts afresh; the address gets its attempt back."""
    for subject in attempt:
        where = (login_throttle.c.scope == subject.scope) & (login_throttle.c.key == subject.key)
        if subject.scope == "account":
            conn.execute(delete(login_throttle).where(where))
        else:
            conn.execute(update(login_throttle).where(where, login_throttle.c.failures > 0)
                         .values(failures=login_throttle.c.failures - 1))
