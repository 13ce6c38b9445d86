"""Safety escalation: an ``unsafe`` flag takes the task out of the pool and to the safety
specialists, who alone (with managers) see it and move it through in review to resolved."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.errors import InvalidInput, NotFound
from accord.core.review import escalation
from accord.core.work import claims
from accord.db.tables import escalations, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user
from tests.review_helpers import annotate


@pytest.fixture
def flagged(engine):
    project = make_project(engine, overlap=3)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad")
    annotate(engine, project, {"ann1": [["a"], ["b"]]}, flags={"ann1": ["unsafe"]})
    return project


def test_an_unsafe_flag_escalates_the_task_and_closes_its_queue(engine, flagged):
    with engine.connect() as conn:
        row = conn.execute(select(escalations)).one()
        assert (row.status, row.severity) == ("open", 1)
        assert conn.execute(select(tasks.c.status)).scalar_one() == "escalated"
    other = make_user(engine, "other", project=flagged, roles=("annotator",)).user
    with engine.begin() as conn:
        assert claims.claim_next(conn, flagged, other, utcnow()) is None


def test_each_item_in_the_queue_shows_its_own_tasks_responses(engine):
    project = make_project(engine, overlap=1)
    with engine.begin() as conn:
        for task in ("bad", "worse", "fine"):
            add_comparison(conn, project, task, contents={"a": f"{task} a", "b": f"{task} b"})
    annotate(engine, project, {"ann1": [["a"], ["b"]], "ann2": [["b"], ["a"]]},
             flags={"ann1": ["unsafe"], "ann2": ["unsafe"]})
    safety = make_user(engine, "safe", project=project, roles=("safety_specialist",)).user
    with engine.connect() as conn:
        items = escalation.escalated(conn, safety, "prefs")
        assert sorted((i.task_id, i.responses) for i in items) == [
            ("bad", [("a", "bad a"), ("b", "bad b")]),
            ("worse", [("a", "worse a"), ("b", "worse b")]),
        ]
        assert escalation.escalated(conn, safety, "prefs", status="resolved") == []


def test_a_second_flag_does_not_open_a_second_escalation(engine):
    project = make_project(engine, overlap=2)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad")
    annotate(engine, project, {"ann1": [["a"], ["b"]]}, flags={"ann1": ["unsafe"]})
    with engine.begin() as conn:
        created = escalation.escalate_flagged(
            conn, task_id=conn.execute(select(tasks.c.id)).scalar_one(), annotation_id=None,
            raised_by=None, severity=3, reason="again", now=utcnow())
        assert not created
        assert conn.execute(select(func.count()).select_from(escalations)).scalar_one() == 1


def test_unflagged_submissions_escalate_nothing(engine):
    project = make_project(engine, overlap=1)
    with engine.begin() as conn:
        add_comparison(conn, project, "fine")
    annotate(engine, project, {"ann1": [["a"], ["b"]]})
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(escalations)).scalar_one() == 0
        assert conn.execute(select(tasks.c.status)).scalar_one() == "complete"


def test_only_safety_specialists_and_managers_see_and_act(engine, flagged):
    safety = make_user(engine, "safe", project=flagged, roles=("safety_specialist",)).user
    manager = make_user(engine, "boss", project=flagged, roles=("manager",)).user
    reviewer = make_user(engine, "rev", project=flagged, roles=("reviewer",)).user
    with engine.begin() as conn:
        items = escalation.escalated(conn, safety, "prefs")
        assert [(i.task_id, i.status, [r for r, _ in i.responses]) for i in items] == \
            [("bad", "open", ["a", "b"])]
        assert len(escalation.escalated(conn, manager, "prefs")) == 1
        with pytest.raises(NotFound):
            escalation.escalated(conn, reviewer, "prefs")
        with pytest.raises(NotFound):
            escalation.set_status(conn, reviewer, "prefs", items[0].id, "in_review", "", utcnow())
        escalation.set_status(conn, safety, "prefs", items[0].id, "in_review", "", utcnow())
        with pytest.raises(InvalidInput):
            escalation.set_status(conn, safety, "prefs", items[0].id, "resolved", "", utcnow())
        with pytest.raises(InvalidInput):
            escalation.set_status(conn, safety, "prefs", items[0].id, "open", "x", utcnow())
        with pytest.raises(NotFound):
            escalation.set_status(conn, safety, "prefs", 999, "resolved", "x", utcnow())
        escalation.set_status(conn, safety, "prefs", items[0].id, "resolved", "removed",
                              utcnow())
        row = conn.execute(select(escalations)).one()
        assert (row.status, row.resolution, row.assigned_to) == ("resolved", "removed", safety.id)
        assert row.resolved_at is not None
