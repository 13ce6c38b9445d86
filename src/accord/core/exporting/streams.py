"""Gathering what exports need from the database, in streams that never hold a whole project.

A preference export walks three queries side by side, each ordered by task id and read
through a server-side cursor (``yield_per``): the narrow ``pairwise_outcomes`` rows, the
exported tasks with their prompts, and those tasks' responses. Outcomes come in chunks of
whole tasks as NumPy arrays; the majority of each pair is computed per chunk by
:func:`accord.quality.consensus.majority_pairs`; the two text streams are read up to the
chunk's last task (a merge join), so that no query names thousands of ids. Memory grows with
the chunk size, never with the project. (Raw and SFT exports stream one joined query each:
:mod:`accord.core.exporting.records`.)

A comparison task is exported once it has all its annotations (``submitted >= overlap``) and
is not open or escalated: complete, waiting for adjudication, or resolved; a task the
project's AI judge settled (see :mod:`accord.core.judging.hybrid`) is exported with the
judge's label.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from operator import itemgetter
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    Text,
    cast,
    exists,
    func,
    literal,
    null,
    or_,
    select,
)

from accord.core.exporting.provenance import Provenance, task_versions_query
from accord.core.projects.project import Project
from accord.db.engine import READ_ONLY
from accord.db.tables import (
    pairwise_outcomes,
    prompts,
    responses,
    suspect_labels,
    task_consensus,
    task_responses,
    tasks,
    users,
)
from accord.quality.consensus import PairMajorities, majority_pairs

AI_JUDGE = "ai_judge"  # task_consensus.method of a task the AI judge settled
# Its own name, so that the test stays apart from the text query's join to the consensus.
_SETTLED = task_consensus.alias("settled")
EXPORTED_STATUSES = ("complete", "needs_adjudication", "resolved")
CHUNK_ROWS = 20_000  # outcome rows fetched per round trip; a chunk holds about this many
WIDTH = 6  # columns of an outcome chunk
PACKED = 3  # columns of an outcome row as fetched (see _outcome_query)
_HIGH = 1 << 32  # ids are packed two to an integer, each below this
_STRENGTHS = 1 << 16  # strengths (a SmallInteger) are packed below this, the tie flag above
FetchedRow = Sequence[Any]
"""A fetched row, read by position: the driver's tuple on SQLite, SQLAlchemy's ``Row`` on
PostgreSQL (see :func:`_driver_rows`)."""


@dataclass
class ExportCounts:
    """Running counts of an export, updated by the streams as they go."""

    tasks: int = 0
    """Tasks considered: for preference, exported comparison tasks with outcomes; for raw,
    tasks with any annotation; for SFT, tasks with a demonstration."""
    ties_dropped: int = 0
    """Pairs whose majority was a tie or an even split, so that they yielded no row."""
    truncated_dropped: int = 0
    """Pairs left out because their chosen or rejected response was cut off at the length
    limit (the default of training exports; see ``ExportOptions.include_truncated``)."""


@dataclass(frozen=True)
class TaskFilter:
    """Which exported tasks a preference export reads, decided in SQL before any text moves:
    the prompt's category, and when the task was completed (``since`` inclusive, ``until``
    exclusive)."""

    categories: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    exclude_suspect: bool = False
    """Leave out tasks with an open suspect label (``accord suspects``): a label an AI judge
    or a reward model doubts and no reviewer has confirmed yet."""


@dataclass(frozen=True)
class DecidedChunk:
    """The decided pairs of a run of consecutive tasks, with the text each row needs.

    ``tasks`` maps a task's database id to a row of ``external_id``, ``messages_json`` (the
    prompt's messages as JSON text), ``category`` (its key), the stored consensus and its method,
    and ``label`` (the category as the source wrote it); ``responses`` maps a response's id to a
    row of ``content``, ``model``, ``external_id`` and ``finish_reason``. They are the fetched
    rows themselves, and the messages
    stay text until a row is built from them, because a chunk's thousands of parsed lists
    (or wrapper objects) would live long enough for the garbage collector to rescan them
    again and again, which costs more than building them.
    """

    pairs: PairMajorities
    tasks: dict[int, FetchedRow]
    responses: dict[int, FetchedRow]
    votes: dict[int, tuple[str, int | None]]
    """Task id → ``(source, guideline version)`` (see :mod:`accord.core.exporting.provenance`)."""


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A connection whose reads all see one state of the database, however long they take.

    On PostgreSQL: a read-only REPEATABLE READ transaction, so a task completed while an
    export runs is in none of its streams or in all of them. On SQLite: a deferred
    transaction, which reads one WAL snapshot and lets annotators keep writing meanwhile.
    """
    with engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ",
                                          postgresql_readonly=True)
        else:
            conn = conn.execution_options(**{READ_ONLY: True})
        yield conn


def _exported(project_id: int, chosen: TaskFilter | None = None
              ) -> tuple[ColumnElement[bool], ...]:
    """The tasks whose pairs a preference export considers."""
    conditions = [
        tasks.c.project_id == project_id,
        tasks.c.kind == "comparison",
        tasks.c.status.in_(EXPORTED_STATUSES),
        or_(tasks.c.submitted >= tasks.c.overlap, exists().where(
            _SETTLED.c.task_id == tasks.c.id, _SETTLED.c.method == AI_JUDGE)),
    ]
    if chosen is not None and chosen.categories:
        conditions.append(tasks.c.prompt_id.in_(
            select(prompts.c.id).where(prompts.c.project_id == project_id,
                                       prompts.c.category.in_(chosen.categories))))
    if chosen is not None and chosen.since is not None:
        conditions.append(tasks.c.completed_at >= chosen.since)
    if chosen is not None and chosen.until is not None:
        conditions.append(tasks.c.completed_at < chosen.until)
    if chosen is not None and chosen.exclude_suspect:
        conditions.append(~exists().where(suspect_labels.c.task_id == tasks.c.id,
                                          suspect_labels.c.status == "open"))
    return tuple(conditions)


def _outcome_query(project_id: int, packed: bool) -> Select:
    tie = cast(pairwise_outcomes.c.tie, Integer)
    strength = func.coalesce(pairwise_outcomes.c.strength, 0)
    if packed:
        # Three packed integers per row instead of six: the driver builds a Python integer
        # per value, and over a million rows that, not the database, is most of the cost.
        # The factors are 64-bit literals, so that PostgreSQL computes in bigint.
        high, strengths = literal(_HIGH, BigInteger), literal(_STRENGTHS, BigInteger)
        columns = (
            pairwise_outcomes.c.winner_id * high + pairwise_outcomes.c.loser_id,
            (tie * strengths + strength) * high + pairwise_outcomes.c.annotator_id,
        )
    else:
        columns = (pairwise_outcomes.c.winner_id, pairwise_outcomes.c.loser_id, tie, strength,
                   pairwise_outcomes.c.annotator_id)
    return (
        select(pairwise_outcomes.c.task_id, *columns)
        .where(pairwise_outcomes.c.project_id == project_id)
        .order_by(pairwise_outcomes.c.task_id)
    )


def _packable(conn: Connection) -> bool:
    """Whether every response and user id fits the packing of :func:`_outcome_query`:
    response ids below 2**31 (two share a signed 64-bit integer), user ids below 2**32.
    Strengths are a SmallInteger column (1 to 3 when judged), below ``_STRENGTHS``."""
    top_response, top_user = conn.execute(
        select(select(func.max(responses.c.id)).scalar_subquery(),
               select(func.max(users.c.id)).scalar_subquery())).one()
    return (top_response or 0) < _HIGH // 2 and (top_user or 0) < _HIGH


def _unpack(packed: NDArray[np.int64]) -> NDArray[np.int64]:
    """The ``(n, 3)`` packed rows of :func:`_outcome_query` as ``(n, 6)`` outcome columns."""
    block = np.empty((len(packed), WIDTH), dtype=np.int64)
    block[:, 0] = packed[:, 0]
    block[:, 1], block[:, 2] = np.divmod(packed[:, 1], _HIGH)
    flags, block[:, 5] = np.divmod(packed[:, 2], _HIGH)
    block[:, 3], block[:, 4] = np.divmod(flags, _STRENGTHS)
    return block


def _driver_rows(conn: Connection, query: Select,
                 fetch_rows: int) -> Iterator[Sequence[FetchedRow]]:
    """The query's rows, ``fetch_rows`` at a time, as cheaply as the driver allows.

    On SQLite the rows come straight from the driver's cursor as plain tuples (sqlite3 steps
    through a result lazily anyway): the columns read here are integers and text that need
    no conversion, and skipping SQLAlchemy's row objects saves a third of the fetch time. On
    PostgreSQL they stream from a server-side cursor through SQLAlchemy, whose buffered
    cursor reads ahead, so its rows must not be bypassed.
    """
    if conn.dialect.name != "sqlite":
        yield from conn.execute(query.execution_options(yield_per=fetch_rows)).partitions()
        return
    result = conn.execute(query)
    cursor = result.cursor
    assert cursor is not None, "a SELECT's result holds its cursor until it is read or closed"
    try:
        while rows := cursor.fetchmany(fetch_rows):
            yield rows
    finally:
        result.close()


def outcome_chunks(
    conn: Connection, project_id: int, chunk_rows: int = CHUNK_ROWS
) -> Iterator[NDArray[np.int64]]:
    """The project's outcome rows as ``(n, 6)`` int64 arrays of whole tasks, in task order.

    Columns: task id, winner id, loser id, tie (0/1), strength (0 where none was given),
    annotator id.
    A task's rows are never split across two chunks: the rows of the last task of a fetch
    wait for the next one.
    """
    packed = _packable(conn)
    width = PACKED if packed else WIDTH
    carried = np.zeros((0, WIDTH), dtype=np.int64)
    for rows in _driver_rows(conn, _outcome_query(project_id, packed), chunk_rows):
        # All the columns are integers, so the rows flatten straight into one array.
        fetched = np.fromiter(chain.from_iterable(rows), np.int64,
                              width * len(rows)).reshape(-1, width)
        fetched = _unpack(fetched) if packed else fetched
        block = np.concatenate([carried, fetched]) if len(carried) else fetched
        last_start = int(np.searchsorted(block[:, 0], block[-1, 0], side="left"))
        if last_start > 0:
            yield block[:last_start]
        carried = block[last_start:]
    if len(carried):
        yield carried


def _has_consensus(conn: Connection, project_id: int) -> bool:
    """Whether any task of the project has a stored consensus: without one, the exports skip
    the join to ``task_consensus`` and the response ids it would need."""
    return conn.execute(
        select(task_consensus.c.task_id).join(tasks, tasks.c.id == task_consensus.c.task_id)
        .where(tasks.c.project_id == project_id).limit(1)).first() is not None


def _task_text_query(project_id: int, chosen: TaskFilter | None, consensus: bool) -> Select:
    # Messages come as JSON text (see DecidedChunk); the cast also skips the JSON column
    # type's per-row processing, which costs more than the query.
    ranking = (cast(task_consensus.c.ranking, Text) if consensus else null()
               ).label("consensus_json")
    method = (task_consensus.c.method if consensus else null()).label("consensus_method")
    query = (
        select(tasks.c.id, tasks.c.external_id,
               cast(prompts.c.messages, Text).label("messages_json"), prompts.c.category,
               ranking, method,
               func.coalesce(prompts.c.category_label, prompts.c.category).label("label"))
        .join(prompts, prompts.c.id == tasks.c.prompt_id)
        .where(*_exported(project_id, chosen))
        .order_by(tasks.c.id)
    )
    if consensus:
        query = query.outerjoin(task_consensus, task_consensus.c.task_id == tasks.c.id)
    return query


def _response_text_query(project_id: int, chosen: TaskFilter | None, consensus: bool) -> Select:
    external_id = (responses.c.external_id if consensus else null()).label("external_id")
    return (
        select(tasks.c.id.label("task_id"), responses.c.id, responses.c.content,
               responses.c.model, external_id, responses.c.finish_reason)
        .join(task_responses, task_responses.c.task_id == tasks.c.id)
        .join(responses, responses.c.id == task_responses.c.response_id)
        .where(*_exported(project_id, chosen))
        .order_by(tasks.c.id)
    )


class _ByTask:
    """A query's rows, ordered by task id in their first column, read forward on demand.

    Walking the texts alongside the outcome stream (a merge join on task id) needs one query
    per stream rather than one per chunk, and never an ``IN`` list of thousands of ids.
    """

    def __init__(self, conn: Connection, query: Select, fetch_rows: int) -> None:
        self._partitions = _driver_rows(conn, query, fetch_rows)
        self._rows: Sequence[FetchedRow] = ()
        self._at = 0

    def through(self, last_task: int) -> list[FetchedRow]:
        """The rows not read yet whose task id is at most ``last_task``."""
        taken: list[FetchedRow] = []
        while True:
            if self._at == len(self._rows):
                self._rows, self._at = next(self._partitions, ()), 0
                if not self._rows:
                    return taken
            end = bisect_right(self._rows, last_task, lo=self._at, key=itemgetter(0))
            taken.extend(self._rows[self._at:end])
            self._at = end
            if end < len(self._rows):
                return taken


def decided_chunks(
    conn: Connection, project: Project, counts: ExportCounts | None = None,
    chunk_rows: int = CHUNK_ROWS, chosen: TaskFilter | None = None, *,
    keep_undecided: bool = False,
) -> Iterator[DecidedChunk]:
    """The pairs with a majority for one response, chunk by chunk, in task order.

    ``conn`` should read one snapshot (see :func:`snapshot`): the outcomes and the texts are
    three queries walked side by side. Only the text streams know which tasks are exported,
    so outcomes of other tasks (open, escalated …) are dropped here, by task id, rather than
    by joining every outcome row to its task in SQL, which costs a quarter of the query.
    ``counts`` (if given) is kept up to date. ``keep_undecided`` yields the pairs without a
    majority too (a stored consensus may decide them) and leaves ``ties_dropped`` to the caller.
    """
    counts = counts if counts is not None else ExportCounts()
    consensus = _has_consensus(conn, project.id)
    task_texts = _ByTask(conn, _task_text_query(project.id, chosen, consensus), chunk_rows // 2)
    response_texts = _ByTask(conn, _response_text_query(project.id, chosen, consensus),
                             chunk_rows)
    provenance = Provenance.load(conn, project.id)
    task_versions = (_ByTask(conn, task_versions_query(project.id), chunk_rows // 2)
                     if provenance.versions else None)
    for fetched in outcome_chunks(conn, project.id, chunk_rows):
        last_task = int(fetched[-1, 0])
        task_rows, response_rows = task_texts.through(last_task), response_texts.through(last_task)
        versions = ({r[0]: provenance.versions.get(r[1]) for r in task_versions.through(last_task)}
                    if task_versions is not None else {})
        block = fetched[np.isin(fetched[:, 0], [r[0] for r in task_rows])]
        if not len(block):
            continue
        block, sources = provenance.split(
            block, versions, [r[0] for r in task_rows if r[5] == AI_JUDGE] if consensus else ())
        majorities = majority_pairs(block[:, 0], block[:, 1], block[:, 2], block[:, 3],
                                    block[:, 4])
        counts.tasks += len(np.unique(majorities.task))
        decided = majorities if keep_undecided else majorities.select(majorities.decided)
        counts.ties_dropped += len(majorities) - len(decided)
        if len(decided):
            yield DecidedChunk(
                decided,
                {r[0]: r for r in task_rows},
                {r[1]: r for r in response_rows},
                sources,
            )
