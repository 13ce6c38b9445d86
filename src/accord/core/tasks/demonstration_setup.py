"""A demonstration task's authoring, read from the database: its own settings (kept in its
prompt's metadata), its project's, and the candidate responses a draft is chosen from.

Read on every claim and every submission of a demonstration task, so the query runs on the
driver connection like the rest of the loop's (see ``db.raw``).
"""

from __future__ import annotations

from sqlalchemy import Connection

from accord.core.projects.project import Project
from accord.core.tasks.authoring import (
    POST_EDIT,
    Authoring,
    Candidate,
    DemonstrationView,
    authoring_of,
    view_of,
)
from accord.db import raw
from accord.db.raw import Statement

_PROMPT_METADATA = Statement(
    "SELECT p.metadata FROM tasks t JOIN prompts p ON p.id = t.prompt_id WHERE t.id = :task_id"
)
_CANDIDATES = Statement(
    "SELECT r.external_id, r.content, r.model, r.origin FROM task_responses tr "
    "JOIN responses r ON r.id = tr.response_id WHERE tr.task_id = :task_id ORDER BY tr.position"
)


def authoring_of_task(conn: Connection, project: Project, task_id: int) -> Authoring:
    """The authoring settings in force for the task: its own over its project's."""
    row = raw.execute(conn, _PROMPT_METADATA, {"task_id": task_id}).fetchone()
    return authoring_of(project.settings, raw.read_json(row[0]) if row else None)


def candidates_of(conn: Connection, task_id: int) -> list[Candidate]:
    """The task's responses in import order, any of which may be a draft."""
    return [Candidate(rid, content, model, origin) for rid, content, model, origin
            in raw.execute(conn, _CANDIDATES, {"task_id": task_id})]


def demonstration_view(conn: Connection, project: Project, task_id: int) -> DemonstrationView:
    """What the writer of this task is given: its mode, the draft, the scripted user turns."""
    authoring = authoring_of_task(conn, project, task_id)
    candidates = candidates_of(conn, task_id) if authoring.mode == POST_EDIT else []
    return view_of(authoring, candidates)
