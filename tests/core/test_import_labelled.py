"""Data sets imported with their labels: the labels become an ``imported`` annotator's
annotations, and the exports give the source's pairs back."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import ImportRejected
from accord.core.importing import import_file
from accord.db.tables import tasks, users
from accord.exports import export
from accord.exports.hygiene import prompt_key
from tests.core.import_helpers import write_jsonl
from tests.exports.conftest import read_rows
from tests.factories import make_project

HH_FILE = "hh_rlhf/harmless-base-test.jsonl.gz"
OASST_FILE = "oasst/en_100_tree.jsonl"


def test_hh_rlhf_imports_all_2312_labelled_rows_and_exports_them(engine, shared_data, tmp_path):
    project = make_project(engine, overlap=1)

    report = import_file(engine, project, shared_data / HH_FILE, source="hh-rlhf", labelled=True)

    assert (report.new, report.annotations_new, report.invalid) == (2312, 2312, 0)
    with engine.connect() as conn:
        kind = conn.execute(select(users.c.kind).where(users.c.name == "source.hh-rlhf")).one()
        statuses = set(conn.execute(select(tasks.c.status)).scalars())
    assert kind == ("imported",) and statuses == {"complete"}
    out = tmp_path / "hh.jsonl"
    written = export(engine, project, "preference", out)
    rows = read_rows(out)
    assert written.rows == 2312
    assert all(r["chosen"] != r["rejected"] for r in rows)
    assert {r["source"] for r in rows} == {"imported"}
    _assert_split_never_leaks(engine, project, tmp_path, 2312)


def test_oasst_trees_give_212_ranked_tasks_and_754_pairs(engine, shared_data, tmp_path):
    project = make_project(engine, overlap=1, ranking_mode="kway")

    report = import_file(engine, project, shared_data / OASST_FILE, file_format="oasst")

    assert (report.new, report.annotations_new) == (212, 212)
    out = tmp_path / "oasst.parquet"
    assert export(engine, project, "preference", out).rows == 754
    rows = read_rows(out)
    assert all(r["chosen"] != r["rejected"] for r in rows)
    assert all(r["prompt"][-1]["role"] == "user" for r in rows)
    _assert_split_never_leaks(engine, project, tmp_path, 754)


def _assert_split_never_leaks(engine, project, tmp_path, total: int) -> None:
    """Split 10 % by prompt: the written files hold every pair, and no prompt is in both."""
    report = export(engine, project, "preference", tmp_path / "split.jsonl", split=0.1)
    train = read_rows(tmp_path / "split.train.jsonl")
    test = read_rows(tmp_path / "split.test.jsonl")
    assert len(train) + len(test) == report.rows == total
    assert 0 < len(test) < len(train)
    keys = {side: {prompt_key(r["prompt"]) for r in rows}
            for side, rows in (("train", train), ("test", test))}
    assert not keys["train"] & keys["test"]
    assert not {str(r["prompt"]) for r in train} & {str(r["prompt"]) for r in test}


def test_importing_again_adds_nothing(engine, shared_data):
    project = make_project(engine, overlap=1, ranking_mode="kway")
    import_file(engine, project, shared_data / OASST_FILE, file_format="oasst")

    again = import_file(engine, project, shared_data / OASST_FILE, file_format="oasst")

    assert (again.new, again.unchanged, again.annotations_new) == (0, 212, 0)


def test_a_pairwise_project_refuses_oasst_groups_of_three(engine, shared_data):
    project = make_project(engine, overlap=1)
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, shared_data / OASST_FILE, file_format="oasst")
    assert "need a K-way project" in rejected.value.details[0][1]


def test_labels_take_an_overlap_slot_and_wait_for_more_annotators(engine, tmp_path):
    project = make_project(engine, overlap=3)
    path = write_jsonl(tmp_path / "rows.jsonl", [
        {"prompt": "2+2?", "chosen": "4", "rejected": "5"},
    ])

    import_file(engine, project, path, labelled=True)

    with engine.connect() as conn:
        task = conn.execute(select(tasks.c.status, tasks.c.submitted, tasks.c.taken)).one()
    assert tuple(task) == ("open", 1, 1)
