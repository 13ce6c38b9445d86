"""``accord judge``, ``judge-audit`` and ``judge-route`` as users run them.

The commands run through the real command line against the test database and the fake
OpenAI server; output is read as a script would read it (``--json``) or as a person would.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from accord.cli.main import app
from accord.db.tables import annotations
from tests.factories import add_comparison, add_comparisons, make_project
from tests.llm import judge_replies


@pytest.fixture
def accord(db_url, monkeypatch):
    """``accord(*args)`` runs the command line against the test database."""
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_judge_then_audit_then_route_from_the_command_line(accord, engine, fake_openai):
    project = make_project(engine, "cli")
    add_comparisons(engine, project, 3)
    with engine.begin() as conn:
        add_comparison(conn, project, "risky", category="safety")
    fake_openai.fake.reply = judge_replies.longer_with(0.9, 0.05)
    base = ("--base-url", fake_openai.base_url)

    judged = accord("judge", "cli", "--model", "m-1", *base, "--json", "--concurrency", "2")
    again = accord("judge", "cli", "--model", "m-1", *base, "--json")
    audit = accord("judge-audit", "cli", "--judge", "judge-m-1", "--json")
    routed = accord("judge-route", "cli", "--judge", "judge-m-1", "--min-confidence", "0.8",
                    "--json")
    text = accord("judge-audit", "cli", "--judge", "judge-m-1")

    assert judged.exit_code == 0, judged.output
    first = json.loads(judged.stdout)
    assert (first["judge"], first["judged"], first["wins"], first["failed"]) == (
        "judge-m-1", 4, 4, 0)
    assert first["routing"] is None  # the project has no routing rule yet
    assert json.loads(again.stdout)["judged"] == 0
    assert json.loads(audit.stdout)["swap_consistency"] == 1.0
    routing = json.loads(routed.stdout)
    assert routing["rule"]["judge"] == "judge-m-1"
    assert (routing["routing"]["settled"], routing["routing"]["to_humans"]) == (
        3, {"category": 1})
    assert "swap consistency: 1.000 over 4 judgments" in text.stdout


def test_judging_routes_at_once_when_the_project_lets_the_judge_settle(accord, engine,
                                                                      fake_openai):
    project = make_project(engine, "cli")
    add_comparisons(engine, project, 2)
    fake_openai.fake.reply = judge_replies.longer_with(0.9, 0.05)
    base = ("--base-url", fake_openai.base_url, "--judge", "judge-x", "--model", "m")
    assert accord("judge", "cli", *base, "--limit", "1", "--json").exit_code == 0
    assert accord("judge-route", "cli", "--judge", "judge-x").exit_code == 0

    result = accord("judge", "cli", *base)

    assert result.exit_code == 0, result.output
    assert "judge judge-x (m) on cli: 1 judged (1 wins" in result.stdout
    assert "routing: 1 settled by judge-x" in result.stdout


@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_failed_tasks_are_listed_on_stderr_in_both_modes_and_the_exit_status_says_so(
        accord, engine, fake_openai, json_output):
    project = make_project(engine, "cli")
    add_comparisons(engine, project, 1)
    fake_openai.fake.reply = lambda body: "No opinion."

    result = accord("judge", "cli", "--model", "m", "--base-url", fake_openai.base_url,
                    "--parse-attempts", "2", *(["--json"] if json_output else []))

    assert result.exit_code == 1
    assert "item-0: shown" in result.stderr and "no readable verdict in 2 replies" in \
        result.stderr
    assert "1 task failed; run the command again to retry them" in result.stderr
    if json_output:
        document = json.loads(result.stdout)  # stdout is the JSON object alone
        assert document["failed"] == 1
        assert document["failures"][0]["task"] == "item-0"
        assert "no readable verdict in 2 replies" in document["failures"][0]["error"]
    else:
        assert "0 judged" in result.stdout and "1 failed" in result.stdout


def test_a_reply_that_opens_with_its_label_and_a_colon_is_read_from_the_text(accord, engine,
                                                                            fake_openai):
    project = make_project(engine, "cli")
    add_comparisons(engine, project, 2)  # response b is the longer one
    fake_openai.fake.reply = judge_replies.longer_in_shape(
        "{v}: The answer is {v}, which says more.", p_win=0.8, p_tie=0.05)

    result = accord("judge", "cli", "--model", "m", "--base-url", fake_openai.base_url,
                    "--json")

    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["judged"], summary["wins"], summary["failed"]) == (2, 2, 0)
    with engine.connect() as conn:
        rankings = conn.execute(select(annotations.c.ranking, annotations.c.details)).all()
    for ranking, details in rankings:
        assert ranking == [["b"], ["a"]] and details["consistent"] is True
        for order in details["orders"]:
            letter = "A" if order["shown"][0] == "b" else "B"
            assert order["raw"].startswith(f"{letter}: The answer is")
            # Read from the text, not guessed from the first token's alternatives; the first
            # token is the verdict, so its probabilities are kept beside it.
            assert (order["verdict"], order["read_from"]) == (letter, "text")
            assert order["probabilities"][letter] == pytest.approx(0.8, abs=1e-5)
            assert order["verdict_mass"] == pytest.approx(1.0)


@pytest.mark.parametrize(("args", "message"), [
    (("judge", "nowhere", "--model", "m", "--base-url", "http://127.0.0.1:9/v1"),
     'error: project "nowhere" does not exist'),
    (("judge", "cli", "--model", "m", "--base-url", "http://127.0.0.1:9/v1",
      "--constitution", "/nonexistent/c.toml"), "error: constitution /nonexistent/c.toml: no"),
    (("judge", "cli", "--model", "m", "--backend", "remote"),
     "error: --backend must be one of openai, local"),
    (("judge-audit", "cli", "--judge", "nobody"), 'error: project "cli" has no AI judge'),
    (("judge-route", "cli"), 'error: project "cli" has no AI judge rule yet: pass --judge'),
    (("judge-route", "cli", "--judge", "nobody", "--min-confidence", "2"),
     "error: settings.ai_judge.min_confidence must be a number from 0 to 1"),
])
def test_mistakes_get_one_clear_line_and_change_nothing(accord, engine, args, message):
    make_project(engine, "cli")

    result = accord(*args)

    assert result.exit_code == 1
    assert result.stderr.startswith(message), result.stderr
