"""The AI judge (RLAIF): one pair of responses in, one stored-ready verdict out.

For each task the judge draws a principle from its constitution (seeded per task), asks the
model twice — the two responses in one order, then swapped, the first order itself drawn per
task — and combines the two readings (``judge_decision``): a win only when both orders name
the same response. A reply is read from its text, or, where it names no verdict, from the
first token's log-probabilities (``read_reply``); one that gives neither is asked again with
a reminder, up to ``parse_attempts`` times. A pair that still has no verdict, or whose
backend failed for good, raises ``JudgeFailure`` carrying the calls it paid for, so they
reach the ledger.
"""

from __future__ import annotations

import dataclasses
import hashlib
import time
from dataclasses import dataclass, field

from accord.core.errors import InvalidInput
from accord.core.judging.ai_judges import AiVerdict, ComparisonTask
from accord.core.judging.model_calls import ModelCall
from accord.llm.chat import BackendError, ChatBackend, ChatRequest, ChatResult, Sampling
from accord.llm.constitution import Constitution, Principle
from accord.llm.costs import Prices, answered_call, failed_call
from accord.llm.judge_decision import Reading, decide
from accord.llm.model_names import readable_name
from accord.llm.verdict import (
    TEMPLATE_VERSION,
    VERDICTS,
    judge_messages,
    reminder_messages,
    soft_verdict,
    verdict_mass,
)
from accord.llm.verdict_text import parse_reply

PURPOSE = "judge"
MAX_PARSE_ATTEMPTS = 10
TOP_LOGPROBS = 5
SHOWN_REPLY_CHARS = 200


def greedy() -> Sampling:
    """Judging is measurement, not writing: the likeliest verdict, reproducibly."""
    return Sampling(temperature=0.0, top_p=1.0, max_tokens=256, seed=None)


@dataclass(frozen=True)
class JudgeSetup:
    """How a judge judges; the parts that define it are stored in its ``ai_settings``."""

    constitution: Constitution
    backend: str
    """The kind of backend (``openai``, ``local``), recorded with the judge."""
    seed: int = 0
    parse_attempts: int = 3
    sampling: Sampling = field(default_factory=greedy)
    top_logprobs: int = TOP_LOGPROBS
    prices: Prices = field(default_factory=Prices)

    def __post_init__(self) -> None:
        if not 1 <= self.parse_attempts <= MAX_PARSE_ATTEMPTS:
            raise InvalidInput(f"--parse-attempts must be between 1 and {MAX_PARSE_ATTEMPTS}, "
                               f"not {self.parse_attempts}")

    def ai_settings(self, model: str, extra: dict | None = None, *,
                    model_id: str | None = None) -> dict:
        """What ``users.ai_settings`` keeps for the judge: ``model`` is the name people read,
        ``model_id`` the exact id the server is asked for (the same when not given)."""
        return {"backend": self.backend, "model": model,
                "model_id": model if model_id is None else model_id,
                "constitution": self.constitution.label, "template": TEMPLATE_VERSION,
                "seed": self.seed, "sampling": self.sampling.as_record(), **(extra or {})}


class JudgeFailure(Exception):
    """A pair got no verdict; ``calls`` are the model calls it cost, for the ledger."""

    def __init__(self, message: str, calls: list[ModelCall]) -> None:
        super().__init__(message)
        self.calls = calls


@dataclass(frozen=True)
class JudgedPair:
    verdict: AiVerdict
    consistent: bool
    confidence: float
    calls: list[ModelCall]


def _draw(seed: int, key: str) -> int:
    return hashlib.sha256(f"order\x1f{seed}\x1f{key}".encode()).digest()[0] & 1


def read_reply(shown: tuple[str, str], result: ChatResult, attempt: int) -> Reading | None:
    """One reply's verdict, or None when it has none to read.

    A verdict that opens the reply (``A: …``, ``**B**``) is its first token after blanks and
    decoration, whose log-probabilities are then the judge's probabilities of each verdict.
    A verdict read elsewhere in the text (``Response A is better``, ``Verdict: B``,
    ``[[B]]``) stands, without probabilities: the first token spoke of something else. A
    reply that names none, or names one ambiguously, but whose first token's alternatives
    include A, B or TIE is read from them, as AlpacaEval's weighted judges read only the
    first token; only a reply that gives neither is asked again.
    """
    parsed = parse_reply(result.text)
    mass = verdict_mass(result.logprobs)
    if parsed.verdict is not None:
        soft = soft_verdict(result.logprobs) if parsed.first_line else None
        return Reading(shown, result.text, parsed.verdict, parsed.reasons, soft, attempt,
                       verdict_mass=mass if parsed.first_line else None)
    soft = soft_verdict(result.logprobs)
    if soft is None:
        return None
    likeliest = max(VERDICTS, key=lambda verdict: soft[verdict])
    return Reading(shown, result.text, likeliest, parsed.reasons, soft, attempt,
                   read_from="logprobs", verdict_mass=mass)


class PairJudge:
    """Judges pairs with one backend; thread-safe when the backend is (see ``llm.pool``).

    ``model_name`` is what the verdicts and the ledger call the model (``--model-name``);
    by default the readable form of the backend's model id (see ``model_names``).
    """

    def __init__(self, backend: ChatBackend, setup: JudgeSetup,
                 model_name: str | None = None) -> None:
        self.backend = backend
        self.setup = setup
        self.model_name = readable_name(backend.model) if model_name is None else model_name

    def principle_for(self, task: ComparisonTask) -> Principle:
        return self.setup.constitution.principle_for(task.external_id, self.setup.seed)

    def orders(self, task: ComparisonTask) -> tuple[tuple[str, str], tuple[str, str]]:
        """The two display orders, the first drawn per task so that neither response is
        systematically shown first in the stored display order."""
        a, b = (rid for rid, _ in task.responses)
        first = (a, b) if _draw(self.setup.seed, task.external_id) == 0 else (b, a)
        return first, (first[1], first[0])

    def judge(self, task: ComparisonTask) -> JudgedPair:
        principle = self.principle_for(task)
        calls: list[ModelCall] = []
        contents = dict(task.responses)
        readings = [self._read(task, shown, contents, principle, calls)
                    for shown in self.orders(task)]
        decision = decide(*readings)
        details = {
            "template": TEMPLATE_VERSION,
            "constitution": self.setup.constitution.label,
            "principle": {"id": principle.id, "text": principle.text},
            "model": self.model_name,
            "model_id": self.backend.model,
            "backend": self.setup.backend,
            "seed": self.setup.seed,
            "orders": [reading.as_record() for reading in readings],
            "consistent": decision.consistent,
            "confidence": decision.confidence,
        }
        rationale = "\n\n".join(
            f"Shown {r.shown[0]} as A and {r.shown[1]} as B ({r.verdict}): {r.reasons}".strip()
            for r in readings)
        verdict = AiVerdict(
            ranking=decision.ranking, display_order=list(readings[0].shown),
            preference=decision.preference, rationale=rationale, details=details,
            active_ms=sum(call.latency_ms or 0 for call in calls),
        )
        return JudgedPair(verdict, decision.consistent, decision.confidence, calls)

    def _read(self, task: ComparisonTask, shown: tuple[str, str], contents: dict[str, str],
              principle: Principle, calls: list[ModelCall]) -> Reading:
        """One order's verdict, asking again while the reply cannot be read."""
        asked = judge_messages(task.messages, contents[shown[0]], contents[shown[1]],
                               principle)
        messages = asked
        model = self.backend.model
        reply = ""
        for attempt in range(1, self.setup.parse_attempts + 1):
            request = ChatRequest(messages, self.setup.sampling, self.setup.top_logprobs)
            started = time.perf_counter()
            try:
                result = self.backend.complete(request)
            except BackendError as error:
                elapsed = round((time.perf_counter() - started) * 1000)
                calls.append(failed_call(PURPOSE, model, str(error), elapsed,
                                         self.model_name))
                raise JudgeFailure(f"shown {shown[0]}, {shown[1]}: {error}", calls) from error
            reply = result.text
            call = answered_call(PURPOSE, result, self.setup.prices, self.model_name)
            reading = read_reply(shown, result, attempt)
            if reading is not None:
                calls.append(call)
                return reading
            calls.append(dataclasses.replace(call, error="no readable verdict (A, B or TIE) "
                                             f"in the reply: {reply[:SHOWN_REPLY_CHARS]!r}"))
            # Only the last unreadable reply is shown back, so the prompt does not grow.
            messages = reminder_messages(asked, reply)
        raise JudgeFailure(
            f"shown {shown[0]}, {shown[1]}: no readable verdict in "
            f"{self.setup.parse_attempts} replies; the last began "
            f"{reply[:SHOWN_REPLY_CHARS]!r}", calls)
