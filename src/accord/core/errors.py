"""One exception type per kind of failure, each with a stable ``code``.

The web layer maps them to HTTP statuses and the CLI to one line and a non-zero exit; the
messages name the thing and the place (``line 812: response "r3" …``).
"""

from __future__ import annotations

from typing import Any


class AccordError(Exception):
    """Base of every error a user can cause; ``code`` is stable across releases."""

    code = "error"
    status = 400

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(AccordError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "not_found"
    status = 404


class Forbidden(AccordError):
    """The caller is known to the project but lacks the role for this."""

    code = "forbidden"
    status = 403


class Unauthenticated(AccordError):
    code = "unauthenticated"
    status = 401


class InvalidInput(AccordError):
    """A request or file is malformed; nothing was changed."""

    code = "invalid"
    status = 422


class AlreadyExists(AccordError):
    code = "already_exists"
    status = 409


class Conflict(AccordError):
    """The request is well-formed but the state no longer allows it (e.g. a filled task)."""

    code = "conflict"
    status = 409


class ImportRejected(AccordError):
    """An import file has invalid lines; ``details`` lists ``(line, reason)`` pairs."""

    code = "import_rejected"
    status = 422
