"""The wire format of imports and exports over the API (shared with the Python SDK).

An import or export that runs after the request is answered is a *job*: its status,
progress, errors and result are read with ``GET``. ``core`` never imports these; the routes
build them from ``core.importing.job_records.Job``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core.importing.job_records import Job
from accord.web.values import Int64, Text

JobStatus = Literal["queued", "checking", "importing", "exporting", "done", "failed",
                    "expired"]


class JobProgressOut(BaseModel):
    """How far a job has come: the source read (import) or rows written (export)."""

    unit: str = Field(description="what done and total count: bytes (a JSONL or gzip file, "
                                   "compressed bytes), rows (Parquet; an export's rows) or "
                                   "records (a JSON array)", examples=["bytes"])
    done: int = Field(ge=0, examples=[1_048_576])
    total: int = Field(ge=0, description="0 while unknown", examples=[4_194_304])
    items_written: int = Field(ge=0, description="items the import has written so far "
                                                 "(new and updated)", examples=[5000])


class EntryErrorOut(BaseModel):
    """An invalid entry of the uploaded file: where it is and what is wrong with it."""

    unit: str = Field(description="line (JSONL, counted from 1), row (Parquet, from 1) or "
                                  "record (a JSON array, from 0)", examples=["line"])
    number: int = Field(examples=[812])
    reason: str = Field(examples=['response "r3" in ranking is not among the task\'s '
                                  'responses (r1, r2)'])


class ImportOptionsOut(BaseModel):
    """The options of ``accord import``, as the job was asked for them."""

    file_format: str = Field(examples=["jsonl"])
    labelled: bool
    source: str | None
    skip_invalid: bool
    update: bool
    max_line_bytes: int


class ImportReportOut(BaseModel):
    """What a finished import did: the counts ``accord import --json`` prints."""

    unit: str = Field(examples=["line"])
    labelled: bool = Field(description="the import kept the labels that came with the "
                                       "data: new and unchanged then count tasks")
    new: int = Field(ge=0, examples=[20_000])
    unchanged: int = Field(ge=0, examples=[0])
    updated: int = Field(ge=0, examples=[0])
    invalid: int = Field(ge=0, description="invalid entries skipped (skip_invalid)")
    annotations_new: int = Field(ge=0)
    annotations_unchanged: int = Field(ge=0)
    unjudged: int = Field(ge=0, description="labelled imports: records that came without "
                                            "a label (imported as tasks only)")
    unjudged_records: list[int] = Field(description="their numbers, the first 100")
    summary: str = Field(examples=["20000 new, 0 unchanged"])


class ImportJobOut(BaseModel):
    """An import job: ``queued``, ``checking`` (the whole file, before anything is
    written), ``importing``, then ``done`` or ``failed``."""

    id: int = Field(examples=[17])
    project: str = Field(examples=["prefs"])
    status: JobStatus = Field(examples=["importing"])
    created_by: str | None = Field(description="who uploaded the file (None: since "
                                               "deleted)", examples=["lead"])
    idempotency_key: str | None = None
    file_name: str = Field(examples=["items.jsonl.gz"])
    file_bytes: int = Field(ge=0, examples=[4_194_304])
    options: ImportOptionsOut
    progress: JobProgressOut
    errors: list[EntryErrorOut] = Field(description="the first 1,000 invalid entries, in "
                                                    "file order")
    error_total: int = Field(ge=0, description="every invalid entry, counted")
    failure: str | None = Field(description="why the job failed; None unless failed",
                                examples=["3 invalid lines; nothing imported:"])
    report: ImportReportOut | None = Field(description="once done")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ExportFileOut(BaseModel):
    name: str = Field(examples=["prefs.preference.train.jsonl"])
    rows: int = Field(ge=0)
    bytes: int = Field(ge=0)
    url: str = Field(description="where to download it (GET, same credentials)")


class ExportReportOut(BaseModel):
    """What a finished export wrote: the counts ``accord export --json`` prints."""

    project: str
    format: str = Field(examples=["preference"])
    file_format: str = Field(examples=["jsonl"])
    rows: int = Field(ge=0, description="rows written (both sides of a split together)")
    tasks: int = Field(ge=0, description="tasks considered")
    ties_dropped: int = Field(ge=0)
    truncated_dropped: int = Field(0, ge=0)
    filters: dict = Field(default_factory=dict, description="the filters applied")


class ExportJobOut(BaseModel):
    """An export job: ``queued``, ``exporting``, then ``done`` (its files listed) or
    ``failed``; ``expired`` once its files were deleted after the retention period."""

    id: int = Field(examples=[4])
    project: str = Field(examples=["prefs"])
    status: JobStatus = Field(examples=["done"])
    created_by: str | None
    idempotency_key: str | None = None
    options: dict = Field(description="the export asked for, by the query's names",
                          examples=[{"format": "preference", "file_format": "jsonl",
                                     "split": 0.1}])
    progress: JobProgressOut
    files: list[ExportFileOut]
    failure: str | None
    report: ExportReportOut | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ExportJobIn(BaseModel):
    """An export to write to files: the query of ``GET …/exports/{format}``, plus
    ``split`` (not for ``card``, which is one document)."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"format": {"const": "card"}}, "required": ["format"]},
        "then": {"properties": {"split": {"type": "null"}}}})

    format: Literal["preference", "kto", "prompts", "raw", "sft", "card"] = Field(
        examples=["preference"])
    file_format: Literal["jsonl", "parquet"] = "jsonl"
    pairs: Literal["all", "best-vs-rest"] = "all"
    split: float | None = Field(None, gt=0, lt=1, description="test fraction: two files, "
                                "split by prompt (near-duplicate prompts kept together)",
                                examples=[0.1])
    min_agreement: float | None = Field(None, ge=0, le=1)
    source: list[Literal["human", "ai", "ai_judge", "imported", "adjudicated", "mixed"]] = \
        Field(default_factory=list, max_length=6)
    category: list[Text] = Field(default_factory=list, max_length=100)
    guideline_version: list[Int64] = Field(default_factory=list, max_length=100)
    include_truncated: bool = False
    since: datetime | None = Field(None, description="tasks completed at or after")
    until: datetime | None = Field(None, description="tasks completed before")


def _progress(job: Job) -> JobProgressOut:
    return JobProgressOut(unit=job.progress_unit, done=job.progress_done,
                          total=job.progress_total, items_written=job.items_written)


def import_job_out(job: Job) -> ImportJobOut:
    return ImportJobOut(
        id=job.id, project=job.project, status=job.status,  # type: ignore[arg-type]
        created_by=job.created_by, idempotency_key=job.idempotency_key,
        file_name=job.file_name, file_bytes=job.file_bytes,
        options=ImportOptionsOut(**job.options), progress=_progress(job),
        errors=[EntryErrorOut(**error) for error in job.errors],
        error_total=job.error_total, failure=job.failure,
        report=ImportReportOut(**job.report) if job.report else None,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at)


def export_job_out(job: Job, files_url: str) -> ExportJobOut:
    """``files_url``: the job's files' folder URL, each file's name appended."""
    return ExportJobOut(
        id=job.id, project=job.project, status=job.status,  # type: ignore[arg-type]
        created_by=job.created_by, idempotency_key=job.idempotency_key,
        options=job.options, progress=_progress(job),
        files=[ExportFileOut(**entry, url=f"{files_url}/{entry['name']}")
               for entry in job.files],
        failure=job.failure,
        report=ExportReportOut(**job.report) if job.report else None,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at)
