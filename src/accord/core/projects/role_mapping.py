"""The single sign-on role mapping: values of one ID token claim (usually ``groups``) to
Accord's administrator flag and project roles.

Configured as a JSON object (``ACCORD_OIDC_ROLE_MAPPING``)::

    {"accord-admins": "admin",
     "rlhf-annotators": {"project": "demo", "role": "annotator"},
     "rlhf-leads": [{"project": "demo", "role": "manager"},
                    {"project": "demo", "role": "reviewer"}]}

It is applied on every login: the roles it grants are added, the roles it granted before and
grants no more are removed, and roles a person gave by hand in Accord are never touched
(``mapped_memberships`` remembers which memberships are the mapping's).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from accord.core.errors import InvalidInput
from accord.core.people.external_identities import LinkedUser, set_mapped_admin
from accord.core.people.users import User
from accord.core.projects.project import ROLES
from accord.db.inserts import insert_one
from accord.db.tables import mapped_memberships, memberships, projects

ADMIN = "admin"


@dataclass(frozen=True, order=True)
class ProjectRole:
    project: str
    role: str

    def __str__(self) -> str:
        return f"{self.role} of {self.project}"


@dataclass(frozen=True)
class Grants:
    """What one person's claim values earn them."""

    admin: bool
    roles: frozenset[ProjectRole]


@dataclass(frozen=True)
class RoleMapping:
    admin_values: frozenset[str] = frozenset()
    project_roles: Mapping[str, tuple[ProjectRole, ...]] = field(default_factory=dict)

    def grants(self, values: frozenset[str]) -> Grants:
        roles = {grant for value in values for grant in self.project_roles.get(value, ())}
        return Grants(bool(values & self.admin_values), frozenset(roles))


@dataclass(frozen=True)
class MappingChanges:
    """What one login's mapping changed, for the audit trail and the person's page."""

    user: User
    added: tuple[ProjectRole, ...] = ()
    removed: tuple[ProjectRole, ...] = ()
    admin: str | None = None
    """``"granted"`` or ``"revoked"`` when the mapping changed the administrator flag."""
    missing_projects: tuple[str, ...] = ()
    """Projects the mapping names that do not exist (yet): nothing was granted there."""


# ── reading the mapping ─────────────────────────────────────────────────────────────────


def parse_role_mapping(text: str, source: str = "ACCORD_OIDC_ROLE_MAPPING") -> RoleMapping:
    """The mapping in ``text`` (JSON); an error names ``source`` and the entry that is wrong."""
    if not text.strip():
        return RoleMapping()
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInput(f"{source} is not valid JSON: {error.msg} at line {error.lineno}, "
                           f"column {error.colno}") from None
    if not isinstance(document, dict):
        raise InvalidInput(f"{source} must be a JSON object from claim values to roles")
    admins: set[str] = set()
    project_roles: dict[str, tuple[ProjectRole, ...]] = {}
    for value, target in document.items():
        where = f"{source}: {json.dumps(value)}"
        entries = target if isinstance(target, list) else [target]
        if not entries:
            raise InvalidInput(f"{where} grants nothing (an empty list)")
        roles = []
        for entry in entries:
            if entry == ADMIN:
                admins.add(value)
            else:
                roles.append(_project_role(entry, where))
        if roles:
            project_roles[value] = tuple(roles)
    return RoleMapping(frozenset(admins), project_roles)


def _project_role(entry: Any, where: str) -> ProjectRole:
    if not isinstance(entry, dict) or set(entry) != {"project", "role"}:
        raise InvalidInput(f'{where} must map to "admin" or to {{"project": NAME, "role": ROLE}}'
                           f" (or a list of them), not {json.dumps(entry)}")
    project, role = entry["project"], entry["role"]
    if not isinstance(project, str) or not project:
        raise InvalidInput(f"{where}: project must be a project's name, not {json.dumps(project)}")
    if role not in ROLES:
        raise InvalidInput(f"{where}: role {json.dumps(role)} is not one of {', '.join(ROLES)}")
    return ProjectRole(project, role)


def claim_values(claims: Mapping[str, Any], claim: str) -> frozenset[str]:
    """The strings the ID token's ``claim`` holds: a list of strings or one string.

    A dotted name walks into objects (Keycloak's ``realm_access.roles``); a claim that is
    absent or of another shape holds nothing.
    """
    value: Any = claims
    for part in claim.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


# ── applying it at a login ──────────────────────────────────────────────────────────────


def apply_grants(conn: Connection, linked: LinkedUser, grants: Grants,
                 now: datetime) -> MappingChanges:
    """Make the user's mapped roles exactly ``grants``; hand-given roles stay as they are."""
    user, admin_change = _apply_admin(conn, linked, grants.admin)
    named = sorted({g.project for g in grants.roles})
    project_ids: dict[str, int] = {name: id_ for name, id_ in conn.execute(
        select(projects.c.name, projects.c.id).where(projects.c.name.in_(named)))}
    held = _memberships_of(conn, user.id)
    wanted = {(project_ids[g.project], g.role): g for g in grants.roles if g.project in project_ids}
    added = [_grant(conn, user.id, key, grant, now) for key, grant in sorted(wanted.items())
             if key not in held]
    removed = [_revoke(conn, membership_id, grant) for key, (membership_id, mapped, grant)
               in sorted(held.items()) if mapped and key not in wanted]
    missing = sorted({g.project for g in grants.roles} - set(project_ids))
    return MappingChanges(user, tuple(added), tuple(removed), admin_change, tuple(missing))


def _apply_admin(conn: Connection, linked: LinkedUser, granted: bool) -> tuple[User, str | None]:
    if granted and not linked.user.is_admin:
        return set_mapped_admin(conn, linked, True, True), "granted"
    if not granted and linked.granted_admin:
        return set_mapped_admin(conn, linked, False, False), "revoked"
    return linked.user, None


def _memberships_of(conn: Connection,
                    user_id: int) -> dict[tuple[int, str], tuple[int, bool, ProjectRole]]:
    """(project id, role) → (membership id, granted by the mapping, the role by name)."""
    rows = conn.execute(
        select(memberships.c.id, memberships.c.project_id, memberships.c.role, projects.c.name,
               mapped_memberships.c.membership_id.is_not(None).label("mapped"))
        .join(projects, projects.c.id == memberships.c.project_id)
        .outerjoin(mapped_memberships, mapped_memberships.c.membership_id == memberships.c.id)
        .where(memberships.c.user_id == user_id)
    )
    return {(r.project_id, r.role): (r.id, bool(r.mapped), ProjectRole(r.name, r.role))
            for r in rows}


def _grant(conn: Connection, user_id: int, key: tuple[int, str], grant: ProjectRole,
           now: datetime) -> ProjectRole:
    membership_id = insert_one(conn, insert(memberships).values(
        project_id=key[0], user_id=user_id, role=key[1], created_at=now))
    conn.execute(insert(mapped_memberships).values(membership_id=membership_id))
    return grant


def _revoke(conn: Connection, membership_id: int, grant: ProjectRole) -> ProjectRole:
    conn.execute(delete(mapped_memberships)
                 .where(mapped_memberships.c.membership_id == membership_id))
    conn.execute(delete(memberships).where(memberships.c.id == membership_id))
    return grant
