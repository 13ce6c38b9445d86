"""Every decision that changes what a task's consensus is (an adjudication, an escalation
opened or moved, a guideline version published) writes exactly one audit event, with who,
what and why, in the same transaction; a refused decision writes none."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import Conflict, Forbidden, InvalidInput
from accord.core.guidelines import drafts as guideline_drafts
from accord.core.review import adjudication, audit, escalation
from accord.db.tables import audit_events, escalations, users
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user, publish_guideline
from tests.review_helpers import annotate, split_task


def _events(engine) -> list[tuple]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(audit_events.c.action, users.c.name, audit_events.c.subject,
                   audit_events.c.details)
            .outerjoin(users, users.c.id == audit_events.c.actor_id)
            .order_by(audit_events.c.id))]


def test_an_adjudication_writes_one_event_with_the_ranking_and_the_reason(engine):
    project = make_project(engine)
    split_task(engine, project)
    rev = make_user(engine, "rev", project=project, roles=("reviewer",)).user
    with engine.begin() as conn, pytest.raises(InvalidInput):
        adjudication.decide(conn, rev, "prefs", "split-1", [["b"], ["a"]], "", utcnow())
    assert _events(engine) == []
    with engine.begin() as conn:
        adjudication.decide(conn, rev, "prefs", "split-1", [["b"], ["a"]], "B is correct.",
                            utcnow())
    [(action, who, subject, details)] = _events(engine)
    assert (action, who, subject) == ("adjudication.decided", "rev", "task split-1")
    assert details["ranking"] == [["b"], ["a"]] and details["rationale"] == "B is correct."
    assert details["previous"] == {"method": "majority", "ranking": [["a"], ["b"]]}
    with engine.begin() as conn, pytest.raises(Conflict):
        adjudication.decide(conn, rev, "prefs", "split-1", [["a"], ["b"]], "again", utcnow())
    assert len(_events(engine)) == 1


def test_each_escalation_step_writes_one_event(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "bad")
    annotate(engine, project, {"ann1": [["a"], ["b"]]}, flags={"ann1": ["unsafe"]},
             rationale="step-by-step harm")
    safe = make_user(engine, "safe", project=project, roles=("safety_specialist",)).user
    with engine.connect() as conn:
        item = conn.execute(select(escalations.c.id)).scalar_one()
    [(action, who, subject, details)] = _events(engine)
    assert (action, who, subject) == ("escalation.opened", "ann1", "task bad")
    assert (details["severity"], details["reason"]) == (1, "step-by-step harm")
    with engine.begin() as conn:
        escalation.set_status(conn, safe, "prefs", item, "in_review", "", utcnow(),
                              severity=3)
    with engine.begin() as conn, pytest.raises(InvalidInput):
        escalation.set_status(conn, safe, "prefs", item, "resolved", " ", utcnow())
    with engine.begin() as conn:
        escalation.set_status(conn, safe, "prefs", item, "resolved", "Removed from the pool.",
                              utcnow())
    with engine.begin() as conn, pytest.raises(Conflict, match="resolved"):
        escalation.set_status(conn, safe, "prefs", item, "in_review", "", utcnow())
    events = _events(engine)
    assert [(a, w) for a, w, _, _ in events] == [
        ("escalation.opened", "ann1"), ("escalation.in_review", "safe"),
        ("escalation.resolved", "safe")]
    assert events[1][3] == {"escalation": item, "from": "open", "to": "in_review",
                                 "note": "", "severity": 3}
    assert (events[2][3]["from"], events[2][3]["note"]) == ("in_review", "Removed from the pool.")


def test_publishing_writes_one_event_whichever_way_it_is_published(engine):
    project = make_project(engine)
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    publish_guideline(engine, project, "Direct.", change_note="Seeded.")
    with engine.begin() as conn:
        guideline_drafts.create_draft(conn, boss, "prefs", {"change_note": "Second."}, utcnow())
        guideline_drafts.update_draft(conn, boss, "prefs", 2, {"text": "Drafted."}, utcnow())
    assert len(_events(engine)) == 1  # drafting is not a decision
    with engine.begin() as conn:
        guideline_drafts.publish(conn, boss, "prefs", 2, utcnow())
    assert [(a, w, s, d["change_note"]) for a, w, s, d in _events(engine)] == [
        ("guideline.published", None, "guideline version 1", "Seeded."),
        ("guideline.published", "boss", "guideline version 2", "Second.")]


def test_the_trail_is_for_managers_newest_first(engine):
    project = make_project(engine)
    split_task(engine, project)
    rev = make_user(engine, "rev", project=project, roles=("reviewer",)).user
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    publish_guideline(engine, project, "v1")
    with engine.begin() as conn:
        adjudication.decide(conn, rev, "prefs", "split-1", [["a"], ["b"]], "A.", utcnow())
    with engine.connect() as conn:
        assert [e.action for e in audit.events(conn, boss, "prefs").items] == \
            ["adjudication.decided", "guideline.published"]
        assert [e.actor for e in audit.events(conn, boss, "prefs", action="adjudication.").items] \
            == ["rev"]
        with pytest.raises(Forbidden):
            audit.events(conn, rev, "prefs")
