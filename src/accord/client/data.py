"""``client.imports`` and ``client.exports``: upload a file, rows or a DataFrame and wait
for the import; stream an export, or write one as a job and download its files."""

from __future__ import annotations

import uuid
from typing import Any

from accord.client import data_routes as routes
from accord.client.calls import each, then
from accord.client.downloads import Download
from accord.client.jobs import ExportJob, ImportJob, bind
from accord.client.streams import Pages
from accord.client.transport import SyncTransport
from accord.client.uploads import upload_body
from accord.wire.data import ExportJobOut, ImportJobOut


def new_key() -> str:
    """A fresh ``Idempotency-Key``: one per call, the same for every retry of that call."""
    return f"accord-sdk-{uuid.uuid4().hex}"


def file_name_of(export_format: str, project: str, filters: dict[str, Any]) -> str:
    if export_format == "card":
        return f"{project}.card.md"
    return f"{project}.{export_format}.{filters.get('file_format') or 'jsonl'}"


class Imports:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def upload(self, project: str, source: Any, *, idempotency_key: str | None = None,
               **options: Any) -> ImportJob:
        """Upload ``source`` (a path to JSONL, JSONL.gz or Parquet; an iterable of dicts;
        a pandas DataFrame) and answer its import job, queued on the server: call
        ``.wait()`` on it. ``options`` are ``accord import``'s: ``format``, ``labelled``,
        ``source``, ``skip_invalid``, ``update``, ``max_line_bytes``. The file is streamed,
        and sent with an ``Idempotency-Key`` (new for each call) that makes a retry after a
        lost answer return the same job instead of importing twice."""
        key = idempotency_key or new_key()
        with upload_body(source) as (body, name):
            job = self._transport.run(routes.upload(project, body, name, key, options))
        return self._handle(job)

    def get(self, project: str, job_id: int) -> ImportJob:
        return self._handle(self._transport.run(routes.import_job(project, job_id)))

    def list(self, project: str, *, page_size: int = 20) -> Pages[ImportJob]:
        """The project's import jobs, newest first, fetched a page at a time."""
        return Pages(self._transport.run, lambda after: then(
            routes.import_jobs_page(project, page_size, after), each(self._handle)))

    def _handle(self, job: ImportJobOut) -> ImportJob:
        return bind(ImportJob, job, lambda: self.get(job.project, job.id))


class Exports:
    def __init__(self, transport: SyncTransport) -> None:
        self._transport = transport

    def download(self, project: str, format: str = "preference",
                 **filters: Any) -> Download:
        """The export streamed from the server, to read with ``.to_path(path)``,
        ``.rows()``, ``.to_pandas()`` or ``.to_datasets()``. ``format``: preference, kto,
        prompts, raw, sft or card; ``filters`` are ``accord export``'s: ``file_format``
        (jsonl, parquet), ``pairs``, ``min_agreement``, ``source``, ``category``,
        ``guideline_version``, ``include_truncated``, ``exclude_suspect``, ``since``,
        ``until``."""
        call = routes.stream_export(project, format, filters)
        return Download(lambda: self._transport.stream(call),
                        file_name_of(format, project, filters))

    def start(self, project: str, format: str = "preference", *, split: float | None = None,
              idempotency_key: str | None = None, **filters: Any) -> ExportJob:
        """Write the export to files on the server as a job (two with ``split``, the test
        fraction); ``.wait()`` for it, then ``.download("train")``."""
        key = idempotency_key or new_key()
        return self._handle(self._transport.run(
            routes.start_export(project, format, split, key, filters)))

    def get(self, project: str, job_id: int) -> ExportJob:
        return self._handle(self._transport.run(routes.export_job(project, job_id)))

    def jobs(self, project: str, *, page_size: int = 20) -> Pages[ExportJob]:
        """The project's export jobs, newest first, fetched a page at a time."""
        return Pages(self._transport.run, lambda after: then(
            routes.export_jobs_page(project, page_size, after), each(self._handle)))

    def _handle(self, job: ExportJobOut) -> ExportJob:
        def file(name: str) -> Download:
            call = routes.export_file(job.project, job.id, name)
            return Download(lambda: self._transport.stream(call), name)

        return bind(ExportJob, job, lambda: self.get(job.project, job.id), _file=file)

