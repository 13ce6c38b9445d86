"""The FastAPI application: ``create_app(settings)`` builds one; ``accord serve`` runs it."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI

from accord import __version__
from accord.db.engine import make_engine
from accord.settings import Settings, load_settings
from accord.web import docs, errors
from accord.web.api import projects, work
from accord.web.database import Database

API_PREFIX = "/api/v1"


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
    errors.install(app)
    docs.install(app)
    app.include_router(work.router, prefix=API_PREFIX)
    app.include_router(projects.router, prefix=API_PREFIX)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict:
        return {"ok": True, "version": __version__}

    return app
