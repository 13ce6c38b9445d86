"""A login through the OpenID Connect provider, once its ID token has been validated.

One transaction: find or create the user behind (issuer, subject), apply the role mapping,
start the same login session a password login starts, and write the audit trail (the login,
and each project's role changes in that project's trail, where its managers read them).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select

from accord.core.errors import InvalidInput
from accord.core.people import sessions
from accord.core.people.external_identities import user_for_identity
from accord.core.projects.role_mapping import (
    MappingChanges,
    RoleMapping,
    apply_grants,
    claim_values,
)
from accord.db.tables import audit_events, projects

NAME_CLAIMS = ("preferred_username", "email", "name")
"""Where a new user's Accord name comes from, best first."""


@dataclass(frozen=True)
class SignedIn:
    session: sessions.NewSession
    created: bool
    changes: MappingChanges


def sign_in(conn: Connection, issuer: str, claims: Mapping[str, Any], mapping: RoleMapping,
            roles_claim: str, now: datetime, *, id_token: str | None = None) -> SignedIn:
    """Log in the person a validated ID token (``claims``) names; ``id_token``, the token
    itself, is kept with the session for signing out at the provider."""
    subject = claims.get("sub")
    if not isinstance(subject, str):
        raise InvalidInput("the provider's ID token names no subject (sub)")
    names = [v for v in (claims.get(c) for c in NAME_CLAIMS) if isinstance(v, str)]
    linked = user_for_identity(conn, issuer, subject, names, now)
    changes = apply_grants(conn, linked, mapping.grants(claim_values(claims, roles_claim)), now)
    started = sessions.start_session(conn, changes.user, now, id_token=id_token)
    _audit(conn, issuer, subject, linked.created, changes, now)
    return SignedIn(started, linked.created, changes)


def _audit(conn: Connection, issuer: str, subject: str, created: bool, changes: MappingChanges,
           now: datetime) -> None:
    """Written here rather than through ``core.review.audit``, which sits above projects in
    the import order; the rows are the same."""
    user = changes.user
    rows = [_event(user.id, None, "login.sso", user.name, now, issuer=issuer,
                   provider_subject=subject, created=created, admin=changes.admin,
                   missing_projects=list(changes.missing_projects))]
    names = sorted({r.project for r in (*changes.added, *changes.removed)})
    ids: dict[str, int] = {name: id_ for name, id_ in conn.execute(
        select(projects.c.name, projects.c.id).where(projects.c.name.in_(names)))}
    rows += [_event(user.id, ids[r.project], "membership.sso_granted", user.name, now,
                    role=r.role) for r in changes.added]
    rows += [_event(user.id, ids[r.project], "membership.sso_revoked", user.name, now,
                    role=r.role) for r in changes.removed]
    conn.execute(insert(audit_events), rows)


def _event(actor_id: int, project_id: int | None, action: str, about: str, now: datetime,
           **details: Any) -> dict[str, Any]:
    return {"at": now, "actor_id": actor_id, "project_id": project_id, "action": action,
            "subject": about[:255], "details": details}

