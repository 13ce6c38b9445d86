"""``accord import --labelled`` and ``--format oasst``: labels kept as imported annotations."""

from __future__ import annotations

import orjson

from tests.factories import make_project


def test_trl_rows_import_with_their_labels_under_a_named_source(engine, run, tmp_path):
    make_project(engine, "prefs", overlap=1)
    path = tmp_path / "rows.jsonl"
    path.write_bytes(orjson.dumps({"prompt": "2+2?", "chosen": "4", "rejected": "5"}) + b"\n")

    result = run("prefs", str(path), "--labelled", "--source", "hh-rlhf", "--json")

    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert report["tasks"] == {"new": 1, "unchanged": 0}
    assert report["annotations"] == {"new": 1, "unchanged": 0}


def test_oasst_trees_import_as_kway_tasks(engine, run, shared_data):
    make_project(engine, "oasst", overlap=1, ranking_mode="kway")

    result = run("oasst", str(shared_data / "oasst/en_100_tree.jsonl"), "--format", "oasst",
                 "--json")

    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["annotations"]["new"] == 212


def test_source_without_labelled_is_refused(engine, run, tmp_path):
    make_project(engine, "prefs", overlap=1)
    path = tmp_path / "rows.jsonl"
    path.write_bytes(b"{}\n")

    result = run("prefs", str(path), "--source", "x")

    assert result.exit_code != 0
    assert "--source names the annotator of --labelled imports only" in result.stderr
