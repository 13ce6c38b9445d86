"""What the project already holds under an item's id, and whether an item may replace it.

Items are keyed by id within the project (``tasks.external_id``, ``prompts.external_id``) and
compared by content hash: equal hash, nothing to do; different hash, an error unless the
caller asked to update. An update may always change category, domains, metadata and
priority, but the prompt, responses and gold answer only while nobody has worked on the task.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import Connection, func, select

from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import SEED_KEYS, Item, Response
from accord.db.tables import annotations, assignments, prompts, responses, task_responses, tasks

LOOKUP_CHUNK = 900  # ids per IN list: under every database's limit on bound parameters
POOL_PROMPT = "prompt"


class Verdict(Enum):
    NEW = "new"
    UNCHANGED = "unchanged"
    UPDATE = "update"


@dataclass(frozen=True, slots=True)
class Existing:
    """An id already in the project: a task (``kind`` is its kind) or a pool prompt."""

    kind: str
    content_hash: str
    prompt_id: int
    task_id: int | None = None


def find_existing(conn: Connection, project_id: int, ids: Sequence[str]) -> dict[str, Existing]:
    """The ids among ``ids`` that the project holds, as tasks first, else as pool prompts."""
    found: dict[str, Existing] = {}
    for start in range(0, len(ids), LOOKUP_CHUNK):
        chunk = ids[start:start + LOOKUP_CHUNK]
        for prompt_row in conn.execute(
            select(prompts.c.external_id, prompts.c.content_hash, prompts.c.id).where(
                prompts.c.project_id == project_id, prompts.c.external_id.in_(chunk)
            )
        ):
            found[prompt_row[0]] = Existing(POOL_PROMPT, prompt_row[1], prompt_row[2])
        for task_row in conn.execute(
            select(tasks.c.external_id, tasks.c.kind, tasks.c.content_hash, tasks.c.prompt_id,
                   tasks.c.id).where(tasks.c.project_id == project_id,
                                     tasks.c.external_id.in_(chunk))
        ):
            found[task_row[0]] = Existing(task_row[1], task_row[2], task_row[3], task_row[4])
    return found


def project_is_empty(conn: Connection, project_id: int) -> bool:
    """True when no id can collide, so the first pass may skip looking ids up."""
    return (
        conn.execute(select(prompts.c.id).where(prompts.c.project_id == project_id).limit(1))
        .first() is None
        and conn.execute(select(tasks.c.id).where(tasks.c.project_id == project_id).limit(1))
        .first() is None
    )


def count_items(conn: Connection, project_id: int) -> int:
    """Items the project holds, tasks and pool prompts alike (one prompt row each): how far
    an interrupted import came."""
    return conn.execute(select(func.count()).select_from(prompts)
                        .where(prompts.c.project_id == project_id)).scalar_one()


def judge(conn: Connection, item: Item, existing: Existing | None, update: bool,
          content_hash: str | None = None) -> Verdict:
    """What to do with ``item`` given what its id holds; ``InvalidItem`` when it may not go in."""
    if existing is None:
        return Verdict.NEW
    if existing.kind != item.kind:
        raise InvalidItem(
            f"id {item.id} exists as {_kind_words(existing.kind)}; "
            f"it cannot become {_kind_words(item.kind)}"
        )
    if (content_hash or item.content_hash()) == existing.content_hash:
        return Verdict.UNCHANGED
    if not update:
        raise InvalidItem(
            f"id {item.id} exists with different content; use --update to replace it"
        )
    if existing.task_id is not None and frozen_content_changed(conn, item, existing):
        _refuse_if_worked_on(conn, item, existing.task_id)
    return Verdict.UPDATE


def _kind_words(kind: str) -> str:
    return "a pool prompt" if kind == POOL_PROMPT else f"a {kind.replace('_', '-')} task"


def frozen_content_changed(conn: Connection, item: Item, existing: Existing) -> bool:
    """Whether the prompt, responses, gold answer or seed differ from the stored ones."""
    return item.frozen_content() != stored_frozen_content(conn, existing)


def stored_frozen_content(conn: Connection, existing: Existing) -> dict:
    """The stored counterpart of ``Item.frozen_content``, rebuilt from the rows."""
    prompt = conn.execute(
        select(prompts.c.messages, prompts.c.metadata).where(prompts.c.id == existing.prompt_id)
    ).one()
    task = conn.execute(
        select(tasks.c.gold_answer).where(tasks.c.id == existing.task_id)
    ).one()
    stored = conn.execute(
        select(responses.c.external_id, responses.c.content, responses.c.model,
               responses.c.sampling, responses.c.finish_reason)
        .join(task_responses, task_responses.c.response_id == responses.c.id)
        .where(task_responses.c.task_id == existing.task_id)
        .order_by(task_responses.c.position)
    )
    return {
        "kind": existing.kind,
        "messages": prompt.messages,
        "responses": [Response(*row).frozen() for row in stored],
        "gold": task.gold_answer,
        "seed": (prompt.metadata or {}).get(SEED_KEYS.get(existing.kind, "")),
    }


def _refuse_if_worked_on(conn: Connection, item: Item, task_id: int) -> None:
    leased = conn.execute(
        select(func.count()).select_from(assignments).where(assignments.c.task_id == task_id)
    ).scalar_one()
    if not leased:
        return
    annotated = conn.execute(
        select(func.count()).select_from(annotations).where(annotations.c.task_id == task_id)
    ).scalar_one()
    raise InvalidItem(
        f"id {item.id} has {annotated} annotation{'' if annotated == 1 else 's'} "
        f"({leased} assignment{'' if leased == 1 else 's'}); its prompt, responses and gold "
        "answer can no longer change, only category, domains, metadata and priority"
    )
