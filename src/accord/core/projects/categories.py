"""Prompt categories: the label a source wrote ("Open QA", "coding/python") and the key that
rules, filters and reports match on (``open-qa``, ``coding-python``).

Published data names its categories as people write them, so an import keeps the label and
derives the key with ``category_key``; two labels with the same key are one category. Every
place that matches categories (exposure, rotation, hybrid routing, the digest, export
filters, the report) compares keys, and every filter a user types goes through the same
function, so ``--category "Open QA"`` and ``--category open-qa`` select the same prompts.

A key is the label in lower case (Unicode case folding after NFKC), each run of characters
other than letters, digits, ``_`` and ``-`` replaced by one ``-`` (and dropped at either
end), without leading ``-`` or ``_``, cut to 64 characters. Keys written before labels
existed (lower-case words of letters, digits, ``_`` and ``-``) are their own keys, so stored
data keeps matching.
"""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import Connection, func, select

from accord.core.errors import InvalidInput
from accord.db.tables import prompts

MAX_KEY_LENGTH = 64
MAX_LABEL_LENGTH = 200
_SEPARATORS = re.compile(r"[^\w-]+")
_AT_THE_ENDS = re.compile(r"^[^\w-]+|[^\w-]+$")


def category_key(label: str) -> str:
    """The key that ``label`` is matched by; ``""`` when it holds no letter or digit."""
    folded = unicodedata.normalize("NFKC", label).casefold()
    key = _SEPARATORS.sub("-", _AT_THE_ENDS.sub("", folded)).lstrip("-_")
    if len(key) > MAX_KEY_LENGTH:
        key = key[:MAX_KEY_LENGTH].rstrip("-")
    if not any(character.isalnum() for character in key):
        return ""
    return key


def label_problem(label: str) -> str | None:
    """Why ``label`` cannot name a category (words for an error message), or None."""
    if len(label) > MAX_LABEL_LENGTH:
        return f"is {len(label)} characters long; at most {MAX_LABEL_LENGTH}"
    if "\x00" in label:
        return "contains a NUL character (\\u0000), which cannot be stored"
    if not category_key(label):
        return "has no letter or digit to match rules on"
    return None


def filter_keys(values: tuple[str, ...] | list[str], option: str = "--category"
                ) -> tuple[str, ...]:
    """The keys that a user's category filters (labels or keys) select, in their order,
    without repeats; ``InvalidInput`` naming a filter that can match nothing."""
    keys: list[str] = []
    for value in values:
        key = category_key(value)
        if not key:
            raise InvalidInput(f'{option} "{value[:80]}" has no letter or digit to match a '
                               "category on")
        if key not in keys:
            keys.append(key)
    return tuple(keys)


def shown_labels(conn: Connection, project_id: int) -> dict[str, str]:
    """Each category key of the project's prompts → the label to show for it: the first
    label in alphabetical order among those written for the key (the key where none was)."""
    shown = func.min(func.coalesce(prompts.c.category_label, prompts.c.category))
    rows = conn.execute(select(prompts.c.category, shown)
                        .where(prompts.c.project_id == project_id)
                        .group_by(prompts.c.category))
    return {key: label for key, label in rows}
