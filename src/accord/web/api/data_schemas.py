"""Imports and exports over the API: the export job's request body, and the job answers
(``accord.wire.data``, shared with the Python SDK, named here too) built from
``core.importing.job_records.Job``. ``core`` never imports these.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.core.importing.job_records import Job
from accord.web.values import CategoryFilter, Int64
from accord.wire.data import (  # the answers live in accord.wire; named here as before
    EntryErrorOut,
    ExportFileOut,
    ExportJobOut,
    ExportJobsPage,
    ExportReportOut,
    ImportJobOut,
    ImportJobsPage,
    ImportOptionsOut,
    ImportReportOut,
    JobProgressOut,
    JobStatus,
)


class ExportJobIn(BaseModel):
    """An export to write to files: the query of ``GET …/exports/{format}``, plus
    ``split`` (not for ``card``, which is one document)."""

    model_config = ConfigDict(json_schema_extra={
        "if": {"properties": {"format": {"const": "card"}}, "required": ["format"]},
        "then": {"properties": {"split": {"type": "null"},
                                "file_format": {"enum": ["jsonl", "parquet"]}}}})

    format: Literal["preference", "kto", "prompts", "raw", "sft", "card"] = Field(
        examples=["preference"])
    file_format: Literal["jsonl", "parquet", "hf"] = Field(
        "jsonl", description="jsonl, parquet, or hf: the Hugging Face DatasetDict directory "
        "`accord export --file-format hf` writes, as one ZIP file (`NAME.FORMAT.hf.zip`, one "
        "folder inside that `datasets.load_from_disk` opens; a split gives its train and "
        "test splits); not for card")
    pairs: Literal["all", "best-vs-rest"] = "all"
    split: float | None = Field(None, gt=0, lt=1, description="test fraction: two files, "
                                "split by prompt (near-duplicate prompts kept together)",
                                examples=[0.1])
    min_agreement: float | None = Field(None, ge=0, le=1)
    min_score: float | None = Field(None, ge=-1000, le=1000, description=(
        "sft: keep accepted demonstrations whose mean rubric score is at least this"))
    source: list[Literal["human", "ai", "ai_judge", "imported", "adjudicated", "mixed"]] = \
        Field(default_factory=list, max_length=6)
    category: list[CategoryFilter] = Field(default_factory=list, max_length=100)
    guideline_version: list[Int64] = Field(default_factory=list, max_length=100)
    include_truncated: bool = False
    exclude_suspect: bool = Field(False, description="leave out tasks with an open suspect "
                                  "label (`accord suspects`)")
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


__all__ = ["EntryErrorOut", "ExportFileOut", "ExportJobIn", "ExportJobOut", "ExportJobsPage",
           "ExportReportOut", "ImportJobOut", "ImportJobsPage", "ImportOptionsOut",
           "ImportReportOut", "JobProgressOut", "JobStatus", "export_job_out",
           "import_job_out"]
