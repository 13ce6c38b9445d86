"""The SFT export: each accepted demonstration as a chat conversation with its provenance;
pending, sent back and rejected ones left out; filters by category and rubric score."""

from __future__ import annotations

import pytest

from accord.core.demonstrations import lifecycle
from accord.core.projects.project import get_project
from accord.db.types import utcnow
from accord.exports import export
from accord.exports.options import ExportOptions
from tests.demonstration_helpers import good_review, reviewer, write, writer
from tests.exports.conftest import read_rows
from tests.factories import make_project


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet"])
def test_each_accepted_demonstration_is_the_prompt_and_its_final_text(world, tmp_path, suffix):
    out = tmp_path / f"sft{suffix}"
    report = export(world.engine, "prefs", "sft", out)
    assert read_rows(out) == [
        {
            "messages": [
                {"role": "user", "content": "question demo"},
                {"role": "assistant", "content": f"written by ann{i}"},
            ],
            "task_id": "demo", "category": "summarization", "annotator": f"ann{i}",
            "writer": f"ann{i}", "reviewers": ["editor"], "rounds": 1, "version": 1,
            "edited_by_reviewer": False, "rubric_score": 4.0,
            "scores": [{"dimension": "helpfulness", "score": 4.0},
                       {"dimension": "honesty", "score": 4.0}],
            "guideline_version": 2, "draft_model": None,
        }
        for i in range(3)
    ]
    assert (report.rows, report.tasks) == (3, 1)


def test_a_project_without_demonstrations_exports_no_rows(world, tmp_path):
    report = export(world.engine, "ranks", "sft", tmp_path / "sft.parquet")
    assert report.rows == 0
    assert read_rows(tmp_path / "sft.parquet") == []


def _decide(engine, who, demo, decision, version=1, score=4, **fields):
    with engine.connect() as conn:
        review = good_review(get_project(conn, "sft"), score)
    with engine.begin() as conn:
        lifecycle.decide(conn, who, "sft", demo, version=version, decision=decision,
                         now=utcnow(), **{**review, **fields})


def test_only_accepted_demonstrations_leave_with_their_final_text(engine, tmp_path):
    project = make_project(engine, "sft")
    wendy, rita, rob = (writer(engine, project, "wendy"), reviewer(engine, project, "rita"),
                        reviewer(engine, project, "rob"))
    edited = write(engine, project, wendy, "edited", "Draft text.", category="qa")
    rejected = write(engine, project, wendy, "rejected", "Wrong.", category="qa")
    write(engine, project, wendy, "pending", "Waiting.", category="qa")
    plain = write(engine, project, wendy, "plain", "def f(): pass", category="coding")
    _decide(engine, rita, edited, "send_back", comment="Fuller, please.")
    with engine.begin() as conn:
        lifecycle.revise(conn, wendy, "sft", edited, version=1, text="Draft text, fuller.",
                         now=utcnow())
    _decide(engine, rob, edited, "accept_with_edits", version=2, score=5,
            edited_text="Final text, fuller.")
    _decide(engine, rita, rejected, "reject", comment="Factually wrong.")
    _decide(engine, rita, plain, "accept", score=3)
    out = tmp_path / "sft.jsonl"
    export(engine, "sft", "sft", out)
    rows = {r["task_id"]: r for r in read_rows(out)}
    assert sorted(rows) == ["edited", "plain"]
    final = rows["edited"]
    assert final["messages"][-1] == {"role": "assistant", "content": "Final text, fuller."}
    assert (final["reviewers"], final["rounds"], final["version"],
            final["edited_by_reviewer"], final["rubric_score"]) == (["rita", "rob"], 2, 3,
                                                                   True, 5.0)
    export(engine, "sft", "sft", out, options=ExportOptions(min_score=4))
    assert [r["task_id"] for r in read_rows(out)] == ["edited"]
    export(engine, "sft", "sft", out, options=ExportOptions(categories=("coding",)))
    assert [r["task_id"] for r in read_rows(out)] == ["plain"]
