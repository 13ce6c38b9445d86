"""``/login`` and ``/logout``: starting and ending a login session.

A login is throttled per account name and per client address (``core.people.login_throttle``):
past the limit it is answered ``429`` with ``Retry-After`` and its password is not even read.
When single sign-on is configured the page also offers its button (``web.pages.sso``); with
password login switched off it offers only that, and ``POST /login`` is answered 403.
The password is hashed on a worker thread (``core.people.logins``), a few at a time, so
logins never stall the event loop that serves every other request.
"""

from __future__ import annotations

import math
from typing import Annotated
from urllib.parse import urlsplit, urlunsplit

import anyio
from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from accord.core.errors import Unauthenticated
from accord.core.people import logins, sessions
from accord.core.people.login_throttle import LockedOut
from accord.core.people.passwords import verify_password
from accord.web.pages.errors import safe_next
from accord.web.pages.rendering import render
from accord.web.sessions import clear_session_cookie, session_token, set_session_cookie
from accord.web.sources import Now
from accord.web.sso import SingleSignOn

router = APIRouter()

LOGIN_FAILED = "Unknown user name or wrong password."
MAX_PASSWORD = 1024
"""Longer passwords are refused unread: scrypt over megabytes would be a cheap denial of
service."""


def client_address(request: Request) -> str:
    """The address a login is counted against: the client's, as the server reports it."""
    return request.client.host if request.client is not None else "unknown"


def locked_out_message(locked: LockedOut) -> str:
    minutes = math.ceil(locked.retry_after_seconds / 60)
    whose = "for this account" if locked.scope == "account" else "from this address"
    return (f"Too many failed logins {whose}. "
            f"Try again in {minutes} minute{'s' if minutes != 1 else ''}.")


async def password_matches(request: Request, password: str, candidate: logins.Candidate) -> bool:
    """scrypt on a worker thread, at most ``app.state.password_checks`` at once (each takes
    16 MiB and a core for tens of milliseconds)."""
    if len(password) > MAX_PASSWORD:
        return False
    return await anyio.to_thread.run_sync(verify_password, password, candidate.password_hash,
                                          limiter=request.app.state.password_checks)


PASSWORD_LOGIN_OFF = ("Password login is switched off on this server: sign in through "
                      "single sign-on instead. API tokens keep working.")


async def login_page(request: Request, next: str, *, status: int = 200, username: str = "",
                     error: str | None = None) -> Response:
    """The login page: the password form unless it is switched off, and the single sign-on
    button when a provider is configured."""
    sso = request.app.state.sso
    return await render(request, "login.html", status=status, next=safe_next(next),
                        username=username, error=error,
                        password_login=request.app.state.password_login,
                        sso_label=sso.button_label if sso is not None else None)


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    return await login_page(request, next)


@router.post("/login")
async def login(
    request: Request,
    at: Now,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not request.app.state.password_login:
        return await login_page(request, next, status=403, error=PASSWORD_LOGIN_OFF)
    database = request.app.state.database
    outcome = await database.run(logins.begin, username.strip(), client_address(request),
                                 request.app.state.login_limits, at)
    if isinstance(outcome, LockedOut):
        page = await login_page(request, next, status=429, username=username,
                                error=locked_out_message(outcome))
        page.headers["Retry-After"] = str(outcome.retry_after_seconds)
        return page
    matches = await password_matches(request, password, outcome)
    try:
        started = await database.run(logins.finish, outcome, matches, at)
    except Unauthenticated:
        return await login_page(request, next, status=401, username=username,
                                error=LOGIN_FAILED)
    previous = session_token(request)
    if previous is not None:
        await database.run(sessions.log_out, previous)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, started.token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session; after a single sign-on login, end the provider's session too
    (``web.sso.SingleSignOn.end_session_url``), which sends the browser back to
    ``/login``."""
    token = session_token(request)
    id_token = None
    if token is not None:
        id_token = await request.app.state.database.run(sessions.log_out, token)
    sso = request.app.state.sso
    target = None
    if sso is not None and id_token:
        target = await sso.end_session_url(id_token, _login_url(request, sso))
    # The provider is another origin, and the pages' Content-Security-Policy allows forms
    # to lead only to Accord (form-action 'self', which browsers apply to the redirect a
    # form's answer makes): a page that moves on by itself goes there instead.
    response = (RedirectResponse("/login", status_code=303) if target is None
                else await render(request, "signing_out.html", target=target))
    clear_session_cookie(response, request)
    return response


def _login_url(request: Request, sso: SingleSignOn) -> str:
    """Where the provider sends the browser after signing out: Accord's login page, at the
    address registered with the provider when ``ACCORD_OIDC_REDIRECT_URI`` says it."""
    if sso.redirect_uri:
        parts = urlsplit(sso.redirect_uri)
        return urlunsplit((parts.scheme, parts.netloc, "/login", "", ""))
    return str(request.base_url).rstrip("/") + "/login"
