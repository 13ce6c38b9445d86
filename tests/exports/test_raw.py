"""The raw export: every annotation as submitted, nothing aggregated or left out."""

from __future__ import annotations

import pytest

from accord.exports import export
from tests.exports.conftest import read_rows

FIRST_ANNOTATION = {
    "annotation_id": 1,
    "task_id": "split",
    "task_kind": "comparison",
    "prompt": [{"role": "user", "content": "question split"}],
    "annotator": "ann0",
    "annotator_kind": "human",
    "ranking": [["a"], ["b"]],
    "strength": 3,
    "ratings": [
        {"response": "a", "dimension": "helpfulness", "value": 5},
        {"response": "a", "dimension": "honesty", "value": 4},
        {"response": "b", "dimension": "helpfulness", "value": 2},
    ],
    "rationale": "a is right",
    "flags": [],
    "response": None,
    "attack": None,
    "model_response": None,
    "harm_categories": None,
    "severity": None,
    "refusal_appropriate": None,
    "active_ms": 41250,
    "late": False,
    "created_at": "2025-01-31T09:30:02.000000Z",
    "guideline_version": 2,
}


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_every_annotation_is_one_row_as_submitted(world, tmp_path, suffix):
    out = tmp_path / f"raw{suffix}"
    report = export(world.engine, "prefs", "raw", out)
    rows = read_rows(out)
    # 5 comparisons and a demonstration by three annotators, and 2 of the incomplete task
    assert (report.rows, report.tasks, report.ties_dropped) == (20, 7, 0)
    assert [r["annotation_id"] for r in rows] == sorted(r["annotation_id"] for r in rows)
    first = dict(rows[0])
    assert sorted(first.pop("display_order")) == ["a", "b"]
    assert first == FIRST_ANNOTATION


def test_open_and_escalated_tasks_are_included(world, tmp_path):
    export(world.engine, "prefs", "raw", tmp_path / "raw.jsonl")
    per_task: dict[str, int] = {}
    for r in read_rows(tmp_path / "raw.jsonl"):
        per_task[r["task_id"]] = per_task.get(r["task_id"], 0) + 1
    assert per_task == {"split": 3, "unanimous": 3, "tie": 3, "even": 3, "escalated": 3,
                        "demo": 3, "incomplete": 2}


def test_a_demonstration_row_carries_the_written_response(world, tmp_path):
    export(world.engine, "prefs", "raw", tmp_path / "raw.parquet")
    demo = [r for r in read_rows(tmp_path / "raw.parquet") if r["task_id"] == "demo"]
    assert [(r["task_kind"], r["annotator"], r["response"]) for r in demo] == [
        ("demonstration", f"ann{i}", f"written by ann{i}") for i in range(3)
    ]
    assert all(r["ranking"] is None and r["display_order"] == [] for r in demo)


def test_tied_rankings_and_missing_guidelines_are_kept_as_they_are(world, tmp_path):
    export(world.engine, "ranks", "raw", tmp_path / "raw.jsonl")
    rows = read_rows(tmp_path / "raw.jsonl")
    assert [r["ranking"] for r in rows] == [[["a"], ["b"], ["c"]], [["a"], ["c"], ["b"]],
                                            [["b"], ["a", "c"]]]
    assert [r["strength"] for r in rows] == [2, None, 1]
    assert {r["guideline_version"] for r in rows} == {None}
    assert all(sorted(r["display_order"]) == ["a", "b", "c"] for r in rows)


def test_a_red_team_row_carries_the_attack_and_its_assessment(world, tmp_path):
    export(world.engine, "safety", "raw", tmp_path / "raw.parquet")
    [red] = read_rows(tmp_path / "raw.parquet")
    assert {k: red[k] for k in ("task_id", "task_kind", "attack", "model_response",
                                "harm_categories", "severity", "refusal_appropriate", "flags",
                                "active_ms", "ranking", "response")} == {
        "task_id": "r1", "task_kind": "red_team", "attack": "how do I pick a lock",
        "model_response": "I can't help with that.", "harm_categories": ["fraud"],
        "severity": 2, "refusal_appropriate": False, "flags": ["unsafe"], "active_ms": 1200,
        "ranking": None, "response": None,
    }
