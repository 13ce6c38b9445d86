"""``accord generate`` as users run it: the fake server over HTTP, and SmolLM2 in process."""

from __future__ import annotations

import shutil

import orjson
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.engine import make_engine
from accord.db.tables import model_calls, responses, tasks
from accord.demo.seed import seed as seed_demo
from accord.llm.local_models import SMOLLM2
from tests.llm.generation_helpers import generated_tasks, ledger, pool_project


def test_generate_fills_the_pool_and_prints_a_json_summary(generate, engine, fake_openai):
    project = pool_project(engine, {"qa": 3, "coding": 3})
    result = generate("gen", "--model", "m1", "--model", "m2", "-n", "4", "--base-url",
                      fake_openai.base_url, "--price-input", "2", "--price-output", "8",
                      "--mix", "qa=2,coding=1", "--limit", "3", "--json")
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    prompt_tokens, completion_tokens = fake_openai.fake.billed()
    assert summary["prompts"] == 3 and summary["tasks_created"] == 3
    assert summary["generated"] == summary["calls"] == 12
    assert (summary["prompt_tokens"], summary["completion_tokens"]) == (prompt_tokens,
                                                                        completion_tokens)
    assert summary["cost"] == pytest.approx((prompt_tokens * 2 + completion_tokens * 8) / 1e6)
    assert summary["failed_prompts"] == []
    assert len(generated_tasks(engine, project)) == 3

    again = generate("gen", "--model", "m1", "--model", "m2", "-n", "4", "--base-url",
                     fake_openai.base_url, "--mix", "qa=2,coding=1", "--limit", "3")
    assert again.exit_code == 0, again.output
    assert again.stdout.strip() == (
        "gen: 3 prompts: 0 candidates generated (12 already stored), 0 tasks created; "
        "0 calls, 0 prompt + 0 completion tokens, cost 0")


def test_each_failed_prompt_is_one_line_and_the_exit_status_is_1(generate, engine,
                                                                 fake_openai):
    project = pool_project(engine, {"qa": 3})
    fake_openai.fake.fail_after(2)
    result = generate("gen", "--model", "m", "--base-url", fake_openai.base_url,
                      "--attempts", "2", "--concurrency", "1")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: prompt qa-{i}: m: HTTP 500: the server is down (after 2 attempts)"
        for i in (1, 2)]
    assert result.stdout.startswith("gen: 3 prompts: 2 candidates generated")
    assert len(generated_tasks(engine, project)) == 1
    assert ledger(engine, project)["failed"] == 4  # both candidates of two prompts


def test_the_openai_environment_variables_name_the_server(generate, engine, fake_openai,
                                                          monkeypatch):
    project = pool_project(engine, {"qa": 2})
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "from-the-environment")
    result = generate("gen", "--model", "m", "-q")
    assert result.exit_code == 0, result.output
    assert len(generated_tasks(engine, project)) == 2


@pytest.mark.parametrize(("args", "message"), [
    (["--backend", "gpt", "--model", "m"], 'error: --backend must be one of openai, local, '
                                           'not "gpt"'),
    ([], "error: --backend openai needs --model (the model's name on the server)"),
    (["--model", "m", "-n", "1"], "error: -n must be between 2 and 16 candidates per prompt, "
                                  "not 1"),
    (["--model", "m", "--mix", "qa"], 'error: --mix: "qa" must look like category=share'),
    (["--model", "m", "--price-input", "-1"], "error: --price-input must be a price of zero "
                                              "or more, not -1.0"),
    (["--model", "m", "--concurrency", "0"], "error: --concurrency must be between 1 and "
                                             "1024, not 0"),
    (["--model", "m", "--temperature", "3"], "error: --temperature must be between 0 and 2, "
                                             "not 3.0"),
])
def test_bad_options_are_one_line_and_change_nothing(generate, engine, fake_openai, args,
                                                     message):
    project = pool_project(engine, {"qa": 2})
    result = generate("gen", "--base-url", fake_openai.base_url, *args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert fake_openai.fake.requests == []
    assert ledger(engine, project)["calls"] == 0


def test_an_unknown_project_is_named(generate, fake_openai):
    result = generate("nope", "--model", "m", "--base-url", fake_openai.base_url)
    assert result.exit_code == 1
    assert "nope" in result.stderr and result.stderr.startswith("error: ")


@pytest.fixture
def demo_database(sqlite_template, tmp_path, monkeypatch) -> str:
    """The demo project in a SQLite file, as ``make demo`` leaves ./accord.db."""
    path = tmp_path / "accord.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    seed_demo(engine)
    engine.dispose()
    monkeypatch.setenv("ACCORD_DATABASE_URL", url)
    return url


@pytest.mark.slow
def test_smollm2_generates_candidates_for_the_demo_prompts(demo_database, local_model_cache,
                                                           monkeypatch):
    monkeypatch.setenv("ACCORD_MODEL_CACHE", str(local_model_cache))
    result = CliRunner().invoke(app, [
        "generate", "demo", "--backend", "local", "-n", "2", "--max-tokens", "6",
        "--limit", "2", "--seed", "1", "--concurrency", "2", "--json"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert (summary["prompts"], summary["generated"], summary["tasks_created"]) == (2, 4, 2)
    engine = make_engine(demo_database)
    with engine.connect() as conn:
        made = conn.execute(select(tasks.c.id, tasks.c.status, tasks.c.kind).where(
            tasks.c.external_id.contains("~gen-"))).all()
        candidates = conn.execute(select(responses.c.model, responses.c.content,
                                         responses.c.completion_tokens)
                                  .where(responses.c.origin == "generated")).all()
        calls = conn.execute(select(func.count()).select_from(model_calls)).scalar_one()
    engine.dispose()
    assert [(status, kind) for _, status, kind in made] == [("open", "comparison")] * 2
    assert {model for model, _, _ in candidates} == {SMOLLM2}
    assert all(text and 1 <= tokens <= 6 for _, text, tokens in candidates)
    assert calls == 4
