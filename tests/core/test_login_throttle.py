"""The login throttle's counts: one atomic step per attempt, windows that end, forgiveness
for a correct password."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import select

from accord.core.people import login_throttle
from accord.core.people.login_throttle import LockedOut, ThrottleLimits
from accord.db.tables import login_throttle as throttle_rows
from accord.db.types import utcnow

LIMITS = ThrottleLimits(per_account=3, per_address=10, window=timedelta(minutes=10))


def _attempt(engine, at, account: str | None = "ann", address: str = "203.0.113.7"):
    with engine.begin() as conn:
        return login_throttle.admit(conn, login_throttle.subjects(account, address, LIMITS),
                                    LIMITS.window, at)


def _counts(engine) -> dict[tuple[str, str], int]:
    with engine.connect() as conn:
        rows = conn.execute(select(throttle_rows.c.scope, throttle_rows.c.key,
                                   throttle_rows.c.failures))
        return {(row.scope, row.key): row.failures for row in rows}


def test_simultaneous_attempts_never_get_past_the_limit(engine):
    """Eight threads, sixteen attempts, one account: exactly its three are let through."""
    now = utcnow()
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(lambda _: _attempt(engine, now), range(16)))
    assert sum(outcome is None for outcome in outcomes) == 3
    assert _counts(engine)[("account", "ann")] == 3


def test_a_locked_subject_says_how_long_is_left_and_an_ended_window_is_forgotten(engine):
    start = utcnow()
    for _ in range(3):
        assert _attempt(engine, start) is None
    locked = _attempt(engine, start + timedelta(minutes=4))
    assert isinstance(locked, LockedOut) and locked.scope == "account"
    assert locked.retry_after_seconds == 360
    assert _attempt(engine, start + LIMITS.window) is None
    assert _counts(engine) == {("account", "ann"): 1, ("address", "203.0.113.7"): 1}


def test_forgiving_resets_the_account_and_returns_the_addresss_attempt(engine):
    now = utcnow()
    for _ in range(2):
        _attempt(engine, now)
    with engine.begin() as conn:
        login_throttle.forgive(conn, login_throttle.subjects("ann", "203.0.113.7", LIMITS))
    assert _counts(engine) == {("address", "203.0.113.7"): 1}


def test_an_attempt_without_an_account_counts_only_its_address(engine):
    assert _attempt(engine, utcnow(), account=None) is None
    assert _counts(engine) == {("address", "203.0.113.7"): 1}
