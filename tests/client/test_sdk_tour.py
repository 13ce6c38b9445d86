"""docs/sdk.md runs as written: every Python block, in order, against a live server with the
demo project, on SQLite and on PostgreSQL, with the variables its shell blocks export."""

from __future__ import annotations

from sqlalchemy import func, select

from accord.db.tables import annotations, assignments, users
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
            "The audit trail", "The same from asyncio"} <= set(sections)

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
    assert names == ["demo"] and annotation_count == people and events
    printed = capsys.readouterr().out
    assert "not_found" in printed and 'project "no-such-project"' in printed
