"""A chat backend that answers as a judge from a table: a real ``ChatBackend`` in process.

The table maps (better content, worse content) to the judge's probability that the better
one wins; whichever order the prompt shows them in, the reply names the better one's label
and its first token carries the log-probabilities of A, B and TIE. A pair the table lists
under ``position_first`` is answered "A" in both orders, as a judge with position bias would.
Every request is kept, so tests can count the calls a K-way task costs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from accord.llm.chat import ChatRequest, ChatResult, TokenChoice
from tests.llm.judge_replies import shown


@dataclass
class TableJudgeBackend:
    """Answers each judge prompt from ``wins``: {(better, worse): P(better wins)}."""

    wins: dict[tuple[str, str], float]
    position_first: set[frozenset[str]] = field(default_factory=set)
    model_id: str = "table-judge"
    requests: list[ChatRequest] = field(default_factory=list)

    @property
    def model(self) -> str:
        return self.model_id

    def complete(self, request: ChatRequest) -> ChatResult:
        self.requests.append(request)
        a, b = shown({"messages": request.messages})
        if frozenset((a, b)) in self.position_first:
            label, p = "A", 0.8
        elif (a, b) in self.wins:
            label, p = "A", self.wins[(a, b)]
        elif (b, a) in self.wins:
            label, p = "B", self.wins[(b, a)]
        else:
            raise AssertionError(f"the table has no verdict on {a!r} against {b!r}")
        other = "B" if label == "A" else "A"
        top = [TokenChoice(label, math.log(p)), TokenChoice(other, math.log(1 - p))]
        return ChatResult(f"{label}\n{label} is better.", self.model_id, prompt_tokens=10,
                          completion_tokens=4, latency_ms=1, logprobs=[top])
