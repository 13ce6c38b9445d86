"""Invitations by one-time link: an administrator creates one, the person opens
``/invite/{secret}``, chooses their password (and their login name, unless the invite fixed
it) and is logged in.

The secret is 256 random bits shown once, in the link; the database keeps its SHA-256, so a
copy of the database opens no invite. A link is used once (the claim is a conditional
update, so two browsers racing on it cannot both win) and expires after a set time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from accord.core.admin import accounts
from accord.core.admin.authority import Actor, record, require_admin
from accord.core.admin.members import check_roles
from accord.core.errors import AlreadyExists, Conflict, InvalidInput, NotFound
from accord.core.people import sessions
from accord.core.people.passwords import hash_token, new_session_token
from accord.core.people.users import NAME_PATTERN
from accord.core.projects.project import add_member, get_project, get_project_by_id
from accord.db.inserts import insert_one
from accord.db.tables import invites

MAX_VALID = timedelta(days=30)


@dataclass(frozen=True)
class Invite:
    id: int
    name: str | None
    """The login name the link is bound to; None lets the person choose."""
    project: str | None
    roles: list[str]
    expertise: list[str]
    is_admin: bool
    expires_at: datetime


@dataclass(frozen=True)
class NewInvite:
    invite: Invite
    secret: str
    """Shown once, in the link ``/invite/{secret}``."""


def create_invite(conn: Connection, actor: Actor, now: datetime, *, valid_for: timedelta,
                  name: str | None = None, project: str | None = None,
                  roles: list[str] | None = None, expertise: list[str] | None = None,
                  is_admin: bool = False) -> NewInvite:
    require_admin(actor, "inviting people")
    if not timedelta(minutes=1) <= valid_for <= MAX_VALID:
        raise InvalidInput(f"an invite is valid for 1 minute to {MAX_VALID.days} days")
    if name is not None:
        _check_name_free(conn, name)
    if roles and project is None:
        raise InvalidInput("roles need a project to hold them")
    target = get_project(conn, project) if project is not None else None
    wanted = check_roles(roles or ["annotator"]) if target is not None else []
    tags = accounts.check_expertise(expertise or [])
    secret = new_session_token()
    expires = now + valid_for
    invite_id = insert_one(conn, insert(invites).values(
        secret_hash=hash_token(secret), name=name,
        project_id=None if target is None else target.id, roles=wanted, expertise=tags,
        is_admin=is_admin, created_by=None if actor is None else actor.id, created_at=now,
        expires_at=expires))
    record(conn, actor, "invite.created", name or "(name chosen by the invitee)", now,
           project=target, roles=wanted, is_admin=is_admin, expires_at=expires.isoformat())
    return NewInvite(Invite(invite_id, name, project, wanted, tags, is_admin, expires), secret)


def _check_name_free(conn: Connection, name: str) -> None:
    if not NAME_PATTERN.match(name):
        raise InvalidInput(f'user name "{name}" must start with a letter or digit and use only '
                           "letters, digits and . _ @ - (at most 120 characters)")
    try:
        accounts.account(conn, name)
    except NotFound:
        return
    raise AlreadyExists(f'user "{name}" already exists')


def open_invite(conn: Connection, secret: str, now: datetime) -> Invite:
    """The invite behind a link, if it can still be used; else why not, plainly."""
    row = conn.execute(select(invites).where(
        invites.c.secret_hash == hash_token(secret))).first()
    if row is None:
        raise NotFound("this invite link is not known: check that it was copied whole")
    if row.used_at is not None:
        raise Conflict("this invite link has already been used; log in instead, or ask "
                       "for a new invite")
    if row.expires_at <= now:
        raise Conflict("this invite link expired on "
                       f"{row.expires_at:%Y-%m-%d %H:%M} UTC; ask for a new invite")
    project = get_project_by_id(conn, row.project_id).name if row.project_id else None
    return Invite(row.id, row.name, project, list(row.roles), list(row.expertise),
                  bool(row.is_admin), row.expires_at)


def accept_invite(conn: Connection, secret: str, name: str, password_hash: str,
                  now: datetime) -> sessions.NewSession:
    """Use the link: the account is created with the invite's roles and a login session
    starts. ``password_hash`` was hashed by the caller, off the server's event loop."""
    invite = open_invite(conn, secret, now)
    chosen = invite.name or name.strip()
    if invite.name is not None and name.strip() not in ("", invite.name):
        raise InvalidInput(f'this invite is for the user name "{invite.name}"')
    _check_name_free(conn, chosen)
    claimed = conn.execute(update(invites).where(
        invites.c.id == invite.id, invites.c.used_at.is_(None)).values(used_at=now)).rowcount
    if not claimed:
        raise Conflict("this invite link has already been used")
    # No API token: the person creates their own on their account page, seen by them only.
    user = accounts.add_account(
        conn, None, chosen, now, password_hash=password_hash, is_admin=invite.is_admin,
        expertise=invite.expertise)
    if invite.project is not None:
        target = get_project(conn, invite.project)
        for role in invite.roles:
            add_member(conn, target, user, role)
    conn.execute(update(invites).where(invites.c.id == invite.id)
                 .values(used_by=user.id))
    record(conn, user, "invite.accepted", chosen, now,
           project=None if invite.project is None else get_project(conn, invite.project),
           invite=invite.id)
    return sessions.start_session(conn, user, now)
