"""``accord generate --drafts``: model drafts for demonstration tasks that writers post-edit,
through the fake OpenAI server over HTTP and the real database (SQLite and PostgreSQL).

The drafts are the tasks' responses, the writer is handed the one the project's draft rule
picks, every call is in the ledger as purpose ``draft`` with its cost, and that cost reaches
the cost per accepted demonstration and the draft's category."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from accord.core.projects.project import get_project
from accord.core.report import build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import model_calls, responses, task_responses, tasks
from accord.db.types import utcnow
from tests.demonstration_helpers import accept_every_demonstration
from tests.factories import make_user, set_project_settings
from tests.llm.generation_helpers import ledger, pool_project

PRICES = ("--price-input", "2", "--price-output", "8")


def _drafted(engine, project) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(tasks.c.external_id, tasks.c.kind, responses.c.model, responses.c.content,
                   responses.c.cost)
            .join(task_responses, task_responses.c.task_id == tasks.c.id)
            .join(responses, responses.c.id == task_responses.c.response_id)
            .where(tasks.c.project_id == project.id)
            .order_by(tasks.c.external_id, task_responses.c.position)).all()


def test_drafts_become_demonstration_tasks_whose_writer_post_edits_them_and_pays_for_them(
        generate, engine, fake_openai):
    project = pool_project(engine, {"qa": 2}, overlap=1)
    set_project_settings(engine, project, demonstration={"mode": "post_edit"})
    result = generate("gen", "--drafts", "--model", "m1", "--base-url", fake_openai.base_url,
                      *PRICES, "--json")
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert (summary["prompts"], summary["generated"], summary["tasks_created"]) == (2, 2, 2)
    drafted = _drafted(engine, project)
    assert [(row.kind, row.model) for row in drafted] == [("demonstration", "m1")] * 2
    assert all(row.external_id.startswith(("qa-0~draft-", "qa-1~draft-")) for row in drafted)
    prompt_tokens, completion_tokens = fake_openai.fake.billed()
    draft_cost = (prompt_tokens * 2 + completion_tokens * 8) / 1e6
    with engine.connect() as conn:
        purposes = conn.execute(select(model_calls.c.purpose)).scalars().all()
    assert purposes == ["draft", "draft"]
    assert ledger(engine, project)["cost"] == pytest.approx(draft_cost)
    assert sum(row.cost for row in drafted) == pytest.approx(draft_cost)

    writer = make_user(engine, "wri", project=project, roles=("annotator",)).user
    reviewer = make_user(engine, "rev", project=project, roles=("reviewer",)).user
    for _ in range(2):
        with engine.begin() as conn:
            project = get_project(conn, "gen")
            claim = claims.claim_next(conn, project, writer, utcnow())
            assert claim is not None and claim.task.demonstration is not None
            draft = claim.task.demonstration.draft
            assert draft is not None  # the generated draft is handed out to post-edit
            assert draft.content in {row.content for row in drafted}
            submissions.submit(conn, writer, claim.assignment_id,
                               Judgment(response=draft.content + " Checked.", active_ms=60_000),
                               utcnow())
    accept_every_demonstration(engine, project, reviewer)
    with engine.begin() as conn:
        complete = build_report(conn, project, utcnow(), store_consensus=False).cost.complete
    assert complete is not None
    assert complete.models["draft"].cost == pytest.approx(draft_cost)
    assert complete.accepted_demonstrations == 2
    # no pay rates: what the two accepted demonstrations cost is their drafts
    assert complete.per_accepted_demonstration == pytest.approx(draft_cost / 2, abs=1e-6)
    assert complete.by_category["qa"].spend == pytest.approx(draft_cost, abs=1e-6)
    assert complete.unattributed_spend == 0

    again = generate("gen", "--drafts", "--model", "m1", "--base-url", fake_openai.base_url)
    assert again.exit_code == 0, again.output
    assert "0 candidates generated (2 already stored), 0 tasks created" in again.stdout


@pytest.mark.parametrize(("settings", "args", "message"), [
    ({}, (), 'error: project gen writes demonstrations in "write" mode, where drafts are '
             "never shown: set it to post-edit first (accord project set gen --demonstration "
             "post_edit)"),
    ({"demonstration": {"mode": "post_edit", "draft": "model:big-70b"}}, (),
     "error: project gen takes its drafts from model big-70b (draft model:big-70b), and this "
     "run generates with m1: add --model or --model-name big-70b, or change the project's "
     "--draft"),
    ({"demonstration": {"mode": "post_edit"}}, ("-n", "0"),
     "error: -n must be between 1 and 16 drafts per prompt, not 0"),
])
def test_drafts_a_project_cannot_show_are_refused_before_any_call(
        generate, engine, fake_openai, settings, args, message):
    project = pool_project(engine, {"qa": 2})
    set_project_settings(engine, project, **settings)
    result = generate("gen", "--drafts", "--model", "m1", "--base-url", fake_openai.base_url,
                      *args)
    assert result.exit_code == 1
    assert result.stderr.strip() == message
    assert fake_openai.fake.requests == []
    assert ledger(engine, project)["calls"] == 0
