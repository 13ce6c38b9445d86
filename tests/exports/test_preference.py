"""The preference export: one TRL conversational row per pair decided by majority."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select, text

from accord.core.exporting.streams import decided_chunks, snapshot
from accord.db.tables import users
from accord.exports import export, preference_rows
from accord.exports.preference import PREFERENCE_SCHEMA
from tests.exports.conftest import read_rows
from tests.factories import make_project

FORMATS = [".jsonl", ".parquet"]


def turn(content: str) -> list[dict]:
    return [{"role": "assistant", "content": content}]


def row(task: str, chosen: str, rejected: str, margin: float, agreement: float, *,
        chosen_text: str | None = None, rejected_text: str | None = None,
        category: str = "qa", guideline_version: int | None = None) -> dict:
    texts = {"a": f"answer a to {task}", "b": f"longer answer b to {task}"}
    return {
        "prompt": [{"role": "user", "content": f"question {task}"}],
        "chosen": turn(chosen_text or texts[chosen]),
        "rejected": turn(rejected_text or texts[rejected]),
        "margin": pytest.approx(margin),
        "agreement": pytest.approx(agreement),
        "n_annotators": 3,
        "task_id": task,
        "category": category,
        "category_label": category,
        "chosen_model": f"model-{chosen}",
        "rejected_model": f"model-{rejected}",
        "chosen_truncated": None,
        "rejected_truncated": None,
        "source": "human",
        "guideline_version": guideline_version,
    }


PREFS = [
    row("split", "a", "b", (3 + 1 - 1) / 3, 2 / 3, category="coding", guideline_version=2),
    row("unanimous", "b", "a", 2.0, 1.0, guideline_version=2),
]
GREEK = {"a": "alpha", "b": "beta", "c": "gamma"}
RANKS = [
    row("k3", "a", "b", (2 + 1 - 1) / 3, 2 / 3, chosen_text="alpha", rejected_text="beta"),
    row("k3", "a", "c", (2 + 1 + 0) / 3, 2 / 3, chosen_text="alpha", rejected_text="gamma"),
    row("k3", "b", "c", (2 - 1 + 1) / 3, 2 / 3, chosen_text="beta", rejected_text="gamma"),
]


@pytest.mark.parametrize("suffix", FORMATS)
def test_each_pair_with_a_majority_becomes_one_row(world, tmp_path, suffix):
    out = tmp_path / f"prefs{suffix}"
    report = export(world.engine, "prefs", "preference", out)
    assert read_rows(out) == PREFS
    assert (report.rows, report.file_format, report.path) == (2, suffix[1:], out)


def test_ties_even_splits_and_unfinished_tasks_yield_no_rows(world, tmp_path):
    report = export(world.engine, "prefs", "preference", tmp_path / "prefs.jsonl")
    exported = {r["task_id"] for r in read_rows(tmp_path / "prefs.jsonl")}
    assert exported == {"split", "unanimous"}
    # considered: split, unanimous, tie, even; not the escalated, incomplete or demo tasks
    assert (report.tasks, report.ties_dropped) == (4, 2)


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_k_way_ranking_gives_a_row_for_every_implied_pair(world, tmp_path, suffix):
    out = tmp_path / f"ranks{suffix}"
    report = export(world.engine, world.ranks, "preference", out)
    assert read_rows(out) == RANKS
    assert (report.rows, report.tasks, report.ties_dropped) == (3, 1, 0)


def test_the_stream_gives_the_rows_the_file_holds(world):
    with snapshot(world.engine) as conn:
        assert list(preference_rows(conn, world.prefs)) == PREFS


def test_ids_too_large_to_pack_give_the_same_rows(world):
    """Outcome rows are fetched with two ids packed per integer while every id fits; a user id
    of 2**32 switches the export to plain columns, which must not change a single row."""
    with world.engine.begin() as conn:
        conn.execute(users.insert().values(id=2**32, name="far-away", kind="human",
                                           created_at=datetime.now(UTC)))
    with snapshot(world.engine) as conn:
        assert list(preference_rows(conn, world.prefs)) == PREFS


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 5, 7])
def test_chunking_never_splits_a_task(world, chunk_rows):
    def pairs(rows: int) -> list[tuple]:
        with snapshot(world.engine) as conn:
            return [
                (task, first, second, outcome)
                for chunk in decided_chunks(conn, world.prefs, chunk_rows=rows)
                for task, first, second, outcome in zip(
                    chunk.pairs.task.tolist(), chunk.pairs.first.tolist(),
                    chunk.pairs.second.tolist(), chunk.pairs.outcome.tolist(), strict=True)
            ]
    assert pairs(chunk_rows) == pairs(10_000)
    assert len(pairs(chunk_rows)) == 2


@pytest.mark.parametrize("suffix", FORMATS)
def test_an_empty_project_exports_an_empty_typed_file(engine, tmp_path, suffix):
    make_project(engine, "empty")
    out = tmp_path / f"empty{suffix}"
    report = export(engine, "empty", "preference", out)
    assert (report.rows, report.tasks, report.ties_dropped) == (0, 0, 0)
    assert read_rows(out) == []
    if suffix == ".parquet":
        assert pq.read_schema(out).equals(PREFERENCE_SCHEMA)


def test_an_export_reads_one_snapshot_and_writes_nothing(engine):
    with snapshot(engine) as conn:
        conn.execute(select(1))
        assert conn.in_transaction()
        if conn.dialect.name == "postgresql":
            assert conn.execute(text("SHOW transaction_isolation")).scalar() == "repeatable read"
            assert conn.execute(text("SHOW transaction_read_only")).scalar() == "on"
