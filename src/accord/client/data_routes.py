"""Imports and exports as ``Call``s: an upload with its ``Idempotency-Key``, the jobs, a
streamed export and an export job's files."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from accord.client.calls import Call, FileBody, Page, Params, get, one, paged, present, segment
from accord.wire.data import ExportJobOut, ImportJobOut

IMPORT_OPTIONS = ("format", "labelled", "source", "skip_invalid", "update", "max_line_bytes")
"""The options of ``accord import`` that ``upload`` passes on as the query."""
EXPORT_FILTERS = ("file_format", "pairs", "min_agreement", "min_score", "source", "category",
                  "guideline_version", "include_truncated", "exclude_suspect", "since",
                  "until")
"""The filters of ``accord export`` that a streamed export takes as its query."""


def _project(name: str) -> str:
    return f"/projects/{segment(name)}"


def upload(name: str, body: FileBody, file_name: str, key: str,
           options: Mapping[str, Any]) -> Call[ImportJobOut]:
    """Idempotent by ``key``: sent again, the server answers the job the first made, so a
    connection that failed after the server had the file never imports it twice."""
    unknown = sorted(set(options) - set(IMPORT_OPTIONS))
    if unknown:
        raise TypeError(f"upload() got unknown options {', '.join(unknown)}: the options "
                        f"are {', '.join(IMPORT_OPTIONS)}")
    return Call("POST", f"{_project(name)}/imports", one(ImportJobOut),
                params=query(dict(options, file_name=file_name)), idempotent=True,
                headers={"Idempotency-Key": key}, upload=body)


def import_job(name: str, job_id: int) -> Call[ImportJobOut]:
    return get(f"{_project(name)}/imports/{job_id}", one(ImportJobOut))


def import_jobs_page(name: str, limit: int, after: str | None) -> Call[Page[ImportJobOut]]:
    return get(f"{_project(name)}/imports", paged(ImportJobOut),
               list(present(limit=limit, after=after).items()))


def stream_export(name: str, export_format: str, filters: Mapping[str, Any]) -> Call[None]:
    """The export streamed as the answer's body (read by ``Download``, never whole)."""
    unknown = sorted(set(filters) - set(EXPORT_FILTERS))
    if unknown:
        raise TypeError(f"download() got unknown filters {', '.join(unknown)}: the filters "
                        f"are {', '.join(EXPORT_FILTERS)}")
    return get(f"{_project(name)}/exports/{segment(export_format)}", _unread,
               query(filters))


def start_export(name: str, export_format: str, split: float | None, key: str,
                 filters: Mapping[str, Any]) -> Call[ExportJobOut]:
    unknown = sorted(set(filters) - set(EXPORT_FILTERS))
    if unknown:
        raise TypeError(f"start() got unknown filters {', '.join(unknown)}: the filters "
                        f"are {', '.join(EXPORT_FILTERS)}")
    body = {name: _json(value) for name, value in filters.items() if value is not None}
    return Call("POST", f"{_project(name)}/exports", one(ExportJobOut),
                body=present(format=export_format, split=split, **body),
                headers={"Idempotency-Key": key}, idempotent=True)


def export_job(name: str, job_id: int) -> Call[ExportJobOut]:
    return get(f"{_project(name)}/exports/jobs/{job_id}", one(ExportJobOut))


def export_jobs_page(name: str, limit: int, after: str | None) -> Call[Page[ExportJobOut]]:
    return get(f"{_project(name)}/exports/jobs", paged(ExportJobOut),
               list(present(limit=limit, after=after).items()))


def export_file(name: str, job_id: int, file_name: str) -> Call[None]:
    return get(f"{_project(name)}/exports/jobs/{job_id}/files/{segment(file_name)}", _unread)


def query(values: Mapping[str, Any]) -> Params:
    """A query from keyword arguments: lists repeat their name, None is left out."""
    params: list[tuple[str, str | int | float | bool]] = []
    for name, value in values.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                params.append((name, _json(item)))
    return params


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _unread(answer: Any) -> None:
    """Streamed answers are read by their consumer, not here."""
    return None
