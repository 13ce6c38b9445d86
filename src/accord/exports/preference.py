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
    The prompt's category key (``qa``, ``coding``, ``open-qa``, …), what filters match on.
``category_label``
    The category as the source wrote it (``Open QA``); the key where the source wrote that.
``chosen_model``, ``rejected_model``
    The models that wrote the two responses (null when unknown): the names people read
    (``--model-name``); the exact ids stay in the database (``responses.model_id``).
``chosen_truncated``, ``rejected_truncated``
    Whether the response was cut off at the length limit (null when not known). Such pairs
    are left out unless ``include_truncated`` (``--include-truncated``), and counted in the
    report's ``truncated_dropped``; so these columns are true only in such an export.
``source``
    Where the label came from (see :mod:`accord.core.exporting.label_source`): ``ai_judge`` when the
    project's AI judge settled the task, ``adjudicated`` when a reviewer decided it, else
    ``human`` or ``imported`` (the kind of the people who judged it) or ``mixed`` (both),
    and ``ai`` when only AI judges judged it. AI judges' verdicts on a task that people
    judged are never counted in its label.
``guideline_version``
    The newest guideline version among the task's annotations (null when none).

Where the quality report stored a consensus for the task (``task_consensus``), the consensus
ranking decides which response is ``chosen`` (a pair in one of its tie groups yields no row);
``margin``, ``agreement`` and ``n_annotators`` still describe the votes, so a margin can be
negative where the consensus (reliability-weighted) overrode a raw majority. With
``pairs="best-vs-rest"`` a K-way task yields only the pairs whose chosen is its best
response (see :mod:`accord.exports.pair_rules`).

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

from accord.core.exporting.streams import DecidedChunk, ExportCounts, decided_chunks
from accord.core.projects.project import Project
from accord.core.tasks.truncation import TRUNCATED
from accord.exports.messages import MESSAGES, assistant_turn, chat_messages
from accord.exports.options import ExportOptions
from accord.exports.pair_rules import best_response, consensus_ranks, decide
from accord.quality.consensus import FIRST, NO_MAJORITY

UNKNOWN = ("mixed", None)  # provenance of a task without outcome rows (never exported)
# A response's finish reason → the row's ``*_truncated``: null where it is not known, false
# for any reason but the length limit.
CUT_OFF: dict[str | None, bool | None] = {None: None, TRUNCATED: True}

PREFERENCE_SCHEMA = pa.schema([
    ("prompt", MESSAGES),
    ("chosen", MESSAGES),
    ("rejected", MESSAGES),
    ("margin", pa.float64()),
    ("agreement", pa.float64()),
    ("n_annotators", pa.int64()),
    ("task_id", pa.string()),
    ("category", pa.string()),
    ("category_label", pa.string()),
    ("chosen_model", pa.string()),
    ("rejected_model", pa.string()),
    ("chosen_truncated", pa.bool_()),
    ("rejected_truncated", pa.bool_()),
    ("source", pa.string()),
    ("guideline_version", pa.int64()),
])


def _outcomes(chunk: DecidedChunk) -> np.ndarray:
    """Each pair's verdict: the stored consensus's for tasks that have one, else the votes'."""
    pairs, task_rows, response_rows = chunk.pairs, chunk.tasks, chunk.responses
    outcome = pairs.outcome.copy()
    with_consensus = {task_id for task_id, row in task_rows.items() if row[4]}
    if not with_consensus:
        return outcome
    ranks_of = {task_id: consensus_ranks(task_rows[task_id][4]) for task_id in with_consensus}
    for at in np.flatnonzero(np.isin(pairs.task, list(with_consensus))).tolist():
        outcome[at] = decide(int(outcome[at]), response_rows[int(pairs.first[at])][4],
                             response_rows[int(pairs.second[at])][4],
                             ranks_of[int(pairs.task[at])])
    return outcome


def _chunk_rows(chunk: DecidedChunk, options: ExportOptions, counts: ExportCounts
                ) -> Iterator[dict]:
    pairs = chunk.pairs
    outcome = _outcomes(chunk)
    decided = outcome != NO_MAJORITY
    counts.ties_dropped += int(len(outcome) - decided.sum())
    if options.min_agreement is not None:
        decided &= pairs.agreement >= options.min_agreement
    first_won = outcome == FIRST
    chosen = np.where(first_won, pairs.first, pairs.second)[decided].tolist()
    rejected = np.where(first_won, pairs.second, pairs.first)[decided].tolist()
    margin = (pairs.margin * outcome)[decided].tolist()  # toward first, turned toward chosen
    kept = list(zip(pairs.task[decided].tolist(), chosen, rejected, margin,
                    pairs.agreement[decided].tolist(), pairs.votes[decided].tolist(),
                    strict=True))
    if options.pairs == "best-vs-rest":
        kept = _best_vs_rest(kept)
    task_rows, response_rows, provenance = chunk.tasks, chunk.responses, chunk.votes
    wanted_sources, versions = set(options.sources), set(options.guideline_versions)
    filtering = bool(wanted_sources or versions)
    keep_truncated = options.include_truncated
    # Rows are unpacked by position: it is the hot loop of the export, and a fetched row's
    # positional access is several times cheaper than its attribute access.
    for task_id, chosen_id, rejected_id, toward_chosen, agreement, votes in kept:
        _, external_id, messages_json, category, _, _, category_label = task_rows[task_id]
        source, version = provenance.get(task_id, UNKNOWN)
        if filtering and ((wanted_sources and source not in wanted_sources) or (
                versions and version not in versions)):
            continue
        _, _, chosen_content, chosen_model, _, chosen_end = response_rows[chosen_id]
        _, _, rejected_content, rejected_model, _, rejected_end = response_rows[rejected_id]
        chosen_cut, rejected_cut = CUT_OFF.get(chosen_end, False), CUT_OFF.get(rejected_end,
                                                                                False)
        if (chosen_cut or rejected_cut) and not keep_truncated:
            counts.truncated_dropped += 1
            continue
        yield {
            "prompt": chat_messages(orjson.loads(messages_json)),
            "chosen": assistant_turn(chosen_content),
            "rejected": assistant_turn(rejected_content),
            "margin": toward_chosen,
            "agreement": agreement,
            "n_annotators": votes,
            "task_id": external_id,
            "category": category,
            "category_label": category_label,
            "chosen_model": chosen_model,
            "rejected_model": rejected_model,
            "chosen_truncated": chosen_cut,
            "rejected_truncated": rejected_cut,
            "source": source,
            "guideline_version": version,
        }


def _best_vs_rest(decided: list[tuple]) -> list[tuple]:
    """Only the pairs whose chosen is its task's best response (decided is in task order)."""
    kept: list[tuple] = []
    start = 0
    while start < len(decided):
        end = start
        while end < len(decided) and decided[end][0] == decided[start][0]:
            end += 1
        group = decided[start:end]
        best = best_response([pair[1] for pair in group])
        kept.extend(pair for pair in group if pair[1] == best)
        start = end
    return kept


def preference_rows(
    conn: Connection, project: Project, counts: ExportCounts | None = None,
    options: ExportOptions | None = None,
) -> Iterator[dict]:
    """The project's preference rows, streamed chunk by chunk; fields as in the module doc.

    ``counts`` (if given) gathers the tasks considered and the pairs dropped as ties;
    ``options`` (filters, ``pairs``) default to everything, all implied pairs.
    """
    options = options or ExportOptions()
    counts = counts if counts is not None else ExportCounts()
    for chunk in decided_chunks(conn, project, counts, chosen=options.task_filter(),
                                keep_undecided=True):
        yield from _chunk_rows(chunk, options, counts)
