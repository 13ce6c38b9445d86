"""Scripted judges for the fake OpenAI server: replies that read the judge's real prompt.

Each function takes the request body the server received and answers as a judge with a
known habit would, so tests can plant a habit (always position A, always the longer
response, unsure about some tasks) and check what Accord makes of it.
"""

from __future__ import annotations

import math
import re

from tests.llm.fake_openai import Reply

_SHOWN = re.compile(r"\[Response A\]\n(.*?)\n\[End of response A\]\n\n"
                    r"\[Response B\]\n(.*?)\n\[End of response B\]", re.S)
_TASK = re.compile(r"question (\S+)")


def shown(body: dict) -> tuple[str, str]:
    """The contents shown as A and as B in the judge's prompt."""
    found = _SHOWN.search(body["messages"][1]["content"])
    assert found, "the request is not a judge's prompt"
    return found.group(1), found.group(2)


def task_of(body: dict) -> str:
    """The task's external id, from the factories' prompt text ``question ID``."""
    found = _TASK.search(body["messages"][1]["content"])
    assert found, "the prompt names no task"
    return found.group(1)


def position_a(body: dict) -> str:
    """A judge that always prefers whatever is shown first."""
    return "A\nResponse A is better."


def longer(body: dict) -> str:
    """A consistent judge: the longer response wins, in either order."""
    a, b = shown(body)
    return "A\nA says more." if len(a) > len(b) else "B\nB says more."


def first_token(probabilities: dict[str, float]) -> list[tuple[str, float]]:
    """The first token's alternatives for P(A), P(B), P(TIE), as log-probabilities."""
    return [(token, math.log(p)) for token, p in probabilities.items() if p > 0]


def longer_with(p_win: float, p_tie: float):
    """The longer response wins with probability ``p_win`` (a tie ``p_tie``), in either
    order; the first token's log-probabilities say so."""
    def reply(body: dict) -> Reply:
        a, b = shown(body)
        winner, loser = ("A", "B") if len(a) > len(b) else ("B", "A")
        top = first_token({winner: p_win, loser: 1 - p_win - p_tie, "TIE": p_tie})
        return Reply(f"{winner}\n{winner} says more.", first_token_top=top)
    return reply
