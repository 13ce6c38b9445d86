"""People's accounts: created (with a first API token, and roles in a project), listed,
their expertise edited, their API tokens reset. Administrators, except that anyone may
reset their own tokens. Behind ``/api/v1/users…`` and ``accord user …``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, select, update

from accord.core.admin.authority import Actor, record, require_admin
from accord.core.admin.members import check_roles
from accord.core.admin.paging import Page, check_page, page_of
from accord.core.errors import InvalidInput
from accord.core.people import users as user_rules
from accord.core.people.users import NewUser, User
from accord.core.projects.project import add_member, get_project
from accord.db.tables import api_tokens, user_expertise, users

MAX_TAGS = 64
MAX_PAY_RATE = 1_000_000.0


@dataclass(frozen=True)
class Account:
    name: str
    kind: str
    is_admin: bool
    active: bool
    expertise: list[str]
    created_at: datetime
    deactivated_at: datetime | None


def account(conn: Connection, name: str) -> Account:
    """The account called ``name`` (NotFound when there is none)."""
    user = user_rules.get_user(conn, name)
    row = conn.execute(select(users).where(users.c.id == user.id)).one()
    tags = [r.tag for r in conn.execute(select(user_expertise.c.tag).where(
        user_expertise.c.user_id == user.id).order_by(user_expertise.c.tag))]
    return Account(row.name, row.kind, bool(row.is_admin), bool(row.active), tags,
                   row.created_at, row.deactivated_at)


def check_expertise(tags: list[str]) -> list[str]:
    if len(tags) > MAX_TAGS:
        raise InvalidInput(f"expertise takes at most {MAX_TAGS} tags, not {len(tags)}")
    return user_rules.parse_expertise(tags)


def create_account(
    conn: Connection, actor: Actor, name: str, now: datetime, *, kind: str = "human",
    password_hash: str | None = None, is_admin: bool = False,
    expertise: list[str] | None = None, pay_rate_per_hour: float | None = None,
    project: str | None = None, roles: list[str] | None = None,
) -> NewUser:
    """A new user with their first API token (shown once to whoever created them), a
    member of ``project`` with ``roles`` (annotator unless named) when a project is given."""
    user = add_account(conn, actor, name, now, kind=kind, password_hash=password_hash,
                       is_admin=is_admin, expertise=expertise,
                       pay_rate_per_hour=pay_rate_per_hour, project=project, roles=roles)
    return NewUser(user, user_rules.issue_token(conn, user.id, label="created with user"))


def add_account(
    conn: Connection, actor: Actor, name: str, now: datetime, *, kind: str = "human",
    password_hash: str | None = None, is_admin: bool = False,
    expertise: list[str] | None = None, pay_rate_per_hour: float | None = None,
    project: str | None = None, roles: list[str] | None = None,
) -> User:
    """``create_account`` without a token: for a person who creates their own on their
    account page (an invite's), so that no token exists that nobody has seen."""
    require_admin(actor, "adding users")
    if roles and project is None:
        raise InvalidInput("roles need a project to hold them")
    if pay_rate_per_hour is not None and not 0 <= pay_rate_per_hour <= MAX_PAY_RATE:
        raise InvalidInput(f"pay_rate_per_hour must be from 0 to {MAX_PAY_RATE:,.0f}, "
                           f"not {pay_rate_per_hour}")
    wanted = check_roles(roles or ["annotator"]) if project is not None else []
    target = get_project(conn, project) if project is not None else None
    user = user_rules.add_user(conn, name, kind=kind, password_hash=password_hash,
                               is_admin=is_admin, expertise=check_expertise(expertise or []),
                               pay_rate_per_hour=pay_rate_per_hour)
    if target is not None:
        for role in wanted:
            add_member(conn, target, user, role)
    record(conn, actor, "user.created", name, now, project=target, kind=kind,
           is_admin=is_admin, roles=wanted)
    return user


def list_accounts(conn: Connection, actor: Actor, *, limit: int = 100,
                  after: str | None = None) -> Page[Account]:
    """Every account by name, a page at a time (administrators)."""
    require_admin(actor, "the list of users")
    check_page(limit, after)
    query = select(users.c.name).order_by(users.c.name).limit(limit + 1)
    if after is not None:
        query = query.where(users.c.name > after)
    return page_of([account(conn, r.name) for r in conn.execute(query)], limit, "name")


def read_account(conn: Connection, actor: Actor, name: str) -> Account:
    """One account: administrators read anyone's, a user their own."""
    if actor is None or actor.is_admin or actor.name != name:
        require_admin(actor, "reading another user's account")
    return account(conn, name)


def set_expertise(conn: Connection, actor: Actor, name: str, tags: list[str],
                  now: datetime) -> Account:
    """Replace the user's expertise tags, which route tasks that require them."""
    require_admin(actor, "editing expertise")
    clean = check_expertise(tags)
    before = account(conn, name)
    user_rules.set_expertise(conn, user_rules.get_user(conn, name).id, clean)
    record(conn, actor, "user.expertise_set", name, now, before=before.expertise, after=clean)
    return account(conn, name)


def reset_tokens(conn: Connection, actor: Actor, name: str, now: datetime, *,
                 label: str = "", revoke_others: bool = False) -> tuple[Account, str, int]:
    """Issue a new API token (shown once) and, if asked, revoke every other one.

    Returns the account, the token and how many tokens were revoked. Anyone may do it for
    themselves; administrators for anyone.
    """
    if actor is None or actor.name != name:
        require_admin(actor, "issuing another user's tokens")
    if len(label) > 120:
        raise InvalidInput("label must be at most 120 characters")
    user = user_rules.get_user(conn, name)
    revoked = 0
    if revoke_others:
        revoked = conn.execute(update(api_tokens).where(
            api_tokens.c.user_id == user.id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)).rowcount
    token = user_rules.issue_token(conn, user.id, label=label)
    record(conn, actor, "user.token_issued", name, now, revoked=revoked, label=label)
    return account(conn, name), token, revoked


@dataclass(frozen=True)
class TokenSummary:
    """What a person's account page says of their API tokens (never the tokens: only
    their hashes are kept)."""

    active: int
    newest_at: datetime | None


def token_summary(conn: Connection, user_id: int) -> TokenSummary:
    """How many unrevoked API tokens the user holds, and when the newest was issued."""
    row = conn.execute(select(func.count(), func.max(api_tokens.c.created_at)).where(
        api_tokens.c.user_id == user_id, api_tokens.c.revoked_at.is_(None))).one()
    return TokenSummary(int(row[0]), row[1])
