"""Guideline versions managed for real: a draft copied from the current version, edited,
previewed without writing, published as the next number and immutable from then on; bad
input names the field and changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.core.guidelines import drafts
from accord.core.guidelines.current import current_guideline
from accord.core.projects.project import get_project
from accord.db.tables import audit_events, guideline_examples, guideline_versions
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user, publish_guideline

FIRST = {
    "text": "Rank the responses **best first**.",
    "dimensions": [{"name": "helpfulness", "min": 1, "max": 5, "definition": "Does the task."},
                   {"name": "honesty", "min": 1, "max": 5, "definition": "Says only true things."}],
    "priority": ["honesty", "helpfulness"],
    "edge_cases": [{"title": "Ties", "text": "Tie only when no difference matters."}],
    "escalation_rules": [{"title": "Unsafe", "text": "Flag and submit."}],
    "examples": [{"task": "item-0", "title": "Short wins", "better_response": "a",
                  "explanation": "A answers; B pads."}],
    "change_note": "First version.",
    "requires_recalibration": True,
}


@pytest.fixture
def world(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).user
    return project, boss, annotator


def _snapshot(engine) -> list[tuple]:
    with engine.connect() as conn:
        versions = conn.execute(select(guideline_versions).order_by(guideline_versions.c.id))
        examples = conn.execute(select(guideline_examples).order_by(guideline_examples.c.id))
        events = conn.execute(select(func.count()).select_from(audit_events)).scalar_one()
        return [tuple(r) for r in versions] + [tuple(r) for r in examples] + [("events", events)]


def test_draft_preview_publish_then_immutable(engine, world):
    project, boss, _ = world
    with engine.begin() as conn:
        draft = drafts.create_draft(conn, boss, "prefs", FIRST, utcnow())
        assert (draft.version, draft.status) == (1, "draft")
        assert draft.document.priority == ["honesty", "helpfulness"]
        assert current_guideline(conn, project) is None  # a draft is not in force
        shown = drafts.preview(conn, boss, "prefs", 1, {"text": "Unsaved *wording*."})
        assert shown.text == "Unsaved *wording*."
        assert [d.name for d in shown.dimensions] == ["honesty", "helpfulness"]
        assert [e.task for e in shown.examples] == ["item-0"]
    with engine.connect() as conn:  # the preview wrote nothing
        assert conn.execute(select(guideline_versions.c.text)).scalar_one() == FIRST["text"]
    with engine.begin() as conn:
        drafts.update_draft(conn, boss, "prefs", 1, {"change_note": "First, edited."}, utcnow())
        published = drafts.publish(conn, boss, "prefs", 1, utcnow())
        assert (published.version, published.status) == (1, "published")
        assert published.requires_recalibration
        now_in_force = current_guideline(conn, get_project(conn, "prefs"))
        assert (now_in_force.version, now_in_force.change_note) == (1, "First, edited.")
    before = _snapshot(engine)
    with engine.begin() as conn, pytest.raises(Conflict, match="published"):
        drafts.update_draft(conn, boss, "prefs", 1, {"text": "rewritten"}, utcnow())
    with engine.begin() as conn, pytest.raises(Conflict, match="already published"):
        drafts.publish(conn, boss, "prefs", 1, utcnow())
    assert _snapshot(engine) == before


def test_a_new_draft_copies_the_current_version_and_numbers_increase(engine, world):
    project, boss, _ = world
    publish_guideline(engine, project, "Version one.", dimensions=FIRST["dimensions"],
                      edge_cases={"ties": "Tie rarely."})
    with engine.begin() as conn:
        draft = drafts.create_draft(conn, boss, "prefs", {"change_note": "Two."}, utcnow())
        assert draft.version == 2
        assert draft.document.text == "Version one."
        assert draft.document.edge_cases == [{"title": "Ties", "text": "Tie rarely."}]
        assert draft.document.change_note == "Two."
        with pytest.raises(Conflict, match="already a draft"):
            drafts.create_draft(conn, boss, "prefs", {}, utcnow())
    # Publishing directly (the demo does) while a draft is open moves the draft up one.
    assert publish_guideline(engine, project, "Version two, published directly.") == 2
    with engine.begin() as conn:
        assert drafts.current_draft(conn, project).version == 3
        assert drafts.publish(conn, boss, "prefs", 3, utcnow()).version == 3
        published = conn.execute(
            select(guideline_versions.c.version).where(guideline_versions.c.status == "published")
            .order_by(guideline_versions.c.published_at, guideline_versions.c.id)).scalars().all()
        assert published == [1, 2, 3]
        assert current_guideline(conn, get_project(conn, "prefs")).version == 3


@pytest.mark.parametrize(("fields", "message"), [
    ({"examples": [{"task": "nope", "title": "x"}]}, r"examples\[0\]: task 'nope' is not in"),
    ({"priority": ["honesty"]}, "priority: .* leaves out helpfulness"),
    ({"priority": ["honesty", "helpfulness", "style"]}, "names style, which are not"),
    ({"dimensions": [{"name": "x", "min": 5, "max": 1}]}, r"dimensions\[0\]: min \(5\)"),
    ({"edge_cases": [{"title": "Empty"}]}, r"edge_cases\[0\]: an entry needs its text"),
    ({"edge_case": []}, "unknown field 'edge_case'"),
    ({"requires_recalibration": "yes"}, "requires_recalibration: expected true or false"),
])
def test_bad_input_is_named_and_changes_nothing(engine, world, fields, message):
    _, boss, _ = world
    with engine.begin() as conn:
        drafts.create_draft(conn, boss, "prefs", FIRST, utcnow())
    before = _snapshot(engine)
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        drafts.update_draft(conn, boss, "prefs", 1, fields, utcnow())
    with engine.begin() as conn, pytest.raises(InvalidInput, match=message):
        drafts.preview(conn, boss, "prefs", 1, fields)
    assert _snapshot(engine) == before


def test_a_bad_first_draft_stores_nothing(engine, world):
    _, boss, _ = world
    before = _snapshot(engine)
    with engine.begin() as conn, pytest.raises(InvalidInput, match="task 'gone'"):
        drafts.create_draft(conn, boss, "prefs",
                            {**FIRST, "examples": [{"task": "gone", "title": "t"}]}, utcnow())
    assert _snapshot(engine) == before


def test_publishing_an_empty_draft_is_refused(engine, world):
    _, boss, _ = world
    with engine.begin() as conn:
        drafts.create_draft(conn, boss, "prefs", {}, utcnow())
        with pytest.raises(InvalidInput, match="version 1 has no text"):
            drafts.publish(conn, boss, "prefs", 1, utcnow())


def test_only_managers_write_and_only_they_see_drafts(engine, world):
    project, boss, annotator = world
    publish_guideline(engine, project, "v1")
    with engine.begin() as conn:
        drafts.create_draft(conn, boss, "prefs", {"text": "v2 draft"}, utcnow())
        with pytest.raises(Forbidden):
            drafts.create_draft(conn, annotator, "prefs", {}, utcnow())
        with pytest.raises(Forbidden):
            drafts.update_draft(conn, annotator, "prefs", 2, {"text": "x"}, utcnow())
        with pytest.raises(Forbidden):
            drafts.publish(conn, annotator, "prefs", 2, utcnow())
        with pytest.raises(NotFound):
            drafts.get_version(conn, annotator, "prefs", 2)
        assert [v.version for v in drafts.list_versions(conn, annotator, "prefs")] == [1]
        assert [v.version for v in drafts.list_versions(conn, boss, "prefs")] == [2, 1]


def test_a_digest_decision_lands_in_the_draft(engine, world):
    project, boss, _ = world
    publish_guideline(engine, project, "v1")
    with engine.begin() as conn:
        made = drafts.add_to_draft(conn, boss, "prefs", "example",
                                   {"task": "item-1", "title": "Facts first",
                                    "better_response": "b", "explanation": "B is right."},
                                   utcnow())
        assert (made.version, made.status, made.document.text) == (2, "draft", "v1")
        again = drafts.add_to_draft(conn, boss, "prefs", "edge_case",
                                    {"title": "Dates", "text": "Check the year."}, utcnow())
        assert again.version == 2
        assert [e["title"] for e in again.document.examples] == ["Facts first"]
        assert again.document.edge_cases == [{"title": "Dates", "text": "Check the year."}]
        with pytest.raises(InvalidInput, match="kind 'rule'"):
            drafts.add_to_draft(conn, boss, "prefs", "rule", {}, utcnow())
