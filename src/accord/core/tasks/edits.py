"""What a writer changed in a model draft: the edit distance and a diff a page can show.

The distance is Levenshtein's, in characters (insertions, deletions and substitutions each
cost one; Levenshtein 1966), computed by RapidFuzz. The diff is a list of segments
``[op, text]`` with ``op`` one of ``equal``, ``delete`` (draft text removed) and ``insert``
(text the writer added), found over words, runs of spaces and single punctuation marks, so
that a page highlights whole words. Joining the ``equal`` and ``delete`` texts gives the
draft back; joining ``equal`` and ``insert`` gives the submitted text.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from rapidfuzz.distance import Levenshtein

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]", re.UNICODE)


def edit_distance(draft: str, final: str) -> int:
    """Characters inserted, deleted or substituted to turn ``draft`` into ``final``."""
    return Levenshtein.distance(draft, final)


def tokens(text: str) -> list[str]:
    """Words, whitespace runs and punctuation marks; joined, they give ``text`` back."""
    return _TOKEN.findall(text)


def diff(draft: str, final: str) -> list[list[str]]:
    """The segments that turn ``draft`` into ``final``, adjacent ones of a kind merged."""
    old, new = tokens(draft), tokens(final)
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    segments: list[list[str]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == EQUAL:
            _add(segments, EQUAL, "".join(old[i1:i2]))
            continue
        _add(segments, DELETE, "".join(old[i1:i2]))
        _add(segments, INSERT, "".join(new[j1:j2]))
    return segments


def _add(segments: list[list[str]], op: str, text: str) -> None:
    if not text:
        return
    if segments and segments[-1][0] == op:
        segments[-1][1] += text
    else:
        segments.append([op, text])


def side(segments: list[list[str]], op: str) -> str:
    """One side of a diff: ``delete`` gives the draft back, ``insert`` the submitted text."""
    return "".join(text for kind, text in segments if kind in (EQUAL, op))
