"""What an annotator is shown of a task."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, select

from accord.db.tables import prompts, responses, task_responses, tasks


@dataclass(frozen=True)
class ShownResponse:
    id: str
    content: str


@dataclass(frozen=True)
class TaskView:
    """A task as one annotator sees it, in their order.

    No model names, no metadata, no other annotator's judgment.
    """

    id: str
    kind: str
    messages: list[dict]
    responses: list[ShownResponse]
    category: str
    guideline_version: int | None


def response_ids(conn: Connection, task_id: int) -> dict[str, int]:
    """The task's responses: external id (what the annotator sees) → database id."""
    rows = conn.execute(
        select(responses.c.external_id, responses.c.id)
        .join(task_responses, task_responses.c.response_id == responses.c.id)
        .where(task_responses.c.task_id == task_id)
        .order_by(task_responses.c.position)
    )
    return {r[0]: r[1] for r in rows}


def load_view(
    conn: Connection, task_id: int, display_order: list[str], guideline_version: int | None
) -> TaskView:
    task = conn.execute(
        select(
            tasks.c.external_id, tasks.c.kind,
            prompts.c.messages, prompts.c.category,
        )
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(tasks.c.id == task_id)
    ).one()
    contents = dict(
        conn.execute(
            select(responses.c.external_id, responses.c.content)
            .join(task_responses, task_responses.c.response_id == responses.c.id)
            .where(task_responses.c.task_id == task_id)
        ).all()
    )
    return TaskView(
        id=task.external_id,
        kind=task.kind,
        messages=task.messages,
        responses=[ShownResponse(rid, contents[rid]) for rid in display_order],
        category=task.category,
        guideline_version=guideline_version,
    )
