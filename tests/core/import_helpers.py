"""Shared by the import tests: writing JSONL files and counting what the database holds."""

from __future__ import annotations

from pathlib import Path

import orjson
from sqlalchemy import Engine, func, select

from accord.db.tables import prompts, responses, task_expertise, task_responses, tasks

POOL_TABLES = (prompts, responses, tasks, task_responses, task_expertise)


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(row) + b"\n" for row in rows))
    return path


def comparison(item_id: str, **fields) -> dict:
    """A valid two-response comparison line; ``fields`` override or add keys."""
    row = {
        "id": item_id,
        "kind": "comparison",
        "messages": [{"role": "user", "content": f"question {item_id}"}],
        "responses": [
            {"id": "a", "content": f"answer a to {item_id}", "model": "m-1"},
            {"id": "b", "content": f"answer b to {item_id}", "model": "m-2"},
        ],
        "category": "qa",
    }
    row.update(fields)
    return row


def row_counts(engine: Engine) -> dict[str, int]:
    """How many rows each table of the pool holds: the test of "nothing changed"."""
    with engine.connect() as conn:
        return {
            table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in POOL_TABLES
        }
