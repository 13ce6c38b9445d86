"""The server's runner of import and export jobs: one worker thread, off the event loop.

One thread, so jobs queue behind each other rather than fight for the database (on SQLite
there is one writer anyway, and an import is a long run of batched writes). When the server
starts, the jobs whose heartbeat stopped (a server stopped or killed while it ran them) are
marked failed and their files removed, and the jobs still queued are started again.

The same thread deletes the files of exports past their retention
(``core.exporting.jobs.expire_exports``): when the server starts, after each job and every
hour, so an idle server frees its disk too.
"""

from __future__ import annotations

import logging
import shutil
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from accord.core.errors import NotFound
from accord.core.exporting.jobs import expire_exports
from accord.core.importing.job_records import fail_interrupted, queued_jobs
from accord.core.importing.jobs import run_import_job
from accord.db.types import utcnow
from accord.exports.jobs import run_export_job

log = logging.getLogger(__name__)
SWEEP_SECONDS = 3600.0
"""How often an idle server looks for export files past their retention."""


class JobRunner:
    def __init__(self, engine: Engine, folder: Path,
                 export_retention: timedelta = timedelta(days=7)) -> None:
        self.engine = engine
        self.folder = folder
        self.export_retention = export_retention
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-jobs")
        self._closed = threading.Event()
        self._timer: threading.Timer | None = None

    def resume(self) -> None:
        """Fail the interrupted jobs, remove their files, start the queued ones again."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with self.engine.begin() as conn:
            interrupted = fail_interrupted(conn, utcnow())
            waiting = queued_jobs(conn)
        for row in interrupted:
            if row.work_dir:
                shutil.rmtree(row.work_dir, ignore_errors=True)
        for job_id, kind in waiting:
            self.submit(kind, job_id)
        self._pool.submit(self._guarded_expiry)
        self._schedule_sweep()

    def expire_exports(self, now: datetime | None = None) -> list[str]:
        """Delete the files of every export past its retention at ``now`` (the real clock
        unless a test moves it); returns their folders."""
        with self.engine.begin() as conn:
            folders = expire_exports(conn, now or utcnow(), self.export_retention)
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        if folders:
            log.info("deleted the files of %d expired export job(s)", len(folders))
        return folders

    def _schedule_sweep(self) -> None:
        if self._closed.is_set():
            return
        self._timer = threading.Timer(SWEEP_SECONDS, self._sweep_now)
        self._timer.daemon = True
        self._timer.start()

    def _sweep_now(self) -> None:
        try:
            self._pool.submit(self._guarded_expiry)
        except RuntimeError:  # the pool was shut down meanwhile
            return
        self._schedule_sweep()

    def _guarded_expiry(self) -> None:
        try:
            self.expire_exports()
        except Exception:  # a database hiccup must not end the hourly sweep
            log.exception("expired export files could not be deleted")

    def submit(self, kind: str, job_id: int) -> None:
        self._pool.submit(self._run, kind, job_id)

    def _run(self, kind: str, job_id: int) -> None:
        try:
            if kind == "import":
                run_import_job(self.engine, job_id)
            else:
                run_export_job(self.engine, job_id, self.folder)
        except NotFound:  # deleted by its owner before its turn came
            log.info("%s job %s was deleted before it ran", kind, job_id)
            return
        except Exception:  # the job's own failures are recorded on it; this is a fault
            log.exception("%s job %s could not be run", kind, job_id)
        self._guarded_expiry()

    def drain(self) -> None:
        """Wait until every job submitted so far has ended (for tests and shutdown)."""
        self._pool.submit(lambda: None).result()

    def close(self) -> None:
        """Finish the running job; queued ones stay queued for the next start."""
        self._closed.set()
        if self._timer is not None:
            self._timer.cancel()
        self._pool.shutdown(wait=True, cancel_futures=True)
