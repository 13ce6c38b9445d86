"""A project with a prompt pool, and backends on the fake server, for generation tests."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, func, select

from accord.core.importing import import_items
from accord.core.judging.model_calls import call_totals
from accord.core.projects.project import Project
from accord.db.tables import responses, task_responses, tasks
from accord.llm.backend_choice import BackendOptions, open_backend
from accord.llm.retries import Retries
from tests.factories import make_project


def pool_project(engine: Engine, categories: dict[str, int], *, name: str = "gen",
                 extra: Sequence[dict] = (), **settings) -> Project:
    """A K-way project whose pool holds ``count`` prompts of each category (and the
    ``extra`` items)."""
    settings.setdefault("ranking_mode", "kway")
    settings.setdefault("allow_ties", True)
    project = make_project(engine, name, **settings)
    items = [{"id": f"{category}-{i}", "kind": "prompt", "category": category,
              "prompt": f"{category} question number {i}: explain it in a few words"}
             for category, count in categories.items() for i in range(count)]
    items.extend(extra)
    import_items(engine, project, items)
    return project


def fake_backends(base_url: str, models: list[str], *, attempts: int = 4,
                  timeout_s: float = 5.0) -> dict:
    """One backend per model on the fake server; retries wait milliseconds, seeded."""
    options = BackendOptions(base_url=base_url, api_key="test-key", timeout_s=timeout_s,
                             retries=Retries(attempts=attempts, base_delay_s=0.005, seed=1))
    return {model: open_backend("openai", model, options) for model in models}


def generated_tasks(engine: Engine, project: Project) -> dict[str, list[int]]:
    """Each generated task's external id with its response ids in position order."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(tasks.c.external_id, task_responses.c.response_id)
            .join(task_responses, task_responses.c.task_id == tasks.c.id)
            .where(tasks.c.project_id == project.id, tasks.c.external_id.contains("~gen-"))
            .order_by(tasks.c.external_id, task_responses.c.position)
        ).all()
    found: dict[str, list[int]] = {}
    for external_id, response_id in rows:
        found.setdefault(external_id, []).append(response_id)
    return found


def ledger(engine: Engine, project: Project) -> dict:
    """The project's model-call ledger (``call_totals``) beside the sums kept on its
    generated responses."""
    with engine.connect() as conn:
        calls = call_totals(conn, project.id).as_dict()
        stored = conn.execute(select(
            func.count(),
            func.coalesce(func.sum(responses.c.prompt_tokens), 0),
            func.coalesce(func.sum(responses.c.completion_tokens), 0),
            func.coalesce(func.sum(responses.c.cost), 0.0),
        ).where(responses.c.origin == "generated")).one()
    return {**calls, "responses": stored[0], "response_prompt_tokens": stored[1],
            "response_completion_tokens": stored[2], "response_cost": stored[3]}
