"""What the home page says is waiting: production work only, never the gold mixed into it."""

from __future__ import annotations

from sqlalchemy import update

from accord.core.work.workload import waiting_for
from accord.db.tables import tasks
from tests.factories import add_comparisons, make_project, make_user


def test_gold_tasks_are_not_counted_as_work_waiting(engine):
    project = make_project(engine, "waiting", overlap=2)
    ids = add_comparisons(engine, project, 5)
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        assert waiting_for(conn, project, annotator) == 5
        conn.execute(update(tasks).where(tasks.c.id.in_(ids[:2])).values(is_gold=True))
        assert waiting_for(conn, project, annotator) == 3
