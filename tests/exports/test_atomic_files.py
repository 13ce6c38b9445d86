"""Export files appear whole or not at all, in the format the user asked for."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, insert, select

from accord.core.errors import InvalidInput, NotFound
from accord.core.exporting.streams import snapshot
from accord.db.tables import audit_events
from accord.db.types import utcnow
from accord.exports import FORMATS, ExportFormat, export, preference_rows
from accord.exports.preference import PREFERENCE_SCHEMA
from accord.exports.writers import atomic_output, file_format_for, write_jsonl, write_parquet
from tests.exports.conftest import read_rows

ROW = {"prompt": [{"role": "user", "content": "q"}], "chosen": [], "rejected": [],
       "margin": 1.0, "agreement": 1.0, "n_annotators": 3, "task_id": "t", "category": "qa",
       "chosen_model": None, "rejected_model": None}


class Interrupted(RuntimeError):
    pass


def rows_then_failure(count: int) -> Iterator[dict]:
    for i in range(count):
        yield {**ROW, "task_id": f"t{i}"}
    raise Interrupted("the database went away")


def write_with_small_batches(path, suffix: str) -> None:
    """Write in batches of one row, so data is on disk before the stream fails."""
    with atomic_output(path) as file:
        if suffix == ".parquet":
            write_parquet(rows_then_failure(5), file, PREFERENCE_SCHEMA, row_group_rows=1)
        else:
            write_jsonl(rows_then_failure(5), file, every=1)


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_a_failed_export_leaves_no_file_and_no_temporary_file(tmp_path, suffix):
    out = tmp_path / f"prefs{suffix}"
    with pytest.raises(Interrupted):
        write_with_small_batches(out, suffix)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_a_failed_export_leaves_the_previous_file_untouched(tmp_path, suffix):
    out = tmp_path / f"prefs{suffix}"
    out.write_bytes(b"last week's export")
    with pytest.raises(Interrupted):
        write_with_small_batches(out, suffix)
    assert out.read_bytes() == b"last week's export"
    assert list(tmp_path.iterdir()) == [out]


def test_an_export_that_fails_midway_through_the_database_keeps_the_old_file(
    world, out_dir, monkeypatch
):
    def failing(conn, project, counts=None, options=None):
        yield from preference_rows(conn, project, counts, options)
        raise Interrupted("killed")

    monkeypatch.setitem(FORMATS, "preference", ExportFormat("preference", failing,
                                                            PREFERENCE_SCHEMA))
    out = out_dir / "prefs.parquet"
    out.write_bytes(b"old")
    with pytest.raises(Interrupted):
        export(world.engine, "prefs", "preference", out)
    assert out.read_bytes() == b"old"
    assert list(out_dir.iterdir()) == [out]
    assert gc.isenabled()


def test_a_successful_export_replaces_the_previous_file(world, out_dir):
    out = out_dir / "prefs.jsonl"
    out.write_bytes(b"stale")
    export(world.engine, "prefs", "preference", out)
    assert len(read_rows(out)) == 2
    assert list(out_dir.iterdir()) == [out]


def test_progress_counts_the_rows_written(world, tmp_path):
    seen: list[int] = []
    export(world.engine, "prefs", "raw", tmp_path / "raw.jsonl", progress=seen.append)
    assert seen[-1] == 20
    assert seen == sorted(seen)


def test_the_file_format_follows_the_extension_unless_named():
    assert file_format_for(Path("out/a.JSONL")) == "jsonl"
    assert file_format_for(Path("a.parquet")) == "parquet"
    assert file_format_for(Path("a.jsonl"), "parquet") == "parquet"


def test_a_named_file_format_wins_over_the_extension(world, tmp_path):
    out = tmp_path / "prefs.data"
    report = export(world.engine, "prefs", "preference", out, file_format="parquet")
    assert report.file_format == "parquet"
    assert out.read_bytes()[:4] == b"PAR1"


def test_an_unknown_extension_is_refused_before_anything_is_written(world, out_dir):
    with pytest.raises(InvalidInput, match=r'cannot tell the file format of ".*prefs\.csv"'):
        export(world.engine, "prefs", "preference", out_dir / "prefs.csv")
    assert list(out_dir.iterdir()) == []


def test_an_unknown_file_format_is_named_in_the_error(world, tmp_path):
    with pytest.raises(InvalidInput, match='file format "csv" is not one of jsonl, parquet'):
        export(world.engine, "prefs", "preference", tmp_path / "x.jsonl", file_format="csv")


def test_an_unknown_export_format_lists_the_known_ones(world, tmp_path):
    known = 'export format "dpo" is not one of preference, kto, prompts, raw, sft, card, hf'
    with pytest.raises(InvalidInput, match=known):
        export(world.engine, "prefs", "dpo", tmp_path / "x.jsonl")


def test_a_missing_directory_is_named(world, tmp_path):
    with pytest.raises(InvalidInput, match=r'directory ".*nowhere" does not exist'):
        export(world.engine, "prefs", "raw", tmp_path / "nowhere" / "raw.jsonl")


def test_an_unknown_project_is_named_and_nothing_is_written(engine, out_dir):
    with pytest.raises(NotFound, match='project "ghost" does not exist'):
        export(engine, "ghost", "raw", out_dir / "raw.jsonl")
    assert list(out_dir.iterdir()) == []


def test_an_export_snapshot_does_not_hold_writers_off(engine):
    """Annotators keep submitting while a long export reads (SQLite: a deferred snapshot)."""
    with snapshot(engine) as reader, reader.begin():
        seen = reader.execute(select(func.count()).select_from(audit_events)).scalar_one()
        with engine.begin() as writer:  # would wait out the busy timeout if the reader locked
            writer.execute(insert(audit_events).values(at=utcnow(), action="t", details={}))
        again = reader.execute(select(func.count()).select_from(audit_events)).scalar_one()
    assert seen == again == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_events)).scalar_one() == 1
