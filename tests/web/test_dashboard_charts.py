"""The dashboard's charts carry their numbers: the model ratings write each rating with its
interval and number of comparisons beside an axis of round ticks, and progress by category is
also a table whose counts are the tasks' statuses."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from accord.charts import Estimate, _ticks, interval_chart
from accord.db.tables import tasks
from tests.core.test_report import planted
from tests.factories import make_user
from tests.web.conftest import bearer, log_in

__all__ = ["planted"]


def test_round_ticks_cover_the_range():
    assert _ticks(953.0, 1061.0) == [1000, 1050]  # a step of 27 rounds up to 50
    assert _ticks(0.0, 1.0) == [0.0, 0.5, 1.0]
    assert _ticks(-3.0, 17.0) == [0, 5, 10, 15]


def test_the_interval_chart_writes_value_interval_and_count():
    svg = interval_chart([Estimate("model-a", 1012.4, 987.2, 1040.0, 311)], title="ratings")
    assert "1012 (987 to 1040), n=311" in svg
    assert "<title>model-a: 1012 (987 to 1040), n=311</title>" in svg


def test_the_dashboard_shows_models_with_counts_and_progress_as_a_table(api, engine, planted):
    boss = make_user(engine, "boss", project=planted.project, roles=("manager",), password="pw")
    report = api.get("/api/v1/projects/prefs/report", headers=bearer(boss.token)).json()
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/dashboard").text
    for model in report["consensus"]["models"]:
        assert f"n={model['comparisons']}" in page
    with engine.connect() as conn:
        statuses = dict(conn.execute(select(tasks.c.status, func.count())
                                     .where(tasks.c.project_id == planted.project.id)
                                     .group_by(tasks.c.status)).all())
    table = page[page.index('class="data-table progress-table"'):]
    row = re.search(r'<tr><th scope="row">[^<]*</th><td class="num">(\d+)</td>', table)
    assert row is not None and int(row.group(1)) == sum(statuses.values())
