"""The SFT export: one conversation per demonstration an annotator wrote.

Fields:

``messages``
    The prompt's chat messages followed by ``{"role": "assistant", "content": <the
    annotator's written response>}`` — TRL's conversational language-modelling format, as
    ``trl.SFTTrainer`` reads it. A multi-turn demonstration continues the prompt with every
    turn its writer wrote (assistant and user alternating, the assistant last).
``task_id``
    The task's external id.
``annotator``
    The name of the annotator who wrote the response.

Every demonstration annotation gives a row, in the order they were submitted; a task done by
three annotators gives three conversations.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyarrow as pa
from sqlalchemy import Connection

from accord.core.exporting.records import count_annotated_tasks, demonstration_records
from accord.core.exporting.streams import ExportCounts
from accord.core.projects.project import Project
from accord.exports.messages import MESSAGES, assistant_turn, chat_messages

SFT_SCHEMA = pa.schema([
    ("messages", MESSAGES),
    ("task_id", pa.string()),
    ("annotator", pa.string()),
])


def sft_rows(
    conn: Connection, project: Project, counts: ExportCounts | None = None,
    options: object = None,
) -> Iterator[dict]:
    """The project's SFT rows, streamed; ``counts`` gets the number of demonstration tasks.

    ``options`` is accepted for a uniform signature; the filters concern comparisons.
    """
    if counts is not None:
        counts.tasks += count_annotated_tasks(conn, project.id, "demonstration")
    for record in demonstration_records(conn, project.id):
        messages = chat_messages(record.messages) + written_turns(record.response,
                                                                  record.details)
        yield {"messages": messages, "task_id": record.task_id, "annotator": record.annotator}


def written_turns(response: str, details: dict | None) -> list[dict]:
    """What the writer wrote after the prompt: a multi-turn demonstration's turns, else the
    one assistant turn."""
    turns = (details or {}).get("turns")
    return chat_messages(turns) if turns else assistant_turn(response)
