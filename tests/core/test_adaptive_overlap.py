"""Adaptive overlap in the claim and submit engine: a task starts at ``min`` annotators, is
settled when its consensus is confident (or unanimous), else asks one more, up to ``max``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import Conflict, InvalidInput
from accord.core.projects.project import get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.core.work import rules as work_rules
from accord.core.work.adaptive_overlap import PRIOR_ACCURACY, running_accuracy
from accord.db.tables import QUEUE_FULL, QUEUE_STARTED, overlap_reliability, task_settlements, tasks
from accord.db.types import utcnow
from tests.factories import (
    add_comparison,
    add_comparisons,
    import_lines,
    make_project,
    make_user,
)
from tests.web.routing_helpers import item

A_FIRST = [["a"], ["b"]]
B_FIRST = [["b"], ["a"]]


def adaptive_project(engine, rule, count=1, **settings):
    project = make_project(engine, overlap=3, **settings)
    add_comparisons(engine, project, count)
    with engine.begin() as conn:
        return work_rules.update_rules(conn, project.name, changes={"overlap": rule})


def people(engine, project, n, prefix="ann", **kwargs):
    return [make_user(engine, f"{prefix}{i}", project=project, roles=("annotator",),
                      **kwargs).user for i in range(n)]


def judge(engine, project, person, ranking):
    """``person`` claims their next task and ranks it; returns the task's id (None: nothing)."""
    with engine.begin() as conn:
        got = claims.claim_next(conn, project, person, utcnow())
        if got is None:
            return None
        submissions.submit(conn, person, got.assignment_id,
                           Judgment(ranking=ranking, strength=1), utcnow())
    return got.task.id


def task_row(engine, external_id="item-0"):
    with engine.connect() as conn:
        return conn.execute(select(tasks.c.overlap, tasks.c.taken, tasks.c.submitted,
                                   tasks.c.queue, tasks.c.status)
                            .where(tasks.c.external_id == external_id)).one()


def settlement(engine):
    with engine.connect() as conn:
        return conn.execute(select(task_settlements.c.judgments, task_settlements.c.settled,
                                   task_settlements.c.confidence)).one_or_none()


UNANIMOUS = {"min": 2, "max": 4, "stop": "unanimous"}
CONFIDENT = {"min": 2, "max": 5, "stop": {"confidence": 0.9}}


def test_a_new_task_wants_min_annotators_and_the_project_overlap_follows(engine):
    project = adaptive_project(engine, UNANIMOUS)
    assert project.overlap == 2 and task_row(engine).overlap == 2
    assert work_rules.rules_of(project).overlap.as_setting() == UNANIMOUS


def test_two_agreeing_judgments_settle_a_unanimous_task(engine):
    project = adaptive_project(engine, UNANIMOUS)
    first, second, third = people(engine, project, 3)
    judge(engine, project, first, A_FIRST)
    assert task_row(engine) == (2, 1, 1, QUEUE_STARTED, "open")
    judge(engine, project, second, A_FIRST)
    assert task_row(engine) == (2, 2, 2, QUEUE_FULL, "complete")
    assert settlement(engine)[:2] == (2, True)
    assert judge(engine, project, third, A_FIRST) is None


def test_a_split_asks_one_more_person_until_max(engine):
    project = adaptive_project(engine, UNANIMOUS)
    crowd = people(engine, project, 5)
    judge(engine, project, crowd[0], A_FIRST)
    judge(engine, project, crowd[1], B_FIRST)
    assert task_row(engine) == (3, 2, 2, QUEUE_STARTED, "open")
    judge(engine, project, crowd[2], A_FIRST)
    assert task_row(engine) == (4, 3, 3, QUEUE_STARTED, "open")
    judge(engine, project, crowd[3], A_FIRST)
    assert task_row(engine) == (4, 4, 4, QUEUE_FULL, "complete")
    judgments, settled, _ = settlement(engine)
    assert (judgments, settled) == (4, False)  # closed at max, not settled
    assert judge(engine, project, crowd[4], A_FIRST) is None


def test_the_confidence_stop_weighs_votes_by_running_reliability(engine):
    project = adaptive_project(engine, CONFIDENT, count=2)
    crowd = people(engine, project, 3)
    # Two agreeing newcomers (0.7 each) give 0.845 < 0.9 on a pair without ties: one more.
    for person in crowd[:2]:
        assert judge(engine, project, person, A_FIRST) == "item-0"
    assert task_row(engine).overlap == 3
    assert judge(engine, project, crowd[2], A_FIRST) == "item-0"
    judgments, settled, confidence = settlement(engine)
    assert (judgments, settled) == (3, True) and confidence == pytest.approx(0.927027, 1e-5)
    with engine.connect() as conn:
        kept = conn.execute(select(overlap_reliability.c.judged,
                                   overlap_reliability.c.agreed)).all()
    assert sorted(kept) == [(1, 1.0)] * 3
    # Now each counts (1 + 2.8) / 5 = 0.76: two agreeing votes give 0.909, enough.
    assert running_accuracy(1, 1.0) == pytest.approx((1 + PRIOR_ACCURACY * 4) / 5)
    for person in crowd[:2]:
        assert judge(engine, project, person, B_FIRST) == "item-1"
    assert task_row(engine, "item-1")[4] == "complete"


def test_a_person_is_never_handed_a_task_twice_when_it_grows(engine):
    project = adaptive_project(engine, UNANIMOUS)
    first, second = people(engine, project, 2)
    judge(engine, project, first, A_FIRST)
    judge(engine, project, second, B_FIRST)
    assert task_row(engine).overlap == 3
    assert judge(engine, project, first, A_FIRST) is None
    assert judge(engine, project, second, A_FIRST) is None


def test_a_grown_task_goes_to_experts_only(engine):
    project = adaptive_project(engine, UNANIMOUS, count=0)
    with engine.begin() as conn:
        add_comparison(conn, project, "math-1", expertise=("stem.math",))
    experts = people(engine, project, 3, prefix="expert", expertise=["stem.math"])
    layman = people(engine, project, 1, prefix="lay")[0]
    judge(engine, project, experts[0], A_FIRST)
    judge(engine, project, experts[1], B_FIRST)
    assert task_row(engine, "math-1").overlap == 3
    assert judge(engine, project, layman, A_FIRST) is None
    assert judge(engine, project, experts[2], A_FIRST) == "math-1"


def test_gold_tasks_hold_no_slots_and_are_never_decided(engine):
    project = make_project(engine, overlap=3, gold_rate=1.0)
    import_lines(engine, project, item("q-1", gold=[["a"], ["b"]]), item("q-2"))
    with engine.begin() as conn:
        project = work_rules.update_rules(conn, project.name, changes={"overlap": UNANIMOUS})
    crowd = people(engine, project, 2)
    assert [judge(engine, project, p, A_FIRST) for p in crowd] == ["q-1", "q-1"]
    assert task_row(engine, "q-1")[1:3] == (0, 0)
    assert settlement(engine) is None


def test_turning_the_rule_on_starts_fresh_tasks_at_min_and_keeps_started_ones(engine):
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 2)
    person = people(engine, project, 1)[0]
    judge(engine, project, person, A_FIRST)
    with engine.begin() as conn:
        work_rules.update_rules(conn, project.name, changes={"overlap": UNANIMOUS})
    assert task_row(engine, "item-0").overlap == 3 and task_row(engine, "item-1").overlap == 2
    with engine.begin() as conn, pytest.raises(Conflict, match=r"max cannot be 2: 1 tasks"):
        work_rules.update_rules(conn, project.name, changes={
            "overlap": {"min": 1, "max": 2, "stop": "unanimous"}})


@pytest.mark.parametrize(("rule", "message"), [
    ({"min": 0, "max": 3, "stop": "unanimous"}, r"settings.overlap.min must be a whole number"),
    ({"min": 3, "max": 2, "stop": "unanimous"}, r"settings.overlap.max \(2\) must be at least"),
    ({"min": 2, "max": 3}, r"settings.overlap.stop is missing"),
    ({"min": 2, "max": 3, "stop": "majority"}, r'settings.overlap.stop must be "unanimous"'),
    ({"min": 2, "max": 3, "stop": {"confidence": 1.0}}, r"stop.confidence must be a number"),
    ({"min": 2, "max": 3, "stop": "unanimous", "budget": 1}, r"unknown field 'budget'"),
    ([2, 5], r"settings.overlap must be an object"),
])
def test_a_wrong_rule_is_refused_naming_its_field_and_nothing_changes(engine, rule, message):
    project = make_project(engine, overlap=3)
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        work_rules.update_rules(conn, project.name, changes={"overlap": rule})
    with engine.connect() as conn:
        assert "overlap" not in get_project(conn, project.name).settings


def test_a_grown_sensitive_task_is_held_back_from_someone_at_their_exposure_limit(engine):
    project = make_project(engine, overlap=3)
    with engine.begin() as conn:
        add_comparison(conn, project, "s-1", category="safety", priority=9)
        add_comparison(conn, project, "s-2", category="safety", priority=5)
        add_comparison(conn, project, "q-1", category="qa")
        work_rules.update_rules(conn, project.name, changes={
            "overlap": UNANIMOUS, "exposure": {"per_day": 2}})
        project = get_project(conn, project.name)
    first, second, sheltered, fresh = people(engine, project, 4)
    for task in ("s-1", "s-2"):  # seen, so counted, though skipped
        with engine.begin() as conn:
            seen = claims.claim_next(conn, project, sheltered, utcnow())
            assert seen.task.id == task
            submissions.skip(conn, sheltered, seen.assignment_id, "unclear", utcnow())
    with engine.begin() as conn:
        add_comparison(conn, project, "s-3", category="safety", priority=10)
    assert judge(engine, project, first, A_FIRST) == "s-3"
    assert judge(engine, project, second, B_FIRST) == "s-3"
    assert task_row(engine, "s-3")[:4] == (3, 2, 2, QUEUE_STARTED)
    assert judge(engine, project, sheltered, A_FIRST) == "q-1"
    assert judge(engine, project, fresh, A_FIRST) == "s-3"


def test_a_grown_task_waits_until_a_newcomer_passes_calibration(engine):
    project = make_project(engine, overlap=3)
    import_lines(engine, project, item("g-1", gold=[["a"], ["b"]]), item("q-1"))
    with engine.begin() as conn:
        project = work_rules.update_rules(conn, project.name, changes={
            "overlap": UNANIMOUS, "calibration": {"tasks": 1, "pass_threshold": 1.0}})
    first, second, newcomer = people(engine, project, 3)
    for person, ranking in ((first, A_FIRST), (second, B_FIRST)):
        assert judge(engine, project, person, A_FIRST) == "g-1"  # calibration passed
        assert judge(engine, project, person, ranking) == "q-1"
    assert task_row(engine, "q-1")[:2] == (3, 2)
    assert judge(engine, project, newcomer, A_FIRST) == "g-1"
    assert judge(engine, project, newcomer, A_FIRST) == "q-1"
    assert task_row(engine, "q-1") == (4, 3, 3, QUEUE_STARTED, "open")  # still split


def test_a_demonstration_closes_at_its_target(engine):
    project = make_project(engine, overlap=3)
    with engine.begin() as conn:
        add_comparison(conn, project, "d-1", contents={}, kind="demonstration")
        project = work_rules.update_rules(conn, project.name, changes={"overlap": UNANIMOUS})
    for person in people(engine, project, 2):
        with engine.begin() as conn:
            got = claims.claim_next(conn, project, person, utcnow())
            submissions.submit(conn, person, got.assignment_id,
                               Judgment(response="a written answer"), utcnow())
    assert task_row(engine, "d-1") == (2, 2, 2, QUEUE_FULL, "complete")
    assert settlement(engine) is None
