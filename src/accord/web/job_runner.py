"""The server's runner of import and export jobs: one worker thread, off the event loop.

One thread, so jobs queue behind each other rather than fight for the database (on SQLite
there is one writer anyway, and an import is a long run of batched writes). When the server
starts, the jobs whose heartbeat stopped (a server stopped or killed while it ran them) are
marked failed and their files removed, and the jobs still queued are started again.
"""

from __future__ import annotations

import logging
import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import Engine

from accord.core.importing.job_records import fail_interrupted, queued_jobs
from accord.core.importing.jobs import run_import_job
from accord.db.types import utcnow
from accord.exports.jobs import run_export_job

log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, engine: Engine, folder: Path) -> None:
        self.engine = engine
        self.folder = folder
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="accord-jobs")

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

    def submit(self, kind: str, job_id: int) -> None:
        self._pool.submit(self._run, kind, job_id)

    def _run(self, kind: str, job_id: int) -> None:
        try:
            if kind == "import":
                run_import_job(self.engine, job_id)
            else:
                run_export_job(self.engine, job_id, self.folder)
        except Exception:  # the job's own failures are recorded on it; this is a fault
            log.exception("%s job %s could not be run", kind, job_id)

    def drain(self) -> None:
        """Wait until every job submitted so far has ended (for tests and shutdown)."""
        self._pool.submit(lambda: None).result()

    def close(self) -> None:
        """Finish the running job; queued ones stay queued for the next start."""
        self._pool.shutdown(wait=True, cancel_futures=True)
