"""Demonstrations reviewed twice, blind: the seeded share and the categories that need two
accepts; and two reviewers deciding one demonstration at once, of whom exactly one wins."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from accord.core.demonstrations import lifecycle, rubric
from accord.core.errors import Conflict, InvalidInput
from accord.core.projects.project import get_project
from accord.db.tables import audit_events, demonstration_reviews, demonstrations
from accord.db.types import utcnow
from tests.demonstration_helpers import good_review, reviewer, write, writer
from tests.factories import make_project


def configure(engine, document):
    with engine.begin() as conn:
        rubric.configure(conn, None, "sft", document, utcnow())
        return get_project(conn, "sft")


def review(engine, who, demo, decision, version=1, **fields):
    with engine.connect() as conn:
        body = {**good_review(get_project(conn, "sft")), **fields}
    with engine.begin() as conn:
        return lifecycle.decide(conn, who, "sft", demo, version=version, decision=decision,
                                now=utcnow(), **body)


def row(engine, demo):
    with engine.connect() as conn:
        return conn.execute(select(demonstrations).where(demonstrations.c.id == demo)).one()


def test_a_category_that_needs_two_accepts_waits_for_the_second_reviewer(engine):
    project = make_project(engine, "sft")
    project = configure(engine, {"two_accepts_for": ["safety"]})
    wendy, rita, rob = (writer(engine, project, "wendy"), reviewer(engine, project, "rita"),
                        reviewer(engine, project, "rob"))
    demo = write(engine, project, wendy, "s-1", "I can't help with that.", category="safety")
    first = review(engine, rita, demo, "accept")
    assert (first.status, first.reviews_in, first.reviews_needed) == ("in_review", 1, 2)
    with pytest.raises(Conflict, match="you already reviewed version 1"):
        review(engine, rita, demo, "accept")
    second = review(engine, rob, demo, "accept")
    assert (second.status, second.rounds) == ("accepted", 1)
    with engine.connect() as conn:
        blind = conn.execute(select(demonstration_reviews.c.blind)).scalars().all()
    assert blind == [True, True]


def test_the_stricter_of_two_reviews_settles_the_version(engine):
    project = make_project(engine, "sft")
    project = configure(engine, {"two_accepts_for": ["qa"]})
    wendy, rita, rob = (writer(engine, project, "wendy"), reviewer(engine, project, "rita"),
                        reviewer(engine, project, "rob"))
    demo = write(engine, project, wendy, "q-1", "Paris.")
    review(engine, rita, demo, "accept")
    settled = review(engine, rob, demo, "send_back", comment="Answer in a sentence.")
    assert settled.status == "sent_back"


def test_an_edit_by_the_first_of_two_reviewers_is_the_accepted_text(engine):
    project = make_project(engine, "sft")
    project = configure(engine, {"two_accepts_for": ["qa"]})
    wendy, rita, rob = (writer(engine, project, "wendy"), reviewer(engine, project, "rita"),
                        reviewer(engine, project, "rob"))
    demo = write(engine, project, wendy, "q-1", "Paris.")
    review(engine, rita, demo, "accept_with_edits", edited_text="The capital is Paris.")
    settled = review(engine, rob, demo, "accept")
    assert (settled.status, settled.version) == ("accepted", 2)


def test_the_double_share_is_a_seeded_draw(engine):
    rules = rubric.ReviewRules((), (), 0.5, frozenset(), seed=7)
    draws = [rubric.drawn_for_double_review(rules, 1, a) for a in range(2000)]
    assert draws == [rubric.drawn_for_double_review(rules, 1, a) for a in range(2000)]
    assert 900 < sum(draws) < 1100
    everyone = rubric.ReviewRules((), (), 1.0, frozenset(), seed=7)
    assert all(rubric.drawn_for_double_review(everyone, 1, a) for a in range(50))
    project = make_project(engine, "sft")
    project = configure(engine, {"double_share": 1.0})
    demo = write(engine, project, writer(engine, project, "wendy"), "q-1", "Paris.")
    assert (row(engine, demo).double_review, row(engine, demo).reviews_needed) == (True, 2)


def test_bad_review_rules_are_refused_naming_the_key(engine):
    make_project(engine, "sft")
    for document, message in [
        ({"double_share": 2}, "double_share must be a number from 0 to 1"),
        ({"rubric_checks": ["safe", "safe"]}, "repeat a check"),
        ({"colour": "red"}, "demonstration_review.colour is not a setting"),
        ({"rubric_checks": [""]}, r"rubric_checks\[0\]"),
    ]:
        with pytest.raises(InvalidInput, match=message):
            configure(engine, document)


def test_setting_the_rules_is_audited(engine):
    make_project(engine, "sft")
    configure(engine, {"rubric_checks": ["cites a source"], "double_share": 0.25})
    with engine.connect() as conn:
        event = conn.execute(select(audit_events).where(
            audit_events.c.action == "demonstration.rules_set")).one()
    assert event.details["rules"]["rubric_checks"] == ["cites a source"]


DEMOS = 6


def test_two_reviewers_deciding_at_once_cannot_both_win(engine):
    """Each pair of reviewers is released together by a barrier on separate connections;
    on PostgreSQL both read the demonstration in review before either writes."""
    project = make_project(engine, "sft")
    wendy, rita, rob = (writer(engine, project, "wendy"), reviewer(engine, project, "rita"),
                        reviewer(engine, project, "rob"))
    demos = [write(engine, project, wendy, f"d-{i}", f"answer {i}") for i in range(DEMOS)]
    outcomes: dict[int, list[str]] = {d: [] for d in demos}
    for demo in demos:
        barrier = threading.Barrier(2)

        def race(who, decision, demo=demo, barrier=barrier):
            barrier.wait()
            try:
                review(engine, who, demo, decision, comment="because")
                outcomes[demo].append(decision)
            except Conflict:
                outcomes[demo].append("conflict")

        threads = [threading.Thread(target=race, args=(rita, "accept")),
                   threading.Thread(target=race, args=(rob, "reject"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with engine.connect() as conn:
        reviews = dict(conn.execute(select(demonstration_reviews.c.demonstration_id,
                                           func.count()).group_by(
            demonstration_reviews.c.demonstration_id)).all())
        settled = dict(conn.execute(select(demonstrations.c.id, demonstrations.c.status)).all())
    for demo, seen in outcomes.items():
        assert sorted(seen).count("conflict") == 1, seen
        winner = next(s for s in seen if s != "conflict")
        assert settled[demo] == {"accept": "accepted", "reject": "rejected"}[winner]
        assert reviews[demo] == 1
