"""The turns of a multi-turn demonstration, checked before anything is stored.

The prompt ends with a user message, so the writer's turns continue it: the assistant
first, then user and assistant alternating, and the assistant last (what a model trained on
the conversation learns to say). Where the task scripts user turns, each one stands, word
for word, in its place (turns 1, 3, …) and the writer answers every one of them. Each error
names the turn (``turns[2].role must be "assistant" …``).
"""

from __future__ import annotations

from collections.abc import Sequence

from accord.core.errors import InvalidInput
from accord.core.tasks.authoring import MAX_TURNS

ROLES = ("user", "assistant")


def expected_role(place: int) -> str:
    """Turn 0 is the assistant's, then they alternate."""
    return "assistant" if place % 2 == 0 else "user"


def check_turns(turns: Sequence[dict] | None, user_turns: Sequence[str],
                max_text: int) -> list[dict]:
    """``turns`` as stored (``{"role", "content"}`` each), or ``InvalidInput`` naming the
    first turn that is wrong."""
    if not turns:
        raise InvalidInput("a multi-turn demonstration needs turns: the assistant's reply "
                           "first, then user and assistant turns alternating")
    if len(turns) > MAX_TURNS:
        raise InvalidInput(f"turns holds {len(turns)} turns; at most {MAX_TURNS}")
    checked = [_turn(turn, place, max_text) for place, turn in enumerate(turns)]
    for index, scripted in enumerate(user_turns):
        place = 2 * index + 1
        if place >= len(checked):
            raise InvalidInput(f"turns ends before the task's user turn {index + 1} "
                               f"(turns[{place}]); answer every user turn")
        if checked[place]["content"] != scripted:
            raise InvalidInput(f"turns[{place}] must be the task's user turn {index + 1} "
                               "as given, unchanged")
    if checked[-1]["role"] != "assistant":
        raise InvalidInput(f"turns[{len(checked) - 1}] is the user's: a demonstration ends "
                           "with an assistant turn")
    return checked


def _turn(turn: dict, place: int, max_text: int) -> dict:
    where = f"turns[{place}]"
    role, content = turn.get("role"), turn.get("content")
    if role not in ROLES:
        raise InvalidInput(f"{where}.role must be user or assistant, not {role!r}")
    wanted = expected_role(place)
    if role != wanted:
        raise InvalidInput(f'{where}.role must be "{wanted}", not "{role}": turns start with '
                           "the assistant and alternate")
    if not isinstance(content, str) or not content.strip():
        raise InvalidInput(f"{where}.content must not be empty")
    if len(content) > max_text:
        raise InvalidInput(f"{where}.content is longer than {max_text} characters")
    return {"role": role, "content": content}


def final_text(turns: Sequence[dict]) -> str:
    """The last assistant turn: the annotation's ``response_text``, as single-turn ones."""
    return turns[-1]["content"]
