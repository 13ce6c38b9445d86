"""Opening a backend by name, as the commands that talk to models are told on the command
line: ``openai`` (any OpenAI-compatible server) or ``local`` (transformers in process)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from accord.core.errors import InvalidInput
from accord.llm.backend import ChatBackend
from accord.llm.openai_backend import DEFAULT_TIMEOUT_S, Endpoint, OpenAIBackend
from accord.llm.retries import Retries

BACKENDS = ("openai", "local")


@dataclass(frozen=True)
class BackendOptions:
    base_url: str | None = None
    api_key: str | None = None
    timeout_s: float = DEFAULT_TIMEOUT_S
    retries: Retries = field(default_factory=Retries)
    cache_dir: Path | None = None  # local models; None: ACCORD_MODEL_CACHE or the default


def open_backend(kind: str, model: str, options: BackendOptions) -> ChatBackend:
    if kind == "openai":
        endpoint = Endpoint.resolve(options.base_url, options.api_key)
        return OpenAIBackend(model, endpoint, timeout_s=options.timeout_s,
                             retries=options.retries)
    if kind == "local":
        if options.base_url or options.api_key:
            raise InvalidInput("--base-url and --api-key apply to --backend openai only")
        from accord.llm.local_backend import LocalBackend  # torch only when asked for

        return LocalBackend(model, cache_dir=options.cache_dir)
    raise InvalidInput(f'--backend must be one of {", ".join(BACKENDS)}, not "{kind}"')


def close_backend(backend: ChatBackend) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        close()
