"""A project's members and their roles: listed, set and removed by the project's managers
(and administrators everywhere), through ``/api/v1/projects/{project}/members`` and
``accord project members / set-roles / remove-member``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from accord.core.admin.authority import Actor, managed_project, record
from accord.core.admin.paging import Page, check_page, page_of
from accord.core.errors import Forbidden, InvalidInput, NotFound
from accord.core.people.users import User, get_user
from accord.core.projects.project import ROLES, Project, roles_of
from accord.db.tables import memberships, users


@dataclass(frozen=True)
class Member:
    name: str
    kind: str
    active: bool
    roles: list[str]
    """In the order of ``ROLES``."""


def _ordered(roles) -> list[str]:
    return [r for r in ROLES if r in roles]


def check_roles(roles: list[str]) -> list[str]:
    """At least one known role, each once."""
    if not roles:
        raise InvalidInput(f"roles must name at least one of {', '.join(ROLES)} "
                           "(to remove a member, delete the membership)")
    for role in roles:
        if role not in ROLES:
            raise InvalidInput(f'role "{role}" is not one of {", ".join(ROLES)}')
    if len(set(roles)) != len(roles):
        raise InvalidInput("roles repeat: " + ", ".join(roles))
    return _ordered(roles)


def _member(conn: Connection, project: Project, name: str) -> tuple[User, Member]:
    user = get_user(conn, name)
    row = conn.execute(select(users.c.active).where(users.c.id == user.id)).one()
    roles = roles_of(conn, project.id, user.id)
    return user, Member(user.name, user.kind, bool(row.active), _ordered(roles))


def list_members(conn: Connection, actor: Actor, project_name: str, *, limit: int = 100,
                 after: str | None = None) -> Page[Member]:
    """The project's members by name, a page at a time."""
    project = managed_project(conn, actor, project_name, "the member list")
    check_page(limit, after)
    names = (select(users.c.name).join(memberships, memberships.c.user_id == users.c.id)
             .where(memberships.c.project_id == project.id).distinct()
             .order_by(users.c.name).limit(limit + 1))
    if after is not None:
        names = names.where(users.c.name > after)
    chosen = [r.name for r in conn.execute(names)]
    rows = conn.execute(
        select(users.c.name, users.c.kind, users.c.active, memberships.c.role)
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(memberships.c.project_id == project.id, users.c.name.in_(chosen))
    ).all()
    found: dict[str, Member] = {}
    for row in rows:
        held = found.setdefault(row.name, Member(row.name, row.kind, bool(row.active), []))
        held.roles.append(row.role)
    members = [Member(m.name, m.kind, m.active, _ordered(m.roles))
               for m in (found[n] for n in chosen)]
    return page_of(members, limit, "name")


def member(conn: Connection, actor: Actor, project_name: str, name: str) -> Member:
    """One member's roles; a user who is no member answers NotFound."""
    project = managed_project(conn, actor, project_name, "the member list")
    _, found = _member(conn, project, name)
    if not found.roles:
        raise NotFound(f'user "{name}" is not a member of "{project.name}"')
    return found


def set_roles(conn: Connection, actor: Actor, project_name: str, name: str,
              roles: list[str], now: datetime) -> Member:
    """Make ``roles`` the user's roles in the project (adding the membership if needed)."""
    project = managed_project(conn, actor, project_name, "managing members")
    wanted = check_roles(roles)
    user, before = _member(conn, project, name)
    _keep_own_management(actor, user, wanted, project)
    conn.execute(delete(memberships).where(
        memberships.c.project_id == project.id, memberships.c.user_id == user.id,
        memberships.c.role.not_in(wanted)))
    added = [r for r in wanted if r not in before.roles]
    if added:
        conn.execute(insert(memberships), [
            {"project_id": project.id, "user_id": user.id, "role": r, "created_at": now}
            for r in added])
    record(conn, actor, "member.roles_set", name, now, project=project,
           before=before.roles, after=wanted)
    return Member(before.name, before.kind, before.active, wanted)


def remove(conn: Connection, actor: Actor, project_name: str, name: str,
           now: datetime) -> None:
    """End the user's membership (every role); their past work stays in the project."""
    project = managed_project(conn, actor, project_name, "managing members")
    user, before = _member(conn, project, name)
    if not before.roles:
        raise NotFound(f'user "{name}" is not a member of "{project.name}"')
    _keep_own_management(actor, user, [], project)
    conn.execute(delete(memberships).where(
        memberships.c.project_id == project.id, memberships.c.user_id == user.id))
    record(conn, actor, "member.removed", name, now, project=project, before=before.roles)


def _keep_own_management(actor: Actor, user: User, wanted: list[str], project: Project) -> None:
    """A manager cannot take away their own management (an administrator or another
    manager can): otherwise one request could lock them out of the page they stand on."""
    if (actor is not None and not actor.is_admin and actor.id == user.id
            and "manager" not in wanted):
        raise Forbidden(f'you cannot remove your own manager role in "{project.name}"; '
                        "ask another manager or an administrator")
