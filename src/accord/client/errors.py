"""The server's errors as exceptions: one class per kind, each carrying what the server said.

Every error answer of the API has the body ``{"error": {"code", "message", …}}``; an
``AccordError`` keeps the HTTP ``status``, the stable ``code``, the ``message`` (a sentence
naming the thing and the place) and ``details`` (the body's other fields). Catch the kind
you can act on (``NotFound``, ``Conflict``) or ``AccordError`` for all of them.
"""

from __future__ import annotations

import json
from typing import Any


class AccordError(Exception):
    """An error the Accord server answered with (or, for ``Unreachable``, no answer)."""

    def __init__(self, status: int | None, code: str, message: str,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details: dict[str, Any] = details or {}

    def __str__(self) -> str:
        where = "" if self.status is None else f"{self.status} "
        return f"{where}{self.code}: {self.message}"


class Invalid(AccordError):
    """The request, a parameter or a value in them was refused; nothing was changed."""


class Unauthenticated(AccordError):
    """No valid token: check ``ACCORD_TOKEN`` (``accord user token NAME`` issues one)."""


class Forbidden(AccordError):
    """The caller's role in the project does not allow this."""


class NotFound(AccordError):
    """The project or thing does not exist, or the caller may not know that it does."""


class Conflict(AccordError):
    """The stored state does not allow this (any more): done already, or changed meanwhile."""


class RateLimited(AccordError):
    """Too many requests, still refused after the client's retries; ``retry_after`` says
    how many seconds the server asked to wait (None when it did not say)."""

    def __init__(self, status: int | None, code: str, message: str,
                 details: dict[str, Any] | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(status, code, message, details)
        self.retry_after = retry_after


class ServerError(AccordError):
    """A fault of the server's own (5xx); the server's log says what went wrong."""


class Unreachable(AccordError):
    """No answer: the connection failed or timed out (``status`` is None)."""


class UnfinishedTask(RuntimeError):
    """``tasks()`` was asked for the next task while the last one was neither submitted
    nor skipped: the server would hand the same assignment back for ever."""


_KIND_OF_STATUS: dict[int, type[AccordError]] = {
    400: Invalid, 401: Unauthenticated, 403: Forbidden, 404: NotFound, 405: Invalid,
    409: Conflict, 413: Invalid, 422: Invalid, 429: RateLimited,
}


def error_from_answer(status: int, body: bytes, retry_after: float | None = None,
                      ) -> AccordError:
    """The exception for an error answer: its kind from the status, its code, message and
    details from the body (a body that is not Accord's error, e.g. from a proxy, is quoted)."""
    code, message, details = _read_error_body(status, body)
    kind = _KIND_OF_STATUS.get(status, ServerError if status >= 500 else AccordError)
    if kind is RateLimited:
        return RateLimited(status, code, message, details, retry_after=retry_after)
    return kind(status, code, message, details)


def _read_error_body(status: int, body: bytes) -> tuple[str, str, dict[str, Any]]:
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    error = document.get("error") if isinstance(document, dict) else None
    if isinstance(error, dict) and isinstance(error.get("code"), str):
        details = {k: v for k, v in error.items() if k not in ("code", "message")}
        return error["code"], str(error.get("message", "")), details
    text = body.decode("utf-8", "replace").strip()[:500]
    return "http_error", f"the server answered {status}: {text or 'with an empty body'}", {}
