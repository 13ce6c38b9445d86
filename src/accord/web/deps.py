"""Typed dependencies that read like prose: ``me: Caller`` then ``await me.run(rule, …)``.

A request's authentication and its work share one transaction: on SQLite every transaction
is a turn of the single writer, so one turn per request instead of two is most of the
difference between 600 and 1,000 annotations a second.

Two kinds of credential reach the same rules: an API token (``Authorization: Bearer``, for
the SDK, the CLI and scripts) and a login session's cookie (for people using the pages,
whose scripts call the same API). Cookie-borne writes are checked against cross-site forgery
by ``web.security`` before they get here. A session's expiry is measured by the clock every
handler reads (``web.sources.current_time``), so a test's clock ends sessions as it ends
leases. The clock is read here only for a cookie: as a dependency of every request it would
cost each API call a dependency resolution (about 15 µs, a few per cent of the loop).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from sqlalchemy import Connection

from accord.core.errors import Unauthenticated
from accord.core.people import sessions, users
from accord.core.people.users import User
from accord.web.database import Database
from accord.web.sessions import session_token
from accord.web.sources import current_time

P = ParamSpec("P")
R = TypeVar("R")
Authenticate = Callable[[Connection, str], User]



class CallerSession:
    """The caller's credential and the database, to run rules as that caller."""

    def __init__(
        self, database: Database, secret: str,
        authenticate: Authenticate = users.authenticate_token,
    ) -> None:
        self.database = database
        self.secret = secret
        self.authenticate = authenticate

    async def run(self, rule: Callable[Concatenate[Connection, User, P], R], /,
                  *args: P.args, **kwargs: P.kwargs) -> R:
        """Authenticate, then ``rule(conn, user, *args, **kwargs)``, in one transaction.

        Typed by ``rule``: an argument core does not take fails the type check here.
        """
        def as_caller(conn: Connection) -> R:
            return rule(conn, self.authenticate(conn, self.secret), *args, **kwargs)

        return await self.database.run(as_caller)


async def _session_of(request: Request, cookie: str) -> CallerSession:
    at = await current_time(request)
    return CallerSession(request.app.state.database, cookie,
                         partial(sessions.authenticate_session, now=at))


async def caller_session(request: Request) -> CallerSession:
    """A bearer token if one is sent (it wins), else the login session's cookie."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthenticated("send an API token as 'Authorization: Bearer TOKEN'")
        return CallerSession(request.app.state.database, token.strip())
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated(
            "send an API token as 'Authorization: Bearer TOKEN', or log in at /login"
        )
    return await _session_of(request, cookie)


async def page_session(request: Request) -> CallerSession:
    """The login session behind a page; without one the pages send the browser to /login."""
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated("log in to continue")
    return await _session_of(request, cookie)


def identity(conn: Connection, user: User) -> User:
    """The authenticated caller themself (for ``GET /me``)."""
    return user


Caller = Annotated[CallerSession, Depends(caller_session)]
Viewer = Annotated[CallerSession, Depends(page_session)]
"""A person using the pages, by their login session."""
