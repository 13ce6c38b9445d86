"""One exception type per kind of failure, each with a stable ``code`` and a ``kind``.

The ``kind`` says what went wrong in the domain's words (the thing is missing, the caller
may not, the state no longer allows it); each edge maps kinds to its own answer: the web
layer to HTTP statuses (``web.statuses``), the CLI to one line and a non-zero exit. The
messages name the thing and the place (``line 812: response "r3" …``).
"""

from __future__ import annotations

from enum import Enum
from typing import Any, ClassVar


class ErrorKind(Enum):
    """What kind of failure an error is, whatever edge reports it."""

    REFUSED = "refused"
    """The request cannot be carried out, for no more specific reason below."""
    INVALID = "invalid"
    """A request or file is malformed; nothing was changed."""
    UNAUTHENTICATED = "unauthenticated"
    """Nobody known is asking: no credential, or an unknown, revoked or ended one."""
    FORBIDDEN = "forbidden"
    """The caller is known to the project but lacks the role for this."""
    NOT_FOUND = "not_found"
    """The thing does not exist, or the caller may not know that it does."""
    CONFLICT = "conflict"
    """The request is well-formed but the stored state does not allow it (any more)."""


class AccordError(Exception):
    """Base of every error a user can cause; ``code`` is stable across releases."""

    code: ClassVar[str] = "error"
    kind: ClassVar[ErrorKind] = ErrorKind.REFUSED

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(AccordError):
    """The thing does not exist, or the caller may not know that it does."""

    code = "not_found"
    kind = ErrorKind.NOT_FOUND


class Forbidden(AccordError):
    """The caller is known to the project but lacks the role for this."""

    code = "forbidden"
    kind = ErrorKind.FORBIDDEN


class Unauthenticated(AccordError):
    code = "unauthenticated"
    kind = ErrorKind.UNAUTHENTICATED


class InvalidInput(AccordError):
    """A request or file is malformed; nothing was changed."""

    code = "invalid"
    kind = ErrorKind.INVALID


class AlreadyExists(AccordError):
    code = "already_exists"
    kind = ErrorKind.CONFLICT


class Conflict(AccordError):
    """The request is well-formed but the state no longer allows it (e.g. a filled task)."""

    code = "conflict"
    kind = ErrorKind.CONFLICT


class ImportRejected(AccordError):
    """An import file has invalid lines; ``details`` lists ``(line, reason)`` pairs, the
    first of ``invalid`` in all, each entry called a ``unit`` (line, row, record)."""

    code = "import_rejected"
    kind = ErrorKind.INVALID
    invalid: int = 0
    unit: str = "line"
