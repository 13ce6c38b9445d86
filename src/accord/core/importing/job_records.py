"""The rows of ``data_jobs``: an import or export that the server runs for a caller after
answering the request, with its status, progress, errors and result.

A job moves ``queued`` → ``checking`` → ``importing`` → ``done`` (an export: ``queued`` →
``exporting`` → ``done``), or ends ``failed`` with a reason. The thread that runs a job
touches ``heartbeat_at`` whenever it reports progress; a job whose heartbeat stopped (the
server was stopped or killed while it ran) can never finish, so :func:`fail_interrupted`
marks it failed, with a reason that says what to do, when a server starts and whenever the
job is read. Each function takes a connection in a transaction the caller opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row, and_, insert, or_, select, update

from accord.core.errors import NotFound
from accord.core.paging import Page, check_page, id_cursor, page_of
from accord.db.tables import data_jobs, users

RUNNING = ("checking", "importing", "exporting")
FINISHED = ("done", "failed")
STALE_AFTER = timedelta(seconds=120)
"""A running job whose heartbeat is older than this was interrupted: its thread reports
progress at least every few seconds (after every few thousand lines or each batch)."""
MAX_PAGE = 100
DEFAULT_PAGE = 20
INTERRUPTED = {
    "import": "the server stopped while this import was {status}; upload the file again: "
              "the import keeps what was already written and fills only what is missing",
    "export": "the server stopped while this export was being written; ask for it again",
}


@dataclass(frozen=True)
class Job:
    """One import or export job, as a client reads it."""

    id: int
    project: str
    kind: str
    status: str
    created_by: str | None
    idempotency_key: str | None
    options: dict[str, Any]
    file_name: str
    file_bytes: int
    work_dir: str | None
    progress_unit: str
    progress_done: int
    progress_total: int
    items_written: int
    report: dict[str, Any] | None
    errors: list[dict[str, Any]]
    error_total: int
    failure: str | None
    files: list[dict[str, Any]]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _job(row: Row, project: str) -> Job:
    return Job(
        id=row.id, project=project, kind=row.kind, status=row.status, created_by=row.creator,
        idempotency_key=row.idempotency_key, options=row.options or {},
        file_name=row.file_name, file_bytes=row.file_bytes, work_dir=row.work_dir,
        progress_unit=row.progress_unit, progress_done=row.progress_done,
        progress_total=row.progress_total, items_written=row.items_written,
        report=row.report, errors=row.errors or [], error_total=row.error_total,
        failure=row.failure, files=row.files or [], created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at,
    )


def _query(project_id: int):
    return (select(data_jobs, users.c.name.label("creator"))
            .outerjoin(users, users.c.id == data_jobs.c.created_by)
            .where(data_jobs.c.project_id == project_id))


def create_job(conn: Connection, *, project_id: int, kind: str, user_id: int,
               idempotency_key: str | None, options: dict[str, Any], file_name: str = "",
               file_bytes: int = 0, work_dir: str | None = None, progress_unit: str = "bytes",
               now: datetime) -> int:
    """A new ``queued`` job's id."""
    return conn.execute(insert(data_jobs).values(
        project_id=project_id, kind=kind, status="queued", created_by=user_id,
        idempotency_key=idempotency_key, options=options, file_name=file_name[:255],
        file_bytes=file_bytes, work_dir=work_dir, progress_unit=progress_unit,
        created_at=now,
    ).returning(data_jobs.c.id)).scalar_one()


def job_by_key(conn: Connection, project_id: int, project: str, user_id: int, kind: str,
               key: str) -> Job | None:
    """The caller's job of this kind made with ``Idempotency-Key: key``, if any."""
    row = conn.execute(_query(project_id).where(
        data_jobs.c.created_by == user_id, data_jobs.c.idempotency_key == key,
        data_jobs.c.kind == kind)).first()
    return _job(row, project) if row is not None else None


def read_job(conn: Connection, project_id: int, project: str, kind: str, job_id: int,
             now: datetime) -> Job:
    """The project's job ``job_id`` of ``kind``; an interrupted one is marked failed first."""
    fail_interrupted(conn, now, job_id=job_id)
    row = conn.execute(_query(project_id).where(
        data_jobs.c.id == job_id, data_jobs.c.kind == kind)).first()
    if row is None:
        raise NotFound(f'project "{project}" has no {kind} job {job_id}')
    return _job(row, project)


def list_jobs(conn: Connection, project_id: int, project: str, kind: str, now: datetime, *,
              after: str | None = None, limit: int = DEFAULT_PAGE) -> Page[Job]:
    """The project's jobs of ``kind``, newest first, a page at a time: ``after`` is the
    ``next`` of the previous page (the id of its last job; keyset paging by id)."""
    check_page(limit, after, MAX_PAGE)
    last = id_cursor(after, f'the {kind} jobs of "{project}"')
    fail_interrupted(conn, now, project_id=project_id)
    query = _query(project_id).where(data_jobs.c.kind == kind)
    if last is not None:
        query = query.where(data_jobs.c.id < last)
    rows = conn.execute(query.order_by(data_jobs.c.id.desc()).limit(limit + 1))
    return page_of([_job(row, project) for row in rows], limit, "id")


def job_row(conn: Connection, job_id: int) -> Row:
    """The job's raw row, for the thread that runs it."""
    row = conn.execute(select(data_jobs).where(data_jobs.c.id == job_id)).first()
    if row is None:
        raise NotFound(f"there is no job {job_id}")
    return row


def start(conn: Connection, job_id: int, status: str, now: datetime) -> bool:
    """Move a queued job to ``status``; False when it is not queued (another process took
    it, or it was failed meanwhile)."""
    moved = conn.execute(update(data_jobs).where(
        data_jobs.c.id == job_id, data_jobs.c.status == "queued",
    ).values(status=status, started_at=now, heartbeat_at=now))
    return moved.rowcount == 1


def report_progress(conn: Connection, job_id: int, now: datetime, **values: Any) -> None:
    """Record how far a running job has come (and that it is alive)."""
    conn.execute(update(data_jobs).where(
        data_jobs.c.id == job_id, data_jobs.c.status.in_(RUNNING),
    ).values(heartbeat_at=now, **values))


def finish(conn: Connection, job_id: int, now: datetime, *, status: str,
           **values: Any) -> None:
    """End a job ``done`` or ``failed``; its work folder is gone by now."""
    conn.execute(update(data_jobs).where(data_jobs.c.id == job_id).values(
        status=status, finished_at=now, heartbeat_at=now, **values))


def fail_interrupted(conn: Connection, now: datetime, *, job_id: int | None = None,
                     project_id: int | None = None) -> list[Row]:
    """Mark failed the running jobs whose heartbeat stopped, and return their rows, so the
    caller can remove what they left on disk. Only a stopped heartbeat tells: several
    server processes may share the database, each running its own jobs. Queued jobs are
    left alone: a server starts them again."""
    where = and_(data_jobs.c.status.in_(RUNNING),
                 or_(data_jobs.c.heartbeat_at.is_(None),
                     data_jobs.c.heartbeat_at < now - STALE_AFTER))
    if job_id is not None:
        where = and_(where, data_jobs.c.id == job_id)
    if project_id is not None:
        where = and_(where, data_jobs.c.project_id == project_id)
    rows = list(conn.execute(select(data_jobs).where(where)))
    for row in rows:
        reason = INTERRUPTED[row.kind].format(status=row.status)
        conn.execute(update(data_jobs).where(data_jobs.c.id == row.id,
                                             data_jobs.c.status == row.status).values(
            status="failed", failure=reason, finished_at=now, work_dir=None))
    return rows


def queued_jobs(conn: Connection) -> list[tuple[int, str]]:
    """Every queued job, oldest first, as ``(id, kind)``: a starting server runs them."""
    rows = conn.execute(select(data_jobs.c.id, data_jobs.c.kind)
                        .where(data_jobs.c.status == "queued").order_by(data_jobs.c.id))
    return [(row.id, row.kind) for row in rows]
