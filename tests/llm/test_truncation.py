"""Truncation recorded: a candidate cut off at ``--max-tokens`` is stored with its finish
reason, counted by ``accord generate``, marked for annotators (the API's ``truncated``, the
workbench's "cut off"), left out of tasks with ``--drop-truncated`` and of training exports
unless ``--include-truncated``.

End to end through the command line, the HTTP app and the export, against the fake OpenAI
server, on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.tables import responses
from accord.settings import Settings
from accord.web.app import create_app
from tests.exports.conftest import read_rows
from tests.factories import make_user
from tests.llm import judge_replies
from tests.llm.generation_helpers import generated_tasks, pool_project
from tests.web.conftest import bearer, log_in

MAX_TOKENS = "12"


def brief_or_at_length(body: dict) -> str:
    """Model ``long`` answers at length (cut off at 12 tokens), the others briefly; every
    model answers prompt ``qa-0`` at length."""
    asked = body["messages"][-1]["content"]
    if body["model"] == "long" or asked.startswith("qa question number 0:"):
        return f"{body['model']} answers " + " ".join(["at length"] * 20)
    return f"{body['model']} answers briefly."


@pytest.fixture
def accord(db_url, monkeypatch, fake_openai):
    """``accord(*args)`` runs the command line against the test database and the fake."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake_openai.fake.reply = brief_or_at_length
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def finish_reasons(engine) -> list[tuple[str, str]]:
    """(content, finish reason) of every stored response."""
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(
            select(responses.c.content, responses.c.finish_reason))]


def test_cut_off_candidates_are_stored_counted_and_kept_in_their_tasks(accord, engine):
    project = pool_project(engine, {"qa": 3})
    result = accord("generate", "gen", "--model", "brief", "--model", "long",
                    "--max-tokens", MAX_TOKENS, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    # qa-0: both at length; qa-1 and qa-2: the long model's answer.
    assert (summary["generated"], summary["truncated"], summary["tasks_created"]) == (6, 4, 3)
    assert (summary["truncated_left_out"], summary["prompts_without_task"]) == (0, [])
    assert result.stderr.splitlines() == [
        f"warning: 4 of 6 candidates were cut off at --max-tokens {MAX_TOKENS}; they are in "
        "their tasks, marked 'cut off', and exports leave their pairs out unless "
        "--include-truncated (raise --max-tokens, or --drop-truncated keeps them out of "
        "tasks)"]
    reasons = finish_reasons(engine)
    assert sorted(reason for _, reason in reasons) == ["length"] * 4 + ["stop"] * 2
    assert all(len(text.split()) == int(MAX_TOKENS) for text, reason in reasons
               if reason == "length")
    assert all(len(ids) == 2 for ids in generated_tasks(engine, project).values())

    text = accord("generate", "gen", "--model", "brief", "--model", "long", "--max-tokens",
                  "2", "--limit", "1", "--sample-seed", "1")
    assert "2 candidates generated (0 already stored, 2 cut off at the length limit)" in (
        text.stdout)


def test_drop_truncated_leaves_cut_off_candidates_out_and_names_prompts_left_without_a_task(
        accord, engine, fake_openai):
    project = pool_project(engine, {"qa": 3})
    args = ("generate", "gen", "--model", "brief", "--model", "short", "--model", "long",
            "-n", "3", "--max-tokens", MAX_TOKENS, "--drop-truncated")
    result = accord(*args, "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["generated"], summary["truncated"]) == (9, 5)
    assert (summary["tasks_created"], summary["truncated_left_out"]) == (2, 2)
    assert summary["prompts_without_task"] == ["qa-0"]
    assert result.stderr.splitlines() == [
        "warning: 1 prompt got no task: fewer than 2 of their candidates were not cut off "
        "(qa-0)"]
    tasks = generated_tasks(engine, project)
    assert sorted(task.split("~gen-")[0] for task in tasks) == ["qa-1", "qa-2"]
    with engine.connect() as conn:
        cut = set(conn.execute(select(responses.c.id)
                               .where(responses.c.finish_reason == "length")).scalars())
    assert all(len(ids) == 2 and not cut & set(ids) for ids in tasks.values())

    calls = len(fake_openai.fake.requests)
    again = accord(*args)
    assert again.exit_code == 0, again.output
    assert len(fake_openai.fake.requests) == calls  # nothing asked again
    assert "1 prompt without a task (too few candidates not cut off)" in again.stdout
    assert "fewer than 2 of their candidates were not cut off (qa-0)" in again.stderr


def test_annotators_see_the_cut_off_mark_in_the_api_and_the_workbench(accord, db_url,
                                                                      engine):
    project = pool_project(engine, {"coding": 1})
    assert accord("generate", "gen", "--model", "brief", "--model", "long", "--max-tokens",
                  MAX_TOKENS, "-q").exit_code == 0
    token = make_user(engine, "ann", project=project, roles=("annotator",), password="pw").token
    with TestClient(create_app(Settings(database_url=db_url)),
                    base_url="http://accord.test") as client:
        task = client.get("/api/v1/projects/gen/tasks/next", headers=bearer(token)).json()
        shown = {r["content"].split()[0]: r["truncated"] for r in task["task"]["responses"]}
        assert shown == {"brief": False, "long": True}
        log_in(client, "ann", "pw")
        page = client.get("/projects/gen/annotate").text
    order = [r["content"].split()[0] for r in task["task"]["responses"]]
    position = order.index("long") + 1
    assert (f'Response {position} <span class="truncated-mark">(cut off)</span></h2>'
            in page)
    assert page.count("Cut off: the model reached its length limit") == 1


def test_training_exports_leave_cut_off_pairs_out_unless_asked(accord, engine, fake_openai,
                                                               tmp_path):
    pool_project(engine, {"qa": 3}, ranking_mode="pairwise", allow_ties=False)
    assert accord("generate", "gen", "--model", "brief", "--model", "long", "--max-tokens",
                  MAX_TOKENS, "-q").exit_code == 0
    fake_openai.fake.reply = judge_replies.longer_with(0.9, 0.05)
    assert accord("judge", "gen", "--model", "judge", "--judge", "ai", "-q").exit_code == 0
    assert accord("judge-route", "gen", "--judge", "ai").exit_code == 0

    out = tmp_path / "prefs.jsonl"
    default = accord("export", "gen", "--format", "preference", "--out", str(out), "--json")
    assert default.exit_code == 0, default.output
    report = json.loads(default.stdout)
    assert (report["rows"], report["truncated_dropped"]) == (0, 3)
    assert "filters" not in report
    kto = accord("export", "gen", "--format", "kto", "--out", str(tmp_path / "kto.jsonl"))
    assert kto.stdout.endswith("0 pairs dropped as ties, 3 left out as cut off)\n")

    kept = accord("export", "gen", "--format", "preference", "--out", str(out), "--json",
                  "--include-truncated")
    report = json.loads(kept.stdout)
    assert (report["rows"], report["filters"]) == (3, {"include_truncated": True})
    assert "truncated_dropped" not in report
    flags = [(row["chosen_model"], row["chosen_truncated"], row["rejected_model"],
              row["rejected_truncated"]) for row in read_rows(out)]
    # The judge prefers the longer text: the long model's cut-off answers, and on qa-0,
    # where both were cut off at 12 tokens, the brief model's (its name is longer).
    assert sorted(flags) == [("brief", True, "long", True), ("long", True, "brief", False),
                             ("long", True, "brief", False)]
