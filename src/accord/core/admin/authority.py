"""Who may administer what, asked by every function of ``core.admin`` before it acts.

The actor is the authenticated user, or None for the command line, which runs as the
database's owner and may do everything (as every other ``accord`` command does).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from accord.core.errors import Forbidden
from accord.core.people import access
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project, project_for_member
from accord.core.review import audit

Actor = User | None
"""The caller of an administrative function; None is the command line."""


def require_admin(actor: Actor, what: str) -> None:
    """Refuse anyone but an administrator (or the command line): ``what`` names the act."""
    if actor is not None and not actor.is_admin:
        raise Forbidden(f"{what} is for administrators")


def managed_project(conn: Connection, actor: Actor, name: str, what: str) -> Project:
    """The project ``name`` if the actor manages it (its managers, administrators).

    A project the actor may not see answers NotFound, as everywhere else; a member without
    the manager role is Forbidden.
    """
    if actor is None:
        return get_project(conn, name)
    project, roles = project_for_member(conn, name, actor)
    if not access.can_manage(actor, roles):
        raise Forbidden(f'{what} of "{project.name}" is for its managers')
    return project


def record(conn: Connection, actor: Actor, action: str, subject: str, now: datetime, *,
           project: Project | None = None, **details: Any) -> None:
    """One audit event for a change, in the change's own transaction."""
    audit.record(conn, project_id=None if project is None else project.id,
                 actor_id=None if actor is None else actor.id, action=action,
                 subject=subject, details=details, now=now)
