"""Running an export job: the project's export written into the job's own folder by
:func:`accord.exports.export` (atomically, split train/test by prompt when asked), then
listed on the job's row for download. A failed export leaves no file behind.
"""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine

from accord.core.errors import AccordError
from accord.core.importing.job_records import finish, job_row, report_progress, start
from accord.core.projects.project import get_project_by_id
from accord.core.review import audit
from accord.db.types import utcnow
from accord.exports import ExportReport, export
from accord.exports.archive import zip_directory
from accord.exports.requested import ExportRequest

PROGRESS_SECONDS = 1.0
INTERNAL_FAILURE = ("the export stopped because of a fault of Accord's; the server's log "
                    "says what went wrong. Ask for it again")
log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def _files(engine: Engine, project: str, request: ExportRequest, work: Path,
           progress: Callable[[int], None]) -> tuple[ExportReport, list[dict]]:
    """The export as one file, or two for a split; each listed with its rows and bytes."""
    out = work / request.file_name(project)
    report = export(engine, project, request.format, out,
                    file_format=None if request.format == "card" else request.file_format,
                    progress=progress, options=request.export_options(), split=request.split)
    paths = ([Path(side["path"]) for side in report.splits.values()] if report.splits
             else [out])
    rows = ({Path(side["path"]).name: side["rows"] for side in report.splits.values()}
            if report.splits else {out.name: report.rows})
    return report, [{"name": path.name, "rows": rows[path.name], "bytes": path.stat().st_size}
                    for path in paths]


def _dataset_archive(engine: Engine, project: str, request: ExportRequest, work: Path,
                     progress: Callable[[int], None]) -> tuple[ExportReport, list[dict]]:
    """The export as the ``DatasetDict`` directory ``accord export --file-format hf`` writes
    (``train``, and ``test`` with a split), zipped into one file; the directory itself is
    removed once the archive is whole."""
    folder = work / request.directory_name(project)
    report = export(engine, project, request.format, folder, file_format="hf",
                    progress=progress, options=request.export_options(), split=request.split)
    archive = work / request.file_name(project)
    try:
        size = zip_directory(folder, archive)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return report, [{"name": archive.name, "rows": report.rows, "bytes": size}]


def run_export_job(engine: Engine, job_id: int, folder: Path, clock: Clock = utcnow) -> None:
    """Write a queued export job's files under ``folder``/``export-ID`` and record them.
    Does nothing if the job is not queued."""
    with engine.begin() as conn:
        row = job_row(conn, job_id)
        if not start(conn, job_id, "exporting", clock()):
            return
        project = get_project_by_id(conn, row.project_id)
    work = folder / f"export-{job_id}"
    last = [time.monotonic()]

    def progress(rows: int) -> None:
        if time.monotonic() - last[0] >= PROGRESS_SECONDS:
            last[0] = time.monotonic()
            with engine.begin() as conn:
                report_progress(conn, job_id, clock(), progress_done=rows)

    outcome: dict
    try:
        request = ExportRequest.from_document(row.options)
        work.mkdir(parents=True, exist_ok=True)
        if request.is_directory:
            report, files = _dataset_archive(engine, project.name, request, work, progress)
        else:
            report, files = _files(engine, project.name, request, work, progress)
        document = {key: value for key, value in report.as_dict().items() if key != "path"}
        document.pop("splits", None)
        outcome = {"status": "done", "files": files, "report": document,
                   "work_dir": str(work), "progress_done": report.rows,
                   "progress_total": report.rows}
    except AccordError as error:
        outcome = {"status": "failed", "failure": error.message, "work_dir": None}
    except Exception:
        log.exception("export job %s failed", job_id)
        outcome = {"status": "failed", "failure": INTERNAL_FAILURE, "work_dir": None}
    if outcome["status"] == "failed":
        shutil.rmtree(work, ignore_errors=True)
    now = clock()
    with engine.begin() as conn:
        finish(conn, job_id, now, **outcome)
        audit.record(conn, project_id=project.id, actor_id=row.created_by,
                     action=f"export.{outcome['status']}", subject=f"export job {job_id}",
                     details={"options": row.options, "files": outcome.get("files", []),
                              "failure": outcome.get("failure")}, now=now)
