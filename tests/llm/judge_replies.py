"""Scripted judges for the fake OpenAI server: replies that read the judge's real prompt.

Each function takes the request body the server received and answers as a judge with a
known habit would, so tests can plant a habit (always position A, always the longer
response, unsure about some tasks, a verdict written in another shape) and check what
Accord makes of it.
"""

from __future__ import annotations

import math
import re

from tests.llm.fake_openai import Reply, tokenize

_SHOWN = re.compile(r"\[Response A\]\n(.*?)\n\[End of response A\]\n\n"
                    r"\[Response B\]\n(.*?)\n\[End of response B\]", re.S)
# In the conversation, not the principle (one principle speaks of "the question that…").
_TASK = re.compile(r"^user: question (\S+)$", re.MULTILINE)


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


def position_a_with(p_first: float, p_tie: float):
    """A judge that prefers whatever is shown first with probability ``p_first`` and gives a
    tie ``p_tie``: its two orders disagree, each with a tie it did not say."""
    def reply(body: dict) -> Reply:
        top = first_token({"A": p_first, "B": 1 - p_first - p_tie, "TIE": p_tie})
        return Reply("A\nResponse A is better.", first_token_top=top)
    return reply


def longer_in_shape(shape: str, p_win: float = 0.8, p_tie: float = 0.05):
    """A consistent judge (the longer response wins) whose reply takes ``shape``, a template
    with ``{v}`` for the winner's label (``"{v}: The answer is …"``, ``"**{v}**"``), split into
    tokens as a real server splits it; the first token that is the label carries the
    log-probabilities of each verdict, as it would from a real server."""
    def reply(body: dict) -> Reply:
        a, b = shown(body)
        winner, loser = ("A", "B") if len(a) > len(b) else ("B", "A")
        text = shape.format(v=winner)
        tokens = tokenize(text)
        label_at = next(i for i, token in enumerate(tokens) if token.strip() == winner)
        top = first_token({winner: p_win, loser: 1 - p_win - p_tie, "TIE": p_tie})
        return Reply(text, first_token_top=top, tokens=tokens, top_at=label_at)
    return reply
