"""The FastAPI application: ``create_app(settings)`` builds one; ``accord serve`` runs it."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from accord import __version__
from accord.db.engine import make_engine
from accord.settings import Settings, load_settings
from accord.web import docs, errors, pages
from accord.web.api import (
    calibration,
    guidelines,
    judges,
    markdown,
    oversight,
    projects,
    review,
    work,
)
from accord.web.database import Database
from accord.web.security import SecurityMiddleware

API_PREFIX = "/api/v1"
API_ROUTERS = (work.router, projects.router, markdown.router, review.router,
               calibration.router, guidelines.router, oversight.router, judges.router)
"""Every JSON route group, mounted under ``API_PREFIX`` in this order."""
STATIC = Path(__file__).resolve().parent / "static"


class _StaticFiles(StaticFiles):
    """Our own scripts and styles: revalidated on every load (``no-cache``), so an upgrade
    never leaves a browser running old scripts against new pages."""

    def file_response(self, *args, **kwargs):
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "no-cache"
        return response


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.database = Database(make_engine(settings.database_url))
        try:
            yield
        finally:
            app.state.database.close()

    app = FastAPI(
        title="Accord",
        version=__version__,
        description="Human feedback for aligning language models.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(SecurityMiddleware)
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
