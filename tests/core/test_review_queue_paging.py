"""The reviewers' queue sorted, filtered and paged by the database, with its total, on SQLite
and PostgreSQL; bad queries are refused naming the field, and pages never repeat an item."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from accord.core.errors import InvalidInput
from accord.core.review.review_queue import QueueQuery, page
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

PLANTED = {  # task: (category, agreement, minutes ago it completed, priority)
    "t1": ("qa", 0.45, 50, 0), "t2": ("coding", 0.20, 10, 2), "t3": ("qa", 0.33, 40, 1),
    "t4": ("coding", None, 30, 0), "t5": ("qa", 0.40, 20, 0),
}


@pytest.fixture
def world(engine):
    project = make_project(engine)
    now = utcnow()
    with engine.begin() as conn:
        for name, (category, agreement, ago, priority) in PLANTED.items():
            task_id = add_comparison(conn, project, name, category=category, priority=priority)
            conn.execute(update(tasks).where(tasks.c.id == task_id).values(
                status="needs_adjudication", completed_at=now - timedelta(minutes=ago)))
            if agreement is not None:
                conn.execute(insert(task_consensus).values(
                    task_id=task_id, method="m", ranking=[["a"], ["b"]], agreement=agreement,
                    computed_at=now))
        add_comparison(conn, project, "open")  # not waiting: never listed nor counted
    return make_user(engine, "rev", project=project, roles=("reviewer",)).user


def _ids(engine, reviewer, **query) -> tuple[list[str], int]:
    with engine.connect() as conn:
        found = page(conn, reviewer, "prefs", QueueQuery(**query))
    return [item.task_id for item in found.items], found.total


def test_each_sort_orders_the_whole_queue(engine, world):
    assert _ids(engine, world, sort="priority") == (["t2", "t3", "t1", "t4", "t5"], 5)
    assert _ids(engine, world, sort="agreement") == (["t2", "t3", "t5", "t1", "t4"], 5)
    assert _ids(engine, world, sort="oldest") == (["t1", "t3", "t4", "t5", "t2"], 5)
    assert _ids(engine, world, sort="category") == (["t2", "t4", "t3", "t5", "t1"], 5)


def test_filters_narrow_the_items_and_the_total_and_pages_cover_them_once(engine, world):
    assert _ids(engine, world, category="qa", sort="agreement") == (["t3", "t5", "t1"], 3)
    assert _ids(engine, world, reason="suspect label") == ([], 0)
    pages = [_ids(engine, world, sort="agreement", offset=offset, limit=2)
             for offset in (0, 2, 4)]
    assert [ids for ids, _ in pages] == [["t2", "t3"], ["t5", "t1"], ["t4"]]
    assert {total for _, total in pages} == {5}
    with engine.connect() as conn:
        assert page(conn, world, "prefs").categories == ["coding", "qa"]
        assert conn.execute(select(tasks.c.status).where(tasks.c.external_id == "open")
                            ).scalar_one() == "open"


@pytest.mark.parametrize(("query", "message"), [
    ({"sort": "newest"}, 'sort must be one of priority, agreement, oldest, category, not '
                         '"newest"'),
    ({"reason": "odd"}, 'reason must be one of split, suspect label, not "odd"'),
    ({"offset": -1}, "offset must be 0 or more, not -1"),
    ({"limit": 0}, "limit must be between 1 and 200, not 0"),
])
def test_a_bad_query_is_refused_naming_the_field(engine, world, query, message):
    with pytest.raises(InvalidInput) as refused:
        _ids(engine, world, **query)
    assert str(refused.value) == message
