"""Exports keep AI and human labels apart: a task the AI judge settled is exported with the
judge's label as ``ai_judge``; on a task people judged, the judge's verdict never counts."""

from __future__ import annotations

from sqlalchemy import Engine

from accord.core.exporting.streams import snapshot
from accord.core.projects.project import get_project
from accord.exports import preference_rows
from tests.factories import make_user
from tests.llm.test_hybrid import annotate, planted, route


def exported(engine: Engine, name: str) -> dict[str, dict]:
    with snapshot(engine) as conn:
        project = get_project(conn, name)
        return {row["task_id"]: row for row in preference_rows(conn, project)}


def test_settled_tasks_carry_the_judges_label_and_people_never_share_theirs(engine, fake_openai):
    project = planted(engine, fake_openai)
    routing = route(engine, project)
    assert routing["settled"] == 2  # calm-1 and calm-2: qa, sure and consistent
    people = [make_user(engine, f"person-{i}", project=project, roles=("annotator",)).user
              for i in range(2)]
    for person in people:  # both prefer "a"; the judge preferred the longer "b" everywhere
        while annotate(engine, project, person, ranking=(("a",), ("b",))) is not None:
            pass

    rows = exported(engine, project.name)

    # flagged-1: the flagger's b against a person's a, an even split: no row.
    assert sorted(rows) == ["calm-1", "calm-2", "split-1", "unsafe-1", "unsure-1"]
    for task in ("calm-1", "calm-2"):
        assert rows[task]["source"] == "ai_judge"
        assert rows[task]["chosen"][0]["content"] == f"longer answer b to {task}"
        assert rows[task]["n_annotators"] == 1
    for task in ("split-1", "unsafe-1", "unsure-1"):
        assert rows[task]["source"] == "human"
        assert rows[task]["chosen"][0]["content"] == f"answer a to {task}"
        assert (rows[task]["n_annotators"], rows[task]["agreement"]) == (2, 1.0)


def test_a_judge_verdict_alone_is_not_exported_until_the_task_is_settled(engine, fake_openai):
    project = planted(engine, fake_openai)
    assert exported(engine, project.name) == {}
