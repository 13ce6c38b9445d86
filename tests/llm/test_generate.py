"""Candidate generation against a real HTTP server that rate-limits, stalls and breaks."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.errors import InvalidInput
from accord.core.importing import import_items
from accord.core.judging.generated import pool_prompts
from accord.db.tables import model_calls, prompts, responses, task_expertise, tasks
from accord.llm.costs import Prices
from accord.llm.generation import generate_candidates, make_plan
from accord.llm.prompt_sample import parse_mix
from tests.llm.generation_helpers import fake_backends, generated_tasks, ledger, pool_project


def test_each_prompt_gets_its_candidates_and_one_comparison_task(engine, fake_openai):
    project = pool_project(engine, {"qa": 3, "coding": 2})
    plan = make_plan(["model-a", "model-b"], 3, temperatures=[0.2], max_tokens=64, seed=10)
    report = generate_candidates(engine, "gen", fake_backends(fake_openai.base_url,
                                                              plan.models), plan)
    assert (report.prompts, report.generated, report.tasks_created, report.failed) == (
        5, 15, 5, {})
    made = generated_tasks(engine, project)
    assert len(made) == 5 and all(len(ids) == 3 for ids in made.values())
    with engine.connect() as conn:
        stored = conn.execute(select(responses.c.model, responses.c.sampling,
                                     responses.c.origin, responses.c.content)
                              .order_by(responses.c.id)).all()
        pool = pool_prompts(conn, project.id)
        kinds = set(conn.execute(select(tasks.c.kind)).scalars())
    assert {row.origin for row in stored} == {"generated"}
    assert sorted({row.model for row in stored}) == ["model-a", "model-b"]
    assert {row.sampling["seed"] for row in stored} == {10, 11, 12}
    assert {row.sampling["temperature"] for row in stored} == {0.2}
    assert {row.content for row in stored} == {a.text for a in fake_openai.fake.answered}
    assert len(pool) == 5  # the prompts stay in the pool for later plans
    assert kinds == {"comparison"}
    sent = {(r["model"], r["seed"]) for r in fake_openai.fake.requests}
    assert sent == {("model-a", 10), ("model-b", 11), ("model-a", 12)}


def test_a_task_requires_the_expertise_its_prompt_names(engine, fake_openai):
    pool_project(engine, {}, extra=[{"id": "math-1", "kind": "prompt", "category": "reasoning",
                                     "domains": ["stem.math"], "prompt": "Integrate x^2."}])
    plan = make_plan(["m"], 2)
    generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]), plan)
    with engine.connect() as conn:
        tags = conn.execute(select(task_expertise.c.tag)).scalars().all()
        required = conn.execute(select(tasks.c.requires_expertise)).scalar_one()
    assert tags == ["stem.math"] and required


def test_rate_limits_and_timeouts_are_retried_and_every_task_completes(engine, fake_openai):
    project = pool_project(engine, {"qa": 4})
    fake_openai.fake.fail(429, times=3, retry_after="0.01")
    fake_openai.fake.stall(30, times=2)
    plan = make_plan(["m"], 2)
    backends = fake_backends(fake_openai.base_url, ["m"], timeout_s=0.5)
    report = generate_candidates(engine, "gen", backends, plan, concurrency=3)
    assert report.failed == {}
    assert report.tasks_created == 4
    assert len(fake_openai.fake.requests) == 8 + 3 + 2
    books = ledger(engine, project)
    assert (books["calls"], books["failed"], books["responses"]) == (8, 0, 8)


def test_a_rerun_after_an_interrupted_run_fills_only_what_is_missing(engine, fake_openai):
    project = pool_project(engine, {"qa": 5, "coding": 5})
    plan = make_plan(["m1", "m2"], 2, seed=0)
    backends = fake_backends(fake_openai.base_url, plan.models, attempts=2)
    fake_openai.fake.fail_after(7)  # the server dies after seven answers
    first = generate_candidates(engine, "gen", backends, plan, concurrency=2)
    assert first.generated == 7
    assert 0 < len(first.failed) <= 10
    assert first.tasks_created == len(generated_tasks(engine, project)) < 10

    fake_openai.fake.fail_after(None)
    answered_before = len(fake_openai.fake.answered)
    second = generate_candidates(engine, "gen", backends, plan, concurrency=2)
    assert second.failed == {}
    assert (second.already_stored, second.generated) == (7, 13)
    assert len(fake_openai.fake.answered) - answered_before == 13
    made = generated_tasks(engine, project)
    assert len(made) == 10
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(responses)).scalar_one()
    assert stored == 20
    assert len({i for ids in made.values() for i in ids}) == 20

    third = generate_candidates(engine, "gen", backends, plan)
    assert (third.generated, third.tasks_created, third.tasks_existing, third.calls) == (
        0, 0, 10, 0)


def test_tokens_and_costs_add_up_to_what_the_server_billed(engine, fake_openai):
    project = pool_project(engine, {"qa": 3, "creative": 3})
    fake_openai.fake.fail(500, times=2)  # retried: billed nothing
    prices = Prices(input_per_million=3.0, output_per_million=15.0)
    plan = make_plan(["m1", "m2"], 2)
    generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, plan.models), plan,
                        prices=prices, concurrency=4)
    prompt_tokens, completion_tokens = fake_openai.fake.billed()
    expected = (prompt_tokens * 3.0 + completion_tokens * 15.0) / 1_000_000
    books = ledger(engine, project)
    assert (books["prompt_tokens"], books["completion_tokens"]) == (prompt_tokens,
                                                                    completion_tokens)
    assert (books["response_prompt_tokens"], books["response_completion_tokens"]) == (
        prompt_tokens, completion_tokens)
    assert books["cost"] == pytest.approx(expected)
    assert books["response_cost"] == pytest.approx(expected)
    assert books["calls"] == 12


def test_a_failed_prompt_is_reported_once_and_the_others_complete(engine, fake_openai):
    project = pool_project(engine, {"qa": 4})
    fake_openai.fake.fail(401)  # not retried: the first call fails for good
    plan = make_plan(["m"], 2)
    seen: list[tuple[str, str]] = []
    report = generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]),
                                 plan, concurrency=1, on_failure=lambda p, e: seen.append((p, e)))
    first_asked = fake_openai.fake.requests[0]["messages"][0]["content"]
    with engine.connect() as conn:
        errors = conn.execute(select(model_calls.c.error)
                              .where(model_calls.c.error.is_not(None))).scalars().all()
    assert first_asked.startswith("qa question number 0:")
    assert seen == [("qa-0", "m: HTTP 401: injected 401")]
    assert report.failed == dict(seen)
    assert errors == ["m: HTTP 401: injected 401"]
    assert len(generated_tasks(engine, project)) == 3


def test_category_shares_follow_the_mix(engine, fake_openai):
    pool_project(engine, {"qa": 10, "coding": 10, "creative": 5})
    plan = make_plan(["m"], 2, max_tokens=8)
    report = generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]),
                                 plan, mix=parse_mix("coding=0.3,qa=0.7"), limit=10,
                                 concurrency=4)
    assert report.tasks_created == 10
    with engine.connect() as conn:
        categories = conn.execute(
            select(prompts.c.category, func.count()).join(tasks, tasks.c.prompt_id == prompts.c.id)
            .group_by(prompts.c.category)).all()
    assert dict(categories) == {"coding": 3, "qa": 7}


def test_a_pairwise_project_takes_two_candidates_and_changes_nothing_otherwise(
        engine, fake_openai):
    project = pool_project(engine, {"qa": 2}, ranking_mode="pairwise", allow_ties=False)
    plan = make_plan(["m"], 3)
    with pytest.raises(InvalidInput, match="project gen compares pairs: use -n 2, not -n 3"):
        generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]), plan)
    assert fake_openai.fake.requests == []
    assert generated_tasks(engine, project) == {}


def test_a_mix_naming_an_empty_category_is_refused(engine, fake_openai):
    pool_project(engine, {"qa": 2})
    with pytest.raises(InvalidInput, match=r"--mix: the pool has no prompts in legal \(its "
                                           r"categories: qa\)"):
        generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]),
                            make_plan(["m"], 2), mix=parse_mix("legal=1"))
    assert fake_openai.fake.requests == []


def test_reimporting_the_pool_after_generation_changes_nothing(engine, fake_openai):
    items = [{"id": f"p-{i}", "kind": "prompt", "prompt": f"question {i}", "category": "qa"}
             for i in range(3)]
    project = pool_project(engine, {}, extra=items)
    generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, ["m"]),
                        make_plan(["m"], 2))
    report = import_items(engine, project, items)
    assert (report.new, report.unchanged, report.updated) == (0, 3, 0)
    assert len(generated_tasks(engine, project)) == 3


def test_answers_received_before_ctrl_c_are_kept_and_the_rerun_completes(engine, fake_openai):
    project = pool_project(engine, {"qa": 6})
    plan = make_plan(["m"], 2)
    backends = fake_backends(fake_openai.base_url, ["m"])

    def interrupt_after_five(done: int, total: int) -> None:
        if done == 5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        generate_candidates(engine, "gen", backends, plan, concurrency=1,
                            progress=interrupt_after_five)
    kept = ledger(engine, project)
    assert (kept["responses"], kept["calls"]) == (5, 5)
    assert len(generated_tasks(engine, project)) == 2

    rerun = generate_candidates(engine, "gen", backends, plan, concurrency=2)
    assert (rerun.already_stored, rerun.generated, rerun.tasks_created) == (5, 7, 4)
    assert ledger(engine, project)["responses"] == 12


def test_a_sample_larger_than_a_chunk_is_generated_chunk_by_chunk(engine, fake_openai):
    project = pool_project(engine, {"qa": 4, "coding": 3})
    plan = make_plan(["m1", "m2"], 2)
    backends = fake_backends(fake_openai.base_url, plan.models)
    seen: list[tuple[int, int]] = []
    report = generate_candidates(engine, "gen", backends, plan, concurrency=3,
                                 chunk_prompts=2, progress=lambda d, t: seen.append((d, t)))
    assert (report.generated, report.tasks_created, report.failed) == (14, 7, {})
    assert len(generated_tasks(engine, project)) == 7
    assert seen[-1] == (14, 14)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    again = generate_candidates(engine, "gen", backends, plan, chunk_prompts=3)
    assert (again.already_stored, again.tasks_existing, again.calls) == (14, 7, 0)


def test_a_generated_refusal_is_flagged_as_imported_ones_are(engine, fake_openai):
    pool_project(engine, {"safety": 1})
    fake_openai.fake.reply = lambda body: (
        "I can't help with that." if body["model"] == "careful" else "Here is how: first …")
    plan = make_plan(["careful", "eager"], 2)
    generate_candidates(engine, "gen", fake_backends(fake_openai.base_url, plan.models), plan)
    with engine.connect() as conn:
        flags = dict(conn.execute(select(responses.c.model,
                                         responses.c.opens_with_refusal)).all())
    assert flags == {"careful": True, "eager": False}
