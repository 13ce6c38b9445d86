"""Pre-labelling test data: an AI judge's rankings stored through ``core.judging`` and the
project's ``prelabel`` setting written through ``core.admin`` (as PATCH writes it)."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.core.admin import projects as admin_projects
from accord.core.judging import ai_judges
from accord.core.judging.ai_judges import AiVerdict
from accord.core.projects.project import Project
from accord.db.types import utcnow


def judge_tasks(engine: Engine, project: Project, judge: str,
                rankings: dict[str, list[list[str]]]) -> None:
    """Store ``judge``'s ranking of each task named in ``rankings`` (by external id)."""
    with engine.begin() as conn:
        user = ai_judges.ensure_judge(conn, project, judge, {"backend": "test",
                                                             "model_id": "table"})
        pending, _, _ = ai_judges.pending_pairs(conn, project.id, user.id, limit=100_000)
        for task in pending:
            ranking = rankings.get(task.external_id)
            if ranking is None:
                continue
            verdict = AiVerdict(ranking=ranking, display_order=[r for r, _ in task.responses],
                                preference=None, rationale="", details={"consistent": True,
                                                                        "confidence": 1.0})
            ai_judges.record_verdict(conn, project, user, task, verdict, utcnow())


def enable_prelabel(engine: Engine, project: Project, judge: str, show_rate: float,
                    seed: int = 0) -> Project:
    with engine.begin() as conn:
        return admin_projects.change(conn, None, project.name, {"prelabel": {
            "judge": judge, "show_rate": show_rate, "seed": seed}}, utcnow())
