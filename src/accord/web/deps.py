"""Typed dependencies that read like prose: ``me: Caller`` then ``await me.run(rule, …)``.

A request's authentication and its work share one transaction: on SQLite every transaction
is a turn of the single writer, so one turn per request instead of two is most of the
difference between 600 and 1,000 annotations a second.

Two kinds of credential reach the same rules: an API token (``Authorization: Bearer``, for
the SDK, the CLI and scripts) and a login session's cookie (for people using the pages,
whose scripts call the same API). Cookie-borne writes are checked against cross-site forgery
by ``web.security`` before they get here. A session's expiry is measured at the request's
instant (``web.sources.Now``), so a test's clock ends sessions as it ends leases.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Connection

from accord.core.errors import Unauthenticated
from accord.core.people import sessions, users
from accord.core.people.users import User
from accord.web.database import Database
from accord.web.sessions import session_token
from accord.web.sources import Now

P = ParamSpec("P")
R = TypeVar("R")
Authenticate = Callable[[Connection, str], User]

BEARER = HTTPBearer(
    auto_error=False,
    description="An API token (`accord user add` or `accord user token` prints one). The "
                "pages' login session cookie is accepted too.",
)
"""Declares the bearer scheme in the OpenAPI schema; the token is checked by ``users``."""
BearerToken = Annotated[HTTPAuthorizationCredentials | None, Security(BEARER)]


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


async def caller_session(request: Request, bearer: BearerToken, at: Now) -> CallerSession:
    """A bearer token if one is sent (it wins), else the login session's cookie."""
    database = request.app.state.database
    if bearer is not None:
        return CallerSession(database, bearer.credentials)
    if "authorization" in request.headers:
        raise Unauthenticated("send an API token as 'Authorization: Bearer TOKEN'")
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated(
            "send an API token as 'Authorization: Bearer TOKEN', or log in at /login"
        )
    return CallerSession(database, cookie, partial(sessions.authenticate_session, now=at))


async def page_session(request: Request, at: Now) -> CallerSession:
    """The login session behind a page; without one the pages send the browser to /login."""
    cookie = session_token(request)
    if cookie is None:
        raise Unauthenticated("log in to continue")
    return CallerSession(request.app.state.database, cookie,
                         partial(sessions.authenticate_session, now=at))


def identity(conn: Connection, user: User) -> User:
    """The authenticated caller themself (for ``GET /me``)."""
    return user


Caller = Annotated[CallerSession, Depends(caller_session)]
Viewer = Annotated[CallerSession, Depends(page_session)]
"""A person using the pages, by their login session."""
