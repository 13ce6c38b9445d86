"""Generated candidates in the project: the prompt pool they come from, the responses they
become, and the comparison tasks made of them.

The pool is every prompt that no task was imported with (items of kind ``prompt``; an
imported task's prompt carries the task's id). A generated response belongs to its prompt
under a stable id, so a rerun finds what is there and asks only for what is missing; a
task is created once, when all its candidates exist, with an id derived from its prompt's
and its candidates' ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, and_, exists, insert, select
from sqlalchemy.exc import IntegrityError

from accord.core.importing.existing import LOOKUP_CHUNK
from accord.core.importing.items import canonical_hash
from accord.core.projects import Project
from accord.db.tables import prompts, responses, task_expertise, task_responses, tasks
from accord.db.types import utcnow

GENERATED = "generated"


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
    """A generated response as it is stored: text, who made it how, and what it cost."""

    external_id: str
    content: str
    model: str
    sampling: dict
    prompt_tokens: int
    completion_tokens: int
    cost: float


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


def stored_candidates(conn: Connection, prompt_ids: Sequence[int],
                      external_ids: Sequence[str]) -> dict[tuple[int, str], int]:
    """``(prompt id, response id) -> responses.id`` for the candidates already stored."""
    found: dict[tuple[int, str], int] = {}
    for start in range(0, len(prompt_ids), LOOKUP_CHUNK):
        chunk = list(prompt_ids[start:start + LOOKUP_CHUNK])
        for prompt_id, external_id, response_id in conn.execute(
            select(responses.c.prompt_id, responses.c.external_id, responses.c.id)
            .where(responses.c.prompt_id.in_(chunk),
                   responses.c.external_id.in_(list(external_ids)))
        ):
            found[(prompt_id, external_id)] = response_id
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


def store_candidate(conn: Connection, prompt_id: int, candidate: Candidate) -> int | None:
    """Insert the candidate; None when one with its id is already there (a second run of
    the same plan got there first). Runs in a savepoint, so the caller's work stays."""
    values = {
        "prompt_id": prompt_id, "external_id": candidate.external_id,
        "content": candidate.content, "model": candidate.model, "sampling": candidate.sampling,
        "origin": GENERATED, "prompt_tokens": candidate.prompt_tokens,
        "completion_tokens": candidate.completion_tokens, "cost": candidate.cost,
        "created_at": utcnow(),
    }
    try:
        with conn.begin_nested():
            return conn.execute(insert(responses).values(values)).inserted_primary_key[0]
    except IntegrityError:
        return None


def create_task(conn: Connection, project: Project, prompt_id: int, external_id: str,
                response_ids: Sequence[int], domains: Sequence[str], metadata: dict,
                ) -> int | None:
    """A comparison task over ``response_ids`` in that order; None when ``external_id``
    is taken already."""
    if stored_tasks(conn, project.id, [external_id]):
        return None
    now = utcnow()
    digest = canonical_hash({"prompt_id": prompt_id, "responses": list(response_ids),
                             "metadata": metadata})
    task_id = conn.execute(insert(tasks).values(
        project_id=project.id, external_id=external_id, kind="comparison", prompt_id=prompt_id,
        overlap=project.overlap, priority=0, is_gold=False, requires_expertise=bool(domains),
        metadata=metadata, content_hash=digest, created_at=now,
    )).inserted_primary_key[0]
    conn.execute(insert(task_responses), [
        {"task_id": task_id, "response_id": response_id, "position": position}
        for position, response_id in enumerate(response_ids)
    ])
    if domains:
        conn.execute(insert(task_expertise), [{"task_id": task_id, "tag": tag}
                                              for tag in dict.fromkeys(domains)])
    return task_id
