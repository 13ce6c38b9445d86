"""Who may take a project's exports, and export jobs: an export written to files by the
server on a worker thread (large ones, or a train/test split), downloaded when done.

Exports are for a project's reviewers and managers (and administrators), as its quality
report is: they hold every judgment. Each export taken, streamed or as a job, leaves an
audit event. Jobs share ``data_jobs`` with imports (``core.importing.job_records``); what
they run is in ``accord.exports.jobs``, since the file formats live above ``core``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from accord.core.errors import Forbidden, NotFound
from accord.core.importing.job_records import (
    Job,
    create_job,
    job_by_key,
    list_jobs,
    read_job,
)
from accord.core.paging import Page
from accord.core.people.access import can_review
from accord.core.people.users import User
from accord.core.projects.project import Project, project_for_member
from accord.core.review import audit


def exportable_project(conn: Connection, user: User, project_name: str) -> Project:
    """The project, when the caller may export it (reviewers, managers, administrators)."""
    project, roles = project_for_member(conn, project_name, user)
    if not can_review(user, roles):
        raise Forbidden(f'the exports of "{project.name}" are for its reviewers and managers')
    return project


def start_download(conn: Connection, user: User, project_name: str, options: dict[str, Any],
                   now: datetime) -> Project:
    """Authorise a streamed export and record it in the audit trail."""
    project = exportable_project(conn, user, project_name)
    audit.record(conn, project_id=project.id, actor_id=user.id, action="export.downloaded",
                 subject=f"{options.get('format')} export", details={"options": options},
                 now=now)
    return project


def create_export_job(conn: Connection, user: User, project_name: str,
                      options: dict[str, Any], idempotency_key: str | None,
                      now: datetime) -> tuple[Job, bool]:
    """A queued export job (or the one ``idempotency_key`` made before: then False)."""
    project = exportable_project(conn, user, project_name)
    if idempotency_key is not None:
        found = job_by_key(conn, project.id, project.name, user.id, "export", idempotency_key)
        if found is not None:
            return found, False
    job_id = create_job(conn, project_id=project.id, kind="export", user_id=user.id,
                        idempotency_key=idempotency_key, options=options,
                        progress_unit="rows", now=now)
    return read_job(conn, project.id, project.name, "export", job_id, now), True


def export_job(conn: Connection, user: User, project_name: str, job_id: int,
               now: datetime) -> Job:
    project = exportable_project(conn, user, project_name)
    return read_job(conn, project.id, project.name, "export", job_id, now)


def export_jobs(conn: Connection, user: User, project_name: str, now: datetime, *,
                after: str | None = None, limit: int = 20) -> Page[Job]:
    project = exportable_project(conn, user, project_name)
    return list_jobs(conn, project.id, project.name, "export", now, after=after,
                     limit=limit)


def job_file(conn: Connection, user: User, project_name: str, job_id: int, name: str,
             now: datetime) -> Path:
    """The path of a finished export job's file ``name``; only the files the job lists."""
    job = export_job(conn, user, project_name, job_id, now)
    listed = {entry["name"] for entry in job.files}
    if job.status != "done" or name not in listed or job.work_dir is None:
        made = ", ".join(sorted(listed)) or "none yet"
        raise NotFound(f'export job {job_id} has no file "{name}" (its files: {made})')
    path = Path(job.work_dir) / name
    if not path.is_file():
        raise NotFound(f'the file "{name}" of export job {job_id} is no longer kept')
    return path
