"""Active selection: ``prioritize`` sets open tasks' priorities by a strategy, the claim
engine follows them, and every change is recorded with its reason."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from accord.core.curation.priorities import prioritize
from accord.core.curation.signals import JudgeSignal
from accord.core.errors import InvalidInput
from accord.core.judging import ai_judges
from accord.core.judging.ai_judges import AiVerdict
from accord.core.projects.project import get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import priority_changes, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

JUDGE = "judge-1"
SKIP = "other"


def _claim_order(engine, name: str, count: int) -> list[str]:
    """The tasks a new annotator is handed, one after another (each answered at once)."""
    with engine.begin() as conn:
        project = get_project(conn, "prefs")
    person = make_user(engine, name, project=project, roles=("annotator",)).user
    order: list[str] = []
    now = utcnow()
    with engine.begin() as conn:
        for step in range(count):
            claim = claims.claim_next(conn, project, person, now + timedelta(seconds=step))
            assert claim is not None
            order.append(claim.task.id)
            submissions.submit(conn, person, claim.assignment_id,
                               Judgment(ranking=[["a"], ["b"]], active_ms=1000),
                               now + timedelta(seconds=step))
    return order


def _judged(engine, preferences: dict[str, float | None]):
    """Fresh tasks, judged by the AI judge with the given soft preference for ``a``."""
    project = make_project(engine, overlap=3)
    with engine.begin() as conn:
        for name in preferences:
            add_comparison(conn, project, name)
        judge = ai_judges.ensure_judge(conn, project, JUDGE, {"model": "m", "backend": "t"})
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id)
        for pair in pairs:
            p = preferences[pair.external_id]
            if p is None:
                continue
            ranking = [["a"], ["b"]] if p >= 0.5 else [["b"], ["a"]]
            ai_judges.record_verdict(conn, project, judge, pair, AiVerdict(
                ranking=ranking, display_order=["a", "b"], preference=max(p, 1 - p),
                rationale="", details={}), utcnow())
    return project


def test_judge_strategy_hands_out_the_pairs_the_judge_is_least_sure_of_first(engine):
    _judged(engine, {"sure": 0.95, "torn": 0.52, "unjudged": None, "leaning": 0.2})
    with engine.begin() as conn:
        run = prioritize(conn, None, "prefs", "judge", JudgeSignal(JUDGE), now=utcnow())
    assert run.changed == 3 and run.open_tasks == 4  # "unjudged" stays at 0
    assert _claim_order(engine, "ann", 4) == ["torn", "leaning", "sure", "unjudged"]


def _split_so_far(engine):
    """Four open tasks after some votes: t-split 1-1, t-firm 2-0, t-one 1-0, t-fresh none."""
    project = make_project(engine, overlap=3)
    with engine.begin() as conn:
        for name in ("t-split", "t-firm", "t-one", "t-fresh"):
            add_comparison(conn, project, name)
    plan = {"v1": {"t-split": [["a"], ["b"]], "t-firm": [["a"], ["b"]],
                   "t-one": [["a"], ["b"]]},
            "v2": {"t-split": [["b"], ["a"]], "t-firm": [["a"], ["b"]]}}
    now = utcnow() - timedelta(minutes=10)
    for name, wanted in plan.items():
        person = make_user(engine, name, project=project, roles=("annotator",)).user
        with engine.begin() as conn:
            for step in range(4):
                claim = claims.claim_next(conn, project, person, now + timedelta(seconds=step))
                if claim is None:
                    break
                if claim.task.id not in wanted:  # a task this voter leaves alone
                    submissions.skip(conn, person, claim.assignment_id, SKIP,
                                     now + timedelta(seconds=step))
                    continue
                submissions.submit(conn, person, claim.assignment_id,
                                   Judgment(ranking=wanted[claim.task.id], active_ms=1000),
                                   now + timedelta(seconds=step))
    return project


def _priorities(engine) -> dict[str, int]:
    with engine.begin() as conn:
        return dict(conn.execute(select(tasks.c.external_id, tasks.c.priority)).all())


def test_disagreement_puts_the_split_first_and_a_rerun_changes_nothing(engine):
    _split_so_far(engine)
    with engine.begin() as conn:
        run = prioritize(conn, None, "prefs", "disagreement", now=utcnow())
    assert _priorities(engine) == {"t-split": 1000, "t-firm": 0, "t-one": 0, "t-fresh": 0}
    assert [(c.task_id, c.old_priority, c.new_priority) for c in run.changes] == \
        [("t-split", 0, 1000)]
    with engine.begin() as conn:
        again = prioritize(conn, None, "prefs", "disagreement", now=utcnow())
        rows = conn.execute(select(priority_changes.c.run_id, priority_changes.c.strategy,
                                   priority_changes.c.old_priority,
                                   priority_changes.c.new_priority,
                                   priority_changes.c.reason)).all()
    assert again.changed == 0
    assert rows == [(run.run_id, "disagreement", 0, 1000,
                     "disagreement: votes 1-1 on a vs b")]
    assert _claim_order(engine, "ann", 1) == ["t-split"]


def test_uncertainty_ranks_by_the_posterior_of_the_consensus_so_far(engine):
    _split_so_far(engine)
    with engine.begin() as conn:
        prioritize(conn, None, "prefs", "uncertainty", now=utcnow())
    assert _priorities(engine) == {"t-split": 1000, "t-fresh": 1000, "t-one": 500,
                                   "t-firm": 250}
    # started tasks come before fresh ones (the claim queue's rule), then by priority
    assert _claim_order(engine, "ann", 4) == ["t-split", "t-one", "t-firm", "t-fresh"]


def test_a_strategy_that_is_unknown_or_lacks_its_signal_is_refused(engine):
    make_project(engine)
    with engine.begin() as conn, pytest.raises(InvalidInput, match="--by must be one of"):
        prioritize(conn, None, "prefs", "vibes", now=utcnow())
    with engine.begin() as conn, pytest.raises(InvalidInput, match="needs a signal"):
        prioritize(conn, None, "prefs", "judge", now=utcnow())
    with engine.begin() as conn, pytest.raises(InvalidInput, match="takes no signal"):
        prioritize(conn, None, "prefs", "disagreement", JudgeSignal(JUDGE), now=utcnow())
