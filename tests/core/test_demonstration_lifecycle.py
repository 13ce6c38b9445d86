"""The state machine of a demonstration: every legal transition and every illegal one, on
SQLite and PostgreSQL, through the real annotation loop and the core functions."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.demonstrations import lifecycle, states
from accord.core.errors import Conflict, Forbidden, InvalidInput
from accord.db.tables import (
    audit_events,
    demonstration_reviews,
    demonstration_versions,
    demonstrations,
)
from accord.db.types import utcnow
from tests.demonstration_helpers import good_review, reviewer, write, writer
from tests.factories import make_project

TEXT = "Photosynthesis turns light, water and CO2 into sugar and oxygen."


@pytest.fixture
def world(engine):
    project = make_project(engine, "sft")
    people = {"wendy": writer(engine, project, "wendy"), "rita": reviewer(engine, project, "rita"),
              "rob": reviewer(engine, project, "rob")}
    demo = write(engine, project, people["wendy"], "d-1", TEXT)
    return project, people, demo


def decide(engine, who, demo, decision, *, version=1, project_name="sft", **fields):
    body = {**good_review_of(engine), "comment": "", **fields}
    with engine.begin() as conn:
        return lifecycle.decide(conn, who, project_name, demo, version=version,
                                decision=decision, now=utcnow(), **body)


def good_review_of(engine):
    from accord.core.projects.project import get_project

    with engine.connect() as conn:
        return good_review(get_project(conn, "sft"))


def revise(engine, who, demo, text, *, version):
    with engine.begin() as conn:
        return lifecycle.revise(conn, who, "sft", demo, version=version, text=text, now=utcnow())


def snapshot(engine, demo):
    with engine.connect() as conn:
        row = conn.execute(select(demonstrations).where(demonstrations.c.id == demo)).one()
        counts = [conn.execute(select(func.count()).select_from(t)).scalar_one()
                  for t in (demonstration_versions, demonstration_reviews, audit_events)]
        return tuple(row), counts


def actions(engine, demo):
    with engine.connect() as conn:
        return [r.action for r in conn.execute(
            select(audit_events.c.action).where(audit_events.c.subject == f"demonstration {demo}")
            .order_by(audit_events.c.id))]


def test_a_submitted_demonstration_is_version_one_in_review(engine, world):
    _, people, demo = world
    with engine.connect() as conn:
        row = conn.execute(select(demonstrations).where(demonstrations.c.id == demo)).one()
        version = conn.execute(select(demonstration_versions)).one()
    assert (row.status, row.version, row.rounds, row.reviews_needed) == ("in_review", 1, 0, 1)
    assert (version.text, version.reason, version.author_id) == (TEXT, "written",
                                                                 people["wendy"].id)
    assert actions(engine, demo) == ["demonstration.written"]


def test_accept_settles_the_demonstration_in_one_round(engine, world):
    _, people, demo = world
    settled = decide(engine, people["rita"], demo, "accept")
    assert (settled.status, settled.version, settled.rounds) == ("accepted", 1, 1)
    assert actions(engine, demo)[-2:] == ["demonstration.reviewed", "demonstration.accepted"]


def test_accept_with_edits_makes_the_reviewers_text_the_final_version(engine, world):
    _, people, demo = world
    edited = TEXT.replace("CO2", "carbon dioxide")
    settled = decide(engine, people["rita"], demo, "accept_with_edits", edited_text=edited)
    assert (settled.status, settled.version) == ("accepted", 2)
    with engine.connect() as conn:
        final = conn.execute(select(demonstration_versions).where(
            demonstration_versions.c.number == 2)).one()
    assert (final.text, final.reason, final.author_id) == (edited, "reviewer_edit",
                                                           people["rita"].id)
    assert final.edit_distance == len("carbon dioxide")  # 3 substituted, 11 inserted


def test_send_back_then_revise_returns_a_new_version_to_review(engine, world):
    _, people, demo = world
    back = decide(engine, people["rita"], demo, "send_back", comment="Mention chlorophyll.")
    assert (back.status, back.version, back.rounds) == ("sent_back", 1, 1)
    again = revise(engine, people["wendy"], demo, TEXT + " Chlorophyll absorbs the light.",
                   version=1)
    assert (again.status, again.version, again.reviews_in) == ("in_review", 2, 0)
    done = decide(engine, people["rita"], demo, "accept", version=2)
    assert (done.status, done.version, done.rounds) == ("accepted", 2, 2)
    assert actions(engine, demo) == [
        "demonstration.written", "demonstration.reviewed", "demonstration.sent_back",
        "demonstration.revised", "demonstration.reviewed", "demonstration.accepted"]


def test_reject_needs_a_reason_and_keeps_it(engine, world):
    _, people, demo = world
    with pytest.raises(InvalidInput, match="rejection needs a reason"):
        decide(engine, people["rita"], demo, "reject")
    settled = decide(engine, people["rita"], demo, "reject", comment="Off topic.")
    assert settled.status == "rejected"
    with engine.connect() as conn:
        assert conn.execute(select(demonstrations.c.reject_reason)).scalar_one() == "Off topic."


def _bring_to(engine, people, demo, status):
    if status == "sent_back":
        decide(engine, people["rita"], demo, "send_back", comment="More detail.")
    elif status == "accepted":
        decide(engine, people["rita"], demo, "accept")
    elif status == "rejected":
        decide(engine, people["rita"], demo, "reject", comment="Wrong.")


ILLEGAL = [(status, action) for status in states.STATES for action in states.ACTIONS
           if action not in states.ALLOWED[status]]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_an_illegal_action_is_refused_naming_state_and_action_and_changes_nothing(
        engine, world, status, action):
    _, people, demo = world
    _bring_to(engine, people, demo, status)
    before = snapshot(engine, demo)
    with pytest.raises(Conflict, match=f"is {status}: it cannot be") as refused:
        if action == "revise":
            revise(engine, people["wendy"], demo, TEXT + " more", version=1)
        else:
            decide(engine, people["rob"], demo, action, comment="why", edited_text=TEXT + "!")
    assert refused.value.details == {"status": status, "action": action}
    assert snapshot(engine, demo) == before


def test_the_table_of_legal_actions_is_the_documented_one():
    assert {s: sorted(a) for s, a in states.ALLOWED.items()} == {
        "in_review": ["accept", "accept_with_edits", "reject", "send_back"],
        "sent_back": ["revise"], "accepted": [], "rejected": []}


def test_a_reviewer_never_reviews_their_own_writing(engine):
    project = make_project(engine, "sft")
    both = writer(engine, project, "wren")
    with engine.begin() as conn:
        from accord.core.projects.project import add_member
        add_member(conn, project, both, "reviewer")
    demo = write(engine, project, both, "d-1", TEXT)
    before = snapshot(engine, demo)
    with pytest.raises(Forbidden, match="you wrote demonstration"):
        decide(engine, both, demo, "accept")
    assert snapshot(engine, demo) == before


def test_only_the_writer_revises(engine, world):
    _, people, demo = world
    decide(engine, people["rita"], demo, "send_back", comment="More.")
    with pytest.raises(Forbidden, match="only its writer"):
        revise(engine, people["rob"], demo, TEXT + " more", version=1)


def test_bad_reviews_are_refused_naming_what_is_wrong(engine, world):
    _, people, demo = world
    before = snapshot(engine, demo)
    checks = {**good_review_of(engine)["checks"], "safe": False}
    with pytest.raises(Conflict, match='"safe" is not ticked'):
        decide(engine, people["rita"], demo, "accept", checks=checks)
    with pytest.raises(Conflict, match='"helpfulness" must be a whole number from 1 to 5'):
        decide(engine, people["rita"], demo, "accept", scores={"helpfulness": 9, "honesty": 3})
    with pytest.raises(Conflict, match='give "honesty" a score'):
        decide(engine, people["rita"], demo, "accept", scores={"helpfulness": 3})
    with pytest.raises(InvalidInput, match="sending back needs a comment"):
        decide(engine, people["rita"], demo, "send_back")
    with pytest.raises(Conflict, match="same as the version reviewed"):
        decide(engine, people["rita"], demo, "accept_with_edits", edited_text=TEXT)
    with pytest.raises(Conflict, match="is at version 1, not 2"):
        decide(engine, people["rita"], demo, "accept", version=2)
    assert snapshot(engine, demo) == before


def test_a_revision_that_changes_nothing_is_refused(engine, world):
    _, people, demo = world
    decide(engine, people["rita"], demo, "send_back", comment="More.")
    with pytest.raises(Conflict, match="the same as version 1"):
        revise(engine, people["wendy"], demo, TEXT, version=1)
