"""Adjudication: the split goes to a reviewer who did not annotate it; the decision is the
task's consensus, recorded with who, when and why, and what the preference export uses."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from accord.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.core.people.users import get_user
from accord.core.review import adjudication, review_queue
from accord.db.tables import adjudications, annotations, memberships, task_consensus, tasks
from accord.db.types import utcnow
from accord.exports import export
from tests.factories import make_project, make_user
from tests.review_helpers import split_task


@pytest.fixture
def split(engine):
    project = make_project(engine, overlap=3)
    db_id = split_task(engine, project)
    reviewer = make_user(engine, "rev", project=project, roles=("reviewer",)).user
    return project, db_id, reviewer


def test_the_queue_holds_the_split_task_for_a_reviewer(engine, split):
    _, _, reviewer = split
    with engine.begin() as conn:
        items = review_queue.page(conn, reviewer, "prefs").items
    assert [(i.task_id, i.annotations) for i in items] == [("split-1", 3)]


def test_the_task_page_shows_every_judgment_and_the_matrix(engine, split):
    _, _, reviewer = split
    with engine.begin() as conn:
        view = adjudication.split_task(conn, reviewer, "prefs", "split-1")
    assert [a.annotator for a in view.annotations] == ["ann1", "ann2", "ann3"]
    assert view.annotations[1].ranking == [["b"], ["a"]]
    assert [(p.first, p.second, p.first_wins, p.second_wins, p.ties) for p in view.matrix] \
        == [("a", "b", 2, 1, 0)]
    assert view.can_decide


def test_the_disagreement_matrix_counts_ties_and_both_directions():
    matrix = adjudication.disagreement_matrix(
        ["a", "b", "c"], [[["a"], ["b", "c"]], [["c"], ["b"], ["a"]]])
    assert [(p.first, p.second, p.first_wins, p.second_wins, p.ties) for p in matrix] == [
        ("a", "b", 1, 1, 0), ("a", "c", 1, 1, 0), ("b", "c", 0, 1, 1)]


def test_a_decision_becomes_the_consensus_and_leaves_annotations_alone(engine, split, tmp_path):
    _, db_id, reviewer = split
    with engine.connect() as conn:
        before = conn.execute(select(annotations).order_by(annotations.c.id)).all()
    with engine.begin() as conn:
        adjudication.decide(conn, reviewer, "prefs", "split-1", [["b"], ["a"]],
                            "b cites its source", utcnow())
    with engine.connect() as conn:
        assert conn.execute(select(tasks.c.status).where(tasks.c.id == db_id)).scalar_one() \
            == "resolved"
        row = conn.execute(select(adjudications)).one()
        assert (row.reviewer_id, row.ranking, row.rationale) == \
            (reviewer.id, [["b"], ["a"]], "b cites its source")
        consensus = conn.execute(select(task_consensus)).one()
        assert (consensus.method, consensus.ranking, consensus.agreement) == \
            ("adjudicated", [["b"], ["a"]], pytest.approx(0.33))
        assert conn.execute(select(annotations).order_by(annotations.c.id)).all() == before
        assert review_queue.page(conn, reviewer, "prefs").items == []
    out = tmp_path / "prefs.jsonl"
    export(engine, "prefs", "preference", out)
    rows = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1
    assert rows[0]["source"] == "adjudicated"
    assert rows[0]["chosen"][-1]["content"] == "answer bravo"


def test_a_reviewer_who_annotated_the_task_cannot_settle_it(engine, split):
    project, _, _ = split
    with engine.begin() as conn:
        ann = get_user(conn, "ann1")
        conn.execute(memberships.insert().values(project_id=project.id, user_id=ann.id,
                                                 role="reviewer", created_at=utcnow()))
    with engine.begin() as conn:
        assert review_queue.page(conn, ann, "prefs").items == []
        with pytest.raises(Forbidden):
            adjudication.decide(conn, ann, "prefs", "split-1", [["a"], ["b"]], "mine", utcnow())
        with pytest.raises(Forbidden):
            adjudication.split_task(conn, ann, "prefs", "split-1")


def test_bad_decisions_are_refused(engine, split):
    project, _, reviewer = split
    annotator = make_user(engine, "plain", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        with pytest.raises(InvalidInput):
            adjudication.decide(conn, reviewer, "prefs", "split-1", [["a"], ["c"]], "x", utcnow())
        with pytest.raises(InvalidInput):
            adjudication.decide(conn, reviewer, "prefs", "split-1", [["a"], ["b"]], " ", utcnow())
        with pytest.raises(Forbidden):
            adjudication.decide(conn, annotator, "prefs", "split-1", [["a"], ["b"]], "x",
                                utcnow())
        with pytest.raises(NotFound):
            adjudication.decide(conn, reviewer, "prefs", "nope", [["a"], ["b"]], "x", utcnow())
        adjudication.decide(conn, reviewer, "prefs", "split-1", [["a"], ["b"]], "x", utcnow())
        with pytest.raises(Conflict):
            adjudication.decide(conn, reviewer, "prefs", "split-1", [["b"], ["a"]], "y",
                                utcnow())
