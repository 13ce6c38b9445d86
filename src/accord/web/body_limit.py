"""Request bodies over a size limit are refused with 413 while they arrive, never buffered.

Every JSON body and form Accord takes is small (the largest, a guideline version, is a few
hundred kilobytes), so a body larger than ``Settings.max_body_bytes`` is a mistake or an
attack, and reading it whole would let one client fill the server's memory. The limit is
checked twice: a declared ``Content-Length`` over it is refused before a byte is read, and a
body sent without one (``Transfer-Encoding: chunked``) is counted as it streams and refused
as soon as it passes the limit.

Routes that take files of any size (the import upload) are exempt by path pattern and set
their own limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from accord.web import errors

EXEMPT_PATHS: tuple[str, ...] = ("/api/v1/projects/{project}/imports",)
"""Path patterns (``{name}`` stands for one path segment) that take bodies of any size."""


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit: FastAPI re-raises an
    ``HTTPException`` met while reading a body, so the app's own error handlers answer it
    (JSON for the API, a page for the pages) with the security headers of every answer."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, too_large_message(limit))


def too_large_message(limit: int) -> str:
    return (f"the request body is larger than this server accepts ({limit:,} bytes, "
            "set by ACCORD_MAX_BODY_BYTES); send a smaller body")


def path_pattern(template: str) -> re.Pattern[str]:
    """``/api/v1/projects/{project}/imports`` → a regex matching that path, each ``{name}``
    one segment, optionally followed by a trailing slash."""
    parts = re.split(r"(\{[^}/]+\})", template.rstrip("/"))
    body = "".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts)
    return re.compile(f"{body}/?")


def declared_length(scope: Scope) -> int | None:
    """The ``Content-Length`` a request declares, or None (absent or unreadable: the body is
    then counted as it streams)."""
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimitMiddleware:
    """Pure ASGI: nothing is buffered, and a request within the limit costs one header scan
    and a counter per body chunk."""

    def __init__(self, app: ASGIApp, *, limit: int, exempt: Iterable[str] = EXEMPT_PATHS):
        if limit < 1:
            raise ValueError(f"the body limit must be at least 1 byte, not {limit}")
        self.app = app
        self.limit = limit
        self.exempt = tuple(path_pattern(template) for template in exempt)

    def is_exempt(self, path: str) -> bool:
        return any(pattern.fullmatch(path) for pattern in self.exempt)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.is_exempt(scope["path"]):
            await self.app(scope, receive, send)
            return
        declared = declared_length(scope)
        if declared is not None and declared > self.limit:
            answer = errors.http_error_answer(Request(scope), BodyTooLarge(self.limit))
            await answer(scope, receive, send)
            return
        await self.app(scope, self.counting(receive), send)

    def counting(self, receive: Receive) -> Receive:
        received = 0

        async def receive_within_limit() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise BodyTooLarge(self.limit)
            return message

        return receive_within_limit
