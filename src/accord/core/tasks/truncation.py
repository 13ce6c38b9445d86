"""Responses cut off at the length limit: the one rule every part of Accord reads them by.

A backend says why a model stopped (OpenAI's ``finish_reason``): ``stop`` when the answer
ended by itself, ``length`` when it reached ``max_tokens`` mid-answer. A cut-off answer can
look complete at a glance, so it is marked where annotators read it and kept out of
training pairs unless asked for (see ``docs/exports.md``). ``responses.finish_reason`` keeps
the backend's word; NULL means not known, which counts as not cut off.
"""

from __future__ import annotations

TRUNCATED = "length"
"""The finish reason of an answer cut off at the length limit."""
FINISHED = "stop"
"""The finish reason of an answer that ended by itself."""


def is_truncated(finish_reason: str | None) -> bool:
    return finish_reason == TRUNCATED
