"""The claim's rules below the HTTP layer: gold tasks hold no slots, leases on them expire
and skip cleanly, the break rule's arithmetic, and the calibration score on K-way rankings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from accord.core.tasks.judgments import Judgment
from accord.core.work import breaks_and_rotation as fatigue_rules
from accord.core.work import calibration, claims, submissions
from accord.core.work.rules import BreakRule
from accord.db.tables import assignments, tasks
from accord.db.types import utcnow
from tests.factories import import_lines, make_project, make_user
from tests.web.routing_helpers import item

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
RULE = BreakRule(work_minutes=60, break_minutes=10)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def gold_project(engine, overlap=1):
    project = make_project(engine, overlap=overlap, gold_rate=1.0)
    import_lines(engine, project, item("q-1", gold=[["a"], ["b"]]), item("q-2"))
    return project


def counters(engine, external_id):
    with engine.connect() as conn:
        row = conn.execute(select(tasks.c.taken, tasks.c.submitted, tasks.c.queue,
                                  tasks.c.status).where(tasks.c.external_id == external_id)
                           ).one()
    return tuple(row)


def test_without_a_gold_rate_gold_tasks_are_never_handed_out(engine):
    project = make_project(engine, overlap=3)
    import_lines(engine, project, item("q-1", gold=[["a"], ["b"]], priority=9), item("q-2"))
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        assert claims.claim_next(conn, project, me, utcnow()).task.id == "q-2"
        assert claims.claim_next(conn, project, me, utcnow()) is None


def test_a_gold_task_goes_to_every_annotator_whatever_its_overlap(engine):
    project = gold_project(engine, overlap=1)
    people = [make_user(engine, f"ann{i}", project=project, roles=("annotator",)).user
              for i in range(3)]
    now = utcnow()
    for person in people:
        with engine.begin() as conn:
            got = claims.claim_next(conn, project, person, now)
            submissions.submit(conn, person, got.assignment_id,
                               Judgment(ranking=[["a"], ["b"]], strength=1), now)
        assert got.task.id == "q-1"
    assert counters(engine, "q-1") == (0, 0, 2, "open")  # no slot, out of the claim queue


def test_expired_and_skipped_gold_leases_leave_the_counters_alone(engine):
    project = gold_project(engine)
    alice = make_user(engine, "alice", project=project, roles=("annotator",)).user
    bob = make_user(engine, "bob", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        late = claims.claim_next(conn, project, alice, T0)
        skipped = claims.claim_next(conn, project, bob, T0)
        submissions.skip(conn, bob, skipped.assignment_id, "unclear", T0)
    later = T0 + timedelta(seconds=project.lease_seconds + 60)
    with engine.begin() as conn:
        assert claims.expire_leases(conn, project.id, later) == 1
        kept = submissions.submit(conn, alice, late.assignment_id,
                                  Judgment(ranking=[["b"], ["a"]], strength=1), later)
    assert kept.late and counters(engine, "q-1")[:2] == (0, 0)
    with engine.connect() as conn:
        statuses = conn.execute(select(assignments.c.status).order_by(assignments.c.id)
                                ).scalars().all()
    assert statuses == ["submitted", "skipped"]


def work_through(engine, spans, lease_minutes=45):
    """One annotator works the (start, end) minutes given, one task each; returns a function
    asking ``fatigue_rules.break_until`` at a minute."""
    project = make_project(engine, lease_seconds=lease_minutes * 60)
    import_lines(engine, project, *[item(f"q-{i}") for i in range(len(spans))])
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user
    held = []
    with engine.begin() as conn:
        for start, _ in spans:
            held.append(claims.claim_next(conn, project, me, at(start)).assignment_id)
        for assignment_id, (_, end) in zip(held, spans, strict=True):
            if end is not None:
                submissions.submit(conn, me, assignment_id,
                                   Judgment(ranking=[["a"], ["b"]], strength=1), at(end))

    def ask(minute):
        with engine.connect() as conn:
            return fatigue_rules.break_until(conn, project.id, project.lease_seconds, me.id,
                                             RULE, at(minute))
    return ask


def test_a_break_is_due_only_after_a_long_stretch_without_a_pause(engine):
    ask = work_through(engine, [(m, m + 4) for m in range(0, 65, 5)])  # 0 to 64, 1-min gaps
    assert ask(65) == at(74)
    assert ask(73) == at(74)
    assert ask(74) is None  # the pause is complete


def test_a_stretch_shorter_than_the_work_limit_needs_no_break(engine):
    ask = work_through(engine, [(m, m + 4) for m in range(0, 60, 5)])  # 0 to 59
    assert ask(60) is None


def test_a_pause_of_the_break_length_starts_a_new_stretch(engine):
    assert work_through(engine, [(0, 40), (50, 80)])(81) is None  # 40, pause 10, 30


def test_a_pause_shorter_than_the_break_does_not(engine):
    assert work_through(engine, [(0, 40), (49, 80)])(81) == at(90)


def test_a_lease_held_across_a_pause_bridges_it(engine):
    # The first task is held from 0 to 45 while others are done: no pause until 70.
    assert work_through(engine, [(0, 45), (5, 10), (30, 70)])(71) == at(80)


def test_an_unfinished_lease_counts_until_now_but_not_past_its_expiry(engine):
    ask = work_through(engine, [(0, None)], lease_minutes=70)
    assert ask(65) == at(75)  # held since 0: working now
    assert ask(80) is None  # expired at 70: a pause since


def test_no_work_needs_no_break():
    assert fatigue_rules.break_due(None, None, T0, RULE) is None


def test_the_calibration_score_gives_partial_credit_on_kway_rankings():
    reference = [["c"], ["a"], ["b"]]
    assert calibration.agreement([(reference, reference)]) == 1.0
    one_swap = [["a"], ["c"], ["b"]]  # a-c swapped, a>b and c>b kept
    assert calibration.agreement([(one_swap, reference)]) == 2 / 3
    tie = [["a", "c"], ["b"]]
    assert calibration.agreement([(tie, reference)]) == 2 / 3
    assert calibration.agreement([]) is None


def test_gold_is_never_handed_out_alone_once_production_work_runs_out(engine):
    project = make_project(engine, overlap=1, gold_rate=1.0)
    import_lines(engine, project, item("q-1", gold=[["a"], ["b"]]), item("q-2"),
                 item("q-3", gold=[["a"], ["b"]]))
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user
    other = make_user(engine, "other", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        assert claims.claim_next(conn, project, other, utcnow()).task.id == "q-1"
        assert claims.claim_next(conn, project, other, utcnow()).task.id == "q-3"
        assert claims.claim_next(conn, project, other, utcnow()).task.id == "q-2"
        assert claims.claim_next(conn, project, me, utcnow()) is None  # q-2 is full
