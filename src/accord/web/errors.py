"""Errors as JSON: ``{"error": {"code", "message", …}}`` with the status of the error's kind
(``web.statuses``).

The pages answer the same errors as HTML (``pages.errors``): everything outside ``/api/``
is a page a person is looking at. Every answer here, Starlette's own 404 and 405 and the
500 of an unexpected failure included, has the same body shape and passes through
``web.security``, so it carries the same security headers as any other.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.routing import Match

from accord.core.errors import AccordError, ErrorKind
from accord.web.pages import errors as page_errors
from accord.web.statuses import status_of

API_PATHS = ("/api/", "/openapi.json")
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "too_large"}
"""Codes for the statuses Starlette answers by itself (``ErrorDetail.code``)."""
INTERNAL = ("Accord could not answer this request because of a fault of its own; nothing "
            "was changed, and the server's log says what went wrong.")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


def printable(text: str) -> str:
    """``text`` with anything UTF-8 cannot encode (a lone surrogate) written as an escape:
    messages quote what was sent, and an answer that cannot be encoded would fail itself."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_answer(status: int, code: str, message: str, *, details: dict | None = None,
                 headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"code": code, "message": printable(message), **(details or {})}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def _accord_error(request: Request, error: AccordError) -> Response:
    if is_page(request):
        return page_errors.page_for_error(request, error)
    details: dict = {}
    if isinstance(error.details, dict):
        details.update(error.details)
    elif error.details is not None:
        details["details"] = error.details
    headers = {"WWW-Authenticate": "Bearer"} if error.kind is ErrorKind.UNAUTHENTICATED else None
    return error_answer(status_of(error), error.code, error.message, details=details,
                        headers=headers)


def _validation_error(request: Request, error: RequestValidationError) -> Response:
    """422 naming each field: ``body.ranking.0: …``, ``path.assignment_id: …``."""
    message = printable("; ".join(
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    ))
    if is_page(request):
        return page_errors.error_page(request, 422, message)
    return error_answer(422, "invalid", message)


def _unstorable_value(request: Request, error: DataError) -> Response:
    """A value the database refuses (PostgreSQL stores no NUL character in text): the
    request was invalid, and its transaction has been rolled back."""
    reason = str(error.orig).splitlines()[0] if error.orig is not None else "refused"
    message = f"a value in this request cannot be stored: {reason}"
    if is_page(request):
        return page_errors.error_page(request, 422, printable(message))
    return error_answer(422, "invalid", message)


def http_error_answer(request: Request, error: HTTPException) -> Response:
    """Unknown paths, wrong methods, unreadable or oversized bodies: a page for people, the
    error body for the API. Also answers the body limit's early 413 (``web.body_limit``)."""
    headers = dict(getattr(error, "headers", None) or {})
    if error.status_code == 405 and "app" in request.scope:
        headers["Allow"] = ", ".join(allowed_methods(request))
    if is_page(request) and error.status_code >= 400:
        message = "There is no page here." if error.status_code == 404 else str(error.detail)
        page = page_errors.error_page(request, error.status_code, printable(message))
        page.headers.update(headers)
        return page
    code = HTTP_CODES.get(error.status_code, "http_error")
    return error_answer(error.status_code, code, str(error.detail), headers=headers or None)


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path. Starlette's 405 names only the first
    route that matched the path, but one path often has a route per method (GET and POST
    of ``/calibrations``)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches({**request.scope, "method": "GET"})
        if match is not Match.NONE:
            methods.update(route.methods or ())
    return sorted(methods)


def _unexpected(request: Request, error: Exception) -> Response:
    """A fault of Accord's: 500 with the error body, never the exception's text (it may
    quote stored data); the server still logs the traceback."""
    if is_page(request):
        return page_errors.error_page(request, 500, INTERNAL)
    return error_answer(500, "internal", INTERNAL)


def install(app: FastAPI) -> None:
    # Registered through ``exception_handler`` rather than ``add_exception_handler``, whose
    # type accepts only handlers of any ``Exception``: Starlette calls each handler with
    # instances of its own class, so the narrower parameter types are true.
    app.exception_handler(AccordError)(_accord_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(DataError)(_unstorable_value)
    app.exception_handler(HTTPException)(http_error_answer)
    app.exception_handler(Exception)(_unexpected)
