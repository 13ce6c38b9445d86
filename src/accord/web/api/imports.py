"""Imports over the API: upload a file, get a job, read its progress and report.

``POST …/imports`` streams the file to disk (the raw body or a multipart file part),
creates a job and answers 202 at once; the server's job thread checks the whole file and
imports it with the pipeline ``accord import`` uses, options included.
"""

from __future__ import annotations

import shutil
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse

from accord.core.errors import ErrorKind
from accord.core.importing import DEFAULT_MAX_LINE_BYTES, FORMATS
from accord.core.importing import jobs as import_jobs
from accord.core.importing.job_records import DEFAULT_PAGE, MAX_PAGE
from accord.web.api.data_schemas import ImportJobOut, ImportJobsPage, import_job_out
from accord.web.api.documented import ErrorOut, caller_errors
from accord.web.api.paging import After
from accord.web.deps import Caller
from accord.web.sources import Now
from accord.web.uploads import receive_upload
from accord.web.values import Int64, Text

router = APIRouter(tags=["imports"])
ROLE_ERRORS = caller_errors(ErrorKind.FORBIDDEN, ErrorKind.NOT_FOUND, ErrorKind.INVALID)
TOO_LARGE = {413: {"model": ErrorOut, "description": "The file is larger than the server "
                   "takes (ACCORD_UPLOAD_MAX_BYTES); nothing was kept."}}
IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=255, pattern=r"^[\x21-\x7e]+$",
    description="A key of the client's choosing: the same key again (same caller, same "
                "project) answers the job it made, and the file is not imported twice.")]
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "The file: JSONL (one item a line), JSONL.gz or Parquet, as the raw "
                       "body or as the file part of a multipart form. Gzip and Parquet are "
                       "recognised by their first bytes, whatever the media type says.",
        "content": {
            "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
            "application/gzip": {"schema": {"type": "string", "format": "binary"}},
            "application/vnd.apache.parquet": {"schema": {"type": "string",
                                                          "format": "binary"}},
            "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
            "multipart/form-data": {"schema": {
                "type": "object", "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}}}},
        },
    },
}


@router.post(
    "/projects/{project}/imports", summary="Upload a file to import", status_code=202,
    response_model=ImportJobOut, openapi_extra=UPLOAD_BODY,
    responses={**ROLE_ERRORS, **TOO_LARGE},
)
async def upload_import(
    project: str, request: Request, me: Caller, at: Now,
    idempotency_key: IdempotencyKey = None,
    file_format: Annotated[str, Query(
        alias="format", max_length=64, description="The items' format: " + ", ".join(
            f"{f.name} ({f.description})" for f in FORMATS.values()))] = "jsonl",
    labelled: Annotated[bool, Query(description="Keep the labels that come with the data "
                                    "as annotations by an annotator of kind imported.")] = False,
    source: Annotated[Text | None, Query(
        max_length=100, description="Names the labels' annotator (user source.NAME); "
                                    "default: the file's name.")] = None,
    skip_invalid: Annotated[bool, Query(description="Import the valid entries even when "
                                        "some are invalid.")] = False,
    update: Annotated[bool, Query(description="Replace items whose id exists with other "
                                  "content (jsonl only).")] = False,
    max_line_bytes: Annotated[int, Query(ge=1, le=1 << 30, description="Longest line "
                                         "accepted, in bytes.")] = DEFAULT_MAX_LINE_BYTES,
    file_name: Annotated[Text | None, Query(
        max_length=200, description="The file's name for a raw body (kept as the prompts' "
                                    "source, as accord import does); a form's part names "
                                    "its own.")] = None,
) -> Any:
    """Stream the file to disk and queue its import; answers 202 with the job at once.

    The whole file is checked before anything is written: invalid entries are listed in
    the job with their line (or row) numbers and nothing is imported unless `skip_invalid`.
    Importing the same file again changes nothing.
    """
    options = import_jobs.ImportOptions(
        file_format=file_format, labelled=labelled, source=source,
        skip_invalid=skip_invalid, update=update, max_line_bytes=max_line_bytes)
    name = file_name or "upload.jsonl"
    earlier = await me.run(import_jobs.prepare_import, project, options, name, idempotency_key)
    if earlier is not None:
        return JSONResponse(import_job_out(earlier).model_dump(mode="json"), status_code=202)
    state = request.app.state
    upload = await receive_upload(request, state.upload_folder, state.upload_limit, file_name)
    job, new = await me.run(import_jobs.create_import_job, project, options, upload.path,
                            upload.size, idempotency_key, at)
    if new:
        state.jobs.submit("import", job.id)
    else:
        shutil.rmtree(upload.path.parent, ignore_errors=True)
    return import_job_out(job)


JobLimit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="jobs per page")]


@router.get("/projects/{project}/imports", summary="List import jobs",
            response_model=ImportJobsPage, responses=ROLE_ERRORS)
async def list_imports(project: str, me: Caller, at: Now, limit: JobLimit = DEFAULT_PAGE,
                       after: After = None) -> ImportJobsPage:
    """The project's import jobs, newest first, a page at a time (`next` → `?after=`)."""
    page = await me.run(import_jobs.import_jobs, project, at, after=after, limit=limit)
    return ImportJobsPage(items=[import_job_out(job) for job in page.items], next=page.next)


@router.get("/projects/{project}/imports/{job_id}", summary="Read an import job",
            response_model=ImportJobOut, responses=ROLE_ERRORS)
async def read_import(project: str, job_id: Int64, me: Caller, at: Now) -> ImportJobOut:
    """Status, progress, line-numbered errors and, once done, the report."""
    return import_job_out(await me.run(import_jobs.import_job, project, job_id, at))
