"""The ChatBackend for OpenAI-compatible HTTP servers, over the official ``openai`` client.

One backend serves OpenAI itself and the servers that speak its chat-completions API (vLLM,
SGLang, TGI, Ollama, llama.cpp). The client's own retries are switched off: Accord retries
here, so that the policy (which failures, how long to wait, ``Retry-After``) is one we test
and can seed. The client is thread-safe and keeps its connections alive, so one backend is
shared by all the threads of a run (see ``accord.llm.pool``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import openai

from accord.core.errors import InvalidInput
from accord.llm.chat import (
    LOGPROB_POSITIONS,
    BackendError,
    ChatRequest,
    ChatResult,
    TokenChoice,
)
from accord.llm.retries import Backoff, Retries, retry_after_seconds, retryable_status

OPENAI_URL = "https://api.openai.com/v1"
# A server without authentication (a local vLLM or llama.cpp) still gets a key from the
# client, which refuses to send none; it is not a secret and such servers ignore it.
KEYLESS = "no-key"
MAX_MESSAGE_CHARS = 300
DEFAULT_TIMEOUT_S = 60.0


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where the server is and the key it wants (never printed or stored)."""

    base_url: str
    api_key: str

    def __repr__(self) -> str:
        return f"Endpoint(base_url={self.base_url!r})"

    @classmethod
    def resolve(cls, base_url: str | None = None, api_key: str | None = None,
                environ: Mapping[str, str] | None = None) -> Endpoint:
        """The options given, else ``OPENAI_BASE_URL`` and ``OPENAI_API_KEY``, else OpenAI's
        URL; a key is required only for OpenAI's own URL."""
        env = os.environ if environ is None else environ
        url = (base_url or env.get("OPENAI_BASE_URL") or OPENAI_URL).rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise InvalidInput(f'--base-url must be an http:// or https:// URL, not "{url}"')
        key = api_key or env.get("OPENAI_API_KEY") or ""
        if not key:
            if url == OPENAI_URL:
                raise InvalidInput(
                    "no API key for api.openai.com: pass --api-key or set OPENAI_API_KEY "
                    "(or point --base-url at a server that needs none)"
                )
            key = KEYLESS
        return cls(url, key)


def length_field(base_url: str) -> str:
    """The request field that caps a completion's length at this endpoint.

    OpenAI's own API has replaced ``max_tokens`` with ``max_completion_tokens`` (its reasoning
    models refuse the old name); vLLM, SGLang, TGI, Ollama and llama.cpp servers all read
    ``max_tokens``, and not every one of them knows the new name.
    """
    return "max_completion_tokens" if base_url.rstrip("/") == OPENAI_URL else "max_tokens"


class OpenAIBackend:
    """Chat completions from one model behind one endpoint, with Accord's retries."""

    def __init__(
        self, model: str, endpoint: Endpoint, *, timeout_s: float = DEFAULT_TIMEOUT_S,
        retries: Retries | None = None, sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not model.strip():
            raise InvalidInput("--model must name a model")
        if timeout_s <= 0:
            raise InvalidInput(f"--timeout must be a positive number of seconds, not {timeout_s}")
        self._model = model
        self._length_field = length_field(endpoint.base_url)
        self._timeout_s = timeout_s
        self._retries = retries or Retries()
        self._backoff = Backoff(self._retries)
        self._sleep = sleep
        self._client = openai.OpenAI(api_key=endpoint.api_key, base_url=endpoint.base_url,
                                     max_retries=0, timeout=timeout_s)

    @property
    def model(self) -> str:
        return self._model

    def close(self) -> None:
        self._client.close()

    def listed_models(self) -> list[str] | None:
        """The model ids the server lists (``GET /v1/models``), or None when it lists none
        or cannot: a listing is a check for the user, never a reason for a run to fail."""
        try:
            listing = self._client.models.list(timeout=self._timeout_s)
            return [model.id for model in listing.data]
        except (openai.OpenAIError, AttributeError, TypeError, ValueError):
            return None

    def complete(self, request: ChatRequest) -> ChatResult:
        """One completion; transient failures are retried, the last error is raised as a
        ``BackendError``. ``latency_ms`` is the answering attempt's, waits excluded."""
        arguments = self._arguments(request)
        attempts = self._retries.attempts
        for attempt in range(1, attempts + 1):
            started = time.perf_counter()
            try:
                completion = self._client.chat.completions.create(**arguments)
            except openai.APIStatusError as error:
                status = error.status_code
                if not retryable_status(status) or attempt == attempts:
                    raise self._failure(error, attempt, status) from error
                wait = self._backoff.delay(attempt, retry_after_seconds(error.response.headers))
            except openai.APIConnectionError as error:  # timeouts included
                if attempt == attempts:
                    raise self._failure(error, attempt, None) from error
                wait = self._backoff.delay(attempt)
            else:
                latency_ms = round((time.perf_counter() - started) * 1000)
                return self._result(completion, latency_ms)
            self._sleep(wait)
        raise AssertionError("unreachable")

    def _arguments(self, request: ChatRequest) -> dict:
        sampling = request.sampling
        arguments: dict = {
            "model": self._model, "messages": request.messages,
            "temperature": sampling.temperature, "top_p": sampling.top_p,
            self._length_field: sampling.max_tokens, "timeout": self._timeout_s,
        }
        if sampling.seed is not None:
            arguments["seed"] = sampling.seed
        if request.top_logprobs:
            arguments["logprobs"] = True
            arguments["top_logprobs"] = request.top_logprobs
        return arguments

    def _result(self, completion, latency_ms: int) -> ChatResult:
        if not completion.choices:
            raise BackendError(f"{self._model}: the server answered with no choices")
        choice = completion.choices[0]
        usage = completion.usage
        return ChatResult(
            text=choice.message.content or "",
            model=self._model,
            prompt_tokens=usage.prompt_tokens if usage else 0,
            completion_tokens=usage.completion_tokens if usage else 0,
            latency_ms=latency_ms,
            logprobs=_logprobs(choice.logprobs),
            finish_reason=choice.finish_reason or "stop",
        )

    def _failure(self, error: Exception, attempts: int, status: int | None) -> BackendError:
        if isinstance(error, openai.APITimeoutError):
            reason = f"no answer within {self._timeout_s:g} s"
        elif isinstance(error, openai.APIStatusError):
            reason = f"HTTP {status}: {_server_message(error)}"
        else:
            reason = f"connection failed: {error}"
        tries = f" (after {attempts} attempts)" if attempts > 1 else ""
        return BackendError(f"{self._model}: {reason}{tries}", status=status)


def _server_message(error: openai.APIStatusError) -> str:
    body = error.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        message = inner.get("message") if isinstance(inner, dict) else inner
        if message:
            return str(message)[:MAX_MESSAGE_CHARS]
    return (error.response.text or error.response.reason_phrase)[:MAX_MESSAGE_CHARS]


def _logprobs(logprobs) -> list[list[TokenChoice]] | None:
    """The alternatives at the first positions, likeliest first; the chosen token alone
    where the server gave no alternatives."""
    if logprobs is None or not logprobs.content:
        return None
    positions = []
    for position in logprobs.content[:LOGPROB_POSITIONS]:
        top = position.top_logprobs or [position]
        choices = [TokenChoice(entry.token, float(entry.logprob)) for entry in top]
        choices.sort(key=lambda choice: choice.logprob, reverse=True)
        positions.append(choices)
    return positions
