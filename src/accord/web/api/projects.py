"""Who am I, which projects can I see, and how far along are they."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy import Connection

from accord.core.errors import ErrorKind, Forbidden
from accord.core.people.access import can_manage, can_review
from accord.core.people.users import User
from accord.core.projects import progress as progress_rules
from accord.core.projects.project import Project, project_for_member, projects_of, roles_of
from accord.core.report import cache as report_cache
from accord.core.report.cache import StoredReport
from accord.core.report.scope import Scope
from accord.web.api.documented import caller_errors
from accord.web.api.schemas import DimensionOut, ProgressOut, ProjectOut, UserOut
from accord.web.deps import Caller, identity
from accord.web.report_refresh import ask_for_refresh, freshness_headers
from accord.web.sources import Now
from accord.web.values import Int64
from accord.wire.report import QualityReport

router = APIRouter(tags=["projects"])


def _out(project: Project, roles) -> ProjectOut:
    return ProjectOut(
        name=project.name,
        overlap=project.overlap,
        lease_seconds=project.lease_seconds,
        ranking_mode=project.ranking_mode,
        allow_ties=project.allow_ties,
        require_rationale=project.require_rationale,
        dimensions=[DimensionOut(**d.as_dict()) for d in project.dimensions],
        roles=sorted(roles),
        archived=project.archived_at is not None,
    )


def _visible_projects(conn: Connection, user: User, archived: bool) -> list[ProjectOut]:
    return [_out(p, roles_of(conn, p.id, user.id))
            for p in projects_of(conn, user, archived=archived)]


def _one_project(conn: Connection, user: User, name: str) -> ProjectOut:
    return _out(*project_for_member(conn, name, user))


def _progress(conn: Connection, user: User, name: str, now: datetime):
    project, _ = project_for_member(conn, name, user)
    return progress_rules.progress(conn, project, now)


@router.get("/me", summary="Who the caller is", response_model=UserOut,
            responses=caller_errors())
async def whoami(me: Caller) -> UserOut:
    """The user the token or login session belongs to."""
    user = await me.run(identity)
    return UserOut(name=user.name, kind=user.kind, is_admin=user.is_admin)


@router.get("/projects", summary="List the caller's projects",
            response_model=list[ProjectOut], responses=caller_errors(ErrorKind.INVALID))
async def list_projects(
    me: Caller,
    archived: Annotated[bool, Query(description="include archived projects")] = False,
) -> list[ProjectOut]:
    """The projects the caller is a member of (every project for an admin), with their roles;
    archived projects only with `?archived=true`."""
    return await me.run(_visible_projects, archived)


@router.get("/projects/{project}", summary="Read a project", response_model=ProjectOut,
            responses=caller_errors(ErrorKind.NOT_FOUND, ErrorKind.INVALID))
async def get_project(project: str, me: Caller) -> ProjectOut:
    """The project's settings and the caller's roles in it."""
    return await me.run(_one_project, project)


@router.get("/projects/{project}/progress", summary="A project's progress",
            response_model=ProgressOut,
            responses=caller_errors(ErrorKind.NOT_FOUND, ErrorKind.INVALID))
async def get_progress(project: str, me: Caller, at: Now) -> ProgressOut:
    """Tasks by status, annotations stored and leases active now."""
    result = await me.run(_progress, project, at)
    return ProgressOut(**result.__dict__)


def _report(conn: Connection, user: User, name: str, scope: Scope, now: datetime,
            fresh: bool) -> tuple[int, StoredReport]:
    project, roles = project_for_member(conn, name, user)
    if not can_review(user, roles):
        raise Forbidden(f'the report of "{project.name}" is for its reviewers and managers')
    if fresh and not can_manage(user, roles):
        raise Forbidden(f'a fresh report of "{project.name}" (fresh=true) is for its managers')
    stored = (report_cache.refresh(conn, project, now, scope) if fresh
              else report_cache.current(conn, project, now, scope))
    return project.id, stored


@router.get("/projects/{project}/report", summary="The quality report",
            response_model=QualityReport, response_model_exclude_unset=True,
            responses=caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID))
async def get_report(
    request: Request, response: Response, project: str, me: Caller, at: Now,
    guideline_version: Annotated[list[Int64] | None, Query(
        description="Count only annotations made under this guideline version; repeatable.",
    )] = None,
    include_ai: Annotated[bool, Query(
        description="Count AI judges' annotations in the figures.")] = False,
    fresh: Annotated[bool, Query(
        description="Compute the report now instead of reading the stored one "
                    "(managers only).")] = False,
) -> QualityReport:
    """The quality report: ``agreement``, ``annotators``, ``consensus``, ``monitors``, ``cost``.

    The report served is the one stored for the project under the same scope, refreshed in
    the background after annotations arrive; the first read computes it. Its freshness is in
    the headers: ``Age`` (seconds since it was computed), ``X-Report-Computed-At`` and
    ``X-Report-Annotations-Since`` (annotations it does not count yet). A manager may ask for
    ``fresh=true`` to compute it now. Reading it never moves a task; ``accord report`` stores
    the consensus it computes. A field that this report leaves out (the gold columns of a
    project without gold tasks, a per-annotator figure of a project without annotators) is
    absent, not null.
    """
    scope = Scope(guideline_versions=tuple(guideline_version or ()), include_ai=include_ai)
    project_id, stored = await me.run(_report, project, scope, at, fresh)
    ask_for_refresh(request, project_id, stored, scope)
    response.headers.update(freshness_headers(stored, at))
    return stored.report
