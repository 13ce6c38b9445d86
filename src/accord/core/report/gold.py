"""Gold (calibration) tasks: their reference rankings as pair outcomes, and accuracy on them.

Reading the references (``reference``) is the only part that needs the database; matching
them to a project's pair items (``accuracy``) works on arrays, so the report can be computed
— and benchmarked — without a connection.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, select

from accord.core.report.arrays import OUTCOME_FIRST, OUTCOME_SECOND, OUTCOME_TIE, ProjectArrays
from accord.core.report.pairs import PairItems, pair_keys
from accord.core.tasks.judgments import pairs_from_ranking
from accord.db.tables import responses, task_responses, tasks
from accord.quality.reliability import gold_accuracy


@dataclass(frozen=True)
class GoldReference:
    """The reference outcome of every gold pair, as dense (task, first, second) indices."""

    task: NDArray[np.int64]
    first: NDArray[np.int64]
    second: NDArray[np.int64]
    outcome: NDArray[np.int64]


def _reference_outcomes(conn: Connection, project_id: int):
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


def reference(conn: Connection, arrays: ProjectArrays, project_id: int) -> GoldReference | None:
    """The project's gold pairs with their reference outcomes; None when it has no gold."""
    if not arrays.tasks.is_gold.any() or len(arrays.outcomes.task) == 0:
        return None
    found = np.array(list(_reference_outcomes(conn, project_id)), dtype=np.int64).reshape(-1, 4)
    return GoldReference(
        task=np.searchsorted(arrays.tasks.ids, found[:, 0]).astype(np.int64),
        first=np.searchsorted(arrays.responses.ids, found[:, 1]).astype(np.int64),
        second=np.searchsorted(arrays.responses.ids, found[:, 2]).astype(np.int64),
        outcome=found[:, 3],
    )


def accuracy(arrays: ProjectArrays, pairs: PairItems,
             gold: GoldReference | None) -> tuple[NDArray, NDArray] | None:
    """(answered, accuracy) per annotator on gold pairs, or None when there is no gold.

    Pair items and references are matched on one integer key per (task, first, second);
    a pair listed twice in the references keeps its last outcome.
    """
    if gold is None or pairs.n_items == 0:
        return None
    item_key, gold_key = pair_keys((pairs.task, pairs.first, pairs.second),
                                   (gold.task, gold.first, gold.second))
    latest = len(gold_key) - 1 - np.unique(gold_key[::-1], return_index=True)[1]
    keys, outcomes = gold_key[latest], gold.outcome[latest]
    where = np.minimum(np.searchsorted(keys, item_key), max(len(keys) - 1, 0))
    gold_item = np.flatnonzero(keys[where] == item_key) if len(keys) else np.zeros(0, np.int64)
    if len(gold_item) == 0:
        return None
    result = gold_accuracy(pairs.item, arrays.outcomes.annotator,
                           arrays.outcomes.outcome.astype(np.int64), gold_item,
                           outcomes[where[gold_item]], n_annotators=len(arrays.annotators.ids))
    return result.answered, result.accuracy
