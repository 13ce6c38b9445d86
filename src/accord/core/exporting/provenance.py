"""Where an exported pair's label came from: its annotators' kinds, the guideline version,
any adjudication or AI-judge settlement, read cheaply enough for the export's hot path.

Annotator kinds come from the outcome rows' annotator ids (through a small map of users), not
from a join over every annotation; guideline versions are read only when the project has any,
since that read touches every annotation row of the project.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Select, func, select

from accord.core.exporting.label_source import label_source
from accord.db.tables import adjudications, annotations, guideline_versions, tasks, users

KINDS = ("ai", "human", "imported")  # annotator kinds, by their code
_AI_BIT = 1 << KINDS.index("ai")
# The label source of a task by the set of its annotators' kinds, as bits 1 << code.
_SOURCE_OF_KINDS = [
    label_source([kind for code, kind in enumerate(KINDS) if bits >> code & 1], None) or "ai"
    for bits in range(1 << len(KINDS))
]


def task_versions_query(project_id: int) -> Select:
    """Per task with annotations: the id of its newest guideline version (by id: versions are
    made in order), in task order."""
    return (
        select(annotations.c.task_id, func.max(annotations.c.guideline_version_id))
        .where(annotations.c.project_id == project_id)
        .group_by(annotations.c.task_id)
        .order_by(annotations.c.task_id)
    )


@dataclass(frozen=True)
class Provenance:
    """What ``source`` and ``guideline_version`` need, read once per export.

    Annotator kinds come from the outcome rows' annotator ids (a small map of users), not
    from a join over every annotation; guideline versions are read only when the project has
    published any, since that read touches every annotation row.
    """

    kind_codes: dict[int, int]
    versions: dict[int, int]
    """Guideline version id → its number (empty: the project has none)."""
    adjudicated: frozenset[int]

    @classmethod
    def load(cls, conn: Connection, project_id: int) -> Provenance:
        codes = {kind: code for code, kind in enumerate(KINDS)}
        kind_codes = {row[0]: codes[row[1]] for row in conn.execute(
            select(users.c.id, users.c.kind).where(users.c.id.in_(
                select(annotations.c.annotator_id).where(annotations.c.project_id == project_id)
                .distinct())))}
        versions = dict(conn.execute(
            select(guideline_versions.c.id, guideline_versions.c.version)
            .where(guideline_versions.c.project_id == project_id)).all())
        adjudicated = frozenset(conn.execute(
            select(adjudications.c.task_id).join(tasks, tasks.c.id == adjudications.c.task_id)
            .where(tasks.c.project_id == project_id)).scalars())
        return cls(kind_codes, versions, adjudicated)

    def split(self, block: NDArray[np.int64], versions: dict[int, int | None],
              ai_judged: Collection[int] = ()
              ) -> tuple[NDArray[np.int64], dict[int, tuple[str, int | None]]]:
        """The outcome rows that make each task's label, and task id → ``(source, guideline
        version)`` for the tasks of ``block`` (sorted by task).

        The source follows :func:`accord.core.exporting.label_source.label_source`:
        ``ai_judge`` for a task the project's judge settled (``ai_judged``), ``adjudicated``
        for one a reviewer decided, else by the kinds of its annotators. AI judges' rows are
        dropped from every task that people judged too: their verdicts sit beside a human
        label (for the judge audit) and are never counted in it. Kinds per task are one
        bitwise-or ``reduceat``.
        """
        codes = self._lookup(block[:, 5])
        task_ids = block[:, 0]
        starts = np.flatnonzero(np.r_[True, task_ids[1:] != task_ids[:-1]])
        kinds = np.bitwise_or.reduceat(np.left_shift(1, codes.astype(np.int64)), starts)
        people = (kinds & ~_AI_BIT) != 0
        lengths = np.diff(np.r_[starts, len(block)])
        kept = block[(codes != KINDS.index("ai")) | ~np.repeat(people, lengths)]
        adjudicated, judged = self.adjudicated, set(ai_judged)
        sources = {
            task_id: ("ai_judge" if task_id in judged else "adjudicated" if task_id in adjudicated
                      else _SOURCE_OF_KINDS[bits], versions.get(task_id))
            for task_id, bits in zip(task_ids[starts].tolist(), kinds.tolist(), strict=True)
        }
        return kept, sources

    def _lookup(self, annotators: NDArray[np.int64]) -> NDArray[np.int8]:
        """Each annotator's kind code (``human`` for one not found)."""
        human = KINDS.index("human")
        if not self.kind_codes:
            return np.full(len(annotators), human, dtype=np.int8)
        ids = np.fromiter(self.kind_codes, np.int64, len(self.kind_codes))
        table = np.full(max(int(ids.max()), int(annotators.max(initial=0))) + 1, human,
                        dtype=np.int8)
        table[ids] = np.fromiter(self.kind_codes.values(), np.int8, len(ids))
        return table[annotators]
