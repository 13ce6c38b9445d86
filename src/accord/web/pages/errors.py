"""Errors on pages: a readable page with the same status the API would answer, or a login.

An ended or missing session on a page sends the browser to ``/login`` and back afterwards;
anything else (a project that does not exist for this person, a missing role) is a short
page naming the problem, with the status code the API uses for it (404, 403, …).
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from accord.core.errors import AccordError, Unauthenticated
from accord.web.pages.rendering import render_page
from accord.web.sessions import clear_session_cookie, session_token
from accord.web.statuses import status_of

TITLES = {400: "Bad request", 401: "Log in", 403: "Not allowed", 404: "Not found",
          405: "Not allowed", 409: "Conflict", 413: "Too large",
          422: "Invalid input", 429: "Too many requests"}


def safe_next(target: str | None) -> str:
    """A local path to return to after login; anything else (another site) becomes ``/``."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith(("//", "/\\"))
        or any(ord(c) < 32 or c == "\\" for c in target)
    ):
        return "/"
    return target


def login_redirect(request: Request) -> Response:
    """303 to the login page, remembering where the person was going (for a GET)."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    target = "/login"
    if request.method == "GET" and here != "/":
        target += "?next=" + quote(safe_next(here), safe="")
    response = RedirectResponse(target, status_code=303)
    if session_token(request) is not None:
        clear_session_cookie(response, request)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    html = render_page("error.html", {
        "request": request, "user": None, "status": status,
        "title": TITLES.get(status, "Something went wrong"), "message": message,
    })
    return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})


def page_for_error(request: Request, error: AccordError) -> Response:
    if isinstance(error, Unauthenticated):
        return login_redirect(request)
    return error_page(request, status_of(error), error.message)
