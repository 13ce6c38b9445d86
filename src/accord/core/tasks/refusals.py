"""Responses that open like a refusal: the over-refusal monitor's heuristic, in one place.

The importer and generation store the flag per response (``responses.opens_with_refusal``);
the quality inputs search the openings only of responses stored before the flag existed.
"""

from __future__ import annotations

import bisect
import re

import numpy as np
from numpy.typing import NDArray

# Openings of a refusal, matched on the first 300 characters of a response, lower-cased.
# A heuristic, used only by the over-refusal monitor, which reports it as such.
REFUSAL_OPENINGS = (
    "i can't help", "i cannot help", "i can't assist", "i cannot assist", "i won't",
    "i'm sorry, but i can", "i am sorry, but i can", "i'm not able to", "i am not able to",
    "i cannot provide", "i can't provide", "as an ai",
)


REFUSAL_HEAD = 300
# One alternation for all openings: a single scan of the head per response, where testing
# each opening in turn took the importer 6 µs a response.
_ANY_OPENING = re.compile("|".join(re.escape(opening) for opening in REFUSAL_OPENINGS))


def opens_like_refusal(content: str) -> bool:
    """Whether a response's first ``REFUSAL_HEAD`` characters, lower-cased, hold one of
    ``REFUSAL_OPENINGS``: the flag the importer stores (``responses.opens_with_refusal``)."""
    return _ANY_OPENING.search(content[:REFUSAL_HEAD].lower()) is not None


def refusals(heads: list[str | None]) -> NDArray[np.bool_]:
    """Which lower-cased openings contain one of ``REFUSAL_OPENINGS``.

    The chunk's openings are joined with NUL (no opening contains one, so a match never
    spans two responses) and each phrase is found with ``str.find``; after a match the search
    resumes at the next response.
    """
    texts = [head or "" for head in heads]
    starts, position = [], 0
    for text in texts:
        starts.append(position)
        position += len(text) + 1
    joined = "\0".join(texts)
    found = np.zeros(len(texts), dtype=bool)
    for opening in REFUSAL_OPENINGS:
        at = joined.find(opening)
        while at >= 0:
            row = bisect.bisect_right(starts, at) - 1
            found[row] = True
            at = joined.find(opening, starts[row] + len(texts[row]) + 1)
    return found


def refusal_flags(stored: NDArray[np.int8], heads: tuple) -> NDArray[np.bool_]:
    """The stored flags (1, 0), with the openings searched where none is stored (-1)."""
    unknown = np.flatnonzero(stored < 0)
    flags = stored == 1
    if len(unknown):
        flags[unknown] = refusals([heads[i] for i in unknown.tolist()])
    return flags
