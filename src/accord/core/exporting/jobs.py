"""Who may take a project's exports, and export jobs: an export written to files by the
server on a worker thread (large ones, or a train/test split), downloaded when done.

Exports are for a project's reviewers and managers (and administrators), as its quality
report is: they hold every judgment. Each export taken, streamed or as a job, leaves an
audit event. Jobs share ``data_jobs`` with imports (``core.importing.job_records``); what
they run is in ``accord.exports.jobs``, since the file formats live above ``core``.

An export job's files are kept for a retention period (``ACCORD_EXPORT_RETENTION_DAYS``)
after it finished, then deleted by the server's job runner (:func:`expire_exports`): the
job stays listed, with its files' names and row counts, as ``expired``, and a download
answers 404 ``export_expired``. Disk used by exports thus stays bounded without anyone
cleaning up. An expired job is a ``done`` export whose folder is gone (``work_dir`` NULL),
which no other path produces: a job that finished ``done`` always has its folder. A caller
may delete a job earlier (:func:`delete_export_job`): its row and files go at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, select, update

from accord.core.errors import Conflict, Forbidden, NotFound
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
from accord.db.tables import data_jobs

EXPIRED = "expired"
"""The status a client reads for an export job whose files were deleted after retention."""


class ExportExpired(NotFound):
    """The export job's files were deleted after the retention period; ask again."""

    code = "export_expired"


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
               now: datetime, keep: timedelta) -> Job:
    """The project's export job, as ``expired`` once its files are past ``keep``."""
    project = exportable_project(conn, user, project_name)
    return _as_read(read_job(conn, project.id, project.name, "export", job_id, now), now, keep)


def export_jobs(conn: Connection, user: User, project_name: str, now: datetime,
                keep: timedelta, *, after: str | None = None, limit: int = 20) -> Page[Job]:
    project = exportable_project(conn, user, project_name)
    page = list_jobs(conn, project.id, project.name, "export", now, after=after, limit=limit)
    return Page([_as_read(job, now, keep) for job in page.items], page.next)


def is_expired(job: Job, now: datetime, keep: timedelta) -> bool:
    """Whether a finished export's files are gone, or due to go (the runner's sweep may not
    have come round yet: a file is never served past its retention either way)."""
    if job.kind != "export" or job.status != "done":
        return False
    return job.work_dir is None or (job.finished_at is not None
                                    and job.finished_at + keep <= now)


def _as_read(job: Job, now: datetime, keep: timedelta) -> Job:
    return replace(job, status=EXPIRED) if is_expired(job, now, keep) else job


def job_file(conn: Connection, user: User, project_name: str, job_id: int, name: str,
             now: datetime, keep: timedelta) -> Path:
    """The path of a finished export job's file ``name``; only the files the job lists."""
    job = export_job(conn, user, project_name, job_id, now, keep)
    listed = {entry["name"] for entry in job.files}
    if job.status == EXPIRED and name in listed:
        raise ExportExpired(
            f'the files of export job {job_id} were deleted: an export\'s files are kept '
            f"{_days(keep)} after it finished (ACCORD_EXPORT_RETENTION_DAYS); ask for the "
            "export again")
    if job.status != "done" or name not in listed or job.work_dir is None:
        made = ", ".join(sorted(listed)) or "none yet"
        raise NotFound(f'export job {job_id} has no file "{name}" (its files: {made})')
    path = Path(job.work_dir) / name
    if not path.is_file():
        raise NotFound(f'the file "{name}" of export job {job_id} is no longer kept')
    return path


def _days(keep: timedelta) -> str:
    days = keep / timedelta(days=1)
    return f"{days:g} day" + ("" if days == 1 else "s")


def delete_export_job(conn: Connection, user: User, project_name: str, job_id: int,
                      now: datetime) -> str | None:
    """Delete an export job (whoever may export the project may delete its jobs) and
    return its folder, for the caller to remove once this transaction commits. A job being
    written is refused: its thread still writes to the folder."""
    project = exportable_project(conn, user, project_name)
    job = read_job(conn, project.id, project.name, "export", job_id, now)
    if job.status == "exporting":
        raise Conflict(f"export job {job_id} is being written; delete it once it is done "
                       "or failed")
    conn.execute(delete(data_jobs).where(data_jobs.c.id == job_id))
    audit.record(conn, project_id=project.id, actor_id=user.id, action="export.deleted",
                 subject=f"export job {job_id}",
                 details={"options": job.options, "files": job.files}, now=now)
    return job.work_dir


def expire_exports(conn: Connection, now: datetime, keep: timedelta) -> list[str]:
    """Mark expired every finished export whose retention has passed and return their
    folders, for the caller to delete once this transaction commits."""
    due = list(conn.execute(select(data_jobs.c.id, data_jobs.c.project_id,
                                   data_jobs.c.work_dir, data_jobs.c.files).where(
        data_jobs.c.kind == "export", data_jobs.c.status == "done",
        data_jobs.c.work_dir.is_not(None), data_jobs.c.finished_at <= now - keep)))
    for row in due:
        conn.execute(update(data_jobs).where(data_jobs.c.id == row.id).values(work_dir=None))
        audit.record(conn, project_id=row.project_id, actor_id=None, action="export.expired",
                     subject=f"export job {row.id}",
                     details={"files": row.files or [], "kept_days": _days(keep)}, now=now)
    return [row.work_dir for row in due]
