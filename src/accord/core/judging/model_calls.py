"""The ledger of calls to language models: one ``model_calls`` row per call, with its cost.

Generation and the AI judge both write here, so the cost of a project's model work is one
query away (``call_totals``). A call that failed for good is recorded too, with its error and
no tokens, so the ledger shows what was tried as well as what was paid for.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, insert, select

from accord.core.errors import InvalidInput
from accord.db.tables import model_calls
from accord.db.types import utcnow

PURPOSES = ("generate", "judge", "draft")
"""generate: comparison candidates; judge: an AI judge's verdicts; draft: drafts that
demonstration writers post-edit."""
MAX_ERROR_CHARS = 2000


@dataclass(frozen=True, slots=True)
class ModelCall:
    """One call as it is kept: what for, which model (the name people read, and the exact
    id the server was asked for), tokens, cost, latency, and any error."""

    purpose: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None
    cost: float | None
    latency_ms: int | None
    error: str | None = None
    model_id: str | None = None
    task_id: int | None = None
    """The task the call served (an AI judge's verdict on it), so its cost counts toward
    the task's category; None where no one task existed yet (generation)."""


@dataclass(frozen=True, slots=True)
class CallTotals:
    calls: int
    failed: int
    prompt_tokens: int
    completion_tokens: int
    cost: float

    def as_dict(self) -> dict:
        return {"calls": self.calls, "failed": self.failed, "prompt_tokens": self.prompt_tokens,
                "completion_tokens": self.completion_tokens, "cost": self.cost}


def record_calls(conn: Connection, project_id: int | None, calls: Sequence[ModelCall]) -> None:
    """Append ``calls`` to the ledger in one statement, in the caller's transaction."""
    if not calls:
        return
    now = utcnow()
    rows = []
    for call in calls:
        if call.purpose not in PURPOSES:
            raise InvalidInput(
                f'model call purpose must be one of {", ".join(PURPOSES)}, not "{call.purpose}"'
            )
        rows.append({
            "project_id": project_id, "purpose": call.purpose, "model": call.model,
            "model_id": call.model_id,
            "prompt_tokens": call.prompt_tokens, "completion_tokens": call.completion_tokens,
            "cost": call.cost, "latency_ms": call.latency_ms,
            "error": None if call.error is None else call.error[:MAX_ERROR_CHARS],
            "created_at": now, "task_id": call.task_id,
        })
    conn.execute(insert(model_calls), rows)


def call_totals(conn: Connection, project_id: int, purpose: str | None = None) -> CallTotals:
    """Calls, failures, tokens and cost of a project's model work (``purpose`` narrows it)."""
    query = select(
        func.count(),
        func.count(model_calls.c.error),
        func.coalesce(func.sum(model_calls.c.prompt_tokens), 0),
        func.coalesce(func.sum(model_calls.c.completion_tokens), 0),
        func.coalesce(func.sum(model_calls.c.cost), 0.0),
    ).where(model_calls.c.project_id == project_id)
    if purpose is not None:
        query = query.where(model_calls.c.purpose == purpose)
    calls, failed, prompt_tokens, completion_tokens, cost = conn.execute(query).one()
    return CallTotals(int(calls), int(failed), int(prompt_tokens), int(completion_tokens),
                      float(cost))
