"""The AI judge against a real HTTP server (the fake OpenAI server) and a real database.

A judge with a planted habit answers through the fake server; the tests check what Accord
stores: wins only when both display orders agree, a soft preference from the first token's
log-probabilities, unreadable verdicts asked again and then reported, and runs that resume.
"""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import Engine, func, select

from accord.core.errors import AlreadyExists, Conflict
from accord.db.tables import (
    annotations,
    assignments,
    model_calls,
    pairwise_outcomes,
    responses,
    tasks,
    users,
)
from accord.llm import constitution
from accord.llm.judge import JudgeSetup, PairJudge
from accord.llm.judge_run import run_judge
from accord.llm.openai_backend import Endpoint, OpenAIBackend
from accord.llm.retries import Retries
from accord.llm.verdict import REMINDER, TEMPLATE_VERSION
from tests.factories import add_comparison, add_comparisons, make_project, make_user
from tests.llm import judge_replies

MODEL = "judge-model-1"


def pair_judge(server, *, model: str = MODEL, logprobs: bool = True, parse_attempts: int = 3,
               seed: int = 0) -> PairJudge:
    backend = OpenAIBackend(model, Endpoint.resolve(server.base_url),
                            retries=Retries(attempts=2, base_delay_s=0.0, seed=0))
    setup = JudgeSetup(constitution=constitution.load(), backend="openai", seed=seed,
                       parse_attempts=parse_attempts, top_logprobs=5 if logprobs else 0)
    return PairJudge(backend, setup)


def stored(engine: Engine) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(tasks.c.external_id, annotations.c.ranking, annotations.c.preference,
                   annotations.c.details, annotations.c.rationale, assignments.c.display_order)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .join(assignments, assignments.c.id == annotations.c.assignment_id)
            .order_by(tasks.c.id)).all()


def count(engine: Engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_a_judge_that_always_prefers_position_a_yields_ties_not_wins(engine, fake_openai):
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 4)
    fake_openai.fake.reply = judge_replies.position_a

    run = run_judge(engine, project.name, "judge-a", pair_judge(fake_openai), concurrency=2)

    assert (run.judged, run.wins, run.ties, run.inconsistent, run.failed) == (4, 0, 4, 4, 0)
    rows = stored(engine)
    assert [row.ranking for row in rows] == [[["a", "b"]]] * 4
    assert all(row.details["consistent"] is False and row.details["confidence"] == 0
               for row in rows)
    with engine.connect() as conn:
        outcomes = conn.execute(select(pairwise_outcomes.c.tie)).scalars().all()
        kind, settings = conn.execute(select(users.c.kind, users.c.ai_settings)
                                      .where(users.c.name == "judge-a")).one()
        counters = conn.execute(select(tasks.c.status, tasks.c.taken, tasks.c.submitted)
                                ).all()
    assert outcomes == [True] * 4
    assert kind == "ai" and settings["model"] == MODEL
    # The judge takes none of the slots the task keeps for people.
    assert {tuple(row) for row in counters} == {("open", 0, 0)}


def test_a_consistent_judge_yields_wins_with_full_confidence(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 3)  # response b is the longer one
    fake_openai.fake.reply = judge_replies.longer

    run = run_judge(engine, project.name, "judge-long", pair_judge(fake_openai, logprobs=False))

    assert (run.judged, run.wins, run.ties, run.inconsistent) == (3, 3, 0, 0)
    for row in stored(engine):
        assert row.ranking == [["b"], ["a"]]
        assert row.details["consistent"] is True and row.details["confidence"] == 1.0
        assert row.preference is None  # no log-probabilities asked for: no soft preference
    with engine.connect() as conn:
        outcomes = conn.execute(
            select(responses.c.external_id, pairwise_outcomes.c.tie,
                   pairwise_outcomes.c.winner_position, assignments.c.display_order)
            .join(responses, responses.c.id == pairwise_outcomes.c.winner_id)
            .join(annotations, annotations.c.id == pairwise_outcomes.c.annotation_id)
            .join(assignments, assignments.c.id == annotations.c.assignment_id)).all()
    assert len(outcomes) == 3
    for winner, tie, position, order in outcomes:
        assert (winner, tie) == ("b", False)
        assert order[position] == "b"  # positions are those of the stored display order
    with engine.connect() as conn:
        # each call names the task it judged, so its cost counts toward the task's category
        calls = Counter(conn.execute(
            select(tasks.c.external_id).select_from(model_calls)
            .join(tasks, tasks.c.id == model_calls.c.task_id)).scalars())
        unnamed = conn.execute(select(func.count()).select_from(model_calls)
                               .where(model_calls.c.task_id.is_(None))).scalar_one()
    assert calls == {"item-0": 2, "item-1": 2, "item-2": 2} and unnamed == 0  # both orders


def test_first_token_logprobs_give_a_soft_preference(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    p_win, p_tie = 0.7, 0.1
    fake_openai.fake.reply = judge_replies.longer_with(p_win, p_tie)

    run_judge(engine, project.name, "judge-soft", pair_judge(fake_openai))

    p_lose = 1 - p_win - p_tie
    for row in stored(engine):
        assert row.ranking == [["b"], ["a"]]
        assert row.preference == pytest.approx(p_win / (p_win + p_lose), abs=1e-5)
        assert row.details["confidence"] == pytest.approx(p_win, abs=1e-5)
        for order in row.details["orders"]:
            letter = "A" if order["shown"][0] == "b" else "B"
            assert order["probabilities"][letter] == pytest.approx(p_win, abs=1e-5)
            assert order["probabilities"]["TIE"] == pytest.approx(p_tie, abs=1e-5)


def test_unreadable_verdicts_are_asked_again_then_reported_as_errors(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    fake_openai.fake.reply = lambda body: "Both have merits; I would rather not choose."
    attempts = 3

    run = run_judge(engine, project.name, "judge-vague",
                    pair_judge(fake_openai, parse_attempts=attempts), concurrency=1)

    assert (run.judged, run.failed) == (0, 2)
    assert [failure["task"] for failure in run.failures] == ["item-0", "item-1"]
    assert all("no readable verdict in 3 replies" in f["error"] for f in run.failures)
    requests = fake_openai.fake.requests
    assert len(requests) == 2 * attempts  # the first order fails, the second is never asked
    assert [len(r["messages"]) for r in requests[:attempts]] == [2, 4, 4]
    assert requests[1]["messages"][-1]["content"] == REMINDER
    assert (count(engine, annotations), count(engine, assignments)) == (0, 0)
    with engine.connect() as conn:
        errors = conn.execute(select(model_calls.c.error, model_calls.c.completion_tokens)
                              ).all()
        failed_for = Counter(conn.execute(
            select(tasks.c.external_id).join(model_calls, model_calls.c.task_id == tasks.c.id)
        ).scalars())
    assert len(errors) == 2 * attempts
    assert failed_for == {"item-0": attempts, "item-1": attempts}  # failures name their task
    assert all(e.startswith("no readable verdict") and tokens > 0 for e, tokens in errors)

    fake_openai.fake.reply = judge_replies.longer
    again = run_judge(engine, project.name, "judge-vague", pair_judge(fake_openai))
    assert (again.judged, again.failed) == (2, 0)


def test_a_verdict_read_on_a_later_attempt_is_kept_with_its_attempt_count(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    asked: Counter[str] = Counter()

    def late(body: dict) -> str:
        key = judge_replies.shown(body)[0]
        asked[key] += 1
        return "Hmm." if asked[key] == 1 else judge_replies.longer(body)

    fake_openai.fake.reply = late
    run = run_judge(engine, project.name, "judge-late", pair_judge(fake_openai))

    assert run.judged == 1
    (row,) = stored(engine)
    assert [order["attempts"] for order in row.details["orders"]] == [2, 2]
    assert row.ranking == [["b"], ["a"]]


def test_a_rerun_judges_only_the_tasks_left(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 5)
    fake_openai.fake.reply = judge_replies.longer
    judge = pair_judge(fake_openai)

    first = run_judge(engine, project.name, "judge-r", judge, limit=2)
    second = run_judge(engine, project.name, "judge-r", judge)
    third = run_judge(engine, project.name, "judge-r", judge)

    assert (first.pending, first.judged) == (5, 2)
    assert (second.pending, second.judged) == (3, 3)
    assert (third.pending, third.judged) == (0, 0)
    assert len(fake_openai.fake.requests) == 5 * 2
    assert count(engine, annotations) == 5
    with engine.connect() as conn:
        per_task = conn.execute(select(annotations.c.task_id, func.count())
                                .group_by(annotations.c.task_id)).all()
    assert {n for _, n in per_task} == {1}


def test_a_server_that_fails_mid_run_loses_nothing_and_the_rerun_finishes(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 5)
    fake_openai.fake.reply = judge_replies.longer
    fake_openai.fake.fail_after(4)  # two tasks' worth of answers, then HTTP 500 for good

    broken = run_judge(engine, project.name, "judge-f", pair_judge(fake_openai), concurrency=1)

    assert (broken.judged, broken.failed) == (2, 3)
    assert all("HTTP 500" in failure["error"] for failure in broken.failures)
    fake_openai.fake.fail_after(None)
    healed = run_judge(engine, project.name, "judge-f", pair_judge(fake_openai))
    assert (healed.judged, healed.failed) == (3, 0)
    assert count(engine, annotations) == 5


def test_the_stored_annotation_says_how_the_verdict_was_reached(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 3)
    fake_openai.fake.reply = judge_replies.longer
    judge = pair_judge(fake_openai, seed=7)

    run_judge(engine, project.name, "judge-d", judge, concurrency=1)

    shipped = constitution.load()
    replies = Counter(answer.text for answer in fake_openai.fake.answered)
    for row in stored(engine):
        details = row.details
        assert details["template"] == TEMPLATE_VERSION
        assert details["constitution"] == shipped.label == "helpful-harmless-v1"
        assert details["model"] == MODEL and details["seed"] == 7
        principle = next(p for p in shipped.principles if p.id == details["principle"]["id"])
        assert details["principle"]["text"] == principle.text
        assert principle == shipped.principle_for(row.external_id, 7)
        first, second = details["orders"]
        assert first["shown"] == row.display_order == second["shown"][::-1]
        for order in (first, second):
            assert replies[order["raw"]]  # exactly what the server answered
            assert order["raw"].split("\n", 1)[1] in row.rationale


def test_a_name_held_by_a_person_or_another_model_is_refused(engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    fake_openai.fake.reply = judge_replies.longer
    make_user(engine, "alice")

    with pytest.raises(AlreadyExists, match='"alice" is a human user'):
        run_judge(engine, project.name, "alice", pair_judge(fake_openai))
    run_judge(engine, project.name, "judge-m", pair_judge(fake_openai, model="model-one"))
    with engine.begin() as conn:
        add_comparison(conn, project, "item-new")  # work the second model would take
    with pytest.raises(Conflict, match="model 'model-one', not 'model-two'"):
        run_judge(engine, project.name, "judge-m", pair_judge(fake_openai, model="model-two"))
    assert count(engine, annotations) == 1


@pytest.mark.parametrize(("shape", "first_token"), [
    ("{v}: The answer is {v}, which says more.", True),
    ("**{v}**\n{v} says more.", True),
    ("\n\n{v}\nIt says more.", True),
    ("[[{v}]]", True),
    ("Response {v} is better: it says more.", False),
    ("The answer is {v}.", False),
])
def test_verdicts_in_the_shapes_models_write_are_read_from_the_text(engine, fake_openai, shape,
                                                                   first_token):
    project = make_project(engine)
    add_comparisons(engine, project, 1)  # response b is the longer one
    fake_openai.fake.reply = judge_replies.longer_in_shape(shape, p_win=0.8, p_tie=0.05)

    run = run_judge(engine, project.name, "judge-shapes", pair_judge(fake_openai))

    assert (run.judged, run.wins, run.failed) == (1, 1, 0)
    (row,) = stored(engine)
    assert row.ranking == [["b"], ["a"]] and row.details["consistent"] is True
    for order in row.details["orders"]:
        assert order["read_from"] == "text" and order["attempts"] == 1
        assert order["verdict"] == ("A" if order["shown"][0] == "b" else "B")
        # Only a verdict that opens the reply is the token whose probabilities were given.
        assert (order["probabilities"] is not None) is first_token
        if first_token:
            assert order["probabilities"][order["verdict"]] == pytest.approx(0.8, abs=1e-5)
    assert row.details["confidence"] == (pytest.approx(0.8, abs=1e-5) if first_token else 1.0)


def test_a_pair_whose_orders_disagree_is_stored_with_confidence_zero_whatever_p_tie(
        engine, fake_openai):
    project = make_project(engine)
    add_comparisons(engine, project, 2)
    p_tie = 0.218  # what the mean P(tie) of a real run's disagreeing orders was
    fake_openai.fake.reply = judge_replies.position_a_with(0.6, p_tie)

    run = run_judge(engine, project.name, "judge-split", pair_judge(fake_openai))

    assert (run.judged, run.ties, run.inconsistent) == (2, 2, 2)
    for row in stored(engine):
        assert row.ranking == [["a", "b"]] and row.preference == 0.5
        assert row.details["consistent"] is False
        assert row.details["confidence"] == 0
        for order in row.details["orders"]:
            assert order["probabilities"]["TIE"] == pytest.approx(p_tie, abs=1e-5)
