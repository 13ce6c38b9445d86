"""People who sign in through an OpenID Connect provider, linked to Accord users.

The provider names a person by (issuer, subject): the subject never changes, while their
name and e-mail may. So that pair, not a name, finds the Accord user on every login; the
first login creates the user, named after what the provider calls them, made unique.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from accord.core.errors import Forbidden, InvalidInput
from accord.core.people.users import NAME_PATTERN, User, add_user
from accord.db.inserts import insert_one
from accord.db.tables import external_identities, users

MAX_NAME = 120
_NOT_IN_NAME = re.compile(r"[^A-Za-z0-9._@-]+")
_LEADING = re.compile(r"^[^A-Za-z0-9]+")


@dataclass(frozen=True)
class LinkedUser:
    """The Accord user behind an external identity, as the login found or made them."""

    user: User
    identity_id: int
    granted_admin: bool
    """Whether the role mapping, not a person, made this user an administrator."""
    created: bool


def name_stem(candidate: str) -> str:
    """What an Accord name may keep of ``candidate``: ``"Ada Lovelace"`` → ``Ada-Lovelace``;
    empty when nothing usable remains."""
    cleaned = _LEADING.sub("", _NOT_IN_NAME.sub("-", candidate.strip())).rstrip("-")
    return cleaned[: MAX_NAME - 8]  # room for a "-NNNNNNN" suffix that makes it unique


def unique_name(conn: Connection, candidates: Iterable[str]) -> str:
    """The first candidate that gives a usable name, with ``-2``, ``-3``, … added when another
    user already has it."""
    stem = next((s for s in map(name_stem, candidates) if s and NAME_PATTERN.match(s)), "user")
    taken = set(conn.execute(
        select(users.c.name).where(users.c.name.startswith(stem, autoescape=True))
    ).scalars())
    if stem not in taken:
        return stem
    number = 2
    while f"{stem}-{number}" in taken:
        number += 1
    return f"{stem}-{number}"


def _check_identity(issuer: str, subject: str) -> None:
    for what, value in (("issuer", issuer), ("subject", subject)):
        if not value or len(value) > 255:
            raise InvalidInput(f"the provider's {what} must be 1 to 255 characters, "
                               f"not {len(value)}")


def user_for_identity(conn: Connection, issuer: str, subject: str, names: Iterable[str],
                      now: datetime) -> LinkedUser:
    """The user linked to (issuer, subject), created on their first login.

    ``names`` are what the provider calls the person, best first (``preferred_username``,
    ``email``); the new user takes the first that makes a valid, unused Accord name. A user
    an administrator deactivated stays out, whatever the provider says.
    """
    _check_identity(issuer, subject)
    row = conn.execute(
        select(external_identities.c.id, external_identities.c.granted_admin, users.c.id.label(
            "user_id"), users.c.name, users.c.kind, users.c.is_admin, users.c.active)
        .join(users, users.c.id == external_identities.c.user_id)
        .where(external_identities.c.issuer == issuer, external_identities.c.subject == subject)
    ).first()
    if row is None:
        return _first_login(conn, issuer, subject, names, now)
    if not row.active:
        raise Forbidden(f'the Accord account "{row.name}" is deactivated; '
                        "ask an Accord administrator to reactivate it")
    conn.execute(update(external_identities).where(external_identities.c.id == row.id)
                 .values(last_login_at=now))
    return LinkedUser(User(row.user_id, row.name, row.kind, bool(row.is_admin)), row.id,
                      bool(row.granted_admin), created=False)


def _first_login(conn: Connection, issuer: str, subject: str, names: Iterable[str],
                 now: datetime) -> LinkedUser:
    user = add_user(conn, unique_name(conn, [*names, subject]))  # no token: made on their page
    identity_id = insert_one(conn, insert(external_identities).values(
        user_id=user.id, issuer=issuer, subject=subject, granted_admin=False, created_at=now,
        last_login_at=now,
    ))
    return LinkedUser(user, identity_id, granted_admin=False, created=True)


def set_mapped_admin(conn: Connection, linked: LinkedUser, is_admin: bool,
                     granted_admin: bool) -> User:
    """Store the administrator flag the role mapping decided, and whether it was the mapping's
    doing; returns the user as they now are."""
    if (is_admin, granted_admin) != (linked.user.is_admin, linked.granted_admin):
        conn.execute(update(users).where(users.c.id == linked.user.id).values(is_admin=is_admin))
        conn.execute(update(external_identities)
                     .where(external_identities.c.id == linked.identity_id)
                     .values(granted_admin=granted_admin))
    user = linked.user
    return User(user.id, user.name, user.kind, is_admin)
