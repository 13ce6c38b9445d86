"""Security headers on every response, and refusal of cross-site writes (CSRF).

Model output is untrusted text shown to people all day, so the pages are built to make an
injected script useless twice over: the Markdown sanitiser keeps it out of the page, and an
enforcing Content-Security-Policy (no inline script, no ``eval``, no inline style, nothing
from another origin) would refuse to run it anyway.

Cross-site request forgery: the session cookie is SameSite=Strict, and on top of that every
state-changing request (POST, PUT, PATCH, DELETE) that a browser sends without an
``Authorization`` header must come from Accord's own pages: modern browsers say where a
request came from in ``Sec-Fetch-Site`` and ``Origin``, and a request that names another
site is refused with 403. Requests with an ``Authorization`` header are bearer-token API
calls, which no other site can make a browser send. Requests that carry neither header come
from scripts and tools, not from a browser acting for someone, and pass.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
))
HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
)
HSTS = (b"strict-transport-security", b"max-age=31536000")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})


def cross_origin_reason(method: str, headers: Headers) -> str | None:
    """Why a request must be refused as cross-site, or None when it may proceed."""
    if method not in UNSAFE_METHODS or "authorization" in headers:
        return None
    fetch_site = headers.get("sec-fetch-site", "").lower()
    if fetch_site in _FOREIGN_FETCH_SITES:
        return f"it was sent from another site (Sec-Fetch-Site: {fetch_site})"
    origin = headers.get("origin")
    if origin is None:
        return None
    if origin == "null" or urlsplit(origin).netloc.lower() != headers.get("host", "").lower():
        return f"it was sent from another site (Origin: {origin})"
    return None


def refusal(path: str, reason: str) -> Response:
    """403 naming why; JSON for the API, a short page for a form."""
    message = f"Accord refused this request because {reason}. Open Accord itself and try again."
    if path.startswith("/api/"):
        return JSONResponse(
            {"error": {"code": "cross_origin", "message": message}}, status_code=403
        )
    return HTMLResponse(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Refused · Accord</title>"
        f"<h1>Request refused</h1><p>{escape(message)}</p><p><a href=/>Back to Accord</a></p>",
        status_code=403,
    )


class SecurityMiddleware:
    """Pure ASGI (no per-request task or body buffering: the API's hot path stays fast).

    A route may set its own value of any of these headers (the API docs page sets its own
    policy); the middleware adds only the ones a response lacks.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = (*HEADERS, HSTS) if scope.get("scheme") == "https" else HEADERS

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []), *(h for h in extra if h[0] not in present)
                ]
            await send(message)

        reason = cross_origin_reason(scope["method"], Headers(scope=scope))
        if reason is not None:
            await refusal(scope["path"], reason)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)
