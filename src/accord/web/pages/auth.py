"""``/login`` and ``/logout``: starting and ending a login session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from accord.core.errors import Unauthenticated
from accord.core.people import sessions
from accord.web.pages.errors import safe_next
from accord.web.pages.rendering import render
from accord.web.sessions import clear_session_cookie, session_token, set_session_cookie
from accord.web.sources import Now

router = APIRouter()

LOGIN_FAILED = "Unknown user name or wrong password."
MAX_PASSWORD = 1024
"""Longer passwords are refused unread: scrypt over megabytes would be a cheap denial of
service."""


@router.get("/login")
async def login_form(request: Request, next: str = "/") -> Response:
    return await render(request, "login.html", next=safe_next(next), username="", error=None)


@router.post("/login")
async def login(
    request: Request,
    at: Now,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    database = request.app.state.database
    try:
        if len(password) > MAX_PASSWORD:
            raise Unauthenticated(LOGIN_FAILED)
        started = await database.run(sessions.log_in, username.strip(), password, at)
    except Unauthenticated:
        return await render(request, "login.html", status=401, next=safe_next(next),
                            username=username, error=LOGIN_FAILED)
    previous = session_token(request)
    if previous is not None:
        await database.run(sessions.log_out, previous)
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, request, started.token)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    token = session_token(request)
    if token is not None:
        await request.app.state.database.run(sessions.log_out, token)
    response = RedirectResponse("/login", status_code=303)
    clear_session_cookie(response, request)
    return response
