"""Worked examples: stored with the guideline version they were published in, read back
with their task's excerpt and response ids, and rejected whole when one names a task the
project does not have."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from accord.core.errors import InvalidInput
from accord.core.guidelines.current import current_guideline, excerpt, publish_version
from accord.db.tables import guideline_examples, guideline_versions, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, publish_guideline

SHORT = {"task": "short", "title": "Length is not quality", "better_response": "a",
         "explanation": "**A** says the same in half the words."}
GENERAL = {"task": None, "title": "Ties are rare", "better_response": "",
           "explanation": "Look for the deciding difference first."}


def test_examples_are_stored_with_their_version_and_read_back_in_order(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "short", contents={"a": "Paris.", "b": "Well, " * 50})
    publish_guideline(engine, project, "v1", examples=[SHORT, GENERAL])
    with engine.connect() as conn:
        guideline = current_guideline(conn, project)
    assert guideline is not None
    first, second = guideline.examples
    assert (first.title, first.better_response, first.task) == ("Length is not quality", "a",
                                                                "short")
    assert first.excerpt == "question short" and first.response_ids == ("a", "b")
    assert first.explanation == SHORT["explanation"]
    assert (second.title, second.task, second.excerpt, second.response_ids) == (
        "Ties are rare", None, "", ())


def test_examples_belong_to_their_version_only(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        add_comparison(conn, project, "short")
    publish_guideline(engine, project, "v1", examples=[SHORT])
    publish_guideline(engine, project, "v2")
    with engine.connect() as conn:
        guideline = current_guideline(conn, project)
        assert guideline is not None and guideline.version == 2 and guideline.examples == ()
        versions = conn.execute(
            select(guideline_versions.c.version, func.count(guideline_examples.c.id))
            .outerjoin(guideline_examples)
            .group_by(guideline_versions.c.version).order_by(guideline_versions.c.version)
        ).all()
    assert [tuple(row) for row in versions] == [(1, 1), (2, 0)]


def test_a_task_of_another_project_is_rejected_by_index_and_nothing_is_stored(engine):
    project = make_project(engine)
    other = make_project(engine, "other")
    with engine.begin() as conn:
        add_comparison(conn, project, "short")
        add_comparison(conn, other, "theirs")
    bad = {**SHORT, "task": "theirs"}
    message = r"examples\[1\]: task 'theirs' is not in project 'prefs'"
    with pytest.raises(InvalidInput, match=message) as raised, engine.begin() as conn:
        publish_version(conn, project, "v1", utcnow(), examples=[SHORT, bad])
    assert raised.value.details == {"index": 1, "task": "theirs"}
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(guideline_versions)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(guideline_examples)).scalar() == 0


def test_an_example_needs_a_title(engine):
    project = make_project(engine)
    untitled = [{**GENERAL, "title": " "}]
    message = r"examples\[0\]: a worked example needs a title"
    with pytest.raises(InvalidInput, match=message), engine.begin() as conn:
        publish_version(conn, project, "v1", utcnow(), examples=untitled)


def test_a_deleted_task_leaves_the_example_without_its_link(engine):
    project = make_project(engine)
    with engine.begin() as conn:
        task_id = add_comparison(conn, project, "short")
    publish_guideline(engine, project, "v1", examples=[SHORT])
    with engine.begin() as conn:
        conn.execute(delete(tasks).where(tasks.c.id == task_id))
    with engine.connect() as conn:
        guideline = current_guideline(conn, project)
    assert guideline is not None
    (example,) = guideline.examples
    assert (example.title, example.task, example.response_ids) == (
        "Length is not quality", None, ())


def test_the_excerpt_is_the_first_user_message_cut_short():
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "x" * 400}, {"role": "user", "content": "later"}]
    assert excerpt(messages) == "x" * 300 + "…"
    assert excerpt([{"role": "system", "content": "only"}]) == "only"
    assert excerpt(None) == "" and excerpt([]) == ""
