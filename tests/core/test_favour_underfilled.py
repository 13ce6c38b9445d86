"""The ``favour_underfilled`` routing rule: fresh tasks of the categories furthest below
their prompt-mix target come first, started tasks still before them, and the claim stays
atomic under concurrent claims; on SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from accord.core.admin import projects as admin_projects
from accord.core.errors import InvalidInput
from accord.core.work import claims
from accord.core.work import rules as work_rules
from accord.core.work.underfilled import below_target
from accord.db.tables import assignments, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user


def _project(engine, name="routed", overlap=1, targets=None, rule=True):
    project = make_project(engine, name, overlap=overlap)
    with engine.begin() as conn:
        for i in range(4):
            add_comparison(conn, project, f"coding-{i}", category="coding")
        for i in range(4):
            add_comparison(conn, project, f"qa-{i}", category="qa")
        changes: dict = {"mix": targets or {"coding": 0.2, "qa": 0.8}}
        if rule:
            changes["rules"] = {"favour_underfilled": True}
        return admin_projects.change(conn, None, name, changes, utcnow())


def _claims(engine, project, person, count):
    got = []
    for _ in range(count):
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, person, utcnow())
            got.append(None if claim is None else claim.task.id.split("-")[0])
    return got


def test_the_order_is_by_gap_largest_first_and_on_target_categories_are_left_out():
    assert below_target({"coding": 0.2, "qa": 0.8}, {}) == ["qa", "coding"]
    assert below_target({"coding": 0.2, "qa": 0.8}, {"qa": 1}) == ["coding"]
    assert below_target({"coding": 0.2, "qa": 0.8}, {"qa": 4, "coding": 1}) == []
    assert below_target({"a": 0.3, "b": 0.3}, {"c": 5}) == ["a", "b"]


def test_claims_follow_the_gap_then_the_usual_order(engine):
    project = _project(engine)
    people = [make_user(engine, f"ann{i}", project=project, roles=("annotator",)).user
              for i in range(8)]
    # one claim each (overlap 1): the share of taken slots moves with every claim
    got = [_claims(engine, project, person, 1)[0] for person in people]
    # qa (0.8 lacking), coding (qa at 100 %), qa, qa, qa (qa 3/4 still 0.05 short),
    # then both on target: the usual order (coding first), and qa has no task left
    assert got == ["qa", "coding", "qa", "qa", "qa", "coding", "coding", "coding"]


def test_without_the_rule_targets_do_not_route(engine):
    project = _project(engine, rule=False)
    person = make_user(engine, "ann", project=project, roles=("annotator",)).user
    assert _claims(engine, project, person, 2) == ["coding", "coding"]


def test_a_started_task_is_finished_before_a_fresh_under_filled_one(engine):
    project = _project(engine, overlap=2)
    first, second = (make_user(engine, n, project=project, roles=("annotator",)).user
                     for n in ("ann0", "ann1"))
    with engine.begin() as conn:
        claimed = claims.claim_next(conn, project, first, utcnow())
        assert claimed is not None and claimed.task.id == "qa-0"
    with engine.begin() as conn:
        # qa holds every taken slot, coding lacks 0.2, but qa-0 is started: it comes first
        claimed = claims.claim_next(conn, project, second, utcnow())
        assert claimed is not None and claimed.task.id == "qa-0"


def test_the_rule_is_checked_when_written(engine):
    make_project(engine, "p")
    with pytest.raises(InvalidInput, match=r"settings\.favour_underfilled must be true or "
                                           r"false, not 'yes'"), engine.begin() as conn:
        work_rules.update_rules(conn, "p", changes={"favour_underfilled": "yes"})
    with engine.begin() as conn:
        on = work_rules.update_rules(conn, "p", changes={"favour_underfilled": True})
        assert work_rules.as_settings(work_rules.rules_of(on)) == {"favour_underfilled": True}
        off = work_rules.update_rules(conn, "p", changes={"favour_underfilled": False})
        assert work_rules.as_settings(work_rules.rules_of(off)) == {}


def test_concurrent_claims_never_share_a_task(engine):
    project = _project(engine)
    people = [make_user(engine, f"ann{i}", project=project, roles=("annotator",)).user
              for i in range(4)]
    taken: list[str] = []
    lock = threading.Lock()
    failures: list[BaseException] = []

    def work(person):
        try:
            while True:
                with engine.begin() as conn:
                    claim = claims.claim_next(conn, project, person, utcnow())
                if claim is None:
                    return
                with lock:
                    taken.append(claim.task.id)
        except BaseException as error:  # reported below, on the test's thread
            failures.append(error)

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert sorted(taken) == sorted([f"coding-{i}" for i in range(4)]
                                   + [f"qa-{i}" for i in range(4)])
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(assignments)).scalar_one() == 8
        assert conn.execute(select(func.max(tasks.c.taken))).scalar_one() == 1
