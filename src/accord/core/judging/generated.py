"""Generated candidates in the project: the prompt pool they come from, the responses they
become, and the tasks made of them (comparisons, or demonstrations to post-edit).

The pool is every prompt that no task was imported with (items of kind ``prompt``; an
imported task's prompt carries the task's id). A generated response belongs to its prompt
under a stable id, so a rerun finds what is there and asks only for what is missing; a
task is created once, when all its candidates exist, with an id derived from its prompt's
and its candidates' ids.

Candidates and tasks are written in bulk through the importer's writers (keys reserved up
front, one statement per table), so storing answers costs little next to waiting for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import orjson
from sqlalchemy import Connection, and_, exists, select

from accord.core.importing.existing import LOOKUP_CHUNK
from accord.core.importing.items import canonical_hash
from accord.core.importing.store import EXPERTISE_COLUMNS, LINK_COLUMNS, TASK_COLUMNS
from accord.core.importing.writers import writer_for
from accord.core.projects.project import Project
from accord.core.tasks.refusals import opens_like_refusal
from accord.core.tasks.truncation import is_truncated
from accord.db.tables import prompts, responses, tasks
from accord.db.types import utcnow

GENERATED = "generated"
RESPONSE_COLUMNS = ("id", "prompt_id", "external_id", "content", "model", "sampling", "origin",
                    "prompt_tokens", "completion_tokens", "cost", "created_at",
                    "opens_with_refusal", "finish_reason", "model_id")


@dataclass(frozen=True, slots=True)
class PoolPrompt:
    id: int
    external_id: str
    category: str


@dataclass(frozen=True, slots=True)
class PromptText:
    """What a model is asked, and the expertise the resulting task requires."""

    messages: list[dict]
    domains: list[str]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A generated response as it is stored: text, who made it how (``model`` the name
    people read, ``model_id`` the exact id the server was asked for), what it cost, and why
    the model stopped (``finish_reason``; ``length``: cut off)."""

    external_id: str
    content: str
    model: str
    sampling: dict
    prompt_tokens: int
    completion_tokens: int
    cost: float
    finish_reason: str | None = None
    model_id: str | None = None

    @property
    def truncated(self) -> bool:
        return is_truncated(self.finish_reason)


class StoredCandidate(NamedTuple):
    """A candidate already in the database: its ``responses.id`` and whether it was cut
    off (what a task made with ``drop_truncated`` needs to know)."""

    id: int
    truncated: bool


def pool_prompts(conn: Connection, project_id: int) -> list[PoolPrompt]:
    """The project's pool (prompts without an imported task of their own), by id."""
    own_task = exists().where(and_(tasks.c.project_id == prompts.c.project_id,
                                   tasks.c.external_id == prompts.c.external_id))
    rows = conn.execute(
        select(prompts.c.id, prompts.c.external_id, prompts.c.category)
        .where(prompts.c.project_id == project_id, prompts.c.external_id.is_not(None), ~own_task)
        .order_by(prompts.c.id)
    )
    return [PoolPrompt(*row) for row in rows]


def prompt_texts(conn: Connection, prompt_ids: Sequence[int]) -> dict[int, PromptText]:
    found: dict[int, PromptText] = {}
    for start in range(0, len(prompt_ids), LOOKUP_CHUNK):
        chunk = list(prompt_ids[start:start + LOOKUP_CHUNK])
        for prompt_id, messages, domains in conn.execute(
            select(prompts.c.id, prompts.c.messages, prompts.c.domains)
            .where(prompts.c.id.in_(chunk))
        ):
            found[prompt_id] = PromptText(messages, list(domains or []))
    return found


def stored_candidates(conn: Connection, prompt_ids: Sequence[int], external_ids: Sequence[str],
                      ) -> dict[tuple[int, str], StoredCandidate]:
    """``(prompt id, response id) -> StoredCandidate`` for the candidates already stored."""
    found: dict[tuple[int, str], StoredCandidate] = {}
    for start in range(0, len(prompt_ids), LOOKUP_CHUNK):
        chunk = list(prompt_ids[start:start + LOOKUP_CHUNK])
        for prompt_id, external_id, response_id, finish_reason in conn.execute(
            select(responses.c.prompt_id, responses.c.external_id, responses.c.id,
                   responses.c.finish_reason)
            .where(responses.c.prompt_id.in_(chunk),
                   responses.c.external_id.in_(list(external_ids)))
        ):
            found[(prompt_id, external_id)] = StoredCandidate(response_id,
                                                              is_truncated(finish_reason))
    return found


def stored_tasks(conn: Connection, project_id: int, external_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(external_ids), LOOKUP_CHUNK):
        chunk = list(external_ids[start:start + LOOKUP_CHUNK])
        found.update(row[0] for row in conn.execute(
            select(tasks.c.external_id)
            .where(tasks.c.project_id == project_id, tasks.c.external_id.in_(chunk))
        ))
    return found


def store_candidates(conn: Connection, rows: Sequence[tuple[int, Candidate]],
                     ) -> tuple[dict[tuple[int, str], StoredCandidate], list[Candidate]]:
    """Insert the candidates (``(prompt id, candidate)`` pairs) not stored yet, in bulk.

    Returns every one as stored, before or now, and the candidates this call inserted. A
    candidate already there (another run of the same plan stored it) is kept as it is.
    """
    if not rows:
        return {}, []
    ids = stored_candidates(conn, sorted({p for p, _ in rows}),
                            sorted({c.external_id for _, c in rows}))
    fresh: dict[tuple[int, str], Candidate] = {}
    for prompt_id, candidate in rows:
        key = (prompt_id, candidate.external_id)
        if key not in ids:
            fresh.setdefault(key, candidate)
    if fresh:
        writer = writer_for(conn)
        now = writer.timestamp(utcnow())
        new_ids = writer.allocate("responses", len(fresh))
        writer.insert("responses", RESPONSE_COLUMNS, [
            (response_id, prompt_id, c.external_id, c.content, c.model, _json(c.sampling),
             GENERATED, c.prompt_tokens, c.completion_tokens, c.cost, now,
             opens_like_refusal(c.content), c.finish_reason, c.model_id)
            for response_id, ((prompt_id, _), c) in zip(new_ids, fresh.items(), strict=True)
        ])
        ids.update((key, StoredCandidate(response_id, candidate.truncated))
                   for (key, candidate), response_id in zip(fresh.items(), new_ids, strict=True))
    return ids, list(fresh.values())


@dataclass(frozen=True, slots=True)
class NewTask:
    """A task over a prompt's candidates, in ``response_ids`` order: a comparison of them,
    or a demonstration whose candidates are drafts to post-edit."""

    prompt_id: int
    external_id: str
    response_ids: tuple[int, ...]
    domains: tuple[str, ...]
    metadata: dict
    kind: str = "comparison"


def create_tasks(conn: Connection, project: Project, new_tasks: Sequence[NewTask]) -> int:
    """Create the tasks whose external id is free, in bulk; returns how many were created."""
    taken = stored_tasks(conn, project.id, [t.external_id for t in new_tasks])
    fresh = list({t.external_id: t for t in new_tasks if t.external_id not in taken}.values())
    if not fresh:
        return 0
    writer = writer_for(conn)
    now = writer.timestamp(utcnow())
    task_ids = writer.allocate("tasks", len(fresh))
    task_rows, link_rows, expertise_rows = [], [], []
    for task_id, task in zip(task_ids, fresh, strict=True):
        digest = canonical_hash({"prompt_id": task.prompt_id,
                                 "responses": list(task.response_ids),
                                 "metadata": task.metadata})
        task_rows.append((task_id, project.id, task.external_id, task.kind, task.prompt_id,
                          project.overlap, 0, False, None, bool(task.domains),
                          _json(task.metadata), digest, now))
        link_rows.extend((task_id, response_id, position)
                         for position, response_id in enumerate(task.response_ids))
        expertise_rows.extend((task_id, tag) for tag in dict.fromkeys(task.domains))
    writer.insert("tasks", TASK_COLUMNS, task_rows)
    writer.insert("task_responses", LINK_COLUMNS, link_rows)
    writer.insert("task_expertise", EXPERTISE_COLUMNS, expertise_rows)
    return len(fresh)


def _json(value: object) -> str:
    return orjson.dumps(value).decode()
