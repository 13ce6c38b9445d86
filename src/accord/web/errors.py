"""Errors as JSON: ``{"error": {"code", "message", …}}`` with the status each kind implies."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from accord.core.errors import AccordError


def _accord_error(request: Request, error: AccordError) -> JSONResponse:
    body: dict = {"code": error.code, "message": error.message}
    if isinstance(error.details, dict):
        body.update(error.details)
    elif error.details is not None:
        body["details"] = error.details
    headers = {"WWW-Authenticate": "Bearer"} if error.status == 401 else None
    return JSONResponse({"error": body}, status_code=error.status, headers=headers)


def _validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
    problems = [
        f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in error.errors()
    ]
    return JSONResponse(
        {"error": {"code": "invalid", "message": "; ".join(problems)}}, status_code=422
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(AccordError, _accord_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
