"""Import jobs: a file uploaded to the server, checked whole and imported by the one
pipeline (``import_file``) on a worker thread, while the client reads the job's progress.

The rules are the command line's: the same options, the same whole-file check, nothing
written unless every entry is valid or ``skip_invalid`` is asked for, and the same report.
Only managers (and administrators) import. A job made with an ``Idempotency-Key`` is
answered again for the same key, so a client that lost the answer can retry safely; the
same file imported twice changes nothing anyway (items are keyed by id). The uploaded file
lives in the job's folder until the job ends, then is removed, whatever the outcome.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from accord.core.errors import AccordError, Forbidden, ImportRejected
from accord.core.importing.existing import count_items
from accord.core.importing.formats import import_format
from accord.core.importing.job_records import (
    Job,
    create_job,
    finish,
    job_by_key,
    job_row,
    list_jobs,
    read_job,
    report_progress,
    start,
)
from accord.core.importing.lines import DEFAULT_MAX_LINE_BYTES
from accord.core.importing.parquet_rows import open_source
from accord.core.importing.pipeline import check_options, import_file
from accord.core.importing.report import ImportReport
from accord.core.paging import Page
from accord.core.people.access import can_manage
from accord.core.people.users import User
from accord.core.projects.project import Project, get_project_by_id, project_for_member
from accord.core.review import audit
from accord.db.types import utcnow

MAX_JOB_ERRORS = 1000
"""Invalid entries a job keeps, the earliest; all are counted in ``error_total``."""
PROGRESS_SECONDS = 1.0
"""At most one progress write a second: the job's row is a heartbeat, not a log."""
INTERNAL_FAILURE = ("the import stopped because of a fault of Accord's; the server's log "
                    "says what went wrong. Upload the file again: what was written is kept")
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


@dataclass(frozen=True)
class ImportOptions:
    """What ``accord import`` takes beyond the project and the file, by the same names."""

    file_format: str = "jsonl"
    labelled: bool = False
    source: str | None = None
    skip_invalid: bool = False
    update: bool = False
    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def importable_project(conn: Connection, user: User, project_name: str) -> Project:
    """The project, when the caller may import into it (its managers, administrators)."""
    project, roles = project_for_member(conn, project_name, user)
    if not can_manage(user, roles):
        raise Forbidden(f'imports into "{project.name}" are for its managers')
    return project


def prepare_import(conn: Connection, user: User, project_name: str, options: ImportOptions,
                   file_name: str, idempotency_key: str | None) -> Job | None:
    """Before the upload is read: refuse a caller or options the import would refuse, and
    give the job already made with ``idempotency_key``, if there is one."""
    project = importable_project(conn, user, project_name)
    check_options(options.file_format, file_name, labelled=options.labelled,
                  source=options.source, update=options.update)
    if idempotency_key is None:
        return None
    return job_by_key(conn, project.id, project.name, user.id, "import", idempotency_key)


def create_import_job(conn: Connection, user: User, project_name: str,
                      options: ImportOptions, upload: Path, file_bytes: int,
                      idempotency_key: str | None, now: datetime) -> tuple[Job, bool]:
    """A queued job for the file stored at ``upload`` (alone in its folder), and whether it
    is new: False when ``idempotency_key`` already made one (the upload is then not used)."""
    project = importable_project(conn, user, project_name)
    if idempotency_key is not None:
        found = job_by_key(conn, project.id, project.name, user.id, "import", idempotency_key)
        if found is not None:
            return found, False
    job_id = create_job(conn, project_id=project.id, kind="import", user_id=user.id,
                        idempotency_key=idempotency_key, options=options.as_dict(),
                        file_name=upload.name, file_bytes=file_bytes,
                        work_dir=str(upload.parent), now=now)
    return read_job(conn, project.id, project.name, "import", job_id, now), True


def import_job(conn: Connection, user: User, project_name: str, job_id: int,
               now: datetime) -> Job:
    project = importable_project(conn, user, project_name)
    return read_job(conn, project.id, project.name, "import", job_id, now)


def import_jobs(conn: Connection, user: User, project_name: str, now: datetime, *,
                after: str | None = None, limit: int = 20) -> Page[Job]:
    project = importable_project(conn, user, project_name)
    return list_jobs(conn, project.id, project.name, "import", now, after=after,
                     limit=limit)


class _Progress:
    """The pipeline's ``on_read``: the phase as the job's status, how far it has read,
    and the items the project gained, written at most once a second."""

    def __init__(self, engine: Engine, job_id: int, project_id: int, unit: str,
                 clock: Clock) -> None:
        self.engine, self.job_id, self.project_id, self.clock = engine, job_id, project_id, clock
        self.unit = unit
        self.phase = "checking"
        self.last = time.monotonic()
        with engine.connect() as conn:
            self.before = count_items(conn, project_id)

    def __call__(self, phase: str, done: int, total: int) -> None:
        moved = phase != self.phase
        if not moved and time.monotonic() - self.last < PROGRESS_SECONDS and done < total:
            return
        self.phase, self.last = phase, time.monotonic()
        with self.engine.begin() as conn:
            written = count_items(conn, self.project_id) - self.before
            report_progress(conn, self.job_id, self.clock(), status=phase,
                            progress_unit=self.unit, progress_done=done,
                            progress_total=total, items_written=written)


def run_import_job(engine: Engine, job_id: int, clock: Clock = utcnow) -> None:
    """Check and import a queued job's file, record the outcome, remove the file. Does
    nothing if the job is not queued (another server process took it)."""
    with engine.begin() as conn:
        row = job_row(conn, job_id)
        if not start(conn, job_id, "checking", clock()):
            return
        project = get_project_by_id(conn, row.project_id)
    upload = Path(row.work_dir or ".") / row.file_name
    options = ImportOptions(**row.options)
    outcome: dict[str, Any]
    try:
        unit = open_source(import_format(options.file_format).read, upload).progress_in
        progress = _Progress(engine, job_id, project.id, unit, clock)
        report = import_file(
            engine, project, upload, file_format=options.file_format,
            labelled=options.labelled, source=options.source,
            skip_invalid=options.skip_invalid, update=options.update,
            max_line_bytes=options.max_line_bytes, on_read=progress,
            max_errors=MAX_JOB_ERRORS)
        outcome = {"status": "done", "report": report_document(report),
                   "errors": _errors(report.errors, report.unit), "error_total": report.invalid}
    except ImportRejected as rejected:
        outcome = {"status": "failed", "failure": rejected.message.splitlines()[0],
                   "errors": _errors(rejected.details or [], rejected.unit),
                   "error_total": rejected.invalid}
    except AccordError as error:
        outcome = {"status": "failed", "failure": error.message}
    except Exception:
        log.exception("import job %s failed", job_id)
        outcome = {"status": "failed", "failure": INTERNAL_FAILURE}
    finally:
        shutil.rmtree(upload.parent, ignore_errors=True)
    _finish(engine, row, project, outcome, clock())


def _finish(engine: Engine, row: Any, project: Project, outcome: dict[str, Any],
            now: datetime) -> None:
    with engine.begin() as conn:
        if outcome["status"] == "done":
            items = (outcome["report"]["new"] + outcome["report"]["updated"])
            outcome["items_written"] = items
        finish(conn, row.id, now, work_dir=None, **outcome)
        audit.record(conn, project_id=project.id, actor_id=row.created_by,
                     action=f"import.{outcome['status']}", subject=f"import job {row.id}",
                     details={"file": row.file_name, "bytes": row.file_bytes,
                              "options": row.options,
                              "summary": (outcome.get("report") or {}).get("summary"),
                              "failure": outcome.get("failure"),
                              "invalid": outcome.get("error_total", 0)},
                     now=now)


def _errors(pairs: list[tuple[int, str]], unit: str) -> list[dict[str, Any]]:
    return [{"unit": unit, "number": number, "reason": reason} for number, reason in pairs]


def report_document(report: ImportReport) -> dict[str, Any]:
    """The report as the job keeps it: its counts, and the command line's summary."""
    return {"unit": report.unit, "labelled": report.labelled, "new": report.new,
            "unchanged": report.unchanged, "updated": report.updated,
            "invalid": report.invalid, "annotations_new": report.annotations_new,
            "annotations_unchanged": report.annotations_unchanged,
            "unjudged": report.unjudged_count, "unjudged_records": report.unjudged,
            "summary": report.summary()}
