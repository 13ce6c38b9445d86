"""The SDK carries pre-labelling both ways: a claimed task's ``suggestion`` (the AI judge's
ranking) and ``suggestion_accepted`` on the submission, recorded with the assignment."""

from __future__ import annotations

from sqlalchemy import select

from accord.client import Client
from accord.core.judging import ai_judges
from accord.core.projects.project import get_project
from accord.db.tables import prelabel_draws
from accord.demo.seed import PROJECT
from tests.prelabel_helpers import enable_prelabel, judge_tasks


def test_a_suggestion_travels_to_the_sdk_and_its_acceptance_back(live_demo):
    engine = live_demo.engine
    with engine.begin() as conn:
        project = get_project(conn, PROJECT)
        judge = ai_judges.ensure_judge(conn, project, "judge-x", {"backend": "test"})
        tasks, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id, limit=100_000)
    judge_tasks(engine, project, "judge-x",
                {task.external_id: [[rid] for rid, _ in task.responses] for task in tasks})
    enable_prelabel(engine, project, "judge-x", 1.0)

    with Client(live_demo.base, live_demo.tokens["ann1"]) as annotator:
        claimed = annotator.next_task(PROJECT)
        while claimed is not None and claimed.task.suggestion is None:
            annotator.skip(claimed, reason="other")  # gold or another kind: no suggestion
            claimed = annotator.next_task(PROJECT)
        assert claimed is not None and claimed.task.suggestion is not None
        assert claimed.task.suggestion.judge == "judge-x"
        annotator.submit(claimed, ranking=claimed.task.suggestion.ranking,
                         suggestion_accepted=True)

    with engine.connect() as conn:
        row = conn.execute(select(prelabel_draws.c.arm, prelabel_draws.c.accepted)
                           .where(prelabel_draws.c.assignment_id == claimed.assignment_id)
                           ).one()
    assert tuple(row) == ("shown", True)
