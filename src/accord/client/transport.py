"""Sending a ``Call``: the request, retries by ``RetryPolicy``, and the answer read or
raised as an ``AccordError``. The sync and the async transport differ only in how they
send and sleep; what to send and what an answer means is decided here once."""

from __future__ import annotations

import asyncio
import random as random_numbers
import time
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

from accord.client.calls import Call
from accord.client.connection import Connection
from accord.client.errors import Unreachable, error_from_answer
from accord.client.retries import RetryPolicy, retry_after_seconds

T = TypeVar("T")
DEFAULT_TIMEOUT = 30.0


class Exchange:
    """The transport-independent half: building requests, judging answers."""

    def __init__(self, connection: Connection, retry: RetryPolicy,
                 random: Callable[[], float]) -> None:
        self.connection, self.retry, self.random = connection, retry, random

    def request_arguments(self, call: Call[Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {"method": call.method, "url": call.path,
                                     "params": list(call.params)}
        if call.body is not None:
            arguments["json"] = dict(call.body)
        return arguments

    def wait_after_answer(self, attempt: int, answer: httpx.Response) -> float | None:
        return self.retry.wait_after_status(
            attempt, answer.status_code, self._retry_after(answer), self.random)

    def wait_after_failure(self, call: Call[Any], attempt: int) -> float | None:
        return self.retry.wait_after_failure(attempt, call.idempotent, self.random)

    def outcome(self, call: Call[T], answer: httpx.Response) -> T:
        if answer.status_code >= 400:
            raise error_from_answer(answer.status_code, answer.content,
                                    self._retry_after(answer))
        return call.read(answer)

    def unreachable(self, call: Call[Any], error: httpx.TransportError,
                    attempts: int) -> Unreachable:
        tries = "once" if attempts == 1 else f"{attempts} times"
        return Unreachable(None, "unreachable",
                           f"{call.method} {self.connection.api_url}{call.path} failed "
                           f"({type(error).__name__}: {error}); tried {tries}")

    @staticmethod
    def _retry_after(answer: httpx.Response) -> float | None:
        return retry_after_seconds(answer.headers.get("Retry-After"))


class SyncTransport(Exchange):
    def __init__(self, connection: Connection, *, retry: RetryPolicy = RetryPolicy(),
                 timeout: float = DEFAULT_TIMEOUT, sleep: Callable[[float], None] = time.sleep,
                 random: Callable[[], float] = random_numbers.random) -> None:
        super().__init__(connection, retry, random)
        self.sleep = sleep
        self.http = httpx.Client(base_url=connection.api_url, headers=connection.headers,
                                 timeout=timeout)

    def run(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = self.http.request(**self.request_arguments(call))
            except httpx.TransportError as error:
                wait = self.wait_after_failure(call, attempt)
                if wait is None:
                    raise self.unreachable(call, error, attempt) from error
            else:
                wait = self.wait_after_answer(attempt, answer)
                if wait is None:
                    return self.outcome(call, answer)
            self.sleep(wait)

    def close(self) -> None:
        self.http.close()


class AsyncTransport(Exchange):
    def __init__(self, connection: Connection, *, retry: RetryPolicy = RetryPolicy(),
                 timeout: float = DEFAULT_TIMEOUT,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
                 random: Callable[[], float] = random_numbers.random) -> None:
        super().__init__(connection, retry, random)
        self.sleep = sleep
        self.http = httpx.AsyncClient(base_url=connection.api_url, headers=connection.headers,
                                      timeout=timeout)

    async def run(self, call: Call[T]) -> T:
        attempt = 0
        while True:
            attempt += 1
            try:
                answer = await self.http.request(**self.request_arguments(call))
            except httpx.TransportError as error:
                wait = self.wait_after_failure(call, attempt)
                if wait is None:
                    raise self.unreachable(call, error, attempt) from error
            else:
                wait = self.wait_after_answer(attempt, answer)
                if wait is None:
                    return self.outcome(call, answer)
            await self.sleep(wait)

    async def close(self) -> None:
        await self.http.aclose()
