"""Opening a backend by name, as the commands that talk to models are told on the command
line: ``openai`` (any OpenAI-compatible server) or ``local`` (transformers in process)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from accord.core.errors import InvalidInput
from accord.llm.chat import ChatBackend
from accord.llm.local_models import SMOLLM2
from accord.llm.model_names import unlisted_warning
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


def backend_models(kind: str, models: Sequence[str] | None) -> list[str]:
    """The models named with ``--model``, else the bundled SmolLM2 for ``local``; a server's
    model has no default, since only the server knows its names."""
    if kind not in BACKENDS:
        raise InvalidInput(f'--backend must be one of {", ".join(BACKENDS)}, not "{kind}"')
    if models:
        return list(models)
    if kind == "local":
        return [SMOLLM2]
    raise InvalidInput("--backend openai needs --model (the model's name on the server)")


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


def unlisted_warnings(backends: Mapping[str, ChatBackend]) -> list[str]:
    """A line for stderr for each model that its server's list of models leaves out.

    Only backends that can list (an OpenAI-compatible server's ``GET /v1/models``) are
    asked; a server that answers the listing with an error, or a local model, gives none.
    """
    lines = []
    for model_id, backend in backends.items():
        listed_models = getattr(backend, "listed_models", None)
        warning = unlisted_warning(model_id, listed_models() if listed_models else None)
        if warning:
            lines.append(warning)
    return lines


def close_backend(backend: ChatBackend) -> None:
    close = getattr(backend, "close", None)
    if close is not None:
        close()


@contextmanager
def open_backends(kind: str, models: Sequence[str], options: BackendOptions,
                  ) -> Iterator[dict[str, ChatBackend]]:
    """A backend per model, closed when the block ends (those opened, if one fails)."""
    opened: dict[str, ChatBackend] = {}
    try:
        for model in models:
            opened[model] = open_backend(kind, model, options)
        yield opened
    finally:
        for backend in opened.values():
            close_backend(backend)
