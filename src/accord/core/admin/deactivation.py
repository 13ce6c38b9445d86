"""Deactivating a person: they can no longer act, and nothing they did is lost.

At once, in one transaction: the account is marked inactive (every token lookup and session
check asks for an active user), their login sessions are deleted and their API tokens
revoked, and the leases they hold are released so that others can take the tasks. Their
annotations, reviews and audit events stay. Reactivation lets them log in again with their
password; an administrator issues them a new API token (``accounts.reset_tokens``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, select, text, update

from accord.core.admin.accounts import Account, account
from accord.core.admin.authority import Actor, record, require_admin
from accord.core.errors import Conflict
from accord.core.people.users import get_user
from accord.core.tasks.queue import queue_after
from accord.db.tables import api_tokens, assignments, login_sessions, users

_RELEASE = text(f"UPDATE tasks SET taken = taken - 1, queue = {queue_after('taken - 1')} "
                "WHERE id = :task_id AND NOT is_gold")


@dataclass(frozen=True)
class Deactivation:
    account: Account
    leases_released: int
    tokens_revoked: int
    sessions_ended: int


def deactivate(conn: Connection, actor: Actor, name: str, now: datetime) -> Deactivation:
    """Stop ``name`` acting (administrators; never oneself)."""
    require_admin(actor, "deactivating users")
    user = get_user(conn, name)
    if actor is not None and actor.id == user.id:
        raise Conflict("you cannot deactivate yourself; ask another administrator")
    if not account(conn, name).active:
        raise Conflict(f'user "{name}" is already deactivated')
    conn.execute(update(users).where(users.c.id == user.id)
                 .values(active=False, deactivated_at=now))
    sessions = conn.execute(delete(login_sessions)
                            .where(login_sessions.c.user_id == user.id)).rowcount
    tokens = conn.execute(update(api_tokens).where(
        api_tokens.c.user_id == user.id, api_tokens.c.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount
    released = _release_leases(conn, user.id, now)
    record(conn, actor, "user.deactivated", name, now, leases_released=released,
           tokens_revoked=tokens, sessions_ended=sessions)
    return Deactivation(account(conn, name), released, tokens, sessions)


def _release_leases(conn: Connection, user_id: int, now: datetime) -> int:
    """Expire the user's active leases and give each task its slot back."""
    held = conn.execute(select(assignments.c.id, assignments.c.task_id).where(
        assignments.c.annotator_id == user_id, assignments.c.status == "active")).all()
    released = 0
    for lease in held:
        changed = conn.execute(update(assignments).where(
            assignments.c.id == lease.id, assignments.c.status == "active")
            .values(status="expired", finished_at=now)).rowcount
        if changed:
            conn.execute(_RELEASE, {"task_id": lease.task_id})
            released += 1
    return released


def reactivate(conn: Connection, actor: Actor, name: str, now: datetime) -> Account:
    """Let a deactivated user log in again (their revoked tokens stay revoked)."""
    require_admin(actor, "reactivating users")
    if account(conn, name).active:
        raise Conflict(f'user "{name}" is active')
    conn.execute(update(users).where(users.c.name == name)
                 .values(active=True, deactivated_at=None))
    record(conn, actor, "user.reactivated", name, now)
    return account(conn, name)
