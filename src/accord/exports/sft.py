"""The SFT export: one conversation per accepted demonstration, its final text, with where it
came from.

Fields:

``messages``
    The prompt's chat messages followed by the accepted text as ``{"role": "assistant",
    "content": …}`` (or, for a multi-turn demonstration, its turns) — TRL's conversational
    language-modelling format, as ``trl.SFTTrainer`` reads it; the other fields are
    provenance, which the trainer ignores.
``task_id``, ``category``
    The task's external id and its prompt's category key.
``annotator``
    The writer (the name kept from before review existed; ``writer`` says the same).
``writer``, ``reviewers``, ``rounds``
    Who wrote it, everyone who reviewed it (in the order of their first review), and how
    many review rounds it took (1: accepted as first written).
``version``, ``edited_by_reviewer``
    The accepted version's number, and whether it is a reviewer's edit (accept with edits).
``rubric_score``, ``scores``
    The mean of the accepting round's rubric scores over the dimensions, and each
    dimension's mean (``[{"dimension", "score"}]``).
``guideline_version``, ``draft_model``
    The guideline version in force when it was written; the model whose draft was
    post-edited, or null for a demonstration written from scratch.

Only accepted demonstrations are exported: pending, sent back and rejected ones are left
out. ``--category`` keeps prompts of those categories; ``--min-score`` keeps those whose
``rubric_score`` is at least the figure.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
from sqlalchemy import Connection

from accord.core.exporting.accepted import (
    AcceptedDemonstration,
    accepted_demonstrations,
    count_accepted_tasks,
)
from accord.core.exporting.streams import ExportCounts
from accord.core.projects.project import Project
from accord.exports.messages import MESSAGES, assistant_turn, chat_messages
from accord.exports.options import ExportOptions

SCORE = pa.struct([("dimension", pa.string()), ("score", pa.float64())])
SFT_SCHEMA = pa.schema([
    ("messages", MESSAGES),
    ("task_id", pa.string()),
    ("category", pa.string()),
    ("annotator", pa.string()),
    ("writer", pa.string()),
    ("reviewers", pa.list_(pa.string())),
    ("rounds", pa.int64()),
    ("version", pa.int64()),
    ("edited_by_reviewer", pa.bool_()),
    ("rubric_score", pa.float64()),
    ("scores", pa.list_(SCORE)),
    ("guideline_version", pa.int64()),
    ("draft_model", pa.string()),
])


def sft_rows(
    conn: Connection, project: Project, counts: ExportCounts | None = None,
    options: ExportOptions | None = None,
) -> Iterator[dict]:
    """The project's SFT rows, streamed; ``counts`` gets the number of accepted tasks."""
    options = options or ExportOptions()
    if counts is not None:
        counts.tasks += count_accepted_tasks(conn, project.id)
    for accepted in accepted_demonstrations(conn, project.id, options.categories):
        score = accepted.rubric_score
        if options.min_score is not None and (score is None or score < options.min_score):
            continue
        yield sft_row(accepted, [d.name for d in project.dimensions])


def _completion(accepted: AcceptedDemonstration) -> list[dict]:
    if accepted.turns:
        return chat_messages(accepted.turns)
    return assistant_turn(accepted.text)


def sft_row(accepted: AcceptedDemonstration, dimensions: list[str]) -> dict:
    """One row; ``scores`` in the project's order of dimensions (its priority), whatever
    order the database kept the review's keys in."""
    place = {name: i for i, name in enumerate(dimensions)}
    ordered = sorted(accepted.scores.items(), key=lambda kv: (place.get(kv[0], len(place)),
                                                              kv[0]))
    return {
        "messages": chat_messages(accepted.messages) + _completion(accepted),
        "task_id": accepted.task_id, "category": accepted.category,
        "annotator": accepted.writer, "writer": accepted.writer,
        "reviewers": accepted.reviewers, "rounds": accepted.rounds,
        "version": accepted.version, "edited_by_reviewer": accepted.edited_by_reviewer,
        "rubric_score": accepted.rubric_score,
        "scores": [{"dimension": name, "score": value} for name, value in ordered],
        "guideline_version": accepted.guideline_version, "draft_model": accepted.draft_model,
    }
