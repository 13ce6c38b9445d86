"""Hygiene of a training export: a train/test split by prompt, and a token-length check.

**Split.** A row goes to the test side when a hash of its prompt's *normalised* text falls
below the test fraction. Normalising (lower case, punctuation dropped, runs of whitespace made
one space, over every message's role and content) collapses exact and near-duplicate prompts
("What is 2+2?" / "what is 2 + 2") onto one key before splitting, so they always land on the
same side, and no prompt is ever on both sides. The hash (blake2b) makes the split
deterministic across runs, databases and machines; the test share is the fraction of distinct
prompts, so the share of rows follows it only roughly.

**Token lengths.** TRL's ``RewardTrainer`` drops pairs whose tokenised prompt + completion
exceeds ``max_length``, silently; :class:`TokenCheck` counts the rows that would go, with the
user's tokenizer (``--tokenizer PATH``, loaded offline by ``transformers``) or, without one,
approximately as characters / 4.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

SPLITS = ("train", "test")
_PUNCTUATION_OR_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def prompt_key(messages: list[dict]) -> str:
    """The prompt's normalised text: near-duplicates share it."""
    text = " ".join(f"{m['role']} {m['content']}" for m in messages)
    text = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCTUATION_OR_SPACE.sub(" ", text).strip()


def prompt_position(key: str) -> float:
    """Where a prompt's key falls in [0, 1): a stable hash, read as a fraction. A prompt is
    held out when this is below the held-out share (``side_of``, and ``accord train``)."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64


def row_prompt(row: dict) -> list[dict]:
    """The prompt a row of any row format was made on, the key of its split: ``prompt`` where
    the row has one (preference, KTO, prompts, raw), else every message of ``messages`` but the
    last (SFT: the written turn follows its prompt), the prompt ``accord train sft`` holds out.
    """
    if "prompt" in row:
        return row["prompt"]
    return row["messages"][:-1]


def side_of(messages: list[dict], test_fraction: float) -> str:
    """``test`` or ``train`` for a prompt, by a stable hash of its normalised text."""
    return "test" if prompt_position(prompt_key(messages)) < test_fraction else "train"


def split_path(out: Path, side: str) -> Path:
    """``prefs.jsonl`` → ``prefs.train.jsonl``; a directory name gets ``.train`` appended."""
    if out.suffix:
        return out.with_name(f"{out.stem}.{side}{out.suffix}")
    return out.with_name(f"{out.name}.{side}")


class TokenCheck:
    """Counts rows whose prompt + longest completion exceeds ``max_tokens``."""

    def __init__(self, max_tokens: int, tokenizer: str | None = None) -> None:
        self.max_tokens = max_tokens
        self.over = 0
        self.method = "tokenizer" if tokenizer else "characters/4"
        self._count = _tokenizer_counter(tokenizer) if tokenizer else _approximate

    def watch(self, rows: Iterable[dict]) -> Iterator[dict]:
        """The same rows, counted as they pass."""
        for row in rows:
            prompt = _text(row_prompt(row))
            longest = max(self._count(prompt + "\n" + _text(completion))
                          for completion in _completions(row))
            if longest > self.max_tokens:
                self.over += 1
            yield row


def _completions(row: dict) -> list[list[dict]]:
    """What follows the prompt in a row: each completion of a preference or KTO row, the
    written turn of an SFT row; a row without one (prompts, raw) counts its prompt alone."""
    found = [row[side] for side in ("chosen", "rejected", "completion") if side in row]
    if "messages" in row and "prompt" not in row:
        found.append(row["messages"][-1:])
    return found or [[]]


def _text(messages: list[dict]) -> str:
    return "\n".join(m["content"] for m in messages)


def _approximate(text: str) -> int:
    return (len(text) + 3) // 4


def _tokenizer_counter(path: str) -> Callable[[str], int]:
    from transformers import AutoTokenizer  # imported only when asked: it is slow to load

    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    return lambda text: len(tokenizer(text, add_special_tokens=True)["input_ids"])
