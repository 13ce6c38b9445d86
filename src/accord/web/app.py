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
    app.include_router(work.router, prefix=API_PREFIX)
    app.include_router(projects.router, prefix=API_PREFIX)
    app.include_router(markdown.router, prefix=API_PREFIX)
    app.include_router(review.router, prefix=API_PREFIX)
    app.include_router(calibration.router, prefix=API_PREFIX)
    app.include_router(guidelines.router, prefix=API_PREFIX)
    app.include_router(oversight.router, prefix=API_PREFIX)
    app.include_router(judges.router, prefix=API_PREFIX)
    app.include_router(pages.router)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"ok": True, "version": __version__}

    return app
