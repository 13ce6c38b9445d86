"""The audit trail: who changed what a task's consensus is, when, and why.

Every decision that changes a task's consensus or the rules it is judged by (an
adjudication, an escalation opened or moved, a guideline version published) writes one
``audit_events`` row through :func:`record`, on the caller's connection, so the event and
the decision commit or roll back together. Events are only ever inserted; nothing edits or
deletes them. Reading them is for managers (:func:`events`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select

from accord.core.errors import Forbidden, InvalidInput
from accord.core.paging import Page, check_page, id_cursor, page_of
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import project_for_member
from accord.db.tables import audit_events, users

MAX_EVENTS = 1000
DEFAULT_EVENTS = 200


@dataclass(frozen=True)
class AuditEvent:
    id: int
    at: datetime
    actor: str | None
    """The person's name; None for the command line (run as the database's owner) or a
    person since deleted."""
    action: str
    subject: str
    details: dict[str, Any]


def record(conn: Connection, *, project_id: int | None, actor_id: int | None, action: str,
           subject: str, details: dict[str, Any], now: datetime) -> None:
    """Write one event in the caller's transaction (so it stands or falls with the change)."""
    conn.execute(insert(audit_events).values(
        at=now, actor_id=actor_id, project_id=project_id, action=action,
        subject=subject[:255], details=details,
    ))


def events(conn: Connection, user: User, project_name: str, *, action: str | None = None,
           limit: int = DEFAULT_EVENTS, after: str | None = None) -> Page[AuditEvent]:
    """The project's events, newest first, a page at a time; ``action`` keeps one kind (or
    a prefix ending in a dot, such as ``escalation.``). ``after`` is the ``next`` of the
    previous page (the id of its last event): the events after it in this order (keyset
    paging, so events recorded meanwhile neither repeat nor shift a page)."""
    project, roles = project_for_member(conn, project_name, user)
    if not access.can_manage(user, roles):
        raise Forbidden(f'the audit trail of "{project.name}" is for its managers')
    check_page(limit, after, MAX_EVENTS)
    last = id_cursor(after, f'the audit trail of "{project.name}"')
    query = (
        select(audit_events, users.c.name)
        .outerjoin(users, users.c.id == audit_events.c.actor_id)
        .where(audit_events.c.project_id == project.id)
        .order_by(audit_events.c.at.desc(), audit_events.c.id.desc())
        .limit(limit + 1)
    )
    if action:
        query = query.where(audit_events.c.action.startswith(action, autoescape=True)
                            if action.endswith(".") else audit_events.c.action == action)
    if last is not None:
        query = query.where(_after_in_trail(conn, project.id, project.name, last))
    found = [AuditEvent(r.id, r.at, r.name, r.action, r.subject, r.details or {})
             for r in conn.execute(query)]
    return page_of(found, limit, "id")


def _after_in_trail(conn: Connection, project_id: int, project_name: str, event_id: int):
    """Events that come after ``event_id`` newest first: older, or as old with a lower id."""
    at = conn.execute(select(audit_events.c.at).where(
        audit_events.c.id == event_id, audit_events.c.project_id == project_id)).scalar()
    if at is None:
        raise InvalidInput(f'after: {event_id} is not an event of the audit trail of '
                           f'"{project_name}"')
    return or_(audit_events.c.at < at,
               and_(audit_events.c.at == at, audit_events.c.id < event_id))
