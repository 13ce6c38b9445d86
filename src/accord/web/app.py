"""The FastAPI application: ``create_app(settings)`` builds one; ``accord serve`` runs it."""

from __future__ import annotations

import gc
import os
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp

from accord import __version__
from accord.core.people.login_throttle import ThrottleLimits
from accord.db.engine import make_engine
from accord.settings import Settings, export_retention, load_settings, upload_folder
from accord.web import docs, errors, openapi_document, pages
from accord.web.api import (
    calibration,
    curation,
    demonstrations,
    exports,
    guidelines,
    imports,
    judges,
    markdown,
    members,
    oversight,
    people,
    project_admin,
    projects,
    review,
    work,
)
from accord.web.body_limit import BodyLimitMiddleware
from accord.web.database import Database
from accord.web.job_runner import JobRunner
from accord.web.report_refresh import ReportRefresher, app_time
from accord.web.security import SecurityMiddleware
from accord.web.sso import single_sign_on

API_PREFIX = "/api/v1"
API_ROUTERS = (work.router, projects.router, markdown.router, review.router,
               calibration.router, guidelines.router, oversight.router, judges.router,
               imports.router, exports.router, curation.router,
               project_admin.router, members.router, people.router, demonstrations.router)
"""Every JSON route group, mounted under ``API_PREFIX`` in this order."""
STATIC = Path(__file__).resolve().parent / "static"


class _StaticFiles(StaticFiles):
    """Our own scripts and styles: revalidated on every load (``no-cache``), so an upgrade
    never leaves a browser running old scripts against new pages."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


class AccordApp(FastAPI):
    """FastAPI with the security headers outermost: Starlette answers an unhandled error
    from its outermost middleware, outside every middleware added with ``add_middleware``,
    so only a wrapper around the whole stack puts the headers on that answer too."""

    def build_middleware_stack(self) -> ASGIApp:
        return SecurityMiddleware(super().build_middleware_stack())

    def openapi(self) -> dict[str, Any]:
        if self.openapi_schema is None:
            self.openapi_schema = openapi_document.corrected(super().openapi())
        return self.openapi_schema


def login_limits(settings: Settings) -> ThrottleLimits:
    return ThrottleLimits(per_account=settings.login_failures_per_account,
                          per_address=settings.login_failures_per_address,
                          window=timedelta(seconds=settings.login_window_seconds))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.database = Database(make_engine(settings.database_url))
        # One password hash per core at most: each holds 16 MiB and a core while it runs.
        app.state.password_checks = anyio.CapacityLimiter(os.cpu_count() or 1)
        app.state.jobs = JobRunner(app.state.database.engine, app.state.upload_folder,
                                   app.state.export_retention)
        app.state.jobs.resume()
        app.state.reports = ReportRefresher(app.state.database.engine, partial(app_time, app))
        # Everything built so far (modules, routes, schemas, tables) lives as long as the
        # process: out of the collector's sight, a full collection no longer walks its 150,000
        # objects in the middle of some request (tens to hundreds of ms: the loop's p99).
        gc.freeze()
        try:
            yield
        finally:
            gc.unfreeze()  # an app started inside a longer-lived process (tests) gives them back
            app.state.reports.close()
            app.state.jobs.close()
            app.state.database.close()

    app = AccordApp(
        title="Accord",
        version=__version__,
        description="Human feedback for aligning language models.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.login_limits = login_limits(settings)
    app.state.upload_folder = Path(upload_folder(settings))
    app.state.upload_limit = settings.upload_max_bytes
    app.state.export_retention = export_retention(settings)
    app.state.invite_hours = settings.invite_hours
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_body_bytes)
    app.state.sso = single_sign_on(settings)
    app.state.password_login = settings.password_login
    errors.install(app)
    docs.install(app)
    app.mount("/static", _StaticFiles(directory=STATIC), name="static")
    for router in API_ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.include_router(pages.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"ok": True, "version": __version__}

    return app
