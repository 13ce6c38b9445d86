"""Importing the same ids again: nothing new, changes refused unless asked for, and then only
while nobody has worked on the task."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import ImportRejected
from accord.core.importing import import_file
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import prompts, responses, task_expertise, task_responses, tasks
from accord.db.types import utcnow
from tests.core.import_helpers import comparison, row_counts, write_jsonl
from tests.factories import make_project, make_user


@pytest.fixture
def project(engine):
    return make_project(engine)


def stored(engine, external_id):
    with engine.connect() as conn:
        task = conn.execute(select(tasks).where(tasks.c.external_id == external_id)).one()
        prompt = conn.execute(select(prompts).where(prompts.c.id == task.prompt_id)).one()
        contents = conn.execute(
            select(responses.c.external_id, responses.c.content)
            .join(task_responses, task_responses.c.response_id == responses.c.id)
            .where(task_responses.c.task_id == task.id).order_by(task_responses.c.position)
        ).all()
        tags = conn.execute(
            select(task_expertise.c.tag).where(task_expertise.c.task_id == task.id)
        ).scalars().all()
    return task, prompt, [tuple(r) for r in contents], sorted(tags)


def test_reimporting_the_same_file_adds_nothing(engine, project, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", [comparison(f"q-{i}") for i in range(5)])
    first = import_file(engine, project, path)
    before = row_counts(engine)

    again = import_file(engine, project, path)

    assert (first.new, first.unchanged) == (5, 0)
    assert (again.new, again.unchanged, again.updated) == (0, 5, 0)
    assert again.summary() == "0 new, 5 unchanged"
    assert row_counts(engine) == before


def test_a_file_with_some_new_items_adds_only_those(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")]))
    report = import_file(engine, project, write_jsonl(
        tmp_path / "b.jsonl", [comparison("q-1"), comparison("q-2")]))
    assert (report.new, report.unchanged) == (1, 1)


def test_changed_content_under_a_known_id_is_an_invalid_line(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("q-17")]))
    before = row_counts(engine)
    changed = comparison("q-17", category="coding")

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, write_jsonl(
            tmp_path / "b.jsonl", [comparison("q-18"), changed]))

    assert rejected.value.details == [
        (2, "id q-17 exists with different content; use --update to replace it")
    ]
    assert row_counts(engine) == before


def test_update_changes_category_domains_metadata_and_priority(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")]))
    changed = comparison("q-1", category="coding", domains=["coding", "legal"],
                         metadata={"round": 2}, priority=9)

    report = import_file(engine, project, write_jsonl(tmp_path / "b.jsonl", [changed]),
                         update=True)

    assert (report.new, report.unchanged, report.updated) == (0, 0, 1)
    task, prompt, _, tags = stored(engine, "q-1")
    assert (task.priority, task.metadata, task.requires_expertise) == (9, {"round": 2}, True)
    assert (prompt.category, prompt.domains) == ("coding", ["coding", "legal"])
    assert tags == ["coding", "legal"]
    assert task.content_hash == prompt.content_hash
    again = import_file(engine, project, tmp_path / "b.jsonl", update=True)
    assert (again.updated, again.unchanged) == (0, 1)


def test_update_replaces_responses_of_a_task_nobody_has_worked_on(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")]))
    changed = comparison("q-1", responses=[{"id": "x", "content": "new x"},
                                           {"id": "y", "content": "new y"}],
                         gold={"ranking": [["y"], ["x"]]})

    import_file(engine, project, write_jsonl(tmp_path / "b.jsonl", [changed]), update=True)

    task, _, contents, _ = stored(engine, "q-1")
    assert contents == [("x", "new x"), ("y", "new y")]
    assert task.is_gold and task.gold_answer == {"ranking": [["y"], ["x"]]}
    assert row_counts(engine)["responses"] == 2


def test_update_may_not_change_responses_once_a_task_is_annotated(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")]))
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        claim = claims.claim_next(conn, project, annotator, utcnow())
        submissions.submit(conn, annotator, claim.assignment_id,
                           Judgment(ranking=[["a"], ["b"]], strength=2), utcnow())
    before = row_counts(engine)
    new_responses = comparison("q-1", responses=[{"id": "a", "content": "rewritten"},
                                                 {"id": "b", "content": "answer b"}])

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, write_jsonl(tmp_path / "b.jsonl", [new_responses]),
                    update=True)

    [(line, reason)] = rejected.value.details
    assert line == 1
    assert reason.startswith("id q-1 has 1 annotation (1 assignment)")
    assert row_counts(engine) == before
    relabelled = comparison("q-1", category="coding", priority=3)
    report = import_file(engine, project, write_jsonl(tmp_path / "c.jsonl", [relabelled]),
                         update=True)
    assert report.updated == 1
    task, prompt, contents, _ = stored(engine, "q-1")
    assert (prompt.category, task.priority) == ("coding", 3)
    assert contents == [("a", "answer a to q-1"), ("b", "answer b to q-1")]


def test_a_known_id_cannot_change_its_kind_even_with_update(engine, project, tmp_path):
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [comparison("x-1")]))
    as_prompt = {"id": "x-1", "kind": "prompt", "prompt": "hello"}

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, write_jsonl(tmp_path / "b.jsonl", [as_prompt]),
                    update=True)
    assert rejected.value.details == [
        (1, "id x-1 exists as a comparison task; it cannot become a pool prompt")
    ]


def test_update_replaces_a_pool_prompt(engine, project, tmp_path):
    line = {"id": "p-1", "kind": "prompt", "prompt": "first"}
    import_file(engine, project, write_jsonl(tmp_path / "a.jsonl", [line]))
    line["prompt"] = "second"
    report = import_file(engine, project, write_jsonl(tmp_path / "b.jsonl", [line]), update=True)
    assert report.updated == 1
    with engine.connect() as conn:
        messages = conn.execute(select(prompts.c.messages)).scalar_one()
    assert messages == [{"role": "user", "content": "second"}]


def test_ids_are_per_project(engine, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [comparison("q-1")])
    first, second = make_project(engine, "first"), make_project(engine, "second")
    assert import_file(engine, first, path).new == 1
    assert import_file(engine, second, path).new == 1
