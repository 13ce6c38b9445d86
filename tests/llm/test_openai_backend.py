"""The OpenAI-compatible backend against a real HTTP server that misbehaves on request."""

from __future__ import annotations

import pytest

from accord.core.errors import InvalidInput
from accord.core.judging.model_calls import call_totals, record_calls
from accord.llm.chat import BackendError, ChatRequest, Sampling, TokenChoice
from accord.llm.costs import Prices, answered_call, failed_call
from accord.llm.openai_backend import (
    KEYLESS,
    OPENAI_URL,
    Endpoint,
    OpenAIBackend,
    length_field,
)
from accord.llm.pool import run_bounded
from accord.llm.retries import Backoff, Retries, retry_after_seconds
from tests.factories import make_project
from tests.llm.fake_openai import Reply, count_tokens

QUESTION = [{"role": "user", "content": "What is the boiling point of water at sea level?"}]


def backend_for(server, *, waits: list | None = None, **options) -> OpenAIBackend:
    """A backend on the fake; ``waits`` collects the retry waits instead of sleeping them."""
    options.setdefault("retries", Retries(attempts=4, base_delay_s=0.01, seed=7))
    sleep = waits.append if waits is not None else (lambda _seconds: None)
    return OpenAIBackend("fake-model", Endpoint.resolve(server.base_url, "test-key"),
                         sleep=sleep, **options)


def test_answer_carries_text_and_the_usage_the_server_billed(fake_openai):
    result = backend_for(fake_openai).complete(ChatRequest(QUESTION, Sampling(max_tokens=50)))
    billed = fake_openai.fake.answered
    assert len(billed) == 1
    assert result.text == billed[0].text
    assert (result.prompt_tokens, result.completion_tokens) == (
        billed[0].prompt_tokens, billed[0].completion_tokens)
    assert result.prompt_tokens == count_tokens(QUESTION[0]["content"])
    assert result.model == "fake-model"
    assert result.logprobs is None
    assert "logprobs" not in fake_openai.fake.requests[0]


def test_sampling_settings_reach_the_server(fake_openai):
    sampling = Sampling(temperature=0.3, top_p=0.9, max_tokens=4, seed=11)
    result = backend_for(fake_openai).complete(ChatRequest(QUESTION, sampling))
    sent = fake_openai.fake.requests[0]
    assert (sent["temperature"], sent["top_p"], sent["max_tokens"], sent["seed"]) == (
        0.3, 0.9, 4, 11)
    assert result.completion_tokens == 4
    assert result.finish_reason == "length"


def test_rate_limits_are_retried_after_the_wait_the_server_asks_for(fake_openai):
    fake_openai.fake.fail(429, times=2, retry_after="0.25")
    waits: list[float] = []
    result = backend_for(fake_openai, waits=waits).complete(ChatRequest(QUESTION))
    assert result.text
    assert waits == [0.25, 0.25]
    assert len(fake_openai.fake.requests) == 3
    assert len(fake_openai.fake.answered) == 1


def test_server_errors_are_retried_with_growing_seeded_waits(fake_openai):
    retries = Retries(attempts=4, base_delay_s=0.1, max_delay_s=10, seed=3)
    fake_openai.fake.fail(500, times=3)
    waits: list[float] = []
    backend_for(fake_openai, waits=waits, retries=retries).complete(ChatRequest(QUESTION))
    assert len(waits) == 3
    for attempt, wait in enumerate(waits, start=1):
        ceiling = 0.1 * 2 ** (attempt - 1)
        assert ceiling / 2 <= wait <= ceiling
    replay = Backoff(retries)
    assert waits == [replay.delay(attempt) for attempt in (1, 2, 3)]


def test_a_call_that_outlasts_the_timeout_is_tried_again(fake_openai):
    fake_openai.fake.stall(30)
    waits: list[float] = []
    result = backend_for(fake_openai, waits=waits, timeout_s=0.5).complete(ChatRequest(QUESTION))
    assert result.text
    assert len(waits) == 1
    assert len(fake_openai.fake.requests) == 2


def test_persistent_failure_is_one_error_naming_status_and_attempts(fake_openai):
    fake_openai.fake.fail(503, times=4)
    with pytest.raises(BackendError) as raised:
        backend_for(fake_openai).complete(ChatRequest(QUESTION))
    assert raised.value.status == 503
    assert str(raised.value) == "fake-model: HTTP 503: injected 503 (after 4 attempts)"
    assert fake_openai.fake.answered == []


def test_timeouts_to_the_end_name_the_timeout(fake_openai):
    fake_openai.fake.stall(30, times=2)
    backend = backend_for(fake_openai, timeout_s=0.3, retries=Retries(attempts=2, seed=1))
    with pytest.raises(BackendError, match=r"no answer within 0.3 s \(after 2 attempts\)"):
        backend.complete(ChatRequest(QUESTION))


def test_a_bad_request_is_not_retried(fake_openai):
    fake_openai.fake.fail(400)
    with pytest.raises(BackendError) as raised:
        backend_for(fake_openai).complete(ChatRequest(QUESTION))
    assert raised.value.status == 400
    assert str(raised.value) == "fake-model: HTTP 400: injected 400"
    assert len(fake_openai.fake.requests) == 1


def test_first_token_alternatives_come_back_likeliest_first(fake_openai):
    fake_openai.fake.reply = lambda body: Reply(
        "A is better", first_token_top=[("B", -2.5), ("A", -0.1), ("tie", -4.0)])
    result = backend_for(fake_openai).complete(ChatRequest(QUESTION, top_logprobs=2))
    sent = fake_openai.fake.requests[0]
    assert (sent["logprobs"], sent["top_logprobs"]) == (True, 2)
    assert result.logprobs[0] == [TokenChoice("A", -0.1), TokenChoice("B", -2.5)]
    assert [len(position) for position in result.logprobs] == [2, 2, 2]


def test_endpoint_reads_options_before_the_environment():
    env = {"OPENAI_BASE_URL": "http://env.example/v1/", "OPENAI_API_KEY": "env-key"}
    assert Endpoint.resolve(environ=env) == Endpoint("http://env.example/v1", "env-key")
    assert Endpoint.resolve("http://opt.example/v1", "opt-key", env) == Endpoint(
        "http://opt.example/v1", "opt-key")
    assert Endpoint.resolve("http://local:8000/v1", environ={}).api_key == KEYLESS
    assert "env-key" not in repr(Endpoint.resolve(environ=env))


def test_openai_itself_needs_a_key():
    with pytest.raises(InvalidInput, match=r"no API key for api\.openai\.com"):
        Endpoint.resolve(environ={})
    assert Endpoint.resolve(environ={"OPENAI_API_KEY": "k"}).base_url == OPENAI_URL
    with pytest.raises(InvalidInput, match='--base-url must be an http'):
        Endpoint.resolve("ftp://x", "k", {})


def test_retry_after_as_http_date_and_milliseconds():
    assert retry_after_seconds({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_seconds({"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"},
                               now=1445412480.0) == 10.0
    assert retry_after_seconds({"Retry-After": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_pool_keeps_at_most_concurrency_calls_in_flight(fake_openai):
    fake_openai.fake.delay_s = 0.05
    backend = backend_for(fake_openai)
    jobs = [ChatRequest([{"role": "user", "content": f"question {i}"}]) for i in range(24)]
    outcomes = list(run_bounded(jobs, backend.complete, concurrency=4))
    assert len(outcomes) == 24 and all(o.error is None for o in outcomes)
    assert {o.job.messages[0]["content"] for o in outcomes} == {j.messages[0]["content"]
                                                                for j in jobs}
    assert 1 < fake_openai.fake.max_in_flight <= 4


def test_pool_reports_each_failure_and_goes_on(fake_openai):
    backend = backend_for(fake_openai, retries=Retries(attempts=1))
    fake_openai.fake.fail(401, times=2)
    jobs = [ChatRequest([{"role": "user", "content": f"q{i}"}]) for i in range(5)]
    outcomes = list(run_bounded(jobs, backend.complete, concurrency=1))
    failed = [o for o in outcomes if o.error is not None]
    assert len(failed) == 2 and all(isinstance(o.error, BackendError) for o in failed)
    assert len(outcomes) - len(failed) == 3


def test_ledger_costs_are_tokens_times_prices(fake_openai, engine):
    project = make_project(engine)
    prices = Prices(input_per_million=2.5, output_per_million=10.0)
    backend = backend_for(fake_openai)
    results = [backend.complete(ChatRequest([{"role": "user", "content": "word " * n}]))
               for n in (3, 7, 11)]
    with engine.begin() as conn:
        record_calls(conn, project.id, [answered_call("generate", r, prices) for r in results])
        record_calls(conn, project.id, [failed_call("generate", "fake-model", "HTTP 500", 12)])
    with engine.connect() as conn:
        totals = call_totals(conn, project.id, "generate")
    prompt_tokens, completion_tokens = fake_openai.fake.billed()
    assert (totals.calls, totals.failed) == (4, 1)
    assert (totals.prompt_tokens, totals.completion_tokens) == (prompt_tokens, completion_tokens)
    assert totals.cost == pytest.approx((prompt_tokens * 2.5 + completion_tokens * 10) / 1e6)


def test_prices_must_not_be_negative():
    with pytest.raises(InvalidInput, match="--price-output must be a price of zero or more"):
        Prices(1.0, -2.0)


def test_openai_itself_gets_max_completion_tokens_and_other_servers_max_tokens():
    assert length_field(OPENAI_URL) == "max_completion_tokens"
    assert length_field(OPENAI_URL + "/") == "max_completion_tokens"
    assert length_field("http://127.0.0.1:8001/v1") == "max_tokens"
