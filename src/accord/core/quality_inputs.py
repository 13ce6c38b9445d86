"""The arrays the quality engine works on, read from a project in the database.

``quality`` is pure (arrays in, results out); this module is the only place that knows how
those arrays come out of the tables. Rows are fetched on the driver connection in chunks and
turned into NumPy arrays of integers and floats, so a project of a million annotations loads
in about a second and in a few hundred megabytes, never as Python objects per row.

Database ids are mapped to dense indices (``0..n-1``) for annotators, tasks, responses,
categories and models; the ``*_ids`` and ``*_names`` arrays map them back.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection

from accord.core.projects import Project
from accord.db import raw
from accord.db.raw import Statement

CHUNK = 100_000
OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE = 0, 1, 2
FLAGS = ("unsafe", "both_bad", "contested_fact", "outside_expertise")


def _epoch(column: str, dialect: str) -> str:
    """SQL for a stored UTC time as seconds since the epoch (a float)."""
    if dialect == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})"
    return f"(julianday({column}) - 2440587.5) * 86400.0"


def _statements(dialect: str) -> dict[str, Statement]:
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
            "WHERE t.project_id = :project_id ORDER BY t.id"
        ),
        "responses": Statement(
            f"SELECT r.id, LENGTH(r.content), COALESCE(r.model, ''), r.external_id, "
            f"CASE WHEN {_refusal_sql()} THEN 1 ELSE 0 END FROM responses r "
            "JOIN prompts p ON p.id = r.prompt_id WHERE p.project_id = :project_id ORDER BY r.id"
        ),
        "annotations": Statement(
            f"SELECT an.id, an.task_id, an.annotator_id, {at}, an.active_ms, "
            "COALESCE(an.guideline_version_id, 0), an.late, "
            "CASE WHEN an.refusal_appropriate IS NULL THEN -1 "
            "WHEN an.refusal_appropriate THEN 1 ELSE 0 END, COALESCE(an.severity, -1), "
            "an.preference, an.flags, an.ratings "
            "FROM annotations an WHERE an.project_id = :project_id ORDER BY an.id"
        ),
        "outcomes": Statement(
            "SELECT po.annotation_id, po.task_id, po.annotator_id, po.winner_id, po.loser_id, "
            "po.tie, po.winner_position, po.loser_position, COALESCE(po.strength, 0) "
            "FROM pairwise_outcomes po WHERE po.project_id = :project_id ORDER BY po.id"
        ),
    }


# Openings of a refusal, matched on the first 300 characters of a response, lower-cased.
# A heuristic, used only by the over-refusal monitor, which reports it as such.
REFUSAL_OPENINGS = (
    "i can't help", "i cannot help", "i can't assist", "i cannot assist", "i won't",
    "i'm sorry, but i can", "i am sorry, but i can", "i'm not able to", "i am not able to",
    "i cannot provide", "i can't provide", "as an ai",
)


def _refusal_sql() -> str:
    head = "LOWER(SUBSTR(r.content, 1, 300))"
    return " OR ".join(
        f"{head} LIKE '%{opening.replace(chr(39), chr(39) * 2)}%'" for opening in REFUSAL_OPENINGS
    )


def _chunks(conn: Connection, statement: Statement, params: dict) -> Iterator[list[tuple]]:
    cursor = raw.execute(conn, statement, params)
    try:
        while rows := cursor.fetchmany(CHUNK):
            yield rows
    finally:
        cursor.close()


@dataclass(frozen=True)
class Annotators:
    ids: NDArray[np.int64]
    names: list[str]
    kinds: list[str]
    pay_rate_per_hour: NDArray[np.float64]
    consented: NDArray[np.bool_]
    demographics: list[dict]
    """Self-reported attributes; empty for people who did not consent."""


@dataclass(frozen=True)
class Tasks:
    ids: NDArray[np.int64]
    category: NDArray[np.int64]
    category_names: list[str]
    status: list[str]
    is_gold: NDArray[np.bool_]
    overlap: NDArray[np.int64]
    submitted: NDArray[np.int64]


@dataclass(frozen=True)
class Responses:
    ids: NDArray[np.int64]
    length: NDArray[np.int64]
    model: NDArray[np.int64]
    model_names: list[str]
    external_ids: list[str]
    is_refusal: NDArray[np.bool_]
    """Whether the response opens like a refusal (``REFUSAL_OPENINGS``)."""


@dataclass(frozen=True)
class Annotations:
    """One entry per annotation; ``task`` and ``annotator`` are dense indices."""

    ids: NDArray[np.int64]
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    created_at: NDArray[np.float64]
    active_ms: NDArray[np.int64]
    guideline_version_id: NDArray[np.int64]
    late: NDArray[np.bool_]
    refusal_appropriate: NDArray[np.int8]
    """1 judged right, 0 judged wrong, -1 not asked."""
    severity: NDArray[np.int8]
    """Red-team severity 0 to 4, -1 when not given."""
    flags: NDArray[np.uint8]
    """Bit ``i`` set when flag ``FLAGS[i]`` was raised."""
    ratings: Ratings
    preference: NDArray[np.float64] | None = None
    """Soft preference: P(the first-ranked response is better); NaN for a plain ranking.
    ``None`` when the arrays were built without it (as if all NaN)."""


@dataclass(frozen=True)
class Ratings:
    """One entry per rating: annotation ``row`` rated ``response`` on ``dimension``."""

    row: NDArray[np.int64]
    response_key: NDArray[np.int64]
    """Code of (task, response external id); names in ``response_keys``."""
    dimension: NDArray[np.int64]
    dimension_names: list[str]
    value: NDArray[np.float64]


@dataclass(frozen=True)
class Outcomes:
    """One entry per pairwise outcome: the pair as (first, second) with first < second."""

    annotation: NDArray[np.int64]
    task: NDArray[np.int64]
    annotator: NDArray[np.int64]
    first: NDArray[np.int64]
    """Dense response index of the pair's lower response id."""
    second: NDArray[np.int64]
    outcome: NDArray[np.int8]
    """OUTCOME_FIRST, OUTCOME_SECOND or OUTCOME_TIE."""
    winner_position: NDArray[np.int64]
    loser_position: NDArray[np.int64]
    strength: NDArray[np.int64]


@dataclass(frozen=True)
class ProjectArrays:
    annotators: Annotators
    tasks: Tasks
    responses: Responses
    annotations: Annotations
    outcomes: Outcomes


def _dense(ids: NDArray[np.int64], values: NDArray[np.int64]) -> NDArray[np.int64]:
    """Positions of ``values`` in the sorted id array ``ids``."""
    return np.searchsorted(ids, values).astype(np.int64)


def _codes(labels: list[str]) -> tuple[NDArray[np.int64], list[str]]:
    names, codes = np.unique(np.array(labels, dtype=object).astype(str), return_inverse=True)
    return codes.astype(np.int64), [str(n) for n in names]


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
    ids, categories, statuses, gold, overlap, submitted = [], [], [], [], [], []
    for chunk in _chunks(conn, statements["tasks"], params):
        for row in chunk:
            ids.append(row[0])
            categories.append(row[1])
            statuses.append(row[2])
            gold.append(bool(row[3]))
            overlap.append(row[4])
            submitted.append(row[5])
    codes, names = _codes(categories) if categories else (np.zeros(0, np.int64), [])
    return Tasks(np.array(ids, np.int64), codes, names, statuses, np.array(gold, bool),
                 np.array(overlap, np.int64), np.array(submitted, np.int64))


def _load_responses(conn, statements, params) -> Responses:
    ids, lengths, models, external, refusal = [], [], [], [], []
    for chunk in _chunks(conn, statements["responses"], params):
        for row in chunk:
            ids.append(row[0])
            lengths.append(row[1] or 0)
            models.append(row[2])
            external.append(row[3])
            refusal.append(bool(row[4]))
    codes, names = _codes(models) if models else (np.zeros(0, np.int64), [])
    return Responses(np.array(ids, np.int64), np.array(lengths, np.int64), codes, names,
                     external, np.array(refusal, dtype=bool))


def _flag_bits(value) -> int:
    flags = raw.read_json(value) or []
    return sum(1 << FLAGS.index(f) for f in flags if f in FLAGS)


class _RatingsBuilder:
    """Collects ratings as they stream past, coding responses and dimensions as integers."""

    def __init__(self) -> None:
        self.row: list[int] = []
        self.key: list[int] = []
        self.dimension: list[int] = []
        self.value: list[float] = []
        self.keys: dict[tuple[int, str], int] = {}
        self.dimensions: dict[str, int] = {}

    def add(self, row: int, task: int, ratings: dict | None) -> None:
        for response, by_dimension in (ratings or {}).items():
            key = self.keys.setdefault((task, response), len(self.keys))
            for name, value in by_dimension.items():
                self.row.append(row)
                self.key.append(key)
                self.dimension.append(self.dimensions.setdefault(name, len(self.dimensions)))
                self.value.append(float(value))

    def build(self) -> Ratings:
        return Ratings(np.array(self.row, np.int64), np.array(self.key, np.int64),
                       np.array(self.dimension, np.int64), list(self.dimensions),
                       np.array(self.value, np.float64))


def _load_annotations(conn, statements, params, tasks, annotators) -> Annotations:
    parts, flags, ratings, row = [], [], _RatingsBuilder(), 0
    for chunk in _chunks(conn, statements["annotations"], params):
        numbers = np.array([r[:10] for r in chunk], dtype=np.float64).reshape(-1, 10)
        parts.append(numbers)
        flags.extend(_flag_bits(r[10]) for r in chunk)
        task_index = _dense(tasks.ids, numbers[:, 1].astype(np.int64))
        for offset, record in enumerate(chunk):
            if record[11] is not None:
                ratings.add(row + offset, int(task_index[offset]), raw.read_json(record[11]))
        row += len(chunk)
    table = np.concatenate(parts) if parts else np.zeros((0, 10))
    return Annotations(
        ids=table[:, 0].astype(np.int64),
        task=_dense(tasks.ids, table[:, 1].astype(np.int64)),
        annotator=_dense(annotators.ids, table[:, 2].astype(np.int64)),
        created_at=table[:, 3],
        active_ms=table[:, 4].astype(np.int64),
        guideline_version_id=table[:, 5].astype(np.int64),
        late=table[:, 6].astype(bool),
        refusal_appropriate=table[:, 7].astype(np.int8),
        severity=table[:, 8].astype(np.int8),
        flags=np.array(flags, dtype=np.uint8),
        ratings=ratings.build(),
        preference=table[:, 9],  # NULL arrived as None, which NumPy reads as NaN
    )


def _load_outcomes(conn, statements, params, tasks, responses, annotators) -> Outcomes:
    parts = [np.array(chunk, dtype=np.int64).reshape(-1, 9)
             for chunk in _chunks(conn, statements["outcomes"], params)]
    table = np.concatenate(parts) if parts else np.zeros((0, 9), np.int64)
    winner = _dense(responses.ids, table[:, 3])
    loser = _dense(responses.ids, table[:, 4])
    tie = table[:, 5].astype(bool)
    first, second = np.minimum(winner, loser), np.maximum(winner, loser)
    outcome = np.where(tie, OUTCOME_TIE, np.where(winner == first, OUTCOME_FIRST, OUTCOME_SECOND))
    return Outcomes(
        annotation=table[:, 0],
        task=_dense(tasks.ids, table[:, 1]),
        annotator=_dense(annotators.ids, table[:, 2]),
        first=first,
        second=second,
        outcome=outcome.astype(np.int8),
        winner_position=table[:, 6],
        loser_position=table[:, 7],
        strength=table[:, 8],
    )


def load(conn: Connection, project: Project) -> ProjectArrays:
    """Everything the report needs about ``project``, as arrays (one consistent read)."""
    statements = _statements(conn.dialect.name)
    params = {"project_id": project.id}
    annotators = _load_annotators(conn, statements, params)
    tasks = _load_tasks(conn, statements, params)
    responses = _load_responses(conn, statements, params)
    annotations = _load_annotations(conn, statements, params, tasks, annotators)
    outcomes = _load_outcomes(conn, statements, params, tasks, responses, annotators)
    return ProjectArrays(annotators, tasks, responses, annotations, outcomes)
