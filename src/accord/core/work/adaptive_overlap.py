"""Adaptive overlap decided in the submission's transaction: settle the task, or ask one more.

When the last judgment of a task's current target (``tasks.overlap``) arrives, the task's
human judgments are read and its consensus label weighed:

- **Label.** A comparison's label is the first tie group of its ranking: the response put
  first, or "tie" when several share the top. The classes are the task's responses, plus a
  tie class for a pairwise task in a project that allows ties (a K-way tie at the top is one
  more class when it happens).
- **Confidence.** The one-coin posterior of the most probable label
  (``quality.overlap_stop.one_coin_posterior``) under each annotator's *running reliability*
  in this project: ``(agreed + 0.7 * 4) / (judged + 4)``, where ``judged`` counts the tasks
  this rule decided that they judged and ``agreed`` their agreement with the others' plurality
  on those (``agreement_with_others``). A new annotator therefore counts as 70 % accurate,
  the prior, worth four tasks, and their own record takes over as it grows. The estimate is
  kept current here, in the same transaction, whenever a task is decided; it never reads the
  stored report, so deciding costs the same at the millionth task as at the first.
- **Stop.** ``{"confidence": C}``: settled when the confidence reaches C; ``"unanimous"``:
  when every judgment has the same label. A settled task, or one at ``max``, becomes
  ``complete`` and leaves the queue, and one ``task_settlements`` row records it; otherwise its
  target grows by one and it goes back to the "started" queue, so the next claim finds it
  before fresh work.

The consensus label the report stores for a settled task is the report's own (Bradley-Terry
weighted by Dawid-Skene accuracy, ``core.report.consensus``); this rule only decides when to
stop asking. Demonstrations and red-team tasks carry no label to weigh: they close at their
target, as with a fixed overlap. Gold tasks hold no slots and never come here.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np

from accord.core.work.overlap_rule import OverlapRule
from accord.db import raw
from accord.db.raw import Statement
from accord.db.tables import QUEUE_FULL, QUEUE_STARTED
from accord.quality.overlap_stop import agreement_with_others, one_coin_posterior, unanimous

PRIOR_ACCURACY = 0.7
PRIOR_WEIGHT = 4.0
TIE = "\x00tie"
"""The label of a ranking whose first group holds several responses (no response id has a
NUL character)."""

_COUNT = Statement(
    "UPDATE tasks SET submitted = submitted + 1 WHERE id = :task_id "
    "RETURNING submitted, overlap, status"
)
_JUDGMENTS = Statement(
    "SELECT an.annotator_id, an.ranking FROM annotations an "
    "JOIN users u ON u.id = an.annotator_id "
    "WHERE an.task_id = :task_id AND u.kind = 'human' ORDER BY an.id"
)
_GROW = Statement(
    f"UPDATE tasks SET overlap = overlap + 1, queue = {QUEUE_STARTED} WHERE id = :task_id"
)
_CLOSE = Statement(
    "UPDATE tasks SET status = 'complete', completed_at = :now, "
    f"queue = {QUEUE_FULL} WHERE id = :task_id"
)
_SETTLEMENT = Statement(
    "INSERT INTO task_settlements (task_id, project_id, judgments, confidence, settled, "
    "decided_at) VALUES (:task_id, :project_id, :judgments, :confidence, :settled, :now)"
)
_RELIABILITY_SQL = (
    "SELECT annotator_id, judged, agreed FROM overlap_reliability "
    "WHERE project_id = :project_id AND annotator_id IN ({ids})"
)
_KEEP_RELIABILITY = Statement(
    "INSERT INTO overlap_reliability (project_id, annotator_id, judged, agreed) "
    "VALUES (:project_id, :annotator_id, 1, :agreed) "
    "ON CONFLICT (project_id, annotator_id) DO UPDATE SET "
    "judged = overlap_reliability.judged + 1, agreed = overlap_reliability.agreed + :agreed"
)


def running_accuracy(judged: float, agreed: float) -> float:
    """An annotator's running reliability: their agreement, shrunk toward the prior."""
    return (agreed + PRIOR_ACCURACY * PRIOR_WEIGHT) / (judged + PRIOR_WEIGHT)


def top_label(ranking: list[list[str]] | None) -> str | None:
    """The label a ranking gives its task: the response ranked first, or TIE."""
    if not ranking:
        return None
    first = ranking[0]
    return first[0] if len(first) == 1 else TIE


def count_submission(conn, project_id: int, rule: OverlapRule, task_id: int, kind: str,
                     responses: int, allow_ties: bool, now: datetime) -> bool:
    """Count one submission of a task under ``rule`` and, at its target, decide it; returns
    whether this submission closed the task."""
    submitted, target, status = raw.execute(conn, _COUNT, {"task_id": task_id}).fetchone()
    if status != "open" or submitted < target:
        return False
    at = raw.time_param(conn, now)
    if kind != "comparison":
        raw.execute(conn, _CLOSE, {"task_id": task_id, "now": at})
        return True
    rows = raw.execute(conn, _JUDGMENTS, {"task_id": task_id}).fetchall()
    annotators = [row[0] for row in rows]
    labels = [top_label(raw.read_json(row[1])) for row in rows]
    accuracy = _accuracies(conn, project_id, annotators)
    classes = sorted({label for label in labels if label is not None})
    n_classes = max(responses + (1 if allow_ties and responses == 2 else 0), len(classes), 2)
    index = np.array([classes.index(label) for label in labels if label is not None])
    weights = np.array([a for a, label in zip(accuracy, labels, strict=True)
                        if label is not None])
    posterior = one_coin_posterior(index, weights, n_classes)
    met = (unanimous(index) if rule.stop == "unanimous"
           else posterior.confidence >= (rule.confidence or 1.0))
    if not met and target < rule.max:
        raw.execute(conn, _GROW, {"task_id": task_id})
        return False
    raw.execute(conn, _CLOSE, {"task_id": task_id, "now": at})
    raw.execute(conn, _SETTLEMENT, {
        "task_id": task_id, "project_id": project_id, "judgments": len(index),
        "confidence": round(posterior.confidence, 9), "settled": met, "now": at})
    _keep_reliability(conn, project_id, annotators, labels, accuracy)
    return True


def _accuracies(conn, project_id: int, annotators: list[int]) -> list[float]:
    if not annotators:
        return []
    ids = ", ".join(str(int(a)) for a in sorted(set(annotators)))
    statement = Statement(_RELIABILITY_SQL.format(ids=ids))
    found = {row[0]: running_accuracy(row[1], row[2])
             for row in raw.execute(conn, statement, {"project_id": project_id})}
    return [found.get(a, PRIOR_ACCURACY) for a in annotators]


def _keep_reliability(conn, project_id: int, annotators: list[int], labels: list,
                      accuracy: list[float]) -> None:
    kept = [(a, label, p) for a, label, p in zip(annotators, labels, accuracy, strict=True)
            if label is not None]
    if len(kept) < 2:
        return  # a lone judgment agrees or disagrees with nobody
    codes = {label: i for i, label in enumerate(sorted({k[1] for k in kept}))}
    agreed = agreement_with_others([codes[k[1]] for k in kept], [k[2] for k in kept])
    raw.execute_many(conn, _KEEP_RELIABILITY, [
        {"project_id": project_id, "annotator_id": a, "agreed": float(share)}
        for (a, _, _), share in zip(kept, agreed, strict=True)])
