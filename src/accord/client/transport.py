"""Sending a ``Call``: the request, retries by ``RetryPolicy``, and the answer read or
raised as an ``AccordError``. The sync and the async transport differ only in how they
send, stream and sleep; what to send and what an answer means is decided here once.
Every answer is received as a stream: ``run`` reads it whole, ``stream`` hands it over
unread, so a download of any size never sits in memory."""

from __future__ import annotations

import asyncio
import random as random_numbers
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any, TypeVar

import httpx

from accord.client.calls import Call, FileBody
from accord.client.connection import Connection
from accord.client.errors import Unreachable, error_from_answer
from accord.client.retries import RetryPolicy, retry_after_seconds

T = TypeVar("T")
DEFAULT_TIMEOUT = 30.0


CHUNK = 1 << 20
"""Bytes read from an uploaded file at a time."""


def file_chunks(body: FileBody) -> Iterator[bytes]:
    with body.path.open("rb") as file:
        while chunk := file.read(CHUNK):
            yield chunk


async def async_file_chunks(body: FileBody) -> AsyncIterator[bytes]:
    with body.path.open("rb") as file:
        while chunk := await asyncio.to_thread(file.read, CHUNK):
            yield chunk


class Exchange:
    """The transport-independent half: building requests, judging answers."""

    def __init__(self, connection: Connection, retry: RetryPolicy,
                 random: Callable[[], float]) -> None:
        self.connection, self.retry, self.random = connection, retry, random

    def request_arguments(self, call: Call[Any]) -> dict[str, Any]:
        arguments: dict[str, Any] = {"method": call.method, "url": call.path,
                                     "params": list(call.params), "headers": dict(call.headers)}
        if call.body is not None:
            arguments["json"] = dict(call.body)
        if call.upload is not None:
            arguments["headers"].update({"Content-Type": call.upload.media_type,
                                         "Content-Length": str(call.upload.size)})
        return arguments

    def wait_after_answer(self, attempt: int, answer: httpx.Response) -> float | None:
        return self.retry.wait_after_status(
            attempt, answer.status_code, self._retry_after(answer), self.random)

    def wait_after_failure(self, call: Call[Any], attempt: int) -> float | None:
        return self.retry.wait_after_failure(attempt, call.idempotent, self.random)

    def error(self, answer: httpx.Response) -> Exception:
        return error_from_answer(answer.status_code, answer.content,
                                 self._retry_after(answer))

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
        answer = self._send(call, read_body=True)
        return call.read(answer)

    @contextmanager
    def stream(self, call: Call[Any]) -> Iterator[httpx.Response]:
        """The successful answer with its body unread, for the caller to stream; closed
        on leaving. Retried as ``run`` is until the answer's status is final."""
        answer = self._send(call, read_body=False)
        try:
            yield answer
        finally:
            answer.close()

    def _send(self, call: Call[Any], *, read_body: bool) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            arguments = self.request_arguments(call)
            if call.upload is not None:
                arguments["content"] = file_chunks(call.upload)
            try:
                answer = self.http.send(self.http.build_request(**arguments), stream=True)
                if read_body or answer.status_code >= 400:
                    answer.read()
            except httpx.TransportError as error:
                wait = self.wait_after_failure(call, attempt)
                if wait is None:
                    raise self.unreachable(call, error, attempt) from error
            else:
                wait = self.wait_after_answer(attempt, answer)
                if wait is None:
                    if answer.status_code >= 400:
                        raise self.error(answer)
                    return answer
                answer.close()
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
        answer = await self._send(call, read_body=True)
        return call.read(answer)

    @asynccontextmanager
    async def stream(self, call: Call[Any]) -> AsyncIterator[httpx.Response]:
        """``SyncTransport.stream`` for asyncio."""
        answer = await self._send(call, read_body=False)
        try:
            yield answer
        finally:
            await answer.aclose()

    async def _send(self, call: Call[Any], *, read_body: bool) -> httpx.Response:
        attempt = 0
        while True:
            attempt += 1
            arguments = self.request_arguments(call)
            if call.upload is not None:
                arguments["content"] = async_file_chunks(call.upload)
            try:
                answer = await self.http.send(self.http.build_request(**arguments),
                                              stream=True)
                if read_body or answer.status_code >= 400:
                    await answer.aread()
            except httpx.TransportError as error:
                wait = self.wait_after_failure(call, attempt)
                if wait is None:
                    raise self.unreachable(call, error, attempt) from error
            else:
                wait = self.wait_after_answer(attempt, answer)
                if wait is None:
                    if answer.status_code >= 400:
                        raise self.error(answer)
                    return answer
                await answer.aclose()
            await self.sleep(wait)

    async def close(self) -> None:
        await self.http.aclose()
