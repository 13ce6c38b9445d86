"""Where an exported pair's label came from: its annotators' kinds, the guideline version
and any adjudication, read cheaply enough for the preference export's hot path.

Annotator kinds come from the outcome rows' annotator ids (through a small map of users), not
from a join over every annotation; guideline versions are read only when the project has any,
since that read touches every annotation row of the project.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Select, func, select

from accord.db.tables import adjudications, annotations, guideline_versions, tasks, users

KINDS = ("ai", "human", "imported")  # annotator kinds, by their code


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

    def rows(self, block: NDArray[np.int64], versions: dict[int, int | None]
             ) -> dict[int, tuple[str, int | None]]:
        """Task id → ``(source, guideline version)`` for the tasks of ``block``.

        ``source``: ``adjudicated`` when a reviewer adjudicated the task, else the kind all
        its annotators share, or ``mixed``. ``block`` is sorted by task: the kinds' range per
        task is two ``reduceat`` calls.
        """
        codes = self._lookup(block[:, 5])
        task_ids = block[:, 0]
        starts = np.flatnonzero(np.r_[True, task_ids[1:] != task_ids[:-1]])
        lows = np.minimum.reduceat(codes, starts).tolist()
        highs = np.maximum.reduceat(codes, starts).tolist()
        adjudicated = self.adjudicated
        return {
            task_id: ("adjudicated" if task_id in adjudicated
                      else KINDS[low] if low == high else "mixed", versions.get(task_id))
            for task_id, low, high in zip(task_ids[starts].tolist(), lows, highs, strict=True)
        }

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
