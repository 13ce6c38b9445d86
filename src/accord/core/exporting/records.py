"""The record stream of the raw export: one joined query, by annotation id (the SFT export
reads accepted demonstrations, ``accepted``).

Unlike the preference export (``core.exporting.streams``), these need no merge of several streams:
every row they write is one annotation with what it was made on.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Connection, Row, func, select

from accord.db.tables import annotations, assignments, guideline_versions, prompts, tasks, users

STREAM_ROWS = 2_000  # rows per fetch


def count_annotated_tasks(conn: Connection, project_id: int, kind: str | None = None) -> int:
    """How many of the project's tasks have at least one annotation (of ``kind``, if given)."""
    query = select(func.count(func.distinct(annotations.c.task_id))).where(
        annotations.c.project_id == project_id
    )
    if kind is not None:
        query = query.where(annotations.c.kind == kind)
    return conn.execute(query).scalar_one()


def annotation_records(conn: Connection, project_id: int) -> Iterator[Row]:
    """Every annotation of the project with what a raw export shows of it, by annotation id.

    Columns: ``id``, ``task_id`` (external), ``task_kind``, ``messages`` (the task's prompt),
    ``annotator``, ``annotator_kind``,
    ``display_order``, the stored judgment fields, ``late``, ``created_at`` and
    ``guideline_version`` (``None`` when no guideline was published).
    """
    query = (
        select(
            annotations.c.id,
            tasks.c.external_id.label("task_id"),
            tasks.c.kind.label("task_kind"),
            prompts.c.messages,
            users.c.name.label("annotator"),
            users.c.kind.label("annotator_kind"),
            assignments.c.display_order,
            annotations.c.ranking, annotations.c.strength, annotations.c.ratings,
            annotations.c.rationale, annotations.c.flags, annotations.c.response_text,
            annotations.c.attack, annotations.c.model_response, annotations.c.harm_categories,
            annotations.c.severity, annotations.c.refusal_appropriate, annotations.c.active_ms,
            annotations.c.late, annotations.c.created_at,
            guideline_versions.c.version.label("guideline_version"),
        )
        .join(tasks, tasks.c.id == annotations.c.task_id)
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .join(users, users.c.id == annotations.c.annotator_id)
        .join(assignments, assignments.c.id == annotations.c.assignment_id)
        .outerjoin(
            guideline_versions, guideline_versions.c.id == annotations.c.guideline_version_id
        )
        .where(annotations.c.project_id == project_id)
        .order_by(annotations.c.id)
    )
    yield from conn.execute(query.execution_options(yield_per=STREAM_ROWS))

