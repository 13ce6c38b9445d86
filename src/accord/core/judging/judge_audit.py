"""Before an AI judge is trusted: how often it agrees with people, and with itself.

Per (task, response pair) the judge's label — first response better, second better, or a
tie, the responses taken in the task's order — is compared with a reference: the task's gold
answer where it is a gold task, else the consensus of the people who judged it (the label
most of them gave, when at least ``min_votes`` voted and no other label has as many votes).
Only annotators of kind ``human`` make the consensus; AI judges and imported labels never
do. Reported:

- ``agreement``: the share of compared pairs where the judge gave the reference label;
- ``kappa``: Cohen's κ between the judge and the reference over those pairs (Cohen 1960),
  computed by ``accord.quality.agreement.cohen_kappa`` with the three categories, so equal
  to scikit-learn's ``cohen_kappa_score(judge, reference, labels=[0, 1, 2])``;
- ``swap_consistency``: the share of the judge's judgments in which both display orders
  named the same winner (MT-Bench's consistency, Zheng et al. 2023, §3.3); None for
  judgments that carry no record of their orders (imported verdicts);
- ``mean_confidence``: the mean of the judgments' confidence, the judge's probability of a
  verdict it gave in both orders (``llm.judge_decision``); a judgment whose orders disagreed
  counts 0, also one stored before that rule with the mean P(tie) as its confidence;
- the confusion table and the counts behind every figure.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Connection, case, func, select

from accord.core.errors import InvalidInput
from accord.core.judging.ai_judges import CONFIDENCE, CONSISTENT, judge_of_project
from accord.core.projects.project import Project
from accord.core.tasks.judgments import pairs_from_ranking
from accord.db.tables import (
    annotations,
    memberships,
    pairwise_outcomes,
    responses,
    task_responses,
    tasks,
    users,
)
from accord.quality.agreement import cohen_kappa

FIRST, SECOND, TIE = 0, 1, 2
LABELS = ("first", "second", "tie")
Item = tuple[int, int, int]
"""(task id, response id, response id) with the task's first-listed response first."""


@dataclass(frozen=True)
class AuditLabels:
    """The judge's label and the reference label of every pair compared, and where each
    reference came from."""

    judge: np.ndarray
    reference: np.ndarray
    gold: np.ndarray
    """True where the reference is a gold answer."""


def _positions(conn: Connection, project_id: int) -> dict[int, int]:
    """Response id → its position in its task (for the project's comparison tasks)."""
    return dict(conn.execute(
        select(task_responses.c.response_id, task_responses.c.position)
        .join(tasks, tasks.c.id == task_responses.c.task_id)
        .where(tasks.c.project_id == project_id)).all())


def _label(position: dict[int, int], task: int, winner: int, loser: int, tie: bool
           ) -> tuple[Item, int]:
    """The pair item and its label: which of the task's two responses (in task order) won."""
    first, second = sorted((winner, loser), key=lambda r: (position.get(r, 0), r))
    if tie:
        return (task, first, second), TIE
    return (task, first, second), FIRST if winner == first else SECOND


def _judge_labels(conn: Connection, project_id: int, judge_id: int,
                  position: dict[int, int]) -> dict[Item, int]:
    rows = conn.execute(select(pairwise_outcomes.c.task_id, pairwise_outcomes.c.winner_id,
                               pairwise_outcomes.c.loser_id, pairwise_outcomes.c.tie)
                        .where(pairwise_outcomes.c.project_id == project_id,
                               pairwise_outcomes.c.annotator_id == judge_id))
    return dict(_label(position, *row) for row in rows)


def _human_consensus(conn: Connection, project_id: int, position: dict[int, int],
                     min_votes: int) -> dict[Item, int]:
    votes: dict[Item, Counter] = {}
    rows = conn.execute(
        select(pairwise_outcomes.c.task_id, pairwise_outcomes.c.winner_id,
               pairwise_outcomes.c.loser_id, pairwise_outcomes.c.tie)
        .join(users, users.c.id == pairwise_outcomes.c.annotator_id)
        .where(pairwise_outcomes.c.project_id == project_id, users.c.kind == "human"))
    for row in rows:
        item, label = _label(position, *row)
        votes.setdefault(item, Counter())[label] += 1
    consensus = {}
    for item, counts in votes.items():
        ranked = counts.most_common()
        if sum(counts.values()) >= min_votes and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            consensus[item] = ranked[0][0]
    return consensus


def _gold_labels(conn: Connection, project_id: int, position: dict[int, int]
                 ) -> dict[Item, int]:
    rows = conn.execute(
        select(tasks.c.id, tasks.c.gold_answer, responses.c.external_id, responses.c.id)
        .join(task_responses, task_responses.c.task_id == tasks.c.id)
        .join(responses, responses.c.id == task_responses.c.response_id)
        .where(tasks.c.project_id == project_id, tasks.c.is_gold.is_(True)))
    answers: dict[int, list] = {}
    ids: dict[tuple[int, str], int] = {}
    for task_id, answer, external_id, response_id in rows:
        answers[task_id] = (answer or {}).get("ranking") or []
        ids[(task_id, external_id)] = response_id
    labels = {}
    for task_id, ranking in answers.items():
        for pair in pairs_from_ranking(ranking):
            winner, loser = ids.get((task_id, pair.winner)), ids.get((task_id, pair.loser))
            if winner is not None and loser is not None:
                item, label = _label(position, task_id, winner, loser, pair.tie)
                labels[item] = label
    return labels


@dataclass(frozen=True)
class Reference:
    """What every judge of a project is compared with: the reference label of each pair
    (gold answers over human consensus) and the pairs whose reference is gold. Read once
    per project, however many judges are audited against it."""

    position: dict[int, int]
    labels: dict[Item, int]
    gold: frozenset[Item]


def reference_labels(conn: Connection, project: Project, *, min_votes: int = 1) -> Reference:
    if min_votes < 1:
        raise InvalidInput(f"--min-votes must be at least 1, not {min_votes}")
    position = _positions(conn, project.id)
    labels = _human_consensus(conn, project.id, position, min_votes)
    gold = _gold_labels(conn, project.id, position)
    labels.update(gold)
    return Reference(position, labels, frozenset(gold))


def audit_labels(conn: Connection, project: Project, judge_id: int, reference: Reference
                 ) -> AuditLabels:
    """The judge's and the reference labels of every pair that has both."""
    judged = _judge_labels(conn, project.id, judge_id, reference.position)
    items = sorted(item for item in judged if item in reference.labels)
    return AuditLabels(
        judge=np.array([judged[i] for i in items], dtype=np.int64),
        reference=np.array([reference.labels[i] for i in items], dtype=np.int64),
        gold=np.array([i in reference.gold for i in items], dtype=bool),
    )


def _number(value: float) -> float | None:
    return None if value is None or np.isnan(value) else round(float(value), 6)


def _agreement(labels: AuditLabels, mask: np.ndarray) -> dict:
    judge, reference = labels.judge[mask], labels.reference[mask]
    if not len(judge):
        return {"pairs": 0, "agreement": None, "kappa": None}
    return {"pairs": len(judge),
            "agreement": _number(float((judge == reference).mean())),
            "kappa": _number(cohen_kappa(judge, reference, n_categories=3))}


def _self_consistency(conn: Connection, project_id: int, judge_id: int) -> dict:
    """Counted in SQL from two figures of ``details``; the raw replies stay in the table."""
    confidence = case((CONSISTENT.is_(False), 0.0), else_=CONFIDENCE)
    judgments, measured, agreeing, mean_confidence = conn.execute(
        select(func.count(), func.count(CONSISTENT),
               func.sum(case((CONSISTENT, 1), else_=0)), func.avg(confidence))
        .where(annotations.c.project_id == project_id, annotations.c.annotator_id == judge_id,
               annotations.c.kind == "comparison")).one()
    return {
        "judgments": judgments,
        "swap_measured": measured,
        "swap_consistency": _number(agreeing / measured) if measured else None,
        "mean_confidence": None if mean_confidence is None else _number(float(mean_confidence)),
    }


def judge_audit(conn: Connection, project: Project, judge_name: str, *, min_votes: int = 1
                ) -> dict:
    """The audit of ``judge_name`` on ``project`` as one JSON-ready document."""
    reference = reference_labels(conn, project, min_votes=min_votes)
    judge = judge_of_project(conn, project, judge_name)
    settings = conn.execute(select(users.c.ai_settings).where(users.c.id == judge.id)
                            ).scalar_one()
    return _audit(conn, project, judge.id, judge.name, settings, reference, min_votes)


def _audit(conn: Connection, project: Project, judge_id: int, judge_name: str,
           settings: dict | None, reference: Reference, min_votes: int) -> dict:
    settings = settings or {}
    labels = audit_labels(conn, project, judge_id, reference)
    overall = _agreement(labels, np.ones(len(labels.judge), dtype=bool))
    confusion = np.zeros((3, 3), dtype=np.int64)
    np.add.at(confusion, (labels.judge, labels.reference), 1)
    return {
        "project": project.name,
        "judge": judge_name,
        "model": settings.get("model"),
        "constitution": settings.get("constitution"),
        "reference": "gold answers where a task has one, else the consensus of human "
                     f"annotators (at least {min_votes} vote{'s' if min_votes > 1 else ''})",
        **_self_consistency(conn, project.id, judge_id),
        **overall,
        "gold": _agreement(labels, labels.gold),
        "human_consensus": _agreement(labels, ~labels.gold),
        "confusion": {"labels": list(LABELS),
                      "rows": "judge", "columns": "reference",
                      "matrix": confusion.tolist()},
    }


def audit_section(conn: Connection, project: Project, *, min_votes: int = 1) -> list[dict]:
    """One audit per AI judge of the project (annotators of kind ``ai``, by name): a report
    section that says, judge by judge, how far each agrees with people and with itself. The
    reference labels are read once for all of them."""
    judges = conn.execute(
        select(users.c.id, users.c.name, users.c.ai_settings)
        .join(memberships, memberships.c.user_id == users.c.id)
        .where(memberships.c.project_id == project.id, memberships.c.role == "annotator",
               users.c.kind == "ai")
        .order_by(users.c.name)).all()
    if not judges:
        return []
    reference = reference_labels(conn, project, min_votes=min_votes)
    return [_audit(conn, project, judge_id, name, settings, reference, min_votes)
            for judge_id, name, settings in judges]
