"""What a model call costs: prices per million prompt and completion tokens.

Prices are given by the user (``--price-input``, ``--price-output``), never looked up: model
prices change and self-hosted models cost what their hardware costs. A call's cost is
recorded with it, so later price changes do not rewrite history.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from accord.core.errors import InvalidInput
from accord.core.judging.model_calls import ModelCall
from accord.llm.chat import ChatResult
from accord.llm.model_names import readable_name

PER = 1_000_000


@dataclass(frozen=True, slots=True)
class Prices:
    """Price per million prompt (input) and completion (output) tokens, in any currency."""

    input_per_million: float = 0.0
    output_per_million: float = 0.0

    def __post_init__(self) -> None:
        for name, value in (("--price-input", self.input_per_million),
                            ("--price-output", self.output_per_million)):
            if not math.isfinite(value) or value < 0:
                raise InvalidInput(f"{name} must be a price of zero or more, not {value}")

    def cost(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input_per_million
                + completion_tokens * self.output_per_million) / PER


def answered_call(purpose: str, result: ChatResult, prices: Prices,
                  name: str | None = None) -> ModelCall:
    """The ledger entry of a call that answered: under the model's ``name`` (by default the
    readable form of its id), with the exact id the server was asked for."""
    return ModelCall(
        purpose=purpose, model=readable_name(result.model) if name is None else name,
        model_id=result.model, prompt_tokens=result.prompt_tokens,
        completion_tokens=result.completion_tokens,
        cost=prices.cost(result.prompt_tokens, result.completion_tokens),
        latency_ms=result.latency_ms,
    )


def failed_call(purpose: str, model: str, error: str, latency_ms: int,
                name: str | None = None) -> ModelCall:
    """The ledger entry of a call to ``model`` (its id) that failed for good: no tokens were
    billed."""
    return ModelCall(purpose=purpose, model=readable_name(model) if name is None else name,
                     model_id=model, prompt_tokens=None, completion_tokens=None, cost=0.0,
                     latency_ms=latency_ms, error=error)
