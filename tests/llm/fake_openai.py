"""An OpenAI-compatible chat server written for the tests: real HTTP, scripted behaviour.

It answers ``POST /v1/chat/completions`` the way OpenAI does (``choices``, ``usage``, and
``logprobs`` with ``top_logprobs`` when asked), and can be told to misbehave: answer the
next N requests with 429 or 500 (with ``Retry-After``), stall longer than the client waits,
or fail every request after the first N. ``reply`` scripts the answers, e.g. a judge that
always prefers position A. Every request body is kept, and the usage of every answer it
gave, so tests compare Accord's accounting with what the server reported.

An answer longer than the request's ``max_tokens`` (one token a word, unless the reply gives
its ``tokens``) is cut there with ``finish_reason: "length"``, as real servers do; a scripted
``Reply`` may also name its own ``finish_reason``. Like llama.cpp's server, it can name its
model by a file path:
``listed_models`` is what ``GET /v1/models`` lists (None: the route is missing, 404, as on a
server that cannot list), and ``answer_as`` the model id every answer reports, whatever
name it was asked for.

    fake = FakeOpenAI()
    with serving(fake) as base_url:
        fake.fail(429, times=2)
        ...  # an OpenAIBackend pointed at base_url

``python -m tests.llm.fake_openai --port 8123 --delay 0.02`` serves one in the foreground
(``--judge``: answering as a consistent judge); the benchmarks start it in a process of its
own with ``serving_in_process``, so that the server does not share the measured client's
GIL.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.live import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 30
CHOSEN_LOGPROB = -0.05
STALL_TICK_S = 0.02


@dataclass(frozen=True)
class Reply:
    """A scripted answer; ``first_token_top`` replaces the alternatives at position
    ``top_at`` (the first token unless said otherwise).

    ``tokens`` splits ``text`` the way a real server's tokenizer does (``tokenize``:
    ``**A**:`` is ``**``, ``A``, ``**:``), so that a reply in any shape — a verdict in bold,
    after a newline, after ``Verdict:`` — comes with log-probabilities where a real server
    gives them; without it every word is one token, as before."""

    text: str
    first_token_top: list[tuple[str, float]] | None = None
    finish_reason: str | None = None
    """Reported as it is (``length``: the answer was cut off); None: ``stop``, or
    ``length`` where ``max_tokens`` cuts the text."""
    tokens: tuple[str, ...] | None = None
    top_at: int = 0

    def __post_init__(self) -> None:
        if self.tokens is not None and "".join(self.tokens) != self.text:
            raise ValueError("the tokens must spell the reply's text")


_TOKEN = re.compile(r"\n+|[^\S\n]*\w+|[^\S\n]*[^\w\s]+|[^\S\n]+")


def tokenize(text: str) -> tuple[str, ...]:
    """``text`` as a BPE tokenizer roughly splits it: newlines apart, each word with the
    space before it, runs of punctuation apart from words."""
    return tuple(_TOKEN.findall(text))


@dataclass(frozen=True)
class Answered:
    """What the server billed for one answer."""

    model: str
    prompt_tokens: int
    completion_tokens: int
    text: str


@dataclass(frozen=True)
class _Fault:
    status: int | None = None
    retry_after: str | None = None
    stall_s: float = 0.0


def default_reply(body: dict) -> str:
    """A different answer for each model, sampling seed and prompt, so candidates differ."""
    last = next((m["content"] for m in reversed(body["messages"]) if m["role"] == "user"), "")
    return (f"{body['model']} (temperature {body.get('temperature')}, seed {body.get('seed')}) "
            f"answers: {' '.join(last.split()[:12])}")


def count_tokens(text: str) -> int:
    """The fake's tokenizer: one token a word."""
    return len(text.split())


class FakeOpenAI:
    """The server's state; thread-safe, since tests change it while requests run."""

    def __init__(self, *, delay_s: float = 0.0,
                 reply: Callable[[dict], str | Reply] = default_reply,
                 listed_models: list[str] | None = None, answer_as: str | None = None) -> None:
        self.delay_s = delay_s
        self.reply = reply
        self.listed_models = listed_models
        self.answer_as = answer_as
        self.listings = 0
        self.requests: list[dict] = []
        self.answered: list[Answered] = []
        self._faults: deque[_Fault] = deque()
        self._fail_after: int | None = None
        self.in_flight = 0
        self.max_in_flight = 0
        self.closing = threading.Event()  # ends stalls early when the server shuts down
        self._lock = threading.Lock()
        self.app = Starlette(routes=[
            Route("/v1/chat/completions", self._chat, methods=["POST"]),
            Route("/v1/models", self._models, methods=["GET"]),
        ])

    # ── scripting ──
    def fail(self, status: int, *, times: int = 1, retry_after: str | None = None) -> None:
        """Answer the next ``times`` requests with ``status`` (and ``Retry-After``)."""
        with self._lock:
            self._faults.extend(_Fault(status=status, retry_after=retry_after)
                                for _ in range(times))

    def stall(self, seconds: float, *, times: int = 1) -> None:
        """Hold the next ``times`` requests for ``seconds``, then answer 504 (the client is
        expected to have given up by then; nothing is billed)."""
        with self._lock:
            self._faults.extend(_Fault(stall_s=seconds) for _ in range(times))

    def fail_after(self, answers: int | None) -> None:
        """Answer 500 to every request once ``answers`` requests have been answered; None
        heals the server."""
        with self._lock:
            self._fail_after = answers

    # ── what happened ──
    def billed(self) -> tuple[int, int]:
        """(prompt tokens, completion tokens) over every answer given."""
        with self._lock:
            return (sum(a.prompt_tokens for a in self.answered),
                    sum(a.completion_tokens for a in self.answered))

    # ── the endpoints ──
    async def _models(self, request: Request) -> JSONResponse:
        with self._lock:
            self.listings += 1
        if self.listed_models is None:
            return _error(404, "File Not Found")
        return JSONResponse({"object": "list", "data": [
            {"id": model, "object": "model", "created": 0, "owned_by": "llamacpp"}
            for model in self.listed_models]})

    async def _chat(self, request: Request) -> JSONResponse:
        body = await request.json()
        with self._lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._answer(body)
        finally:
            with self._lock:
                self.in_flight -= 1

    async def _answer(self, body: dict) -> JSONResponse:
        with self._lock:
            self.requests.append(body)
            fault = self._faults.popleft() if self._faults else None
            broken = self._fail_after is not None and len(self.answered) >= self._fail_after
        if fault is not None and fault.stall_s:
            deadline = time.monotonic() + fault.stall_s
            while time.monotonic() < deadline and not self.closing.is_set():
                await asyncio.sleep(STALL_TICK_S)
            return _error(504, "stalled on purpose")
        if fault is not None:
            headers = {"Retry-After": fault.retry_after} if fault.retry_after else None
            return _error(fault.status, f"injected {fault.status}", headers)
        if broken:
            return _error(500, "the server is down")
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        return JSONResponse(self._completion(body))

    def _completion(self, body: dict) -> dict:
        scripted = self.reply(body)
        reply = scripted if isinstance(scripted, Reply) else Reply(scripted)
        words = reply.text.split(" ")
        tokens = list(reply.tokens) if reply.tokens is not None else \
            [word if i == 0 else " " + word for i, word in enumerate(words)]
        limit = body.get("max_tokens") or body.get("max_completion_tokens")
        finish = reply.finish_reason or "stop"
        if limit is not None and len(tokens) > limit:
            tokens, finish = tokens[:limit], "length"
        text = "".join(tokens)
        prompt_tokens = sum(count_tokens(m.get("content") or "") for m in body["messages"])
        completion_tokens = count_tokens(text) if reply.tokens is None else len(tokens)
        with self._lock:
            self.answered.append(Answered(body["model"], prompt_tokens, completion_tokens, text))
        choice: dict = {"index": 0, "finish_reason": finish,
                        "message": {"role": "assistant", "content": text}}
        if body.get("logprobs"):
            choice["logprobs"] = {"content": _logprobs(tokens, body.get("top_logprobs") or 0,
                                                       reply.first_token_top, reply.top_at)}
        return {
            "id": f"chatcmpl-{len(self.answered)}", "object": "chat.completion",
            "created": int(time.time()), "model": self.answer_as or body["model"],
            "choices": [choice],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens},
        }


def _logprobs(tokens: list[str], top: int, first_top: list[tuple[str, float]] | None,
              top_at: int) -> list[dict]:
    positions = []
    for index, token in enumerate(tokens):
        if index == top_at and first_top is not None:
            alternatives = sorted(first_top, key=lambda pair: pair[1], reverse=True)[:top]
            chosen = next((lp for t, lp in first_top if t == token), CHOSEN_LOGPROB)
        else:
            alternatives = [(token, CHOSEN_LOGPROB)]
            alternatives += [(f"alt{j}", -3.0 - j) for j in range(1, top)]
            alternatives = alternatives[:top]
            chosen = CHOSEN_LOGPROB
        positions.append({
            "token": token, "logprob": chosen, "bytes": list(token.encode()),
            "top_logprobs": [{"token": t, "logprob": lp, "bytes": list(t.encode())}
                             for t, lp in alternatives],
        })
    return positions


def _error(status: int, message: str, headers: dict | None = None) -> JSONResponse:
    kind = "rate_limit_exceeded" if status == 429 else "server_error"
    return JSONResponse({"error": {"message": message, "type": kind, "code": kind}},
                        status_code=status, headers=headers)


@contextmanager
def serving(fake: FakeOpenAI, port: int | None = None) -> Iterator[str]:
    """Serve ``fake`` on a free port in a thread; yields the base URL (``…/v1``)."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(fake.app, host="127.0.0.1", port=port,
                                           log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, name="fake-openai", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the fake OpenAI server did not start on port {port}")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        fake.closing.set()
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT_S)


@contextmanager
def serving_in_process(*, delay_s: float, judge: bool = False) -> Iterator[str]:
    """Serve a fake (a consistent judge with ``judge``) in a process of its own on a free
    port; yields the base URL (``…/v1``)."""
    port = free_port()
    command = [sys.executable, "-m", "tests.llm.fake_openai", "--port", str(port),
               "--delay", str(delay_s), *(["--judge"] if judge else [])]
    process = subprocess.Popen(command, cwd=ROOT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the fake OpenAI server did not start on port {port}"
                                       ) from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the fake OpenAI chat API.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per request")
    parser.add_argument("--judge", action="store_true",
                        help="answer as a judge for whom the longer response wins, with "
                             "first-token log-probabilities")
    arguments = parser.parse_args()
    fake = FakeOpenAI(delay_s=arguments.delay)
    if arguments.judge:
        from tests.llm.judge_replies import longer_with  # it imports this module

        fake.reply = longer_with(0.9, 0.05)
    uvicorn.run(fake.app, host="127.0.0.1", port=arguments.port, log_level="warning",
                access_log=False)


if __name__ == "__main__":
    # Run the importable module's main: the scripted judges build that module's ``Reply``,
    # which this copy (``__main__``) would not recognise.
    from tests.llm.fake_openai import main as serve

    serve()
