"""``AsyncClient``'s ``imports`` and ``exports``: ``data.py``'s surface for asyncio, built
from the same ``data_routes``; see ``data.py`` for what each method does."""

from __future__ import annotations

from typing import Any

from accord.client import data_routes as routes
from accord.client.calls import each, then
from accord.client.data import file_name_of, new_key
from accord.client.downloads import AsyncDownload
from accord.client.jobs import AsyncExportJob, AsyncImportJob, bind
from accord.client.streams import AsyncPages
from accord.client.transport import AsyncTransport
from accord.client.uploads import upload_body
from accord.wire.data import ExportJobOut, ImportJobOut


class AsyncImports:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    async def upload(self, project: str, source: Any, *, idempotency_key: str | None = None,
                     **options: Any) -> AsyncImportJob:
        key = idempotency_key or new_key()
        with upload_body(source) as (body, name):
            job = await self._transport.run(routes.upload(project, body, name, key, options))
        return self._handle(job)

    async def get(self, project: str, job_id: int) -> AsyncImportJob:
        return self._handle(await self._transport.run(routes.import_job(project, job_id)))

    def list(self, project: str, *, page_size: int = 20) -> AsyncPages[AsyncImportJob]:
        return AsyncPages(self._transport.run, lambda after: then(
            routes.import_jobs_page(project, page_size, after), each(self._handle)))

    def _handle(self, job: ImportJobOut) -> AsyncImportJob:
        return bind(AsyncImportJob, job, lambda: self.get(job.project, job.id))


class AsyncExports:
    def __init__(self, transport: AsyncTransport) -> None:
        self._transport = transport

    def download(self, project: str, format: str = "preference",
                 **filters: Any) -> AsyncDownload:
        call = routes.stream_export(project, format, filters)
        return AsyncDownload(lambda: self._transport.stream(call),
                             file_name_of(format, project, filters))

    async def start(self, project: str, format: str = "preference", *,
                    split: float | None = None, idempotency_key: str | None = None,
                    **filters: Any) -> AsyncExportJob:
        key = idempotency_key or new_key()
        return self._handle(await self._transport.run(
            routes.start_export(project, format, split, key, filters)))

    async def get(self, project: str, job_id: int) -> AsyncExportJob:
        return self._handle(await self._transport.run(routes.export_job(project, job_id)))

    def jobs(self, project: str, *, page_size: int = 20) -> AsyncPages[AsyncExportJob]:
        return AsyncPages(self._transport.run, lambda after: then(
            routes.export_jobs_page(project, page_size, after), each(self._handle)))

    def _handle(self, job: ExportJobOut) -> AsyncExportJob:
        def file(name: str) -> AsyncDownload:
            call = routes.export_file(job.project, job.id, name)
            return AsyncDownload(lambda: self._transport.stream(call), name)

        return bind(AsyncExportJob, job, lambda: self.get(job.project, job.id), _file=file)
