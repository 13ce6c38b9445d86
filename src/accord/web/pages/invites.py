"""``/invite/{secret}``: a person opens the one-time link an administrator sent, chooses
their password (and their login name, unless the invite binds it) and lands logged in on
the home page, which lists the project they were invited to. A used, expired or unknown
link says so on the page and changes nothing."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from accord.core.admin import invites
from accord.core.errors import AccordError
from accord.core.people.passwords import hash_password
from accord.web.pages.rendering import render
from accord.web.sessions import set_session_cookie
from accord.web.sources import Now
from accord.web.statuses import status_of

router = APIRouter()
MIN_PASSWORD = 8
MAX_PASSWORD = 1024


def _password_problem(password: str, again: str) -> str | None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        return f"Choose a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters."
    if password != again:
        return "The two passwords differ; type the same one twice."
    return None


@router.get("/invite/{secret}")
async def invite_form(request: Request, secret: str, at: Now) -> Response:
    try:
        invite = await request.app.state.database.run(invites.open_invite, secret, at)
    except AccordError as error:
        return await render(request, "invite.html", status=status_of(error), invite=None,
                            problem=error.message, error=None, username="")
    return await render(request, "invite.html", invite=invite, problem=None, error=None,
                        username=invite.name or "")


@router.post("/invite/{secret}")
async def accept_invite(
    request: Request, secret: str, at: Now,
    username: Annotated[str, Form(max_length=120)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    password_again: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
) -> Response:
    database = request.app.state.database
    try:
        invite = await database.run(invites.open_invite, secret, at)
    except AccordError as error:
        return await render(request, "invite.html", status=status_of(error), invite=None,
                            problem=error.message, error=None, username="")
    problem = _password_problem(password, password_again)
    if problem is None:
        hashed = await anyio.to_thread.run_sync(hash_password, password,
                                                limiter=request.app.state.password_checks)
        try:
            started = await database.run(invites.accept_invite, secret, username, hashed, at)
        except AccordError as error:
            problem = error.message
            status = status_of(error)
        else:
            response = RedirectResponse("/", status_code=303)
            set_session_cookie(response, request, started.token)
            return response
    else:
        status = 422
    return await render(request, "invite.html", status=status, invite=invite, problem=None,
                        error=problem, username=invite.name or username)
