"""Writing the consensus back: ``task_consensus`` rows, and which tasks need adjudication.

Only tasks that reached their overlap (status ``complete`` or ``needs_adjudication``) get a
consensus; ``escalated`` and ``resolved`` tasks are left as they are (a safety specialist or a
reviewer has them). A task moves to ``needs_adjudication`` when its agreement is below the
project's threshold, and back to ``complete`` when new judgments lift it above.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection, bindparam, delete, insert, update

from accord.core.quality_inputs import ProjectArrays
from accord.core.report.consensus import SETTLED_STATUSES, Consensus
from accord.db.tables import task_consensus, tasks

METHOD = "bradley_terry_weighted"

_SET_STATUS = (
    update(tasks)
    .where(tasks.c.id == bindparam("b_task"), tasks.c.status == bindparam("b_expected"))
    .values(status=bindparam("b_status"))
)


def _number(value) -> float | None:
    return None if value is None or np.isnan(value) else float(value)


def store(conn: Connection, arrays: ProjectArrays, consensus: Consensus, threshold: float,
          now: datetime) -> dict[str, int]:
    rankings = consensus.rankings
    external = arrays.responses.external_ids
    rows, moves = [], []
    if rankings is not None:
        for index, task in enumerate(rankings.task.tolist()):
            status = arrays.tasks.status[task]
            if status not in SETTLED_STATUSES:
                continue
            agreement = consensus.task_agreement[task]
            ranking = [[external[r] for r in group] for group in rankings.ranking(index)]
            rows.append({
                "task_id": int(arrays.tasks.ids[task]), "method": METHOD, "ranking": ranking,
                "margin": _number(rankings.margin[index]), "agreement": _number(agreement),
                "confidence": _number(rankings.confidence[index]), "computed_at": now,
            })
            wanted = "needs_adjudication" if agreement < threshold else "complete"
            if wanted != status:
                moves.append({"b_task": int(arrays.tasks.ids[task]), "b_expected": status,
                              "b_status": wanted})
    ids = [row["task_id"] for row in rows]
    for start in range(0, len(ids), 10_000):
        conn.execute(delete(task_consensus).where(
            task_consensus.c.task_id.in_(ids[start:start + 10_000])))
    if rows:
        conn.execute(insert(task_consensus), rows)
    if moves:
        conn.execute(_SET_STATUS, moves)
    return {"stored": len(rows),
            "to_adjudication": sum(m["b_status"] == "needs_adjudication" for m in moves),
            "back_to_complete": sum(m["b_status"] == "complete" for m in moves)}
