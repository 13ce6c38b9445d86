"""Exports over the API: streamed as the response, or written by an export job.

``GET …/exports/{format}`` streams the rows ``accord export`` would write, with the same
filters, as JSONL or Parquet (the data card as Markdown). A large export, one split
into train and test files, or a Hugging Face ``DatasetDict`` directory (``file_format``
``hf``, served as one ZIP of the directory) is a job: ``POST …/exports``, then its files are
downloaded.
A job's files are kept ``ACCORD_EXPORT_RETENTION_DAYS`` after it finished (then the job
reads ``expired`` and its downloads answer 404 ``export_expired``), or until the job is
deleted with ``DELETE …/exports/jobs/{job_id}``.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from functools import partial
from typing import Annotated, Literal

import anyio
from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, StreamingResponse

from accord.core.errors import ErrorKind
from accord.core.exporting import jobs as export_jobs
from accord.core.importing.job_records import DEFAULT_PAGE
from accord.exports.requested import ExportRequest
from accord.exports.streamed import MEDIA_TYPES, export_chunks
from accord.web.api.data_schemas import (
    ExportJobIn,
    ExportJobOut,
    ExportJobsPage,
    export_job_out,
)
from accord.web.api.documented import caller_errors
from accord.web.api.imports import IdempotencyKey, JobLimit
from accord.web.api.paging import After
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.streaming import relay
from accord.web.values import CategoryFilter, Int64, Text

router = APIRouter(tags=["exports"])
ROLE_ERRORS = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
DELETE_ERRORS = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.CONFLICT,
                              ErrorKind.INVALID)
StreamedFormat = Literal["preference", "kto", "prompts", "raw", "sft", "card"]
ZIP = "application/zip"
FILE_MEDIA = {"jsonl": MEDIA_TYPES["jsonl"], "parquet": MEDIA_TYPES["parquet"],
              "md": MEDIA_TYPES["card"], "zip": ZIP}
STREAM_ANSWER = {200: {"description": "The export, streamed: JSONL (application/x-ndjson), "
                       "Parquet (application/vnd.apache.parquet) or, for card, Markdown.",
                       "content": {media: {"schema": {"type": "string", "format": "binary"}}
                                   for media in MEDIA_TYPES.values()}}}


def _files_url(request: Request, project: str, job_id: int) -> str:
    return str(request.url_for("download_export_file", project=project, job_id=job_id,
                               name="x"))[:-2]


@router.post("/projects/{project}/exports", summary="Write an export as a job",
             status_code=202, response_model=ExportJobOut, responses=ROLE_ERRORS)
async def create_export(project: str, body: ExportJobIn, request: Request, me: Caller,
                        at: Now, idempotency_key: IdempotencyKey = None) -> ExportJobOut:
    """Queue an export written to files (two with `split`); read the job for its files."""
    wanted = ExportRequest(**body.model_dump())
    job, new = await me.run(export_jobs.create_export_job, project, wanted.as_document(),
                            idempotency_key, at)
    if new:
        request.app.state.jobs.submit("export", job.id)
    return export_job_out(job, _files_url(request, job.project, job.id))


@router.get("/projects/{project}/exports/jobs", summary="List export jobs",
            response_model=ExportJobsPage, responses=ROLE_ERRORS)
async def list_exports(project: str, request: Request, me: Caller, at: Now,
                       limit: JobLimit = DEFAULT_PAGE, after: After = None) -> ExportJobsPage:
    """The project's export jobs, newest first, a page at a time (`next` → `?after=`)."""
    page = await me.run(export_jobs.export_jobs, project, at,
                      request.app.state.export_retention, after=after, limit=limit)
    return ExportJobsPage(
        items=[export_job_out(job, _files_url(request, job.project, job.id))
               for job in page.items], next=page.next)


@router.get("/projects/{project}/exports/jobs/{job_id}", summary="Read an export job",
            response_model=ExportJobOut, responses=ROLE_ERRORS)
async def read_export(project: str, job_id: Int64, request: Request, me: Caller,
                      at: Now) -> ExportJobOut:
    """Status, progress and, once done, the files with their rows and where to get them.
    `expired`: the files were deleted after the retention period (the job still lists them)."""
    job = await me.run(export_jobs.export_job, project, job_id, at,
                       request.app.state.export_retention)
    return export_job_out(job, _files_url(request, job.project, job.id))


@router.delete("/projects/{project}/exports/jobs/{job_id}", summary="Delete an export job",
               status_code=204, response_class=Response, responses=DELETE_ERRORS)
async def delete_export(project: str, job_id: Int64, me: Caller, at: Now) -> Response:
    """The job and its files go at once (they would at the end of the retention period).
    Those who may export the project may delete its jobs; a job still being written
    answers 409."""
    folder = await me.run(export_jobs.delete_export_job, project, job_id, at)
    if folder is not None:
        await anyio.to_thread.run_sync(lambda: shutil.rmtree(folder, ignore_errors=True))
    return Response(status_code=204)


@router.get("/projects/{project}/exports/jobs/{job_id}/files/{name}",
            summary="Download an export job's file", response_class=FileResponse,
            responses={**ROLE_ERRORS, 200: {
                "description": "The file: JSONL, Parquet, the data card, or (file_format hf) "
                               "a ZIP of the dataset directory, streamed from disk.",
                "content": {media: {"schema": {"type": "string", "format": "binary"}}
                            for media in FILE_MEDIA.values()}}})
async def download_export_file(project: str, job_id: Int64, name: Text, request: Request,
                               me: Caller, at: Now) -> FileResponse:
    """One of the files a finished export job lists. Past the retention period the files
    are deleted: 404 with the code `export_expired`."""
    path = await me.run(export_jobs.job_file, project, job_id, name, at,
                        request.app.state.export_retention)
    media = FILE_MEDIA.get(path.suffix.lstrip("."), "application/octet-stream")
    return FileResponse(path, media_type=media, filename=path.name)


@router.get("/projects/{project}/exports/{format}", summary="Stream an export",
            response_class=StreamingResponse, responses={**ROLE_ERRORS, **STREAM_ANSWER})
async def stream_export(
    project: str, format: StreamedFormat, request: Request, me: Caller, at: Now,
    file_format: Annotated[Literal["jsonl", "parquet"], Query(
        description="jsonl or parquet (ignored for card)")] = "jsonl",
    pairs: Annotated[Literal["all", "best-vs-rest"], Query(
        description="K-way rankings: every implied pair, or the best against each other")
    ] = "all",
    min_agreement: Annotated[float | None, Query(ge=0, le=1, description="Keep pairs with "
                                                 "agreement at least this.")] = None,
    min_score: Annotated[float | None, Query(ge=-1000, le=1000, description=(
        "sft: keep accepted demonstrations whose mean rubric score is at least this."))] = None,
    source: Annotated[list[Literal["human", "ai", "ai_judge", "imported", "adjudicated",
                                   "mixed"]] | None, Query(
        max_length=6, description="Keep pairs of this source; repeatable.")] = None,
    category: Annotated[list[CategoryFilter] | None, Query(
        max_length=100, description="Keep prompts of this category; repeatable.")] = None,
    guideline_version: Annotated[list[Int64] | None, Query(
        max_length=100, description="Keep tasks judged under this version; repeatable.")
    ] = None,
    include_truncated: Annotated[bool, Query(
        description="Keep pairs whose chosen or rejected response was cut off.")] = False,
    exclude_suspect: Annotated[bool, Query(
        description="Leave out tasks with an open suspect label (`accord suspects`).")] = False,
    since: Annotated[datetime | None, Query(description="Tasks completed at or after.")] = None,
    until: Annotated[datetime | None, Query(description="Tasks completed before.")] = None,
) -> StreamingResponse:
    """The rows `accord export` writes with the same filters, streamed as they are read.

    Not for `split` (two files): make an export job with `POST …/exports` instead.
    """
    wanted = ExportRequest(
        format=format, file_format=file_format, pairs=pairs, min_agreement=min_agreement,
        min_score=min_score,
        source=list(source or []), category=list(category or []),
        guideline_version=list(guideline_version or []),
        include_truncated=include_truncated, exclude_suspect=exclude_suspect, since=since,
        until=until)
    found = await me.run(export_jobs.start_download, project, wanted.as_document(), at)
    engine = request.app.state.database.engine
    name = wanted.file_name(found.name)
    chunks = partial(export_chunks, engine, found, wanted.format, wanted.file_format,
                     wanted.export_options(), at)
    return StreamingResponse(
        relay(chunks), media_type=MEDIA_TYPES[wanted.kind],
        headers={"Content-Disposition": f'attachment; filename="{_ascii(name)}"'})


def _ascii(name: str) -> str:
    """A file name any client reads in a header: other characters become ``_``."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", name)
