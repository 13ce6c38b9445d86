"""The session cookie: how a login session's token travels between browser and server.

HttpOnly (page scripts never see it, so an injected script could not steal it),
SameSite=Strict (the browser leaves it off every request another site starts, the first
line against cross-site request forgery; ``web.security`` checks the origin as the second),
Secure whenever the page itself came over https, Path=/ (the pages and the API share it).
"""

from __future__ import annotations

from starlette.requests import HTTPConnection
from starlette.responses import Response

from accord.core.people.sessions import MAX_LIFETIME

COOKIE = "accord_session"


def session_token(request: HTTPConnection) -> str | None:
    """The session token the browser sent, if any."""
    token = request.cookies.get(COOKIE, "").strip()
    return token or None


def _secure(request: HTTPConnection) -> bool:
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: HTTPConnection, token: str) -> None:
    """Hand the browser its session token.

    The session's expiry slides on the server while it is used, so the cookie lives as
    long as a session at most can (``Max-Age``); the server refuses it once the session ends.
    """
    response.set_cookie(
        COOKIE, token, max_age=int(MAX_LIFETIME.total_seconds()), path="/", httponly=True,
        samesite="strict", secure=_secure(request),
    )


def clear_session_cookie(response: Response, request: HTTPConnection) -> None:
    response.delete_cookie(
        COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
