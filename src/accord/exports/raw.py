"""The raw export: every annotation as it was submitted, one row each, for audits and re-analysis.

Nothing is aggregated or dropped: open, escalated and incomplete tasks are included, and so
are late submissions and AI judges' annotations (``annotator_kind`` tells them apart). Fields
that do not apply to a task kind are null (lists: empty for ``flags``, null otherwise).

Fields:

``annotation_id``
    The annotation's id in this Accord database.
``task_id``, ``task_kind``
    The task's external id and kind (``comparison``, ``demonstration``, ``red_team``).
``prompt``
    The task's prompt as chat messages (what ``--split`` splits by).
``annotator``, ``annotator_kind``
    The annotator's name and kind (``human``, ``ai``, ``imported``).
``display_order``
    The response ids in the order the annotator was shown them (for position-bias checks).
``ranking``
    Tie groups of response ids, best first (``[["b"], ["a"]]``; ``[["a", "b"]]`` is a tie).
``strength``
    Preference strength, 1 (slightly) to 3 (much better), or null.
``ratings``
    ``[{"response", "dimension", "value"}, …]``: one entry per rated response and dimension,
    sorted by response then dimension; a long form, so that JSONL and Parquet type it alike
    whatever the response ids.
``rationale``, ``flags``
    The annotator's rationale (``""`` when none) and flags (``unsafe``, ``both_bad``, …).
``response``
    A demonstration's written response.
``attack``, ``model_response``, ``harm_categories``, ``severity``, ``refusal_appropriate``
    A red-team annotation's fields.
``active_ms``
    Active time spent on the annotation, in milliseconds.
``late``
    True when it was submitted after its lease expired (and kept).
``created_at``
    When it was stored, ISO 8601 in UTC (``2025-01-31T09:30:00.000000Z``).
``guideline_version``
    The number of the guideline version in force, or null when none was published.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pyarrow as pa
from sqlalchemy import Connection, Row

from accord.core.exporting.records import annotation_records, count_annotated_tasks
from accord.core.exporting.streams import ExportCounts
from accord.core.projects.project import Project
from accord.exports.messages import MESSAGES, chat_messages

RATING = pa.struct([("response", pa.string()), ("dimension", pa.string()), ("value", pa.int64())])

RAW_SCHEMA = pa.schema([
    ("annotation_id", pa.int64()),
    ("task_id", pa.string()),
    ("task_kind", pa.string()),
    ("prompt", MESSAGES),
    ("annotator", pa.string()),
    ("annotator_kind", pa.string()),
    ("display_order", pa.list_(pa.string())),
    ("ranking", pa.list_(pa.list_(pa.string()))),
    ("strength", pa.int64()),
    ("ratings", pa.list_(RATING)),
    ("rationale", pa.string()),
    ("flags", pa.list_(pa.string())),
    ("response", pa.string()),
    ("attack", pa.string()),
    ("model_response", pa.string()),
    ("harm_categories", pa.list_(pa.string())),
    ("severity", pa.int64()),
    ("refusal_appropriate", pa.bool_()),
    ("active_ms", pa.int64()),
    ("late", pa.bool_()),
    ("created_at", pa.string()),
    ("guideline_version", pa.int64()),
])


def iso_utc(moment: datetime) -> str:
    """``moment`` as ISO 8601 in UTC with a ``Z``, the same on SQLite and PostgreSQL."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def long_ratings(ratings: dict[str, dict[str, int]] | None) -> list[dict] | None:
    """``{"a": {"helpfulness": 5}}`` → ``[{"response": "a", "dimension": "helpfulness", …}]``.

    Sorted by response, then dimension: PostgreSQL's JSONB does not keep the submitted key
    order, and the same annotation must export alike from either database.
    """
    if ratings is None:
        return None
    return [
        {"response": response, "dimension": dimension, "value": value}
        for response, by_dimension in sorted(ratings.items())
        for dimension, value in sorted(by_dimension.items())
    ]


def _row(record: Row) -> dict:
    return {
        "annotation_id": record.id,
        "task_id": record.task_id,
        "task_kind": record.task_kind,
        "prompt": chat_messages(record.messages),
        "annotator": record.annotator,
        "annotator_kind": record.annotator_kind,
        "display_order": record.display_order,
        "ranking": record.ranking,
        "strength": record.strength,
        "ratings": long_ratings(record.ratings),
        "rationale": record.rationale,
        "flags": record.flags,
        "response": record.response_text,
        "attack": record.attack,
        "model_response": record.model_response,
        "harm_categories": record.harm_categories,
        "severity": record.severity,
        "refusal_appropriate": record.refusal_appropriate,
        "active_ms": record.active_ms,
        "late": bool(record.late),
        "created_at": iso_utc(record.created_at),
        "guideline_version": record.guideline_version,
    }


def raw_rows(
    conn: Connection, project: Project, counts: ExportCounts | None = None,
    options: object = None,
) -> Iterator[dict]:
    """Every annotation of the project, streamed in submission order; fields as above.

    ``options`` is accepted for a uniform signature: a raw export is never filtered.
    """
    if counts is not None:
        counts.tasks += count_annotated_tasks(conn, project.id)
    for record in annotation_records(conn, project.id):
        yield _row(record)
