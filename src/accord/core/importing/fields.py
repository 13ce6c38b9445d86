"""Checks on single JSON values, each raising ``InvalidItem`` with the field's path.

They are the vocabulary that ``items`` and ``trl`` validate with, kept apart so that both
formats word their errors the same way (``responses[1].content must be a string, not a
number``).
"""

from __future__ import annotations

import re
from typing import Any

from accord.core.people.users import TAG_PATTERN
from accord.core.projects.categories import category_key, label_problem
from accord.core.tasks.truncation import FINISHED, TRUNCATED, is_truncated

MAX_ID_LENGTH = 255
MAX_MODEL_LENGTH = 255
FINISH_REASON_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")  # responses.finish_reason
ROLES = ("system", "user", "assistant")
ROLE_SET = frozenset(ROLES)
INT32 = (-(2**31), 2**31 - 1)


class InvalidItem(ValueError):
    """One item (one line) is not acceptable; the message says why, naming the field."""


def json_type(value: Any) -> str:
    """The JSON name of ``value``'s type, as a user who wrote the file would call it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def wrong_type(path: str, wanted: str, value: Any) -> InvalidItem:
    return InvalidItem(f"{path} must be {wanted}, not {json_type(value)}")


def string(value: Any, path: str) -> str:
    if type(value) is not str:
        raise wrong_type(path, "a string", value)
    return value


def identifier(value: Any, path: str) -> str:
    """An item or response id: a non-empty string that fits the ``external_id`` column."""
    string(value, path)
    if not value or value.isspace():
        raise InvalidItem(f"{path} must not be empty")
    if len(value) > MAX_ID_LENGTH:
        raise InvalidItem(f"{path} is {len(value)} characters long; at most {MAX_ID_LENGTH}")
    return value


def obj(value: Any, path: str) -> dict:
    if type(value) is not dict:
        raise wrong_type(path, "an object", value)
    return value


def array(value: Any, path: str) -> list:
    if type(value) is not list:
        raise wrong_type(path, "an array", value)
    return value


def category(value: Any, path: str = "category") -> tuple[str, str | None]:
    """A category as (key, label): the label kept only where it differs from its key, so
    that items written with keys store and hash as they always did."""
    if type(value) is not str:
        raise wrong_type(path, "a string", value)
    problem = label_problem(value)
    if problem:
        raise InvalidItem(f'{path} "{value[:80]}" {problem}')
    key = category_key(value)
    return key, (None if key == value else value)


def domains(value: Any) -> list[str]:
    """Expertise tags, sorted and without repeats, so that equal sets hash alike."""
    tags = array(value, "domains")
    for index, tag in enumerate(tags):
        if type(tag) is not str:
            raise wrong_type(f"domains[{index}]", "a string", tag)
        if not TAG_PATTERN.match(tag):
            raise InvalidItem(
                f'domains[{index}] "{tag[:80]}" must be an expertise tag: lower-case letters, '
                "digits, . _ - (at most 64 characters)"
            )
    return sorted(set(tags))


def priority(value: Any) -> int:
    if type(value) is not int:
        raise wrong_type("priority", "an integer", value)
    if not INT32[0] <= value <= INT32[1]:
        raise InvalidItem(f"priority {value} is out of range ({INT32[0]} to {INT32[1]})")
    return value


def model_name(value: Any, path: str) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise wrong_type(path, "a string", value)
    if len(value) > MAX_MODEL_LENGTH:
        raise InvalidItem(f"{path} is {len(value)} characters long; at most {MAX_MODEL_LENGTH}")
    return value


def finish_reason(response: dict, path: str) -> str | None:
    """Why a response ended, from its optional ``finish_reason`` (a backend's word: ``stop``,
    ``length``, …) and ``truncated`` (true stands for ``length``, false for ``stop``); when
    both are given they must agree. None (or null): not known."""
    stated = response.get("finish_reason")
    if stated is not None:
        if type(stated) is not str:
            raise wrong_type(f"{path}.finish_reason", "a string", stated)
        if not FINISH_REASON_PATTERN.match(stated):
            raise InvalidItem(f'{path}.finish_reason "{stated[:40]}" must be one lower-case '
                              "word such as stop or length (letters, digits and _, at most "
                              "32 characters)")
    implied = truncated_flag(response.get("truncated"), f"{path}.truncated")
    if stated is None:
        return implied
    if implied is not None and is_truncated(implied) != is_truncated(stated):
        raise InvalidItem(f'{path}.truncated is {str(is_truncated(implied)).lower()} but '
                          f'{path}.finish_reason is "{stated}"')
    return stated


def truncated_flag(value: Any, path: str) -> str | None:
    """A ``truncated`` boolean as the finish reason it stands for; null: not known."""
    if value is None:
        return None
    if type(value) is not bool:
        raise wrong_type(path, "true or false", value)
    return TRUNCATED if value else FINISHED


def message(value: Any, path: str) -> dict:
    """One chat message ``{"role", "content"}``; the common well-formed case costs one test."""
    if _well_formed(value):
        return value
    return _explain_message(value, path)


def _well_formed(value: Any) -> bool:
    return (type(value) is dict and len(value) == 2 and type(value.get("content")) is str
            and type(value.get("role")) is str and value["role"] in ROLE_SET)


def _explain_message(value: Any, path: str) -> dict:
    if type(value) is not dict:
        raise wrong_type(path, "an object", value)
    if len(value) != 2 or "role" not in value or "content" not in value:
        for name in ("role", "content"):
            if name not in value:
                raise InvalidItem(f'{path}.{name} is missing')
        extra = sorted(set(value) - {"role", "content"})
        raise InvalidItem(f"{path} has unknown field{'s' if len(extra) > 1 else ''} "
                          + ", ".join(f'"{name}"' for name in extra))
    role = value["role"]
    if type(role) is not str or role not in ROLES:
        shown = f'"{role[:40]}"' if type(role) is str else json_type(role)
        raise InvalidItem(f"{path}.role must be one of {', '.join(ROLES)}, not {shown}")
    content = value["content"]
    if type(content) is not str:
        raise wrong_type(f"{path}.content", "a string", content)
    return {"role": role, "content": content}


def prompt_messages(value: Any, path: str = "messages") -> list[dict]:
    """A prompt's messages: at least one, each well-formed, the last one the user's."""
    items = array(value, path)
    if not items:
        raise InvalidItem(f"{path} must hold at least one message")
    for index, item in enumerate(items):
        if not _well_formed(item):
            _explain_message(item, f"{path}[{index}]")
    result: list[dict] = items
    if result[-1]["role"] != "user":
        raise InvalidItem(
            f"{path}[{len(result) - 1}] must be the user's: a prompt ends with a user message, "
            f'not a {result[-1]["role"]} one'
        )
    return result


def unknown_fields(found: dict, allowed: frozenset[str], what: str) -> InvalidItem | None:
    """The error naming fields that ``what`` does not have, or None when there are none."""
    if found.keys() <= allowed:
        return None
    extra = [name for name in found if name not in allowed]
    names = ", ".join(f'"{name[:60]}"' for name in sorted(extra))
    plural = "s" if len(extra) > 1 else ""
    return InvalidItem(
        f"unknown field{plural} {names} (a {what} has {', '.join(sorted(allowed))})"
    )


def no_nul(value: Any, path: str) -> None:
    """Refuse U+0000 anywhere: PostgreSQL can store it neither in text nor in jsonb."""
    if type(value) is str:
        if "\x00" in value:
            raise InvalidItem(f"{path} contains a NUL character (\\u0000), which cannot be stored")
    elif type(value) is dict:
        for key, inner in value.items():
            if "\x00" in key:
                raise InvalidItem(f"{path} has a field name containing a NUL character (\\u0000)")
            no_nul(inner, f"{path}.{key}" if path else key)
    elif type(value) is list:
        for index, inner in enumerate(value):
            no_nul(inner, f"{path}[{index}]")
