"""The audit trail's details as a person reads them: no Python reprs (``False``,
``{'method': …}``), but yes/no, key: value lists and timestamps as the pages show them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

EMPTY = "—"


@dataclass(frozen=True)
class Detail:
    """One recorded detail: its name in words, and its value as text, or as several
    ``name: value`` lines when the value is itself a mapping."""

    name: str
    text: str
    lines: tuple[str, ...] = ()


def as_words(key: str) -> str:
    """``gold_rate`` reads as "gold rate"."""
    return str(key).replace("_", " ")


def readable(value: Any) -> str:
    """One value as text: booleans as yes/no, nothing as a dash, timestamps to the second
    (UTC, as the trail's own column), lists comma-separated, mappings as ``k: v`` pairs."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, str):
        return _timestamp(value) or value
    if isinstance(value, Mapping):
        return "; ".join(f"{as_words(k)}: {readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(readable(item) for item in value)
    return str(value)


def _timestamp(text: str) -> str | None:
    """An ISO timestamp stored as text, in the trail's style; None if ``text`` is not one."""
    if len(text) < 19 or text[4] != "-" or "T" not in text:
        return None
    try:
        return datetime.fromisoformat(text).strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def details(recorded: Mapping[str, Any]) -> list[Detail]:
    """An event's details, one ``Detail`` each, mappings spread over lines."""
    found = []
    for key, value in recorded.items():
        if isinstance(value, Mapping) and value:
            lines = tuple(f"{as_words(k)}: {readable(v)}" for k, v in value.items())
            found.append(Detail(as_words(key), "", lines))
        else:
            found.append(Detail(as_words(key), readable(value)))
    return found
