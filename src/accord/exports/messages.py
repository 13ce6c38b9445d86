"""Chat messages as every export writes them: ``{"role", "content"}`` and nothing else.

Prompts may carry extra keys from their source; exports keep only the two that chat
templates and TRL read, so that JSONL and Parquet rows are identical and typed alike.
"""

from __future__ import annotations

import pyarrow as pa

MESSAGE = pa.struct([("role", pa.string()), ("content", pa.string())])
MESSAGES = pa.list_(MESSAGE)


def chat_messages(messages: list[dict]) -> list[dict]:
    """The messages with only their ``role`` and ``content``."""
    return [{"role": m["role"], "content": m["content"]} for m in messages]


def assistant_turn(content: str) -> list[dict]:
    """One assistant message: a completion in TRL's conversational format."""
    return [{"role": "assistant", "content": content}]
