"""The prompts export: prompt-only rows for online methods (GRPO, RLOO, online DPO), which
generate their own completions and score them with a reward model.

One row per distinct prompt of the project (the prompt pool and every task's prompt, any
status, any kind), ``prompt`` as chat messages, with its ``category``; prompts whose messages
are identical appear once (the first by id). ``--category`` narrows it; the other filters
concern annotations and do not apply.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import orjson
import pyarrow as pa
from sqlalchemy import Connection, Text, cast, select

from accord.core.exporting.records import STREAM_ROWS
from accord.core.exporting.streams import ExportCounts
from accord.core.projects.project import Project
from accord.db.tables import prompts
from accord.exports.messages import MESSAGES, chat_messages
from accord.exports.options import ExportOptions

PROMPTS_SCHEMA = pa.schema([
    ("prompt", MESSAGES),
    ("category", pa.string()),
    ("prompt_id", pa.string()),
])


def prompt_rows(conn: Connection, project: Project, counts: ExportCounts | None = None,
                options: ExportOptions | None = None) -> Iterator[dict]:
    """The project's distinct prompts, by id; ``counts.tasks`` gets the prompts read."""
    options = options or ExportOptions()
    query = (select(prompts.c.id, prompts.c.external_id,
                    cast(prompts.c.messages, Text), prompts.c.category)
             .where(prompts.c.project_id == project.id).order_by(prompts.c.id))
    if options.categories:
        query = query.where(prompts.c.category.in_(options.categories))
    seen: set[bytes] = set()
    for prompt_id, external_id, messages_json, category in conn.execute(
            query.execution_options(yield_per=STREAM_ROWS)):
        if counts is not None:
            counts.tasks += 1
        messages = chat_messages(orjson.loads(messages_json))
        key = hashlib.blake2b(orjson.dumps(messages), digest_size=16).digest()
        if key in seen:
            continue
        seen.add(key)
        yield {"prompt": messages, "category": category,
               "prompt_id": external_id or str(prompt_id)}
