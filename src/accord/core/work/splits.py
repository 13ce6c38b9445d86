"""A split queued the moment it happens, not when someone runs the report.

When a comparison task's last wanted annotation arrives (its overlap reached, or adaptive
overlap closing it), the same transaction measures its agreement by the report's own rule —
``quality.consensus.majority_pairs``: per response pair, the share of votes equal to the pair's
most common outcome, averaged over the task's pairs — over the judgments the report counts
(people's; AI judges' are left out, as in ``core.report.scope``). A task below the project's
agreement threshold moves to ``needs_adjudication`` with a consensus row (its agreement, and a
Bradley-Terry ranking of the votes counted equally), so reviewers see it in their queue at
once. The next report recomputes the row with annotator reliabilities; it reaches the same
verdict on the split, since agreement does not depend on reliabilities. A task that agrees is
left to the report, as before, so settling costs one query only when a task completes.
"""

from __future__ import annotations

from datetime import datetime

import numpy as np
from sqlalchemy import Connection

from accord.db import raw
from accord.db.raw import Statement
from accord.quality.consensus import majority_pairs
from accord.quality.ranking import rank_responses

METHOD = "majority_at_submit"
"""The stored consensus' method until the next report replaces it."""
SPLIT_STATUS = "needs_adjudication"

_VOTES = Statement(
    "SELECT o.winner_id, o.loser_id, o.tie, o.strength FROM pairwise_outcomes o "
    "JOIN users u ON u.id = o.annotator_id WHERE o.task_id = :task_id AND u.kind <> 'ai'"
)
_RESPONSE_IDS = Statement(
    "SELECT r.id, r.external_id FROM task_responses tr JOIN responses r ON r.id = tr.response_id "
    "WHERE tr.task_id = :task_id"
)
# A task's consensus row, replaced or added by one statement (the report writes with it too).
UPSERT_CONSENSUS = Statement(
    "INSERT INTO task_consensus (task_id, method, ranking, margin, agreement, confidence, "
    "computed_at) VALUES (:task_id, :method, :ranking, :margin, :agreement, :confidence, "
    ":computed_at) ON CONFLICT (task_id) DO UPDATE SET method = excluded.method, "
    "ranking = excluded.ranking, margin = excluded.margin, agreement = excluded.agreement, "
    "confidence = excluded.confidence, computed_at = excluded.computed_at"
)
_TO_REVIEW = Statement(
    "UPDATE tasks SET status = 'needs_adjudication' WHERE id = :task_id AND status = 'complete'"
)


def task_agreement(winner: list[int], loser: list[int], tie: list[bool],
                   strength: list[int]) -> float | None:
    """One task's agreement by the report's rule (``core.report.consensus``): the mean over
    its response pairs of the share of votes equal to the pair's most common outcome."""
    if not winner:
        return None
    majorities = majority_pairs(np.zeros(len(winner), dtype=np.int64), winner, loser, tie,
                                strength)
    return float(majorities.agreement.mean())


def queue_if_split(conn: Connection, task_id: int, threshold: float, now: datetime) -> bool:
    """At a comparison task's last wanted annotation: move it to review if it is split;
    returns whether it moved. Called after the task was counted ``complete``."""
    votes = raw.execute(conn, _VOTES, {"task_id": task_id}).fetchall()
    winner = [int(v[0]) for v in votes]
    loser = [int(v[1]) for v in votes]
    tie = [bool(v[2]) for v in votes]
    strength = [int(v[3] or 0) for v in votes]
    agreement = task_agreement(winner, loser, tie, strength)
    if agreement is None or agreement >= threshold:
        return False
    first = np.minimum(winner, loser)
    second = np.maximum(winner, loser)
    outcome = np.where(tie, 2, np.where(np.array(winner) == first, 0, 1))
    rankings = rank_responses(np.zeros(len(votes), dtype=np.int64), first, second, outcome)
    external = dict(raw.execute(conn, _RESPONSE_IDS, {"task_id": task_id}).fetchall())
    ranking = [[external[int(r)] for r in group] for group in rankings.ranking(0)]
    raw.execute(conn, UPSERT_CONSENSUS, {
        "task_id": task_id, "method": METHOD, "ranking": raw.json_param(ranking),
        "margin": _number(rankings.margin[0]), "agreement": agreement,
        "confidence": _number(rankings.confidence[0]),
        "computed_at": raw.time_param(conn, now)})
    return raw.execute(conn, _TO_REVIEW, {"task_id": task_id}).rowcount == 1


def _number(value: float) -> float | None:
    return None if np.isnan(value) else float(value)
