"""The training sets a project gives, split into train and eval by prompt.

Every set is built from Accord's own export streams (:func:`accord.exports.preference_rows`,
:func:`accord.exports.sft_rows`), read through one snapshot, turned into Arrow record batches
a thousand rows at a time and held as an in-memory ``datasets.Dataset``: the rows are never
all Python dicts at once, and a project of a few hundred thousand pairs fits easily.

**The split is by prompt**, by the export's rule (``exports.hygiene``): a row goes to eval
when the hash of its prompt's normalised text falls in the lowest ``eval_share`` of the hash
range. The same prompt therefore always lands on the same side — every pair of a K-way task,
every demonstration of a task done by three annotators, the same prompt imported twice, and
near-duplicates ("What is 2+2?" / "what is 2 + 2") — and the side does not depend on the
seed, the row order or the trainer, so a reward model and a DPO run on one project hold out
the same prompts, the ones ``accord export --split`` puts in its test file.

The sets:

- ``preference`` (reward, DPO): the export's rows unchanged — ``prompt``, ``chosen``,
  ``rejected``, ``margin``, ``agreement``, ``category`` … (TRL ignores the extra columns;
  RewardTrainer reads ``margin`` when it is there).
- ``kto``: the rows of ``accord export --format kto`` (``exports.kto``): unpaired
  ``prompt``, ``completion``, ``label`` (with ``task_id``, ``category``, ``source``) from the
  decided pairs: within a task, a response
  that wins more of its pairs than it loses is desirable (``label`` true), one that loses more
  is undesirable (false), one that wins as often as it loses is left out. For a pairwise task
  this is simply chosen → true, rejected → false.
- ``sft``: the SFT export's ``messages``; the prompt is every message before the last.
- ``prompts`` (GRPO): each distinct prompt of the preference pairs once, as ``prompt``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

import pyarrow as pa
from datasets import Dataset
from datasets.table import InMemoryTable
from sqlalchemy import Connection, Engine

from accord.core.errors import InvalidInput
from accord.core.exporting.streams import snapshot
from accord.core.projects.project import Project, get_project
from accord.exports.hygiene import prompt_key, prompt_position
from accord.exports.kto import KTO_SCHEMA, kto_from_pairs
from accord.exports.messages import MESSAGES
from accord.exports.preference import PREFERENCE_SCHEMA, preference_rows
from accord.exports.sft import SFT_SCHEMA, sft_rows

BATCH_ROWS = 1_000  # rows turned into one Arrow record batch at a time
SETS = ("preference", "kto", "sft", "prompts")

PROMPT_SCHEMA = pa.schema([("prompt", MESSAGES), ("category", pa.string())])


def _held_out(key: str, eval_share: float) -> bool:
    return prompt_position(key) < eval_share


def is_eval(messages: list[dict], eval_share: float) -> bool:
    """Whether a prompt belongs to the eval side: its digest, read as a fraction, is below
    ``eval_share``. Deterministic, and the same for every row that shares the prompt."""
    return _held_out(prompt_key(messages), eval_share)


@dataclass(frozen=True)
class Split:
    """One training set of a project, split by prompt."""

    name: str
    train: Dataset
    eval: Dataset | None
    """``None`` when no prompt fell on the eval side (small projects, or ``eval_share`` 0)."""
    train_prompts: int
    eval_prompts: int

    @property
    def eval_rows(self) -> int:
        return 0 if self.eval is None else self.eval.num_rows


def _to_dataset(batches: list[pa.RecordBatch], schema: pa.Schema) -> Dataset:
    return Dataset(InMemoryTable(pa.Table.from_batches(batches, schema=schema)))


def _split(
    name: str, rows: Iterable[dict], schema: pa.Schema, prompt_of: Callable[[dict], list[dict]],
    eval_share: float,
) -> Split:
    """Send each row to the side its prompt hashes to, a batch of Arrow rows at a time."""
    sides: dict[bool, list[pa.RecordBatch]] = {False: [], True: []}
    prompts: dict[bool, set[str]] = {False: set(), True: set()}
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_ROWS)):
        grouped: dict[bool, list[dict]] = {False: [], True: []}
        for row in batch:
            key = prompt_key(prompt_of(row))
            side = _held_out(key, eval_share)
            grouped[side].append(row)
            prompts[side].add(key)
        for side, chosen in grouped.items():
            if chosen:
                sides[side].append(pa.RecordBatch.from_pylist(chosen, schema=schema))
    train = _to_dataset(sides[False], schema)
    held_out = _to_dataset(sides[True], schema) if sides[True] else None
    return Split(name, train, held_out, len(prompts[False]), len(prompts[True]))


def distinct_prompts(pairs: Iterable[dict]) -> Iterator[dict]:
    """Each prompt of the pairs once (the first time it is seen), with its category."""
    seen: set[str] = set()
    for pair in pairs:
        key = prompt_key(pair["prompt"])
        if key not in seen:
            seen.add(key)
            yield {"prompt": pair["prompt"], "category": pair["category"]}


def _sft_prompt(row: dict) -> list[dict]:
    return row["messages"][:-1]


def build_split(conn: Connection, project: Project, name: str, eval_share: float) -> Split:
    """The set called ``name`` (one of :data:`SETS`) of ``project``, split by prompt."""
    if not 0.0 <= eval_share < 1.0:
        raise InvalidInput(f"the eval share must be at least 0 and below 1, not {eval_share}")
    prompt_of = itemgetter("prompt")
    if name == "preference":
        return _split(name, preference_rows(conn, project), PREFERENCE_SCHEMA, prompt_of,
                      eval_share)
    if name == "kto":
        return _split(name, kto_from_pairs(preference_rows(conn, project)), KTO_SCHEMA,
                      prompt_of, eval_share)
    if name == "prompts":
        return _split(name, distinct_prompts(preference_rows(conn, project)), PROMPT_SCHEMA,
                      prompt_of, eval_share)
    if name == "sft":
        return _split(name, sft_rows(conn, project), SFT_SCHEMA, _sft_prompt, eval_share)
    raise InvalidInput(f'training set "{name}" is not one of {", ".join(SETS)}')


def load_split(engine: Engine, project: str, name: str, eval_share: float) -> Split:
    """Read ``project``'s ``name`` set from one snapshot of the database; it must not be empty."""
    with snapshot(engine) as conn:
        split = build_split(conn, get_project(conn, project), name, eval_share)
    if split.train.num_rows == 0:
        what = "demonstrations" if name == "sft" else "decided preference pairs"
        raise InvalidInput(
            f'project "{project}" has no {what} on the train side to train on '
            f"({split.eval_rows} held out for eval)"
        )
    return split
