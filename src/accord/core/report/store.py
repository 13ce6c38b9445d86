"""Writing the consensus back: ``task_consensus`` rows, and which tasks need adjudication.

Only tasks that reached their overlap (status ``complete`` or ``needs_adjudication``) get a
consensus; ``escalated`` and ``resolved`` tasks are left as they are (a safety specialist or a
reviewer has them). A task moves to ``needs_adjudication`` when its agreement is below the
project's threshold, and back to ``complete`` when new judgments lift it above.

A report over a large project stores a row for every settled task (200,000 for a million
annotations), so the rows are built from the arrays with one pass of plain Python values and
written on the driver connection (``db/raw.py``) as one upsert per row: replacing a task's
previous consensus and adding a new one are the same statement, which spares a delete per
task, and the driver's ``executemany`` costs a few microseconds a row where SQLAlchemy's
costs about fifteen. Values are stored as the SQLAlchemy types store them.
"""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from accord.core.report.arrays import ProjectArrays
from accord.core.report.consensus import Consensus
from accord.core.work.splits import UPSERT_CONSENSUS
from accord.db import raw
from accord.db.raw import Statement
from accord.quality.ranking import TaskRankings
from accord.wire.report.consensus import StoredConsensus

METHOD = "bradley_terry_weighted"

_SET_STATUS = Statement(
    "UPDATE tasks SET status = :status WHERE id = :task_id AND status = :expected"
)


def _numbers(values: np.ndarray) -> list[float | None]:
    """Floats as the database gets them: NaN becomes NULL."""
    return [None if math.isnan(v) else v for v in values.astype(np.float64).tolist()]


def _ranking_texts(rankings: TaskRankings, indices: list[int],
                   external: list[str]) -> list[str | None]:
    """Each task's ranking as JSON text of tie groups of response external ids, best first.

    Tasks of one kind share a handful of rankings (``[["a"], ["b"]]`` …), so the text of each
    distinct (responses, groups) layout is encoded once.
    """
    response = [external[r] for r in rankings.response.tolist()]
    group = rankings.group.tolist()
    offsets = rankings.offsets.tolist()
    encoded: dict[tuple, str | None] = {}
    texts: list[str | None] = []
    for index in indices:
        start, stop = offsets[index], offsets[index + 1]
        layout = (*response[start:stop], *group[start:stop])
        text = encoded.get(layout)
        if text is None:
            groups: list[list[str]] = [[] for _ in range(group[stop - 1] + 1)]
            for position in range(start, stop):
                groups[group[position]].append(response[position])
            text = encoded[layout] = raw.json_param(groups)
        texts.append(text)
    return texts


def store(conn: Connection, arrays: ProjectArrays, consensus: Consensus, threshold: float,
          now: datetime) -> StoredConsensus:
    """Write each settled task's consensus and move the tasks whose agreement crossed the
    threshold; returns what changed."""
    rankings = consensus.rankings
    if rankings is None or len(rankings) == 0:
        return StoredConsensus(stored=0, to_adjudication=0, back_to_complete=0)
    status = np.array(arrays.tasks.status, dtype=object)[rankings.task]
    indices = np.flatnonzero(consensus.settled[rankings.task])
    task = rankings.task[indices]
    agreement = consensus.task_agreement[task]
    task_ids = arrays.tasks.ids[task].tolist()
    computed_at = raw.time_param(conn, now)
    rows = [
        {"task_id": task_id, "method": METHOD, "ranking": ranking, "margin": margin,
         "agreement": agreed, "confidence": confidence, "computed_at": computed_at}
        for task_id, ranking, margin, agreed, confidence in zip(
            task_ids, _ranking_texts(rankings, indices.tolist(), arrays.responses.external_ids),
            _numbers(rankings.margin[indices]), _numbers(agreement),
            _numbers(rankings.confidence[indices]), strict=True)
    ]
    wanted = np.where(agreement < threshold, "needs_adjudication", "complete").astype(object)
    moving = np.flatnonzero(wanted != status[indices])
    moves = [{"task_id": task_ids[i], "expected": status[indices[i]], "status": wanted[i]}
             for i in moving.tolist()]
    if rows:
        raw.execute_many(conn, UPSERT_CONSENSUS, rows)
    if moves:
        raw.execute_many(conn, _SET_STATUS, moves)
    return StoredConsensus(
        stored=len(rows),
        to_adjudication=sum(m["status"] == "needs_adjudication" for m in moves),
        back_to_complete=sum(m["status"] == "complete" for m in moves))
