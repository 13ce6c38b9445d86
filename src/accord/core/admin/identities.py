"""Linking an existing Accord user to their identity at the OpenID Connect provider, by hand.

Single sign-on finds people by the provider's (issuer, subject) pair and creates a new user
at a first sign-in (``core.people.external_identities``). Someone who already works in
Accord with a password would get a second, empty account that way; an administrator links
their identity to their existing user instead, and from then on signing in through the
provider logs in as that user. Accord never makes this link itself from a matching name or
e-mail: whoever controls an account at the provider could otherwise take over the Accord
user of that name. Behind ``/api/v1/users/{user}/identities`` and ``accord user
link-identity`` / ``unlink-identity``; administrators only, and audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from accord.core.admin.accounts import account
from accord.core.admin.authority import Actor, record, require_admin
from accord.core.errors import Conflict, InvalidInput, NotFound
from accord.core.people.users import get_user
from accord.db.inserts import insert_one
from accord.db.tables import external_identities, users

MAX_PART = 255


@dataclass(frozen=True)
class LinkedIdentity:
    """An (issuer, subject) pair that signs in as ``user``."""

    user: str
    issuer: str
    subject: str
    created_at: datetime
    last_login_at: datetime | None
    """None until the person first signs in through it (a link made by hand)."""


def check_identity(issuer: str, subject: str) -> None:
    """The pair as the provider's ID tokens carry it: an http(s) issuer and a subject, each
    1 to 255 characters, compared exactly (no trimming: a provider's issuer may end in
    ``/``)."""
    if not issuer.startswith(("https://", "http://")) or len(issuer) > MAX_PART:
        raise InvalidInput(f"issuer must be the provider's http(s) issuer URL of at most "
                           f"{MAX_PART} characters, exactly as its ID tokens name it, "
                           f"not {issuer[:80]!r}")
    if not subject or len(subject) > MAX_PART:
        raise InvalidInput(f"subject must be the provider's subject (sub) of 1 to {MAX_PART} "
                           f"characters, not {len(subject)}")


def identities_of(conn: Connection, name: str) -> list[LinkedIdentity]:
    """The identities linked to the user ``name``, by issuer and subject."""
    user = get_user(conn, name)
    rows = conn.execute(select(external_identities).where(
        external_identities.c.user_id == user.id).order_by(
        external_identities.c.issuer, external_identities.c.subject))
    return [_linked(name, row) for row in rows]


def read_identities(conn: Connection, actor: Actor, name: str) -> list[LinkedIdentity]:
    """``identities_of`` for an administrator (or the command line)."""
    require_admin(actor, "reading provider identities")
    return identities_of(conn, name)


def _linked(name: str, row) -> LinkedIdentity:
    # A link made by hand stores its creation as last_login_at (the column is NOT NULL);
    # equal moments mean nobody has signed in through it yet.
    seen = None if row.last_login_at == row.created_at else row.last_login_at
    return LinkedIdentity(name, row.issuer, row.subject, row.created_at, seen)


def link_identity(conn: Connection, actor: Actor, name: str, issuer: str, subject: str,
                  now: datetime) -> tuple[LinkedIdentity, bool]:
    """Link (issuer, subject) to the user ``name``; returns the link and whether it is new.

    Refused (Conflict) when the identity already signs in as someone else (naming them) or
    when the user is deactivated; linking the same pair to the same user again changes
    nothing.
    """
    require_admin(actor, "linking provider identities")
    check_identity(issuer, subject)
    target = get_user(conn, name)
    if not account(conn, name).active:
        raise Conflict(f'user "{name}" is deactivated; reactivate them before linking an '
                       "identity")
    holder = conn.execute(
        select(users.c.name, external_identities).join(
            users, users.c.id == external_identities.c.user_id).where(
            external_identities.c.issuer == issuer, external_identities.c.subject == subject)
    ).first()
    if holder is not None and holder.name != name:
        raise Conflict(f'the identity "{subject}" of {issuer} is already linked to user '
                       f'"{holder.name}"; unlink it there first')
    if holder is not None:
        return _linked(name, holder), False
    insert_one(conn, insert(external_identities).values(
        user_id=target.id, issuer=issuer, subject=subject, granted_admin=False,
        created_at=now, last_login_at=now))
    record(conn, actor, "user.identity_linked", name, now, issuer=issuer,
           provider_subject=subject)
    return LinkedIdentity(name, issuer, subject, now, None), True


def unlink_identity(conn: Connection, actor: Actor, name: str, issuer: str, subject: str,
                    now: datetime) -> None:
    """Remove the link: that identity no longer signs in as ``name`` (its next sign-in
    would create a new user). Their login sessions already open are not ended."""
    require_admin(actor, "unlinking provider identities")
    check_identity(issuer, subject)
    target = get_user(conn, name)
    removed = conn.execute(delete(external_identities).where(
        external_identities.c.user_id == target.id, external_identities.c.issuer == issuer,
        external_identities.c.subject == subject)).rowcount
    if not removed:
        raise NotFound(f'user "{name}" has no linked identity "{subject}" of {issuer}')
    record(conn, actor, "user.identity_unlinked", name, now, issuer=issuer,
           provider_subject=subject)
