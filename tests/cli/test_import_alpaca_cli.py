"""``accord import --format alpaca-eval``: counts on stdout, invalid records on stderr."""

from __future__ import annotations

import json

import orjson

from tests.factories import make_project


def _file(tmp_path, preferences: list) -> str:
    records = [{"instruction": f"q{i}", "output_1": "ref", "generator_1": "reference",
                "output_2": f"answer {i}", "generator_2": "model-x", "annotator": "judge-1",
                "preference": p, "time_per_example": 0.2}
               for i, p in enumerate(preferences)]
    path = tmp_path / "model-x_annotations.json"
    path.write_text(json.dumps(records))
    return str(path)


def test_an_alpaca_eval_file_is_imported_and_reported(engine, run, tmp_path):
    make_project(engine, "judged", overlap=1, allow_ties=True)
    path = _file(tmp_path, [1.9, None, 1.1])

    first = run("judged", path, "--format", "alpaca-eval", "--quiet")
    again = run("judged", path, "--format", "alpaca-eval", "--json")

    assert first.exit_code == 0, first.output
    assert first.stdout == ("model-x_annotations.json → judged: 3 tasks new, 0 unchanged; "
                            "2 annotations new, 0 unchanged; 1 record without a preference "
                            "(task only)\n")
    assert "records without a preference, imported as tasks only: 1" in first.stderr
    report = orjson.loads(again.stdout)
    assert report["tasks"] == {"new": 0, "unchanged": 3}
    assert report["annotations"] == {"new": 0, "unchanged": 2}
    assert report["unjudged_records"] == [1]


def test_invalid_records_are_named_and_exit_1(engine, run, tmp_path):
    make_project(engine, "judged", overlap=1, allow_ties=True)

    result = run("judged", _file(tmp_path, [1.9, "abc"]), "--format", "alpaca-eval")

    assert result.exit_code == 1
    assert 'record 1: preference "abc" is not a number' in result.stderr
    assert "nothing imported" in result.stderr


def test_unknown_format_and_update_are_refused(engine, run, tmp_path):
    make_project(engine, "judged", overlap=1, allow_ties=True)
    path = _file(tmp_path, [1.9])

    unknown = run("judged", path, "--format", "csv")
    update = run("judged", path, "--format", "alpaca-eval", "--update")

    assert unknown.exit_code == 1 and "--format must be one of jsonl, alpaca-eval" in unknown.stderr
    assert update.exit_code == 1 and "--update applies to --format jsonl only" in update.stderr
