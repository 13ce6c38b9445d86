"""The arrays the quality engine works on, read from a project in the database.

``quality`` is pure (arrays in, results out); this module is the only place that knows how
those arrays come out of the tables. Rows are fetched on the driver connection in chunks and
each chunk becomes one structured NumPy array (``np.fromiter``), so no Python objects outlive
their chunk. The database does what it does fastest: flags become bit masks in SQL, and only
the annotations that carry ratings send their JSON; the refusal heuristic searches the
lower-cased openings of responses in Python's string search, many times faster than a dozen
``LIKE`` patterns per row, and only for responses whose flag the importer did not store
(``responses.opens_with_refusal``). A project of a million annotations loads in a few seconds and a
few hundred megabytes.

Database ids are mapped to dense indices (``0..n-1``) for annotators, tasks, responses,
categories and models; the ``*_ids`` and ``*_names`` arrays map them back. The arrays' types
live in :mod:`accord.core.report.arrays`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from accord.core.projects.project import Project
from accord.core.report.arrays import (
    FLAGS,
    OUTCOME_FIRST,
    OUTCOME_SECOND,
    OUTCOME_TIE,
    Annotations,
    Annotators,
    Outcomes,
    ProjectArrays,
    Ratings,
    Responses,
    Tasks,
)
from accord.core.tasks.refusals import REFUSAL_HEAD, refusal_flags
from accord.db import raw
from accord.db.raw import Statement

CHUNK = 100_000


def _epoch(column: str, dialect: str) -> str:
    """SQL for a stored UTC time as seconds since the epoch (a float)."""
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})"
    return f"(julianday({column}) - 2440587.5) * 86400.0"


def _flag_bits_sql(dialect: str) -> str:
    """SQL for the annotation's flags as a bit mask (bit ``i`` for ``FLAGS[i]``).

    Stored flags are a JSON list of distinct known names (``core.tasks.judgments`` checks them),
    so a name is raised exactly when its quoted form occurs in the text.
    """
    if dialect == "postgresql":
        return " + ".join(f"(CASE WHEN an.flags ? '{flag}' THEN {1 << i} ELSE 0 END)"
                          for i, flag in enumerate(FLAGS))
    bits = " + ".join(f"{1 << i} * (instr(an.flags, '\"{flag}\"') > 0)"
                      for i, flag in enumerate(FLAGS))
    return f"CASE WHEN an.flags = '[]' THEN 0 ELSE COALESCE({bits}, 0) END"


def _in_project(column: str, dialect: str) -> str:
    """The project filter of a large table. On SQLite the unary ``+`` keeps the planner off
    the ``project_id`` indexes, so the table is read in rowid order, which is the order
    wanted: walking an index instead costs a random row lookup per row and then a sort of
    the whole result (1.3 s against 0.8 s for 400,000 responses; 1.9 s against 1.2 s for a
    million outcomes), more than skipping the rows of other projects in a scan costs until
    they outnumber this project's several times over. PostgreSQL plans from statistics."""
    return f"{'+' if dialect == 'sqlite' else ''}{column} = :project_id"


ID_BITS = 31
"""Two ids below ``2**ID_BITS`` travel as one integer (see ``_id_pair``)."""
_LARGEST_IDS = Statement(
    "SELECT (SELECT MAX(id) FROM tasks), (SELECT MAX(id) FROM users), "
    "(SELECT MAX(id) FROM responses)"
)


def _narrow_ids(conn: Connection) -> bool:
    """Whether every task, user and response id is below ``2**ID_BITS`` (three index reads)."""
    return all((largest or 0) < 1 << ID_BITS
               for largest in raw.execute(conn, _LARGEST_IDS).fetchone())


def _id_pair(first: str, second: str, narrow: bool) -> str:
    """Two id columns, as one integer ``first * 2**ID_BITS + second`` when ids are narrow."""
    return f"{first} * {1 << ID_BITS} + {second}" if narrow else f"{first}, {second}"


def _statements(dialect: str, narrow: bool = False) -> dict[str, Statement]:
    at = _epoch("an.created_at", dialect)
    return {
        "annotators": Statement(
            "SELECT u.id, u.name, u.kind, COALESCE(pr.pay_rate_per_hour, 0), "
            "pr.demographics_consented_at IS NOT NULL, pr.demographics "
            "FROM users u LEFT JOIN profiles pr ON pr.user_id = u.id "
            "WHERE u.id IN (SELECT DISTINCT annotator_id FROM annotations "
            "WHERE project_id = :project_id) ORDER BY u.id"
        ),
        "tasks": Statement(
            "SELECT t.id, p.category, t.status, t.is_gold, t.overlap, t.submitted "
            "FROM tasks t JOIN prompts p ON p.id = t.prompt_id "
            f"WHERE {_in_project('t.project_id', dialect)} ORDER BY t.id"
        ),
        "responses": Statement(
            "SELECT r.id, LENGTH(r.content), COALESCE(r.model, ''), r.external_id, "
            # the flag the importer stored; the opening only where it is not known
            "CASE WHEN r.opens_with_refusal IS NULL THEN -1 "
            "WHEN r.opens_with_refusal THEN 1 ELSE 0 END, "
            "CASE WHEN r.opens_with_refusal IS NULL THEN "
            f"LOWER(SUBSTR(r.content, 1, {REFUSAL_HEAD})) END FROM responses r "
            f"JOIN prompts p ON p.id = r.prompt_id WHERE {_in_project('p.project_id', dialect)} "
            "ORDER BY r.id"
        ),
        "annotations": Statement(
            f"SELECT an.id, {_id_pair('an.task_id', 'an.annotator_id', narrow)}, {at}, "
            "an.active_ms, "
            "COALESCE(an.guideline_version_id, 0), an.preference, "
            # packed: severity (any), then flags (4 bits), refusal + 1 (2 bits), late (1 bit)
            "CAST(COALESCE(an.severity, -1) AS BIGINT) * 256 "
            f"+ ({_flag_bits_sql(dialect)}) * 8 "
            "+ (CASE WHEN an.refusal_appropriate IS NULL THEN 0 "
            "WHEN an.refusal_appropriate THEN 2 ELSE 1 END) * 2 "
            "+ (CASE WHEN an.late THEN 1 ELSE 0 END) "
            f"FROM annotations an WHERE {_in_project('an.project_id', dialect)} ORDER BY an.id"
        ),
        "ratings": Statement(
            "SELECT an.id, an.task_id, an.ratings FROM annotations an "
            f"WHERE {_in_project('an.project_id', dialect)} AND an.ratings IS NOT NULL "
            "ORDER BY an.id"
        ),
        # an outcome's task and annotator are its annotation's: not read twice
        "outcomes": Statement(
            "SELECT po.annotation_id, "
            f"{_id_pair('po.winner_id', 'po.loser_id', narrow)}, "
            # packed: strength (any), loser and winner positions (16 bits each), tie (1 bit)
            "((CAST(COALESCE(po.strength, 0) AS BIGINT) * 65536 + po.loser_position) * 65536 "
            "+ po.winner_position) * 2 + (CASE WHEN po.tie THEN 1 ELSE 0 END) "
            f"FROM pairwise_outcomes po WHERE {_in_project('po.project_id', dialect)} "
            "ORDER BY po.id"
        ),
    }


def _columns(*names: str, floats: tuple[str, ...] = ()) -> np.dtype:
    """A record type with one int64 field per name (float64 for those in ``floats``)."""
    return np.dtype([(name, np.float64 if name in floats else np.int64) for name in names])


# Values travel packed: every column of every row costs the driver a Python object, and a
# small column costs as much as a large one, so two ids below 2**ID_BITS share one integer
# and the small values of a row share another. Display positions are indices into the order
# shown (0 … K-1), so 16 bits hold them; severity and strength take the high bits and keep
# their sign.


def _annotation_row(narrow: bool) -> np.dtype:
    return _columns("id", *_pair_fields("task", "annotator", narrow), "created_at",
                    "active_ms", "guideline", "preference", "packed",
                    floats=("created_at", "preference"))


def _outcome_row(narrow: bool) -> np.dtype:
    return _columns("annotation", *_pair_fields("winner", "loser", narrow), "packed")


def _pair_fields(first: str, second: str, narrow: bool) -> tuple[str, ...]:
    return (f"{first}_{second}",) if narrow else (first, second)


def _unpair(table: NDArray[np.void], first: str, second: str,
            narrow: bool) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The two id columns of a record array, packed by ``_id_pair`` or not."""
    if not narrow:
        return table[first], table[second]
    both = table[f"{first}_{second}"]
    return both >> ID_BITS, both & ((1 << ID_BITS) - 1)


def _chunks(conn: Connection, statement: Statement, params: dict) -> Iterator[list[tuple]]:
    cursor = raw.execute(conn, statement, params)
    try:
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()


def _records(conn: Connection, statement: Statement, params: dict,
             dtype: np.dtype) -> NDArray[np.void]:
    """All rows of ``statement`` as one structured array; NULL in a float field is NaN."""
    parts = [np.fromiter(chunk, dtype=dtype, count=len(chunk))
             for chunk in _chunks(conn, statement, params)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)


def _dense(ids: NDArray[np.int64], values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of ``values`` in the sorted id array ``ids`` (``np.searchsorted``).

    Ids of rows inserted together are usually consecutive; then a position is a subtraction,
    clipped to where ``searchsorted`` puts values outside the range, which is ten times
    faster than a binary search of a million values.
    """
    values = np.asarray(values, dtype=np.int64)
    if len(ids) and int(ids[-1]) - int(ids[0]) == len(ids) - 1:
        return np.clip(values - ids[0], 0, len(ids))
    return np.searchsorted(ids, values).astype(np.int64)


def _codes(labels: list[str]) -> tuple[NDArray[np.int64], list[str]]:
    """Each label's index in the sorted distinct labels (``np.unique``'s order), by a dict
    pass instead of sorting every label."""
    seen: dict[str, int] = {}
    first_seen = np.fromiter((seen.setdefault(label, len(seen)) for label in labels),
                             dtype=np.int64, count=len(labels))
    names = sorted(seen)
    rank = np.empty(len(names), dtype=np.int64)
    rank[[seen[name] for name in names]] = np.arange(len(names))
    return rank[first_seen], names


def _transposed(conn, statement: Statement, params: dict, width: int) -> list[list]:
    """The statement's rows as ``width`` columns of Python values."""
    columns: list[list] = [[] for _ in range(width)]
    for chunk in _chunks(conn, statement, params):
        for column, values in zip(columns, zip(*chunk, strict=True), strict=True):
            column.extend(values)
    return columns


def _load_annotators(conn, statements, params) -> Annotators:
    rows = [r for chunk in _chunks(conn, statements["annotators"], params) for r in chunk]
    return Annotators(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        names=[r[1] for r in rows],
        kinds=[r[2] for r in rows],
        pay_rate_per_hour=np.array([r[3] for r in rows], dtype=np.float64),
        consented=np.array([bool(r[4]) for r in rows], dtype=bool),
        demographics=[(raw.read_json(r[5]) or {}) if r[4] else {} for r in rows],
    )


def _load_tasks(conn, statements, params) -> Tasks:
    ids, categories, statuses, gold, overlap, submitted = _transposed(
        conn, statements["tasks"], params, 6)
    codes, names = _codes(categories)
    return Tasks(np.array(ids, np.int64), codes, names, statuses,
                 np.array([bool(g) for g in gold], bool), np.array(overlap, np.int64),
                 np.array(submitted, np.int64))


def _load_responses(conn, statements, params) -> Responses:
    ids, lengths, models, external, refusal = [], [], [], [], []
    for chunk in _chunks(conn, statements["responses"], params):
        chunk_ids, chunk_lengths, chunk_models, chunk_external, stored, heads = zip(
            *chunk, strict=True)
        ids.extend(chunk_ids)
        lengths.extend(length or 0 for length in chunk_lengths)
        models.extend(chunk_models)
        external.extend(chunk_external)
        refusal.append(refusal_flags(np.array(stored, dtype=np.int8), heads))
    codes, names = _codes(models)
    return Responses(np.array(ids, np.int64), np.array(lengths, np.int64), codes, names,
                     external, np.concatenate(refusal) if refusal else np.zeros(0, bool))


class _RatingsBuilder:
    """Collects ratings as they stream past, coding responses and dimensions as integers."""

    def __init__(self) -> None:
        self.row: list[int] = []
        self.key: list[int] = []
        self.dimension: list[int] = []
        self.value: list[float] = []
        self.keys: dict[tuple[int, str], int] = {}
        self.dimensions: dict[str, int] = {}

    def add(self, rows: list[int], tasks: list[int], documents: list) -> None:
        """Ratings documents (JSON) of annotation ``rows`` on ``tasks``, in row order."""
        keys, dimensions = self.keys, self.dimensions
        add_row, add_key = self.row.append, self.key.append
        add_dimension, add_value = self.dimension.append, self.value.append
        for row, task, document in zip(rows, tasks, documents, strict=True):
            for response, by_dimension in (raw.read_json(document) or {}).items():
                key = keys.get((task, response))
                if key is None:
                    key = keys[(task, response)] = len(keys)
                for name, value in by_dimension.items():
                    dimension = dimensions.get(name)
                    if dimension is None:
                        dimension = dimensions[name] = len(dimensions)
                    add_row(row)
                    add_key(key)
                    add_dimension(dimension)
                    add_value(float(value))

    def build(self) -> Ratings:
        return Ratings(np.array(self.row, np.int64), np.array(self.key, np.int64),
                       np.array(self.dimension, np.int64), list(self.dimensions),
                       np.array(self.value, np.float64))


def _load_ratings(conn, statements, params, tasks, annotation_ids) -> Ratings:
    """Ratings of the annotations that have any (most store NULL), in annotation order."""
    ratings = _RatingsBuilder()
    for chunk in _chunks(conn, statements["ratings"], params):
        ids, task_ids, documents = zip(*chunk, strict=True)
        ratings.add(_dense(annotation_ids, np.array(ids, np.int64)).tolist(),
                    _dense(tasks.ids, np.array(task_ids, np.int64)).tolist(), list(documents))
    return ratings.build()


def _load_annotations(conn, statements, params, tasks, annotators, narrow) -> Annotations:
    table = _records(conn, statements["annotations"], params, _annotation_row(narrow))
    ids, packed = table["id"].copy(), table["packed"]
    task, annotator = _unpair(table, "task", "annotator", narrow)
    return Annotations(
        ids=ids,
        task=_dense(tasks.ids, task),
        annotator=_dense(annotators.ids, annotator),
        created_at=table["created_at"].copy(),
        active_ms=table["active_ms"].copy(),
        guideline_version_id=table["guideline"].copy(),
        late=(packed & 1).astype(bool),
        refusal_appropriate=(((packed >> 1) & 3) - 1).astype(np.int8),
        severity=(packed >> 8).astype(np.int8),
        flags=((packed >> 3) & 15).astype(np.uint8),
        ratings=_load_ratings(conn, statements, params, tasks, ids),
        preference=table["preference"].copy(),
    )


def _load_outcomes(conn, statements, params, responses, annotations: Annotations,
                   narrow) -> Outcomes:
    table = _records(conn, statements["outcomes"], params, _outcome_row(narrow))
    packed = table["packed"]
    row = _dense(annotations.ids, table["annotation"])
    winner_id, loser_id = _unpair(table, "winner", "loser", narrow)
    winner = _dense(responses.ids, winner_id)
    loser = _dense(responses.ids, loser_id)
    tie = (packed & 1).astype(bool)
    first, second = np.minimum(winner, loser), np.maximum(winner, loser)
    outcome = np.where(tie, OUTCOME_TIE, np.where(winner == first, OUTCOME_FIRST, OUTCOME_SECOND))
    return Outcomes(
        annotation=row,
        task=annotations.task[row],
        annotator=annotations.annotator[row],
        first=first,
        second=second,
        outcome=outcome.astype(np.int8),
        winner_position=(packed >> 1) & 0xFFFF,
        loser_position=(packed >> 17) & 0xFFFF,
        strength=packed >> 33,
    )


def load(conn: Connection, project: Project) -> ProjectArrays:
    """Everything the report needs about ``project``, as arrays (one consistent read)."""
    narrow = _narrow_ids(conn)
    statements = _statements(conn.dialect.name, narrow)
    params = {"project_id": project.id}
    annotators = _load_annotators(conn, statements, params)
    tasks = _load_tasks(conn, statements, params)
    responses = _load_responses(conn, statements, params)
    annotations = _load_annotations(conn, statements, params, tasks, annotators, narrow)
    outcomes = _load_outcomes(conn, statements, params, responses, annotations, narrow)
    return ProjectArrays(annotators, tasks, responses, annotations, outcomes)
