"""The disagreement digest: finished tasks ordered by how little their annotators agreed,
with every judgment and rationale; filters by category, guideline version, dates and
dimension."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from accord.core.errors import Forbidden, InvalidInput
from accord.core.review import digest
from accord.db.tables import annotations, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user, publish_guideline
from tests.review_helpers import annotate

UNANIMOUS = {"u1": [["a"], ["b"]], "u2": [["a"], ["b"]], "u3": [["a"], ["b"]]}
SPLIT = {"s1": [["a"], ["b"]], "s2": [["b"], ["a"]], "s3": [["a"], ["b"]]}


def _task(engine, project, task_id, rankings, category="qa"):
    with engine.begin() as conn:
        add_comparison(conn, project, task_id, category=category)
    annotate(engine, project, rankings)


@pytest.fixture
def world(engine):
    project = make_project(engine)
    publish_guideline(engine, project, "v1")
    _task(engine, project, "calm", UNANIMOUS)
    _task(engine, project, "split", SPLIT, category="coding")
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    return project, boss


def test_the_most_disputed_task_comes_first_with_every_rationale(engine, world):
    _, boss = world
    with engine.connect() as conn:
        found = digest.digest(conn, boss, "prefs")
    assert [e.task_id for e in found.entries] == ["split", "calm"]
    split, calm = found.entries
    # 2 of the 3 votes on the split task's one pair are its majority's; all on the other
    assert (split.agreement, calm.agreement) == (pytest.approx(2 / 3, abs=1e-4), 1.0)
    assert [(j.annotator, j.rationale) for j in split.judgments] == [
        (name, f"{name} thinks {ranking[0][0]} is better") for name, ranking in SPLIT.items()]
    assert [j.ranking for j in split.judgments] == list(SPLIT.values())
    assert set(split.dimensions) == {"helpfulness", "honesty"}
    assert split.dimensions["helpfulness"] < calm.dimensions["helpfulness"]
    assert [r for r, _ in split.responses] == ["a", "b"]
    assert {c.category: c.tasks for c in found.categories} == {"qa": 1, "coding": 1}
    assert found.categories[0].category == "coding"  # least agreement first


def test_filters_narrow_the_digest(engine, world):
    project, boss = world
    publish_guideline(engine, project, "v2")
    _task(engine, project, "later", {"l1": [["a"], ["b"]], "l2": [["b"], ["a"]]})
    with engine.begin() as conn:
        later = conn.execute(select(tasks.c.id).where(tasks.c.external_id == "later")).scalar()
        conn.execute(update(tasks).where(tasks.c.id == later).values(status="complete"))
        conn.execute(update(annotations).where(annotations.c.task_id == later)
                     .values(created_at=utcnow() + timedelta(days=3)))
    today = utcnow().date()
    with engine.connect() as conn:
        def ids(**filters):
            return [e.task_id for e in digest.digest(conn, boss, "prefs", **filters).entries]

        assert ids(category="coding") == ["split"]
        assert ids(guideline_version=2) == ["later"]
        assert ids(guideline_version=1) == ["split", "calm"]
        assert ids(since=today + timedelta(days=1)) == ["later"]
        assert ids(until=today) == ["split", "calm"]
        # the two on "later" rated every response differently: no agreement at all
        assert ids(dimension="honesty", limit=1) == ["later"]
        with pytest.raises(InvalidInput, match="dimension 'style'"):
            digest.digest(conn, boss, "prefs", dimension="style")
        with pytest.raises(InvalidInput, match="ends"):
            digest.digest(conn, boss, "prefs", since=today, until=today - timedelta(days=1))


def test_open_and_escalated_tasks_stay_out_and_annotators_are_refused(engine, world):
    project, boss = world
    with engine.begin() as conn:
        add_comparison(conn, project, "open")
    annotate(engine, project, {"o1": [["a"], ["b"]], "o2": [["b"], ["a"]]})
    with engine.begin() as conn:
        add_comparison(conn, project, "flagged")
    annotate(engine, project, {"f1": [["a"], ["b"]]}, flags={"f1": ["unsafe"]})
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.connect() as conn:
        assert [e.task_id for e in digest.digest(conn, boss, "prefs").entries] == \
            ["split", "calm"]
        with pytest.raises(Forbidden):
            digest.digest(conn, annotator, "prefs")
