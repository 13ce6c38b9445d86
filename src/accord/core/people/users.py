"""Users, their profiles and expertise, and their API tokens."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypedDict, Unpack

from sqlalchemy import Connection, insert, select, update

from accord.core.errors import AlreadyExists, InvalidInput, NotFound, Unauthenticated
from accord.core.people.passwords import hash_password, hash_token, new_token, verify_password
from accord.db import raw
from accord.db.inserts import insert_one
from accord.db.raw import Statement
from accord.db.tables import api_tokens, profiles, user_expertise, users
from accord.db.types import utcnow

NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,119}$")
TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
USER_KINDS = ("human", "ai", "imported")
LOGIN_FAILED = "unknown user name or wrong password"
"""The one message for every failed login: it tells no one which part was wrong."""


@dataclass(frozen=True)
class User:
    id: int
    name: str
    kind: str
    is_admin: bool


@dataclass(frozen=True)
class NewUser:
    """A created user; ``token`` is the only time the API token is visible."""

    user: User
    token: str


def parse_expertise(tags: str | list[str] | None) -> list[str]:
    """``"coding, stem.math"`` or a list → sorted unique tags; each tag checked."""
    if tags is None:
        return []
    items = tags.split(",") if isinstance(tags, str) else list(tags)
    result = sorted({t.strip().lower() for t in items if t.strip()})
    for tag in result:
        if not TAG_PATTERN.match(tag):
            raise InvalidInput(f'expertise tag "{tag}" must be lower-case letters, digits, . _ -')
    return result


class UserOptions(TypedDict, total=False):
    """What a new user may be given besides a name: ``add_user``'s keywords, named once so
    ``create_user`` passes them on without repeating them."""

    kind: str
    password: str | None
    is_admin: bool
    expertise: list[str] | None
    languages: list[str] | None
    pay_rate_per_hour: float | None
    password_hash: str | None


def create_user(conn: Connection, name: str, **options: Unpack[UserOptions]) -> NewUser:
    """A new user with a first API token, for whoever creates them to hand over (the CLI
    and the API show it once). ``password_hash`` stands for ``password`` when the caller
    hashed it already (the server hashes off its event loop)."""
    user = add_user(conn, name, **options)
    return NewUser(user, issue_token(conn, user.id, label="created with user"))


def add_user(
    conn: Connection,
    name: str,
    *,
    kind: str = "human",
    password: str | None = None,
    is_admin: bool = False,
    expertise: list[str] | None = None,
    languages: list[str] | None = None,
    pay_rate_per_hour: float | None = None,
    password_hash: str | None = None,
) -> User:
    """A new user with no API token: someone who signs in to the pages (an invited person,
    a single sign-on user) and creates their own token there when they need one."""
    if not NAME_PATTERN.match(name):
        raise InvalidInput(
            f'user name "{name}" must start with a letter or digit and use only letters, '
            "digits and . _ @ - (at most 120 characters)"
        )
    if kind not in USER_KINDS:
        raise InvalidInput(f'user kind "{kind}" is not one of {", ".join(USER_KINDS)}')
    if conn.execute(select(users.c.id).where(users.c.name == name)).first():
        raise AlreadyExists(f'user "{name}" already exists')
    now = utcnow()
    user_id = insert_one(
        conn,
        insert(users).values(
            name=name,
            kind=kind,
            password_hash=hash_password(password) if password else password_hash,
            is_admin=is_admin,
            active=True,
            created_at=now,
        )
    )
    conn.execute(
        insert(profiles).values(
            user_id=user_id, languages=languages or ["en"], pay_rate_per_hour=pay_rate_per_hour
        )
    )
    set_expertise(conn, user_id, expertise or [])
    return User(user_id, name, kind, is_admin)


def set_expertise(conn: Connection, user_id: int, tags: list[str]) -> None:
    conn.execute(user_expertise.delete().where(user_expertise.c.user_id == user_id))
    clean = parse_expertise(tags)
    if clean:
        conn.execute(insert(user_expertise), [{"user_id": user_id, "tag": t} for t in clean])


def issue_token(conn: Connection, user_id: int, *, label: str = "") -> str:
    token = new_token()
    conn.execute(
        insert(api_tokens).values(
            user_id=user_id, token_hash=hash_token(token), label=label, created_at=utcnow()
        )
    )
    return token


def set_password(conn: Connection, user_id: int, password: str) -> None:
    conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=hash_password(password))
    )


def get_user(conn: Connection, name: str) -> User:
    row = conn.execute(
        select(users.c.id, users.c.name, users.c.kind, users.c.is_admin).where(users.c.name == name)
    ).first()
    if row is None:
        raise NotFound(f'user "{name}" does not exist')
    return User(*row)


# Every API request starts here, so it runs on the driver connection (see ``db.raw``).
_TOKEN_QUERY = Statement(
    "SELECT u.id, u.name, u.kind, u.is_admin FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.token_hash = :token_hash AND t.revoked_at IS NULL AND u.active"
)


def authenticate_token(conn: Connection, token: str) -> User:
    """The active user holding ``token``; one indexed lookup on the token's hash."""
    row = raw.execute(conn, _TOKEN_QUERY, {"token_hash": hash_token(token)}).fetchone()
    if row is None:
        raise Unauthenticated("the API token is unknown or revoked")
    return User(row[0], row[1], row[2], bool(row[3]))


def password_holder(conn: Connection, name: str) -> tuple[User, str | None] | None:
    """The active user ``name`` and their stored password hash (None: no password set), or
    None when no active user has that name."""
    row = conn.execute(
        select(users.c.id, users.c.name, users.c.kind, users.c.is_admin, users.c.password_hash)
        .where(users.c.name == name, users.c.active.is_(True))
    ).first()
    if row is None:
        return None
    return User(row.id, row.name, row.kind, row.is_admin), row.password_hash


def authenticate_password(conn: Connection, name: str, password: str) -> User:
    """The active user ``name`` if ``password`` is theirs.

    Unknown names and wrong passwords get the same message and the same scrypt run
    (``verify_password`` hashes even when there is nothing to compare with).
    """
    holder = password_holder(conn, name)
    if not verify_password(password, None if holder is None else holder[1]) or holder is None:
        raise Unauthenticated(LOGIN_FAILED)
    return holder[0]
