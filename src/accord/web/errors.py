"""Errors as JSON: ``{"error": {"code", "message", …}}`` with the status of the error's kind
(``web.statuses``).

The pages answer the same errors as HTML (``pages.errors``): everything outside ``/api/``
is a page a person is looking at.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException
from starlette.responses import Response

from accord.core.errors import AccordError, ErrorKind
from accord.web.pages import errors as page_errors
from accord.web.statuses import status_of

API_PATHS = ("/api/", "/openapi.json")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(API_PATHS)


def _accord_error(request: Request, error: AccordError) -> Response:
    if is_page(request):
        return page_errors.page_for_error(request, error)
    body: dict = {"code": error.code, "message": error.message}
    if isinstance(error.details, dict):
        body.update(error.details)
    elif error.details is not None:
        body["details"] = error.details
    headers = {"WWW-Authenticate": "Bearer"} if error.kind is ErrorKind.UNAUTHENTICATED else None
    return JSONResponse({"error": body}, status_code=status_of(error), headers=headers)


def _validation_error(request: Request, error: RequestValidationError) -> Response:
    problems = [
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    ]
    if is_page(request):
        return page_errors.error_page(request, 422, "; ".join(problems))
    return JSONResponse(
        {"error": {"code": "invalid", "message": "; ".join(problems)}}, status_code=422
    )


def _http_error(request: Request, error: HTTPException) -> Response:
    """Unknown paths and wrong methods: a page for people, Starlette's JSON for the API."""
    if is_page(request) and error.status_code >= 400:
        message = "There is no page here." if error.status_code == 404 else str(error.detail)
        return page_errors.error_page(request, error.status_code, message)
    return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                        headers=getattr(error, "headers", None))


def install(app: FastAPI) -> None:
    # Registered through ``exception_handler`` rather than ``add_exception_handler``, whose
    # type accepts only handlers of any ``Exception``: Starlette calls each handler with
    # instances of its own class, so the narrower parameter types are true.
    app.exception_handler(AccordError)(_accord_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.exception_handler(HTTPException)(_http_error)
