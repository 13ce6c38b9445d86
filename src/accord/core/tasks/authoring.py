"""How a demonstration is authored: written from scratch, post-edited from a model draft, or
written turn by turn in a conversation.

A project says it once in its settings (``demonstration: {"mode": "post_edit", "draft":
"first"}``) and an imported task may say otherwise (the item's ``demonstration`` field, kept
in its prompt's metadata like a red-team seed). Both are checked here, with errors that name
the field, so the settings API, ``accord project set`` and the importer word them alike.

Which candidate is the draft: ``first`` (the task's first response in import order),
``model:NAME`` (the first response that model wrote) or, on a task only, ``response:ID``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from accord.core.errors import InvalidInput

WRITE, POST_EDIT, MULTI_TURN = "write", "post_edit", "multi_turn"
MODES = (WRITE, POST_EDIT, MULTI_TURN)
FIRST_DRAFT = "first"
MODEL_DRAFT = "model:"
RESPONSE_DRAFT = "response:"
PROJECT_KEYS = ("mode", "draft")
TASK_KEYS = ("mode", "draft", "user_turns")
MAX_USER_TURNS = 31
"""Scripted user turns of one task: with the writer's replies, at most 63 turns."""
MAX_TURNS = 64
"""Turns a writer submits in one multi-turn demonstration."""
MAX_NAME = 255
"""Characters in a model name or response id (their columns' width)."""
METADATA_KEY = "demonstration"
"""Where a task's own authoring settings live in its prompt's metadata."""


@dataclass(frozen=True)
class Authoring:
    """The authoring settings in force for one task."""

    mode: str = WRITE
    draft: str = FIRST_DRAFT
    user_turns: tuple[str, ...] = ()
    """Multi-turn only: user messages the writer answers in order, after the prompt's."""


@dataclass(frozen=True)
class Candidate:
    """A response of the task that may serve as the draft."""

    id: str
    content: str
    model: str | None
    origin: str


@dataclass(frozen=True)
class Draft:
    """The model draft a writer post-edits; ``model`` is never shown to the writer."""

    id: str
    content: str
    model: str | None = None


@dataclass(frozen=True)
class DemonstrationView:
    """What the writer of a demonstration is given besides the prompt."""

    mode: str
    draft: Draft | None = None
    user_turns: tuple[str, ...] = ()


class _Problem(ValueError):
    """A bad value, named by its path; callers turn it into their own error type."""


def _draft_rule(value: Any, path: str, on_task: bool) -> str:
    forms = '"first", "model:NAME"' + (' or "response:ID"' if on_task else "")
    if not isinstance(value, str):
        raise _Problem(f"{path} must be {forms}, not {value!r}")
    if value == FIRST_DRAFT:
        return value
    for prefix in (MODEL_DRAFT, *((RESPONSE_DRAFT,) if on_task else ())):
        if value.startswith(prefix):
            name = value[len(prefix):]
            if not name.strip() or len(name) > MAX_NAME:
                raise _Problem(f"{path} {value[:80]!r} must name a {prefix[:-1]} "
                               f"(1 to {MAX_NAME} characters after {prefix!r})")
            return value
    raise _Problem(f"{path} must be {forms}, not {value[:80]!r}")


def _mode(value: Any, path: str) -> str:
    if value not in MODES:
        raise _Problem(f"{path} must be one of {', '.join(MODES)}, not {value!r}")
    return value


def _settings(value: Any, path: str, keys: Sequence[str]) -> dict:
    if not isinstance(value, dict):
        raise _Problem(f"{path} must be an object with {', '.join(keys)}, not {value!r}")
    unknown = sorted(k for k in value if k not in keys)
    if unknown:
        raise _Problem(f"{path}.{unknown[0]} is not an authoring setting; the settings are "
                       + ", ".join(keys))
    on_task = "user_turns" in keys
    checked: dict = {}
    if "mode" in value:
        checked["mode"] = _mode(value["mode"], f"{path}.mode")
    if "draft" in value:
        checked["draft"] = _draft_rule(value["draft"], f"{path}.draft", on_task)
    if "user_turns" in value:
        checked["user_turns"] = _user_turns(value["user_turns"], f"{path}.user_turns")
        if checked.get("mode") != MULTI_TURN:
            raise _Problem(f'{path}.user_turns needs {path}.mode "multi_turn"')
    return checked


def _user_turns(value: Any, path: str) -> list[str]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_USER_TURNS:
        raise _Problem(f"{path} must be a list of 1 to {MAX_USER_TURNS} user messages")
    for place, text in enumerate(value):
        if not isinstance(text, str) or not text.strip():
            raise _Problem(f"{path}[{place}] must be a non-empty string")
    return list(value)


def check_project_setting(value: Any) -> dict | None:
    """The project's ``demonstration`` setting checked; None clears it (mode ``write``)."""
    if value is None:
        return None
    try:
        return _settings(value, "demonstration", PROJECT_KEYS)
    except _Problem as problem:
        raise InvalidInput(str(problem)) from None


def check_task_setting(value: Any, response_ids: Sequence[str],
                       path: str = "demonstration") -> dict:
    """An imported task's own ``demonstration`` field; ``ValueError`` naming the field.

    A ``response:ID`` draft must name one of the item's ``response_ids``, and a post-edit
    task needs a response to edit.
    """
    checked = _settings(value, path, TASK_KEYS)
    draft = checked.get("draft", "")
    if draft.startswith(RESPONSE_DRAFT) and draft[len(RESPONSE_DRAFT):] not in response_ids:
        shown = ", ".join(response_ids) or "none"
        raise _Problem(f'{path}.draft names response "{draft[len(RESPONSE_DRAFT):][:80]}", '
                       f"which the item does not have (responses: {shown})")
    if checked.get("mode") == POST_EDIT and not response_ids:
        raise _Problem(f'{path}.mode "post_edit" needs a draft: give the item "responses"')
    return checked


def authoring_of(project_settings: dict, prompt_metadata: dict | None) -> Authoring:
    """The settings in force for a task: its own over its project's over ``write``."""
    merged = {**(project_settings.get(METADATA_KEY) or {}),
              **((prompt_metadata or {}).get(METADATA_KEY) or {})}
    return Authoring(merged.get("mode", WRITE), merged.get("draft", FIRST_DRAFT),
                     tuple(merged.get("user_turns", ())))


def choose_draft(rule: str, candidates: Sequence[Candidate]) -> Draft | None:
    """The candidate the ``rule`` picks, or None when the task has no such response."""
    for candidate in candidates:
        if (rule == FIRST_DRAFT
                or (rule.startswith(MODEL_DRAFT) and candidate.model == rule[len(MODEL_DRAFT):])
                or (rule.startswith(RESPONSE_DRAFT)
                    and candidate.id == rule[len(RESPONSE_DRAFT):])):
            return Draft(candidate.id, candidate.content, candidate.model)
    return None


def view_of(authoring: Authoring, candidates: Sequence[Candidate]) -> DemonstrationView:
    """What the writer is given: the draft only in post-edit mode, and only if there is one."""
    if authoring.mode == POST_EDIT:
        return DemonstrationView(POST_EDIT, choose_draft(authoring.draft, candidates))
    return DemonstrationView(authoring.mode, None, authoring.user_turns)
