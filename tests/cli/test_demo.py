"""``accord demo``: a ready project, fresh logins printed once, and work waiting for them."""

from __future__ import annotations

import re
from collections import Counter

from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.people.passwords import verify_password
from accord.db.tables import guideline_examples, guideline_versions, prompts, tasks, users
from accord.settings import Settings
from accord.web.app import create_app

LOGIN = re.compile(r"^\s+(\w+)\s+([\w,]+)\s+(\S+)\s+(acc_\S+)$", re.MULTILINE)


def run_demo(db_url, monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    result = CliRunner().invoke(app, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    return result.stdout, {m[0]: m for m in LOGIN.findall(result.stdout)}


def test_demo_sets_up_a_project_across_the_categories(db_url, engine, monkeypatch):
    out, logins = run_demo(db_url, monkeypatch)
    assert "http://127.0.0.1:8000" in out
    assert set(logins) == {"admin", "reviewer", "ann1", "ann2", "ann3"}
    with engine.connect() as conn:
        kinds = Counter(conn.execute(select(tasks.c.kind)).scalars())
        categories = Counter(conn.execute(
            select(prompts.c.category).join(tasks, tasks.c.prompt_id == prompts.c.id)
            .where(tasks.c.kind == "comparison")).scalars())
        hashes = dict(conn.execute(select(users.c.name, users.c.password_hash)).all())
    assert kinds["comparison"] >= 30
    with engine.connect() as conn:
        examples = conn.execute(
            select(guideline_versions.c.version, tasks.c.external_id)
            .select_from(guideline_examples)
            .join(guideline_versions)
            .join(tasks, tasks.c.id == guideline_examples.c.task_id)
            .order_by(guideline_examples.c.position)
        ).all()
    assert [tuple(row) for row in examples] == [  # version 1 teaches on real demo tasks
        (1, "demo-coding-06"), (1, "demo-safety-03"), (1, "demo-qa-06")]
    assert set(categories) >= {"qa", "coding", "creative", "reasoning", "summarization", "safety"}
    for name, (_, _, password, _) in logins.items():
        assert verify_password(password, hashes[name])


def test_demo_logins_work_and_a_rerun_issues_new_secrets(db_url, engine, monkeypatch):
    _, first = run_demo(db_url, monkeypatch)
    with engine.connect() as conn:
        tasks_before = conn.execute(select(tasks.c.external_id)).scalars().all()
    _, second = run_demo(db_url, monkeypatch)
    assert first["ann1"][2] != second["ann1"][2]
    with TestClient(create_app(Settings(database_url=db_url))) as api:
        headers = {"Authorization": f"Bearer {second['ann1'][3]}"}
        claim = api.get("/api/v1/projects/demo/tasks/next", headers=headers)
        assert claim.status_code == 200
        assert claim.json()["task"]["responses"]
    with engine.connect() as conn:
        tasks_after = conn.execute(select(tasks.c.external_id)).scalars().all()
    assert sorted(tasks_after) == sorted(tasks_before)  # the rerun imported nothing twice
