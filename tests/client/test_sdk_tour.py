"""docs/sdk.md runs as written: every Python block, in order, against a live server with the
demo project, on SQLite and on PostgreSQL, with the variables its shell blocks export."""

from __future__ import annotations

from sqlalchemy import func, select

from accord.db.tables import annotations, assignments, projects, tasks, users
from tests.client.tour import python_blocks, run_blocks


def _annotations_by(engine, name: str) -> int:
    with engine.connect() as conn:
        return conn.execute(
            select(func.count()).select_from(annotations)
            .join(assignments, assignments.c.id == annotations.c.assignment_id)
            .join(users, users.c.id == assignments.c.annotator_id)
            .where(users.c.name == name)).scalar_one()


def test_the_sdk_tour_runs_block_by_block_against_a_live_server(live_demo, monkeypatch, capsys):
    tokens = live_demo.tokens
    monkeypatch.setenv("ACCORD_URL", live_demo.base)
    monkeypatch.setenv("ACCORD_TOKEN", tokens["admin"])
    monkeypatch.setenv("JUDGE_TOKEN", tokens["judge-1"])
    monkeypatch.setenv("ANNOTATOR_TOKENS",
                       ",".join(f"{name}={tokens[name]}" for name in ("ann1", "ann2", "ann3")))
    blocks = python_blocks()
    sections = [section for section, _ in blocks]
    assert sections[:3] == ["Connect", "List projects", "Annotators working from their own tool"]
    assert {"Work through the loop as an external judge", "Read the report", "The digest",
            "The audit trail", "The same from asyncio", "Run a project of your own",
            "Import a file and a DataFrame", "Work through the new project",
            "Export for training"} <= set(sections)

    namespace: dict = {"__name__": "sdk_tour"}
    run_blocks(blocks, namespace)

    assert namespace["me"].name == "admin"
    judged = namespace["judged"]
    assert judged > 0 and namespace["skipped"] > 0
    assert _annotations_by(live_demo.engine, "judge-1") == judged
    assert namespace["loop"].wait is None
    people = sum(_annotations_by(live_demo.engine, name) for name in ("ann1", "ann2", "ann3"))
    report = namespace["report"]
    assert report.counts.annotations == people > 0
    assert report.counts.ai_annotations == judged
    assert namespace["with_judges"].counts.annotations == people + judged
    assert namespace["digest"].entries, "the three stand-ins disagree on finished tasks"
    assert namespace["first_guideline"].action == "guideline.published"
    names, annotation_count, events = namespace["asyncio"].run(namespace["overview"]())
    assert names == ["demo", "helpful-v2"] and annotation_count == people and events
    _the_new_project_went_from_upload_to_dataset(namespace, live_demo.engine)
    printed = capsys.readouterr().out
    assert "not_found" in printed and 'project "no-such-project"' in printed


def _tasks_of(engine, project: str) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(tasks).join(
            projects, projects.c.id == tasks.c.project_id)
            .where(projects.c.name == project)).scalar_one()


def _the_new_project_went_from_upload_to_dataset(namespace: dict, engine) -> None:
    """The administration, import and export sections did what they print."""
    assert namespace["team"].overlap == 2
    assert {"ana": ["annotator"], "bo": ["annotator"]}.items() <= namespace["members"].items()
    assert namespace["invite"].roles == ["reviewer"]
    assert namespace["from_file"].report.new == 6
    assert namespace["from_frame"].report.new == 3
    assert namespace["from_frame"].file_name == "dataframe.parquet"
    failed = namespace["failed"]
    assert [(e.unit, e.number) for e in failed.errors] == [("line", 1), ("line", 2)]
    assert "line 2:" in str(failed) and failed.job.status == "failed"
    assert _tasks_of(engine, "helpful-v2") == 9, "each item imported once, nothing broken"
    dataset = namespace["dataset"]
    assert len(dataset) == 9 and {"prompt", "chosen", "rejected"} <= set(dataset.column_names)
    for row in dataset:
        assert len(row["chosen"][-1]["content"]) > len(row["rejected"][-1]["content"])
    assert len(namespace["agreed"]) == 9 and len(namespace["table"]) == 9
    split = {f.name: f.rows for f in namespace["export"].files}
    assert set(split) == {"helpful-v2.preference.train.jsonl",
                          "helpful-v2.preference.test.jsonl"}
    assert sum(split.values()) == 9
    assert namespace["train"].name == "helpful-v2.preference.train.jsonl"
    assert len(namespace["test_rows"]) == split["helpful-v2.preference.test.jsonl"]
