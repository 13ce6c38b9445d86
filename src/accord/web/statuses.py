"""The HTTP status of each kind of Accord error: the one place the web layer decides it.

``core`` says what went wrong (``ErrorKind``); the API, the pages and the API's documentation
(``web.api.documented``) all read the status from here, so they cannot disagree.
"""

from __future__ import annotations

from accord.core.errors import AccordError, ErrorKind

STATUS_OF_KIND: dict[ErrorKind, int] = {
    ErrorKind.REFUSED: 400,
    ErrorKind.UNAUTHENTICATED: 401,
    ErrorKind.FORBIDDEN: 403,
    ErrorKind.NOT_FOUND: 404,
    ErrorKind.CONFLICT: 409,
    ErrorKind.INVALID: 422,
}


def status_of(error: AccordError) -> int:
    """The status an error is answered with, on a page or in the API."""
    return STATUS_OF_KIND[error.kind]
