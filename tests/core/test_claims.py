"""Claims: who gets which task, in what order, and how leases return to the pool."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import assignments, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, add_comparisons, make_project, make_user

FIRST = Judgment(ranking=[["a"], ["b"]], strength=2)


def claim(engine, project, user, now=None):
    with engine.begin() as conn:
        return claims.claim_next(conn, project, user, now or utcnow())


def submit(engine, user, assignment_id, judgment=FIRST, now=None):
    with engine.begin() as conn:
        return submissions.submit(conn, user, assignment_id, judgment, now or utcnow())


def test_a_task_goes_to_at_most_overlap_distinct_annotators(engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 1)
    people = [make_user(engine, f"ann{i}", project=project, roles=("annotator",)).user
              for i in range(3)]
    first, second, third = (claim(engine, project, p) for p in people)
    assert first.task.id == second.task.id == "item-0"
    assert third is None


def test_an_annotator_never_gets_the_same_task_twice(engine):
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 2)
    me = make_user(engine, "solo", project=project, roles=("annotator",)).user
    seen = [claim(engine, project, me).task.id for _ in range(2)]
    assert sorted(seen) == ["item-0", "item-1"]
    assert claim(engine, project, me) is None


def test_started_tasks_are_finished_before_fresh_ones(engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 3)
    alice = make_user(engine, "alice", project=project, roles=("annotator",)).user
    bob = make_user(engine, "bob", project=project, roles=("annotator",)).user
    # alice takes item-0 and item-1; bob should get one of those, not a fresh item-2
    claim(engine, project, alice)
    claim(engine, project, alice)
    assert claim(engine, project, bob).task.id in {"item-0", "item-1"}


def test_higher_priority_comes_first(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "low")
        add_comparison(conn, project, "urgent", priority=5)
    me = make_user(engine, "me", project=project, roles=("annotator",)).user
    assert claim(engine, project, me).task.id == "urgent"


def test_tasks_requiring_expertise_go_only_to_experts(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "proof", expertise=("stem.math",))
    novice = make_user(engine, "novice", project=project, roles=("annotator",)).user
    expert = make_user(engine, "expert", project=project, roles=("annotator",),
                       expertise=["stem.math", "coding"]).user
    assert claim(engine, project, novice) is None
    assert claim(engine, project, expert).task.id == "proof"


def test_display_order_is_recorded_and_shown(engine):
    project = make_project(engine, overlap=1)
    with engine.begin() as conn:
        add_comparison(conn, project, "k", contents={"a": "A", "b": "B", "c": "C", "d": "D"})
    me = make_user(engine, "me", project=project, roles=("annotator",)).user
    got = claim(engine, project, me)
    shown = [r.id for r in got.task.responses]
    with engine.connect() as conn:
        recorded = conn.execute(select(assignments.c.display_order)).scalar_one()
    assert recorded == shown
    assert sorted(shown) == ["a", "b", "c", "d"]
    assert [r.content for r in got.task.responses] == [s.upper() for s in shown]


def test_expired_lease_returns_the_slot(engine):
    project = make_project(engine, overlap=1, lease_seconds=60)
    add_comparisons(engine, project, 1)
    alice = make_user(engine, "alice", project=project, roles=("annotator",)).user
    bob = make_user(engine, "bob", project=project, roles=("annotator",)).user
    start = utcnow()
    assert claim(engine, project, alice, start) is not None
    assert claim(engine, project, bob, start + timedelta(seconds=30)) is None
    later = claim(engine, project, bob, start + timedelta(seconds=61))
    assert later is not None and later.task.id == "item-0"
    with engine.connect() as conn:
        statuses = sorted(conn.execute(select(assignments.c.status)).scalars())
    assert statuses == ["active", "expired"]


def test_task_completes_when_overlap_is_reached(engine):
    project = make_project(engine, overlap=2)
    add_comparisons(engine, project, 1)
    for name in ("x", "y"):
        user = make_user(engine, name, project=project, roles=("annotator",)).user
        submit(engine, user, claim(engine, project, user).assignment_id)
    with engine.connect() as conn:
        row = conn.execute(select(tasks.c.status, tasks.c.taken, tasks.c.submitted)).one()
        assert tuple(row) == ("complete", 2, 2)
        assert conn.execute(select(func.count()).select_from(assignments)).scalar_one() == 2
