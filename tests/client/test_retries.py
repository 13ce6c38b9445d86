"""Retries as the SDK promises them, against a real local HTTP server: 429 and 503 are sent
again after the server's Retry-After (seconds or an HTTP date) or a jittered backoff,
attempts are bounded, and a write that is not idempotent is never repeated after a failed
connection. Delays are recorded by an injected sleep: the tests never wait."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from accord.client import (
    AsyncClient,
    Client,
    RateLimited,
    RetryPolicy,
    ServerError,
    Unreachable,
)
from accord.client.retries import retry_after_seconds
from tests.client.scripted_server import DROP, scripted_server

USER = {"name": "judge-1", "kind": "ai", "is_admin": False}
SKIPPED = {"assignment_id": 7, "status": "skipped"}
SUBMITTED = {"annotation_id": 3, "assignment_id": 7, "task_id": "q-1", "status": "submitted",
             "late": False, "created_at": "2026-01-02T03:04:05Z", "annotation": {}}
ROUND = {"id": 1, "user": "ann1", "status": "pending", "score": None, "guideline_version": 1,
         "created_at": "2026-01-02T03:04:05Z", "finished_at": None}
BUSY = {"error": {"code": "busy", "message": "too many requests for now"}}


def _client(base: str, delays: list[float], **policy) -> Client:
    return Client(base, "acc_test", sleep=delays.append, random=lambda: 1.0,
                  retry=RetryPolicy(**policy))


def test_429_then_503_are_retried_after_the_retry_after_the_server_asked_for():
    past = format_datetime(datetime(2020, 1, 1, tzinfo=UTC), usegmt=True)
    delays: list[float] = []
    with scripted_server((429, {"Retry-After": "2"}, BUSY),
                         (503, {"Retry-After": past}, BUSY),
                         (200, {}, USER)) as (base, script):
        me = _client(base, delays).me()
    assert me.name == "judge-1"
    assert len(script.received) == 3
    assert delays == [2.0, 0.0]
    assert script.received[0].headers["Authorization"] == "Bearer acc_test"


def test_without_retry_after_the_backoff_doubles_up_to_its_ceiling_and_attempts_are_bounded():
    delays: list[float] = []
    with (scripted_server(*[(503, {}, BUSY)] * 5) as (base, script),
          pytest.raises(ServerError) as raised):
        _client(base, delays, attempts=5, base_delay=0.5, max_delay=3).me()
    assert len(script.received) == 5
    assert delays == [0.5, 1.0, 2.0, 3.0]
    assert (raised.value.status, raised.value.code) == (503, "busy")


def test_the_backoff_is_jittered_between_zero_and_its_ceiling():
    policy = RetryPolicy(base_delay=1.0, max_delay=60)
    assert policy.backoff(3, lambda: 0.25) == 1.0
    assert policy.backoff(3, lambda: 0.0) == 0.0


def test_a_rate_limit_that_outlasts_the_retries_is_raised_with_its_retry_after():
    delays: list[float] = []
    limited = (429, {"Retry-After": "1"}, BUSY)
    with scripted_server(limited, limited) as (base, script), \
            pytest.raises(RateLimited) as raised:
        _client(base, delays, attempts=2).me()
    assert len(script.received) == 2 and delays == [1.0]
    assert raised.value.retry_after == 1.0 and raised.value.message == "too many requests for now"


def test_a_retry_after_longer_than_max_wait_is_raised_at_once():
    delays: list[float] = []
    with (scripted_server((429, {"Retry-After": "3600"}, BUSY)) as (base, script),
          pytest.raises(RateLimited) as raised):
        _client(base, delays, max_wait=60).me()
    assert len(script.received) == 1 and delays == []
    assert raised.value.retry_after == 3600.0


def test_a_post_is_retried_when_the_server_said_503_before_doing_anything():
    delays: list[float] = []
    with scripted_server((503, {"Retry-After": "1"}, BUSY), (200, {}, SKIPPED)) as (base, script):
        skipped = _client(base, delays).skip(7, reason="unclear")
    assert skipped.status == "skipped"
    assert [r.body for r in script.received] == [{"reason": "unclear"}] * 2


def test_a_calibration_round_is_never_started_twice_after_a_connection_dropped_mid_request():
    delays: list[float] = []
    with (scripted_server(DROP, (201, {}, ROUND)) as (base, script),
          pytest.raises(Unreachable) as raised):
        _client(base, delays).calibration.start("demo", "ann1")
    assert len(script.received) == 1 and delays == []
    assert raised.value.status is None and "/projects/demo/calibrations" in raised.value.message


def test_a_submission_is_sent_again_after_a_dropped_connection_because_it_is_idempotent():
    delays: list[float] = []
    with scripted_server(DROP, (200, {}, SUBMITTED)) as (base, script):
        stored = _client(base, delays).submit(7, ranking=[["a"], ["b"]], active_ms=10)
    assert stored.annotation_id == 3
    assert len(script.received) == 2 and delays == [0.5]
    assert script.received[1].body == {"ranking": [["a"], ["b"]], "active_ms": 10}


def test_a_read_gives_up_after_its_attempts_when_the_connection_keeps_failing():
    delays: list[float] = []
    with (scripted_server(DROP, DROP, DROP) as (base, script),
          pytest.raises(Unreachable, match="tried 3 times")):
        _client(base, delays, attempts=3).me()
    assert len(script.received) == 3 and delays == [0.5, 1.0]


def test_other_server_errors_are_not_retried():
    delays: list[float] = []
    fault = (500, {}, {"error": {"code": "internal", "message": "fault"}})
    with scripted_server(fault) as (base, script), \
            pytest.raises(ServerError, match="500 internal: fault"):
        _client(base, delays).me()
    assert len(script.received) == 1


def test_the_async_client_retries_the_same_way():
    delays: list[float] = []

    async def record(seconds: float) -> None:
        delays.append(seconds)

    async def ask(base: str):
        async with AsyncClient(base, "acc_test", sleep=record, random=lambda: 1.0) as client:
            return await client.me()

    with scripted_server((429, {"Retry-After": "4"}, BUSY), DROP,
                         (200, {}, USER)) as (base, script):
        me = asyncio.run(ask(base))
    assert me.kind == "ai" and len(script.received) == 3
    assert delays == [4.0, 1.0]


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    now = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert retry_after_seconds("120", now) == 120.0
    assert retry_after_seconds(later, now) == 90.0
    assert retry_after_seconds("Sun, 01 Mar 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("-5", now) is None
    assert retry_after_seconds(None, now) is None


def test_a_policy_with_no_attempts_is_refused():
    with pytest.raises(ValueError, match="attempts must be at least 1, not 0"):
        RetryPolicy(attempts=0)
