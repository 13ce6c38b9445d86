"""The one interface every model backend speaks.

Generation and the AI judge never know whether a model runs behind an OpenAI-compatible HTTP
server (OpenAI, vLLM, SGLang, TGI, Ollama, llama.cpp) or inside this process through
`transformers`: they send a `ChatRequest` and get a `ChatResult` that carries the text, the
token usage and, where the backend gives them, the log-probabilities of the first tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

# Positions whose top log-probabilities a backend keeps: the judge reads the first token
# or two, and longer lists only cost memory.
LOGPROB_POSITIONS = 5


@dataclass(frozen=True)
class Sampling:
    """How to sample; recorded with every generated response so a run can be reproduced."""

    temperature: float = 0.7
    top_p: float = 1.0
    max_tokens: int = 256
    seed: int | None = None

    def as_record(self) -> dict[str, float | int | None]:
        return {
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_tokens": self.max_tokens,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion: OpenAI-style messages ({"role", "content"}) and sampling."""

    messages: list[dict[str, str]]
    sampling: Sampling = field(default_factory=Sampling)
    # Ask for the log-probabilities of the `top_logprobs` likeliest first tokens (the judge
    # turns them into a soft preference); backends that cannot give them return None.
    top_logprobs: int = 0


@dataclass(frozen=True)
class TokenChoice:
    token: str
    logprob: float


@dataclass(frozen=True)
class ChatResult:
    """What a backend answered, with what it cost."""

    text: str
    model: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: int
    # For each generated position (only the first few are kept): the top alternatives.
    logprobs: list[list[TokenChoice]] | None = None
    finish_reason: str = "stop"


class BackendError(Exception):
    """A call failed for good (after retries), with the reason from the backend."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ChatBackend(Protocol):
    """Anything that answers chat requests; ``model`` is the model's exact id, as the backend
    was given it (what ``model_id`` records; people read ``model_names.readable_name`` of it
    or ``--model-name``)."""

    @property
    def model(self) -> str: ...

    def complete(self, request: ChatRequest) -> ChatResult:
        """Answer one request, retrying transient failures; raise BackendError for good."""
        ...
