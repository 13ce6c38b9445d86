"""A settled population with a planted truth, for suspect labels and active selection.

Each comparison task has a true winner (``a`` or ``b`` at random). Three people of known
accuracy (0.9, 0.75, 0.75) judge every task through the real claim and submit code; the
quality report stores the reliability-weighted consensus, so some consensus labels are wrong
exactly where two sloppy judgments outvoted a careful one. An AI judge, independent of the
people, leans towards the truth: its probability of the true winner is drawn from Beta(6, 2)
and its verdict is stored through the judge's own ``record_verdict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np
from sqlalchemy import Engine, select

from accord.core.judging import ai_judges
from accord.core.judging.ai_judges import AiVerdict
from accord.core.projects.project import Project
from accord.core.report import build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

ACCURACY = {"careful": 0.9, "sloppy1": 0.75, "sloppy2": 0.75}
JUDGE = "judge-1"


@dataclass(frozen=True)
class World:
    project: Project
    truth: dict[str, str]
    """Task external id → its true winner."""
    consensus: dict[str, str]
    """Task external id → the stored consensus' winner."""
    judge_p_first: dict[str, float]
    """Task external id → the judge's probability that ``a`` (shown first) is better."""

    @property
    def flipped(self) -> set[str]:
        return {t for t, w in self.consensus.items() if w != self.truth[t]}


def _judge_everything(engine: Engine, project: Project, p_truth: dict[str, float],
                      truth: dict[str, str]) -> dict[str, float]:
    p_first: dict[str, float] = {}
    with engine.begin() as conn:
        judge = ai_judges.ensure_judge(conn, project, JUDGE, {"model": "m", "backend": "test"})
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id, limit=10_000)
        for pair in pairs:
            right = truth[pair.external_id]
            wrong = "b" if right == "a" else "a"
            p = p_truth[pair.external_id]
            winner, loser = (right, wrong) if p >= 0.5 else (wrong, right)
            p_first[pair.external_id] = p if right == "a" else 1 - p
            verdict = AiVerdict(ranking=[[winner], [loser]], display_order=["a", "b"],
                                preference=round(max(p, 1 - p), 6), rationale="planted",
                                details={"consistent": True, "confidence": max(p, 1 - p)})
            ai_judges.record_verdict(conn, project, judge, pair, verdict, utcnow())
    return p_first


def settled_world(engine: Engine, tasks_count: int = 120, seed: int = 7) -> World:
    rng = np.random.default_rng(seed)
    project = make_project(engine, overlap=3, agreement_threshold=0.0)
    names = [f"t-{i:03d}" for i in range(tasks_count)]
    truth = {name: ("a" if rng.random() < 0.5 else "b") for name in names}
    with engine.begin() as conn:
        for name in names:
            add_comparison(conn, project, name)
    start = utcnow() - timedelta(hours=2)
    for person_index, (person, accuracy) in enumerate(ACCURACY.items()):
        user = make_user(engine, person, project=project, roles=("annotator",)).user
        with engine.begin() as conn:
            for step in range(tasks_count):
                now = start + timedelta(minutes=person_index * tasks_count + step)
                claim = claims.claim_next(conn, project, user, now)
                assert claim is not None
                right = truth[claim.task.id]
                wrong = "b" if right == "a" else "a"
                winner = right if rng.random() < accuracy else wrong
                loser = "b" if winner == "a" else "a"
                submissions.submit(conn, user, claim.assignment_id, Judgment(
                    ranking=[[winner], [loser]], active_ms=10_000), now)
    p_truth = {name: float(rng.beta(6, 2)) for name in names}
    p_first = _judge_everything(engine, project, p_truth, truth)
    with engine.begin() as conn:
        build_report(conn, project, utcnow())
        rows = conn.execute(select(tasks.c.external_id, task_consensus.c.ranking)
                            .join(task_consensus, task_consensus.c.task_id == tasks.c.id)
                            .where(tasks.c.project_id == project.id)).all()
    consensus = {name: ranking[0][0] for name, ranking in rows}
    return World(project, truth, consensus, p_first)
