"""Imports and exports as they travel: import and export jobs with their status,
progress, line-numbered errors, reports and files.

An import or export that runs after the request is answered is a *job*: its status,
progress, errors and result are read with ``GET``. The server builds these from
``core.importing.job_records.Job`` (``web/api/data_schemas.py``); the SDK reads them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from accord.wire.paging import Paged

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


ImportJobsPage = Paged[ImportJobOut]
ExportJobsPage = Paged[ExportJobOut]
