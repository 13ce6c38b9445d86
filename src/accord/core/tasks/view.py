"""What an annotator is shown of a task.

The responses of a task are read on every claim and submission, so that query runs on the
driver connection (see ``db.raw``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import Connection, bindparam, func, select

from accord.core.projects.project import Project
from accord.core.tasks.authoring import DemonstrationView
from accord.core.tasks.demonstration_setup import demonstration_view
from accord.core.tasks.truncation import is_truncated
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import prompts, tasks


@dataclass(frozen=True)
class ShownResponse:
    """A response as annotators see it; ``truncated``: the model was cut off at the length
    limit, so its end is missing (the workbench marks it)."""

    id: str
    content: str
    truncated: bool = False


class StoredResponse(NamedTuple):
    """A task's response as a claim reads it: the id annotators see, the database id, the
    text, and whether it was cut off."""

    external_id: str
    id: int
    content: str
    truncated: bool


@dataclass(frozen=True)
class Suggestion:
    """An AI judge's ranking offered to the annotator (pre-labelling, ``core.work.prelabel``):
    tie groups of response ids, best first, always shown as the AI's."""

    judge: str
    ranking: list[list[str]]


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
    """The key rules match on (``open-qa``)."""
    guideline_version: int | None
    category_label: str = ""
    """The category as the source wrote it (``Open QA``); the key where it wrote that."""
    demonstration: DemonstrationView | None = None
    """A demonstration's authoring mode, draft and scripted user turns; None otherwise."""
    suggestion: Suggestion | None = None
    """The AI judge's ranking, on an assignment drawn to be shown one."""


_RESPONSES = Statement(
    "SELECT r.external_id, r.id, r.content FROM task_responses tr "
    "JOIN responses r ON r.id = tr.response_id WHERE tr.task_id = :task_id ORDER BY tr.position"
)
_SHOWN = Statement(
    "SELECT r.external_id, r.id, r.content, r.finish_reason FROM task_responses tr "
    "JOIN responses r ON r.id = tr.response_id WHERE tr.task_id = :task_id ORDER BY tr.position"
)
_TASK = (
    select(tasks.c.external_id, tasks.c.kind, prompts.c.messages, prompts.c.category,
           func.coalesce(prompts.c.category_label, prompts.c.category).label("label"))
    .join(prompts, prompts.c.id == tasks.c.prompt_id)
    .where(tasks.c.id == bindparam("task_id"))
)


def task_responses_of(conn: Connection, task_id: int) -> list[tuple[str, int, str]]:
    """The task's responses in imported order: (external id, database id, content)."""
    return [tuple(r) for r in raw.execute(conn, _RESPONSES, {"task_id": task_id})]


def stored_responses(conn: Connection, task_id: int) -> list[StoredResponse]:
    """The task's responses in imported order, with what annotators are shown of them."""
    return [StoredResponse(rid, db_id, content, is_truncated(finish_reason))
            for rid, db_id, content, finish_reason
            in raw.execute(conn, _SHOWN, {"task_id": task_id})]


def shown_in_order(stored: list[StoredResponse], order: list[str]) -> list[ShownResponse]:
    """The responses as one annotator sees them, in their display ``order``."""
    by_id = {response.external_id: response for response in stored}
    return [ShownResponse(rid, by_id[rid].content, by_id[rid].truncated) for rid in order]


def response_ids(conn: Connection, task_id: int) -> dict[str, int]:
    """The task's responses: external id (what the annotator sees) → database id."""
    return {rid: db_id for rid, db_id, _ in task_responses_of(conn, task_id)}


def load_view(
    conn: Connection,
    task_id: int,
    display_order: list[str],
    guideline_version: int | None,
    project: Project | None = None,
) -> TaskView:
    """The task as shown in ``display_order``; a demonstration's authoring with it when
    ``project`` is given."""
    task = conn.execute(_TASK, {"task_id": task_id}).one()
    return TaskView(
        id=task.external_id,
        kind=task.kind,
        messages=task.messages,
        responses=shown_in_order(stored_responses(conn, task_id), display_order),
        category=task.category,
        guideline_version=guideline_version,
        category_label=task.label,
        demonstration=(demonstration_view(conn, project, task_id)
                       if project is not None and task.kind == "demonstration" else None),
    )
