"""``accord import``: a report on stdout, invalid lines on stderr, exit status 1 on rejection."""

from __future__ import annotations

import gzip

import orjson

from tests.core.import_helpers import comparison, row_counts, write_jsonl
from tests.core.malformed.corpus import good, lines
from tests.factories import make_project


def test_import_prints_what_it_did(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = write_jsonl(tmp_path / "items.jsonl", [comparison("q-1"), comparison("q-2")])

    first = run("prefs", str(path), "--quiet")
    again = run("prefs", str(path))

    assert first.exit_code == 0, first.output
    assert first.stdout == "items.jsonl → prefs: 2 new, 0 unchanged\n"
    assert again.stdout == "items.jsonl → prefs: 0 new, 2 unchanged\n"


def test_json_output_is_one_object_with_the_counts(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = write_jsonl(tmp_path / "items.jsonl", [comparison("q-1")])

    result = run("prefs", str(path), "--json")

    assert result.exit_code == 0, result.output
    report = orjson.loads(result.stdout)
    assert {k: report[k] for k in ("new", "unchanged", "updated", "invalid")} == {
        "new": 1, "unchanged": 0, "updated": 0, "invalid": 0}
    assert report["errors"] == [] and report["project"] == "prefs"


def test_invalid_lines_go_to_stderr_and_nothing_is_imported(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(good("q-1"), b"[1]", good("q-1"), b'{"id": "x", "prompt": NaN}'))

    result = run("prefs", str(path), "--json")

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: 3 invalid lines; nothing imported:",
        "line 2: must be a JSON object, not an array",
        "line 3: id q-1 is already used on line 1",
        "line 4: is not valid JSON: NaN is not a JSON number (column 23)",
    ]
    assert row_counts(engine)["tasks"] == 0


def test_skip_invalid_imports_the_rest_and_lists_what_it_skipped(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(good("q-1"), b"{", good("q-3")))

    result = run("prefs", str(path), "--skip-invalid")

    assert result.exit_code == 0, result.output
    assert result.stdout == "items.jsonl → prefs: 2 new, 0 unchanged, 1 invalid line skipped\n"
    assert result.stderr.startswith("line 2: is not valid JSON")
    assert row_counts(engine)["tasks"] == 2


def test_changed_content_needs_update(engine, run, tmp_path):
    make_project(engine, "prefs")
    run("prefs", str(write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")])))
    changed = write_jsonl(tmp_path / "b.jsonl", [comparison("q-1", priority=4)])

    refused = run("prefs", str(changed))
    updated = run("prefs", str(changed), "--update", "--json")

    assert refused.exit_code == 1
    assert "line 1: id q-1 exists with different content; use --update" in refused.stderr
    assert orjson.loads(updated.stdout)["updated"] == 1


def test_a_long_line_limit_is_an_option(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = tmp_path / "items.jsonl"
    path.write_bytes(lines(good("q-1")))

    result = run("prefs", str(path), "--max-line-bytes", "10")

    assert result.exit_code == 1
    assert "over the maximum of 10 (raise it with --max-line-bytes)" in result.stderr


def test_gzip_files_are_read_transparently(engine, run, tmp_path):
    make_project(engine, "prefs")
    path = tmp_path / "items.jsonl.gz"
    path.write_bytes(gzip.compress(lines(good("q-1"), good("q-2"))))

    result = run("prefs", str(path), "--json")

    assert result.exit_code == 0, result.output
    assert orjson.loads(result.stdout)["new"] == 2


def test_an_unknown_project_is_one_line_and_exit_1(run, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", [comparison("q-1")])
    result = run("nope", str(path))
    assert result.exit_code == 1
    assert result.stderr == 'error: project "nope" does not exist\n'


def test_a_missing_file_is_refused_before_anything_runs(run, tmp_path):
    result = run("prefs", str(tmp_path / "absent.jsonl"))
    assert result.exit_code != 0
    assert "absent.jsonl" in result.stderr and "does not exist" in result.stderr
