"""The preference export: one row per decided pair, in TRL's conversational preference format.

A row exists for every pair of responses of a comparison task on which the task's annotators
reached a majority (see :mod:`accord.quality.consensus`): the task has all its annotations
(``submitted >= overlap``) and is complete, waiting for adjudication, or resolved — never open
or escalated. A pair whose majority is a tie, or whose votes split evenly, yields no row and
is counted in the export report as dropped. A K-way task yields a row for every implied pair
with a majority, so a 3-way ranking can give up to three rows.

Fields, in order:

``prompt``
    The prompt's chat messages, ``[{"role", "content"}, …]``.
``chosen``
    ``[{"role": "assistant", "content": <the majority's preferred response>}]``.
``rejected``
    ``[{"role": "assistant", "content": <the other response>}]``.
``margin``
    Float. The mean, over the annotators who judged the pair, of their preference strength
    signed toward ``chosen``: ``+s`` when an annotator preferred ``chosen`` with strength
    ``s`` (1 slightly, 2 clearly, 3 much better; 1 when they gave none), ``-s`` when they
    preferred ``rejected``, and 0 for a tie. A unanimous "much better" gives 3.0, a 2-1
    split of plain preferences 1/3. It is zero or negative when the minority preferred
    ``rejected`` more strongly than the majority preferred ``chosen`` (2-1 with strengths
    1, 1 against 3 gives -1/3): a sign that the pair is contested, whatever its majority.
``agreement``
    Share of those annotators whose outcome for the pair equals the majority (2/3 for a 2-1
    split, 1.0 when unanimous).
``n_annotators``
    How many annotators judged the pair.
``task_id``
    The task's external id (the ``id`` it was imported with).
``category``
    The prompt's category (``qa``, ``coding``, …).
``chosen_model``, ``rejected_model``
    The models that wrote the two responses (null when unknown).

Rows come in task order, then by the pair's response ids. ``prompt``/``chosen``/``rejected``
are exactly what ``trl.DPOTrainer`` and ``trl.RewardTrainer`` read; the other columns ride
along (TRL ignores extra columns; ``margin`` can feed a reward-model margin loss).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import orjson
import pyarrow as pa
from sqlalchemy import Connection

from accord.core.exporting import DecidedChunk, ExportCounts, decided_chunks
from accord.core.projects import Project
from accord.exports.messages import MESSAGES, assistant_turn, chat_messages
from accord.quality.consensus import FIRST

PREFERENCE_SCHEMA = pa.schema([
    ("prompt", MESSAGES),
    ("chosen", MESSAGES),
    ("rejected", MESSAGES),
    ("margin", pa.float64()),
    ("agreement", pa.float64()),
    ("n_annotators", pa.int64()),
    ("task_id", pa.string()),
    ("category", pa.string()),
    ("chosen_model", pa.string()),
    ("rejected_model", pa.string()),
])


def _chunk_rows(chunk: DecidedChunk) -> Iterator[dict]:
    pairs = chunk.pairs
    first_won = pairs.outcome == FIRST
    chosen = np.where(first_won, pairs.first, pairs.second).tolist()
    rejected = np.where(first_won, pairs.second, pairs.first).tolist()
    margin = (pairs.margin * pairs.outcome).tolist()  # toward first, turned toward chosen
    task_rows, response_rows = chunk.tasks, chunk.responses
    # Rows are unpacked by position: it is the hot loop of the export, and a fetched row's
    # positional access is several times cheaper than its attribute access.
    for task_id, chosen_id, rejected_id, toward_chosen, agreement, votes in zip(
        pairs.task.tolist(), chosen, rejected, margin, pairs.agreement.tolist(),
        pairs.votes.tolist(), strict=True,
    ):
        _, external_id, messages_json, category = task_rows[task_id]
        _, _, chosen_content, chosen_model = response_rows[chosen_id]
        _, _, rejected_content, rejected_model = response_rows[rejected_id]
        yield {
            "prompt": chat_messages(orjson.loads(messages_json)),
            "chosen": assistant_turn(chosen_content),
            "rejected": assistant_turn(rejected_content),
            "margin": toward_chosen,
            "agreement": agreement,
            "n_annotators": votes,
            "task_id": external_id,
            "category": category,
            "chosen_model": chosen_model,
            "rejected_model": rejected_model,
        }


def preference_rows(
    conn: Connection, project: Project, counts: ExportCounts | None = None
) -> Iterator[dict]:
    """The project's preference rows, streamed chunk by chunk; fields as in the module doc.

    ``counts`` (if given) gathers the tasks considered and the pairs dropped as ties.
    """
    for chunk in decided_chunks(conn, project, counts):
        yield from _chunk_rows(chunk)
