"""``/``: the caller's projects, what waits for them, their day so far."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from sqlalchemy import Connection
from starlette.responses import Response

from accord.core.people.administrators import administrator_names
from accord.core.people.users import User
from accord.core.work import workload
from accord.web.deps import Viewer
from accord.web.pages.navigation import links_for
from accord.web.pages.rendering import render
from accord.web.sources import Now

router = APIRouter()


@dataclass(frozen=True)
class HomePage:
    user: User
    projects: list[workload.ProjectDay]
    administrators: list[str]
    """Whom to ask for a project, shown only to someone who has none yet."""


def _home(conn: Connection, user: User, now: datetime) -> HomePage:
    projects = workload.overview(conn, user, now)
    return HomePage(user, projects, [] if projects else administrator_names(conn))


@router.get("/")
async def home(request: Request, viewer: Viewer, at: Now) -> Response:
    page = await viewer.run(_home, at)
    links = {day.project.name: links_for(page.user, day.project.name, day.roles)
             for day in page.projects}
    return await render(request, "home.html", page.user, projects=page.projects, links=links,
                        administrators=page.administrators)
