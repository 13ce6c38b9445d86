"""The API's error answers as OpenAPI documents them: one body schema, one status per kind.

Every route lists the kinds of error it can answer with (``responses=caller_errors(…)``);
the statuses come from ``web.statuses``, the same table that answers the requests, so the
documentation cannot name a status the API would not send for that kind.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from accord.core.errors import ErrorKind
from accord.web.statuses import STATUS_OF_KIND


class ErrorDetail(BaseModel):
    """What went wrong; some errors add fields of their own (e.g. ``details``)."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="stable across releases: invalid, unauthenticated, "
                                  "forbidden, cross_origin, not_found, conflict, "
                                  "already_exists")
    message: str = Field(description="one sentence for a person, naming the thing and "
                                     "the place")


class ErrorOut(BaseModel):
    """Every error answer of the API: ``{"error": {"code", "message", …}}``."""

    error: ErrorDetail


WHEN: dict[ErrorKind, str] = {
    ErrorKind.REFUSED: "The request cannot be carried out.",
    ErrorKind.INVALID: "The body, a parameter or a value in them is invalid; nothing was "
                       "changed.",
    ErrorKind.UNAUTHENTICATED: "No valid credential: send an API token as "
                               "`Authorization: Bearer TOKEN`, or log in at /login.",
    ErrorKind.FORBIDDEN: "The caller's role in the project does not allow this (or a "
                         "browser sent this write from another site).",
    ErrorKind.NOT_FOUND: "The project or the thing named in the path does not exist, or "
                         "the caller may not know that it does.",
    ErrorKind.CONFLICT: "The stored state does not allow this (any more): it was already "
                        "done, or someone else changed it meanwhile.",
}
CHALLENGE = {"WWW-Authenticate": {"description": "Bearer", "schema": {"type": "string"}}}


def _answer(kind: ErrorKind) -> dict[str, Any]:
    answer: dict[str, Any] = {"model": ErrorOut, "description": WHEN[kind]}
    if kind is ErrorKind.UNAUTHENTICATED:
        answer["headers"] = CHALLENGE
    return answer


def caller_errors(*kinds: ErrorKind) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route run as the caller: 401, and the statuses of ``kinds``."""
    chosen = sorted({ErrorKind.UNAUTHENTICATED, *kinds}, key=STATUS_OF_KIND.__getitem__)
    return {STATUS_OF_KIND[kind]: _answer(kind) for kind in chosen}
