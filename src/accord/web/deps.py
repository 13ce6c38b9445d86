"""Typed dependencies that read like prose: ``me: Caller`` then ``await me.run(rule, …)``.

A request's authentication and its work share one transaction: on SQLite every transaction
is a turn of the single writer, so one turn per request instead of two is most of the
difference between 600 and 1,000 annotations a second.

Two kinds of credential reach the same rules: an API token (``Authorization: Bearer``, for
the SDK, the CLI and scripts) and a login session's cookie (for people using the pages,
whose scripts call the same API). Cookie-borne writes are checked against cross-site forgery
by ``web.security`` before they get here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection

from accord.core.errors import Unauthenticated
from accord.core.people import sessions, users
from accord.core.people.users import User
from accord.db.types import utcnow
from accord.web.database import Database
from accord.web.sessions import session_token

R = TypeVar("R")
Authenticate = Callable[[Connection, str], User]


def by_session(conn: Connection, token: str) -> User:
    """The user of a login session (its expiry measured now, inside the transaction)."""
    return sessions.authenticate_session(conn, token, utcnow())


def _as_caller(conn: Connection, authenticate: Authenticate, secret: str,
               rule: Callable[..., R], *args) -> R:
    return rule(conn, authenticate(conn, secret), *args)


class CallerSession:
    """The caller's credential and the database, to run rules as that caller."""

    def __init__(
        self, database: Database, secret: str,
        authenticate: Authenticate = users.authenticate_token,
    ) -> None:
        self.database = database
        self.secret = secret
        self.authenticate = authenticate

    async def run(self, rule: Callable[..., R], *args) -> R:
        """Authenticate, then ``rule(conn, user, *args)``, in one transaction."""
        return await self.database.run(_as_caller, self.authenticate, self.secret, rule, *args)


async def caller_session(request: Request) -> CallerSession:
    """A bearer token if one is sent (it wins), else the login session's cookie."""
    database = request.app.state.database
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("send an API token as 'Authorization: Bearer TOKEN'")
        return CallerSession(database, token.strip())
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated(
            "send an API token as 'Authorization: Bearer TOKEN', or log in at /login"
        )
    return CallerSession(database, cookie, by_session)


async def page_session(request: Request) -> CallerSession:
    """The login session behind a page; without one the pages send the browser to /login."""
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated("log in to continue")
    return CallerSession(request.app.state.database, cookie, by_session)


def identity(conn: Connection, user: User) -> User:
    """The authenticated caller themself (for ``GET /me``)."""
    return user


Caller = Annotated[CallerSession, Depends(caller_session)]
Viewer = Annotated[CallerSession, Depends(page_session)]
"""A person using the pages, by their login session."""
