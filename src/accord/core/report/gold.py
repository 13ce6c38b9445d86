"""Gold (calibration) tasks: their reference rankings as pair outcomes, and accuracy on them."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from accord.core.judgments import pairs_from_ranking
from accord.core.quality_inputs import OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE, ProjectArrays
from accord.core.report.pairs import PairItems
from accord.db.tables import responses, task_responses, tasks
from accord.quality.reliability import gold_accuracy


def _reference_outcomes(conn: Connection, arrays: ProjectArrays, project_id: int):
    rows = conn.execute(
        select(tasks.c.id, tasks.c.gold_answer, responses.c.external_id, responses.c.id)
        .join(task_responses, task_responses.c.task_id == tasks.c.id)
        .join(responses, responses.c.id == task_responses.c.response_id)
        .where(tasks.c.project_id == project_id, tasks.c.is_gold.is_(True))
    ).all()
    answers: dict[int, list] = {}
    ids: dict[tuple[int, str], int] = {}
    for task_id, answer, external, response_id in rows:
        answers[task_id] = (answer or {}).get("ranking") or []
        ids[(task_id, external)] = response_id
    for task_id, ranking in answers.items():
        for pair in pairs_from_ranking(ranking):
            a, b = ids[(task_id, pair.winner)], ids[(task_id, pair.loser)]
            first, second = min(a, b), max(a, b)
            outcome = OUTCOME_TIE if pair.tie else (OUTCOME_FIRST if a == first else OUTCOME_SECOND)
            yield task_id, first, second, outcome


def accuracy(conn: Connection, arrays: ProjectArrays, pairs: PairItems,
             project_id: int) -> tuple[NDArray, NDArray] | None:
    """(answered, accuracy) per annotator on gold pairs, or None when there is no gold."""
    if not arrays.tasks.is_gold.any() or pairs.n_items == 0:
        return None
    dense = {}
    for task_id, first, second, outcome in _reference_outcomes(conn, arrays, project_id):
        t = int(np.searchsorted(arrays.tasks.ids, task_id))
        f = int(np.searchsorted(arrays.responses.ids, first))
        s = int(np.searchsorted(arrays.responses.ids, second))
        dense[(t, f, s)] = outcome
    keys = list(zip(pairs.task.tolist(), pairs.first.tolist(), pairs.second.tolist(),
                    strict=True))
    gold_item = np.array([i for i, k in enumerate(keys) if k in dense], dtype=np.int64)
    if len(gold_item) == 0:
        return None
    gold_label = np.array([dense[keys[i]] for i in gold_item], dtype=np.int64)
    result = gold_accuracy(pairs.item, arrays.outcomes.annotator,
                           arrays.outcomes.outcome.astype(np.int64), gold_item, gold_label,
                           n_annotators=len(arrays.annotators.ids))
    return result.answered, result.accuracy
