"""Projects administered over the API: create, read and change settings (dimensions
included), archive and unarchive. Each route is one call of ``core.admin.projects``, the
functions ``accord project create/set/archive/unarchive`` call too."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import Connection

from accord.core.admin import projects as admin_projects
from accord.core.admin.authority import managed_project
from accord.core.admin.settings import (
    agreement_target_of,
    demonstration_of,
    harm_categories_of,
)
from accord.core.errors import ErrorKind
from accord.core.people.users import User
from accord.core.projects.mix import mix_of
from accord.core.projects.project import Project
from accord.web.api.admin_schemas import (
    DimensionOut,
    ProjectCreateIn,
    ProjectSettingsIn,
    ProjectSettingsOut,
)
from accord.web.api.documented import caller_errors
from accord.web.deps import Caller
from accord.web.sources import Now

router = APIRouter(tags=["project administration"])
CREATE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.CONFLICT, ErrorKind.INVALID)
MANAGE = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                       ErrorKind.INVALID)
READ = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)


def settings_out(project: Project) -> ProjectSettingsOut:
    return ProjectSettingsOut(
        name=project.name, description=project.description, overlap=project.overlap,
        lease_seconds=project.lease_seconds, ranking_mode=project.ranking_mode,
        allow_ties=project.allow_ties, require_rationale=project.require_rationale,
        dimensions=[DimensionOut(**d.as_dict()) for d in project.dimensions],
        agreement_threshold=project.agreement_threshold, gold_rate=project.gold_rate,
        budget=project.budget, harm_categories=harm_categories_of(project),
        rules=admin_projects.rules_in_force(project), mix=mix_of(project),
        demonstration=demonstration_of(project), archived=project.archived_at is not None,
        archived_at=project.archived_at, prelabel=project.settings.get("prelabel"),
        agreement_target=agreement_target_of(project),
    )


def _read(conn: Connection, user: User, name: str) -> Project:
    return managed_project(conn, user, name, "the settings")


@router.post("/projects", summary="Create a project", status_code=201,
             response_model=ProjectSettingsOut, responses=CREATE)
async def create_project(body: ProjectCreateIn, me: Caller, at: Now) -> ProjectSettingsOut:
    """Administrators create projects, with the defaults of `accord project create` for
    every setting left out; a taken name answers 409 `already_exists`."""
    given = body.model_dump(exclude_unset=True, exclude={"name"})
    return settings_out(await me.run(admin_projects.create, body.name, given, at))


@router.get("/projects/{project}/settings", summary="Read a project's settings",
            response_model=ProjectSettingsOut, responses=READ)
async def read_settings(project: str, me: Caller) -> ProjectSettingsOut:
    """Every setting, the work rules and the harm categories (managers and administrators)."""
    return settings_out(await me.run(_read, project))


@router.patch("/projects/{project}", summary="Change a project's settings",
              response_model=ProjectSettingsOut, responses=MANAGE)
async def change_settings(project: str, body: ProjectSettingsIn, me: Caller,
                          at: Now) -> ProjectSettingsOut:
    """Only the fields sent change; `dimensions` replaces the list. A change that the stored
    work forbids (lowering the overlap once tasks have annotators, removing a dimension that
    stored ratings use, forbidding ties that stored rankings hold…) answers 409 with the
    reason, and nothing changes."""
    changes = body.model_dump(exclude_unset=True)
    return settings_out(await me.run(admin_projects.change, project, changes, at))


@router.post("/projects/{project}/archive", summary="Archive a project",
             response_model=ProjectSettingsOut, responses=MANAGE)
async def archive(project: str, me: Caller, at: Now) -> ProjectSettingsOut:
    """The project keeps its data and exports but hands out no new tasks, and
    `GET /projects` leaves it out unless `?archived=true`. Already archived: 409."""
    return settings_out(await me.run(admin_projects.archive, project, at))


@router.post("/projects/{project}/unarchive", summary="Bring an archived project back",
             response_model=ProjectSettingsOut, responses=MANAGE)
async def unarchive(project: str, me: Caller, at: Now) -> ProjectSettingsOut:
    """Work is handed out again. Not archived: 409."""
    return settings_out(await me.run(admin_projects.unarchive, project, at))
