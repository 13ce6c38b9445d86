"""Pass 2: write the checked records in batches, one transaction each: their items, then
the labels the import keeps (``label_writes``).

A killed import leaves whole batches behind and nothing half-written; running it again skips
the items already there (same id, same content hash) and the labels already stored (same
author on the same task), and writes the rest. Each batch looks its ids up again inside its
own transaction, so a concurrent import of the same ids is either seen or, on PostgreSQL,
caught by the unique keys and the batch retried.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import orjson
from sqlalchemy import Connection, Engine, delete, insert, null, select, update
from sqlalchemy.exc import IntegrityError

from accord.core.errors import Conflict
from accord.core.importing.check import PROGRESS_EVERY, SourceRead
from accord.core.importing.existing import (
    POOL_PROMPT,
    Existing,
    Verdict,
    find_existing,
    frozen_content_changed,
    judge,
)
from accord.core.importing.fields import InvalidItem
from accord.core.importing.items import SEED_KEYS, Item
from accord.core.importing.label_writes import write_labels
from accord.core.importing.records import AdaptContext, Adapter, Label
from accord.core.importing.report import ImportReport
from accord.core.importing.sources import Pass, Source
from accord.core.importing.writers import BulkWriter, writer_for
from accord.core.projects.project import Project
from accord.core.tasks.refusals import opens_like_refusal
from accord.db.inserts import insert_one
from accord.db.tables import (
    prompts,
    responses,
    task_expertise,
    task_responses,
    tasks,
)
from accord.db.types import utcnow

DEFAULT_BATCH_SIZE = 5000
RETRIES = 3

PROMPT_COLUMNS = ("id", "project_id", "external_id", "messages", "category", "category_label",
                  "domains", "source", "metadata", "content_hash", "created_at")
# Columns left out take their server defaults, which are what a fresh import needs: a task
# ``open``, nothing ``taken`` or ``submitted``, in the fresh ``queue``; responses ``imported``.
RESPONSE_COLUMNS = ("id", "prompt_id", "external_id", "content", "model", "sampling",
                    "created_at", "opens_with_refusal", "finish_reason")
TASK_COLUMNS = ("id", "project_id", "external_id", "kind", "prompt_id", "overlap", "priority",
                "is_gold", "gold_answer", "requires_expertise", "metadata", "content_hash",
                "created_at")
LINK_COLUMNS = ("task_id", "response_id", "position")
EXPERTISE_COLUMNS = ("task_id", "tag")


class Pending(NamedTuple):
    """A checked item on its way in: its line number (for errors), content hash, its JSON
    documents serialised once, before the transaction that writes it opens, and its labels."""

    number: int
    item: Item
    content_hash: str
    messages: str
    domains: str
    prompt_metadata: str
    metadata: str
    gold: str | None
    samplings: tuple[str, ...]
    labels: tuple[Label, ...] = ()


@dataclass
class BatchCounts:
    """What one batch did: items by ``Verdict``, labels new and already stored."""

    items: dict[Verdict, int]
    labels_new: int = 0
    labels_unchanged: int = 0


def prepare(number: int, item: Item, labels: tuple[Label, ...] = ()) -> Pending:
    return Pending(
        number, item, item.content_hash(), _json(item.messages), _json(item.domains),
        _json(_prompt_metadata(item)), _json(item.metadata),
        None if item.gold is None else _json(item.gold),
        tuple([_json(response.sampling) for response in item.responses]), labels,
    )


def write_source(
    engine: Engine, project: Project, source: Source, adapt: Adapter, context: AdaptContext,
    *, skip: set[int], update: bool, report: ImportReport, on_read: SourceRead | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
) -> None:
    """Write every entry of ``source`` but the numbers in ``skip``, adding to ``report``.

    One thread does it all: writing in a second thread while this one reads the next batch
    was measured no faster, since the GIL passes back and forth at every row's
    ``sqlite3_step``.
    """
    with source.open() as reading:
        batch: list[Pending] = []
        for count, pending in enumerate(_checked(reading, skip, adapt, context, source.unit),
                                        start=1):
            batch.append(pending)
            if report.labelled and not pending.labels:
                report.add_unjudged(pending.number)
            if len(batch) >= batch_size:
                write_batch(engine, project, batch, update=update, source=source, report=report)
                batch = []
            if count % PROGRESS_EVERY == 0 and on_read:
                on_read("importing", reading.position, reading.total)
        if batch:
            write_batch(engine, project, batch, update=update, source=source, report=report)
        if on_read:
            on_read("importing", reading.total, reading.total)


def _checked(reading: Pass, skip: set[int], adapt: Adapter, context: AdaptContext,
             unit: str) -> Iterator[Pending]:
    """The entries again, as records; one that no longer passes means the file changed."""
    for entry in reading:
        if entry.number in skip:
            continue
        if entry.error is not None:
            raise _changed(unit, entry.number, entry.error)
        try:
            records = adapt(entry.number, entry.value, context)
        except InvalidItem as error:
            raise _changed(unit, entry.number, str(error)) from None
        for record in records:
            yield prepare(record.number, record.item, record.labels)


def _changed(unit: str, number: int, reason: str) -> Conflict:
    return Conflict(
        f"{unit} {number} changed while it was being imported ({reason}); "
        "the batches before it are in; fix the file and import it again"
    )


def write_batch(
    engine: Engine, project: Project, batch: list[Pending], *, update: bool, source: Source,
    report: ImportReport,
) -> None:
    """One transaction: look the ids up, insert the new items, update the changed ones."""
    for attempt in range(1, RETRIES + 1):
        try:
            with engine.begin() as conn:
                counts = _write(conn, project, batch, update, source)
        except IntegrityError as error:
            # Only a concurrent import of the same ids gets here (PostgreSQL, read committed):
            # the retry sees its rows and counts them as present.
            if attempt == RETRIES:
                raise Conflict(
                    f"{source.unit}s {batch[0].number}-{batch[-1].number} could not be written: "
                    f"{str(error.orig).strip().splitlines()[0]}"
                ) from error
            continue
        report.new += counts.items[Verdict.NEW]
        report.unchanged += counts.items[Verdict.UNCHANGED]
        report.updated += counts.items[Verdict.UPDATE]
        report.annotations_new += counts.labels_new
        report.annotations_unchanged += counts.labels_unchanged
        return


def _write(conn: Connection, project: Project, batch: list[Pending], update_: bool,
           source: Source) -> BatchCounts:
    existing = find_existing(conn, project.id, [p.item.id for p in batch])
    fresh: list[Pending] = []
    changed: list[tuple[Pending, Existing]] = []
    counts = BatchCounts(dict.fromkeys(Verdict, 0))
    handled: set[str] = set()
    for pending in batch:
        if pending.item.id in handled:
            continue  # the same task again, with another author's label
        handled.add(pending.item.id)
        found = existing.get(pending.item.id)
        try:
            verdict = judge(conn, pending.item, found, update_, pending.content_hash)
        except InvalidItem as error:
            raise Conflict(
                f"{source.unit} {pending.number}: {error} (the project changed while this "
                "import ran; the batches before this line are in)"
            ) from None
        counts.items[verdict] += 1
        if verdict is Verdict.NEW:
            fresh.append(pending)
        elif verdict is Verdict.UPDATE:
            assert found is not None  # only an item already stored can be updated
            changed.append((pending, found))
    if fresh:
        insert_new(writer_for(conn), project, fresh, source.name)
    for pending, found in changed:
        apply_update(conn, pending, found)
    labelled = [(pending.item.id, label) for pending in batch for label in pending.labels]
    if labelled:
        counts.labels_new, counts.labels_unchanged = write_labels(conn, project, labelled,
                                                                  utcnow())
    return counts


def _json(value: object) -> str:
    return orjson.dumps(value).decode()


def _prompt_metadata(item: Item) -> dict:
    """A task's prompt keeps its seed (red team's, a demonstration's authoring); a pool
    prompt keeps the item's metadata."""
    if item.kind == POOL_PROMPT:
        return item.metadata
    return {SEED_KEYS[item.kind]: item.seed} if item.seed else {}


def insert_new(writer: BulkWriter, project: Project, fresh: list[Pending], source: str) -> None:
    """Insert new items with keys reserved up front: one statement per table."""
    now = writer.timestamp(utcnow())
    task_count = sum(1 for p in fresh if p.item.kind != POOL_PROMPT)
    prompt_ids = writer.allocate("prompts", len(fresh))
    task_ids = iter(writer.allocate("tasks", task_count))
    response_ids = iter(writer.allocate("responses", sum(len(p.item.responses) for p in fresh)))
    prompt_rows, response_rows, task_rows, link_rows, expertise_rows = [], [], [], [], []
    project_id, overlap = project.id, project.overlap
    for pending, prompt_id in zip(fresh, prompt_ids, strict=True):
        item, digest = pending.item, pending.content_hash
        prompt_rows.append((
            prompt_id, project_id, item.id, pending.messages, item.category,
            item.category_label, pending.domains, source, pending.prompt_metadata, digest, now,
        ))
        if item.kind == POOL_PROMPT:
            continue
        task_id = next(task_ids)
        task_rows.append((
            task_id, project_id, item.id, item.kind, prompt_id, overlap, item.priority,
            pending.gold is not None, pending.gold, bool(item.domains), pending.metadata, digest,
            now,
        ))
        for position, (response, sampling) in enumerate(
            zip(item.responses, pending.samplings, strict=True)
        ):
            response_id = next(response_ids)
            response_rows.append((
                response_id, prompt_id, response.id, response.content, response.model, sampling,
                now, opens_like_refusal(response.content), response.finish_reason,
            ))
            link_rows.append((task_id, response_id, position))
        expertise_rows.extend((task_id, tag) for tag in item.domains)
    writer.insert("prompts", PROMPT_COLUMNS, prompt_rows)
    writer.insert("responses", RESPONSE_COLUMNS, response_rows)
    writer.insert("tasks", TASK_COLUMNS, task_rows)
    writer.insert("task_responses", LINK_COLUMNS, link_rows)
    writer.insert("task_expertise", EXPERTISE_COLUMNS, expertise_rows)


def apply_update(conn: Connection, pending: Pending, found: Existing) -> None:
    """Replace a stored item by ``pending`` (``judge`` has already said that it may)."""
    item, digest = pending.item, pending.content_hash
    prompt_values: dict = {"category": item.category, "category_label": item.category_label,
                           "domains": item.domains,
                           "content_hash": digest}
    if found.task_id is None:
        prompt_values.update(messages=item.messages, metadata=item.metadata)
        conn.execute(update(prompts).where(prompts.c.id == found.prompt_id).values(prompt_values))
        return
    task_values: dict = {"priority": item.priority, "metadata": item.metadata,
                         "content_hash": digest, "requires_expertise": bool(item.domains)}
    if frozen_content_changed(conn, item, found):
        prompt_values.update(messages=item.messages, metadata=_prompt_metadata(item))
        task_values.update(is_gold=item.gold is not None,
                           gold_answer=null() if item.gold is None else item.gold)
        _replace_responses(conn, item, found)
    conn.execute(update(prompts).where(prompts.c.id == found.prompt_id).values(prompt_values))
    conn.execute(update(tasks).where(tasks.c.id == found.task_id).values(task_values))
    conn.execute(delete(task_expertise).where(task_expertise.c.task_id == found.task_id))
    if item.domains:
        conn.execute(insert(task_expertise),
                     [{"task_id": found.task_id, "tag": tag} for tag in item.domains])


def _replace_responses(conn: Connection, item: Item, found: Existing) -> None:
    """Swap a never-assigned task's responses for the item's."""
    old = [row[0] for row in conn.execute(
        select(task_responses.c.response_id).where(task_responses.c.task_id == found.task_id)
    )]
    conn.execute(delete(task_responses).where(task_responses.c.task_id == found.task_id))
    if old:
        conn.execute(delete(responses).where(responses.c.id.in_(old)))
    now = utcnow()
    for position, response in enumerate(item.responses):
        response_id = insert_one(conn, insert(responses).values(
            prompt_id=found.prompt_id, external_id=response.id, content=response.content,
            model=response.model, sampling=response.sampling, origin="imported", created_at=now,
            opens_with_refusal=opens_like_refusal(response.content),
            finish_reason=response.finish_reason,
        ))
        conn.execute(insert(task_responses).values(
            task_id=found.task_id, response_id=response_id, position=position))
