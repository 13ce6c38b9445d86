"""Each kind of import line becomes the rows it should: prompts, responses, tasks and links."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.errors import ImportRejected, InvalidInput
from accord.core.importing import import_file, import_items
from accord.core.work import claims
from accord.db.tables import QUEUE_FRESH, prompts, responses, task_expertise, task_responses, tasks
from accord.db.types import utcnow
from tests.core.import_helpers import comparison, row_counts, write_jsonl
from tests.factories import make_project, make_user


def task_row(engine, external_id):
    with engine.connect() as conn:
        return conn.execute(select(tasks).where(tasks.c.external_id == external_id)).one()


def prompt_row(engine, external_id):
    with engine.connect() as conn:
        return conn.execute(select(prompts).where(prompts.c.external_id == external_id)).one()


def responses_of(engine, task_id):
    with engine.connect() as conn:
        return conn.execute(
            select(responses.c.external_id, responses.c.content, responses.c.model,
                   responses.c.sampling, responses.c.origin, task_responses.c.position)
            .join(task_responses, task_responses.c.response_id == responses.c.id)
            .where(task_responses.c.task_id == task_id)
            .order_by(task_responses.c.position)
        ).all()


def test_a_comparison_becomes_a_prompt_its_responses_and_a_task(engine, tmp_path):
    project = make_project(engine, overlap=2)
    line = comparison(
        "q-17", domains=["coding"], metadata={"batch": 4}, priority=5,
        responses=[
            {"id": "a", "content": "first", "model": "m-1", "sampling": {"temperature": 0.7}},
            {"id": "b", "content": "second", "model": "m-2"},
        ],
    )
    report = import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    assert (report.new, report.unchanged, report.invalid) == (1, 0, 0)
    task = task_row(engine, "q-17")
    assert (task.kind, task.overlap, task.priority, task.status) == ("comparison", 2, 5, "open")
    assert (task.taken, task.submitted, task.queue) == (0, 0, QUEUE_FRESH)
    assert task.metadata == {"batch": 4}
    assert task.requires_expertise and not task.is_gold and task.gold_answer is None
    assert len(task.content_hash) == 64
    prompt = prompt_row(engine, "q-17")
    assert prompt.id == task.prompt_id
    assert prompt.messages == [{"role": "user", "content": "question q-17"}]
    assert (prompt.category, prompt.domains, prompt.source) == ("qa", ["coding"], "items.jsonl")
    assert prompt.content_hash == task.content_hash
    assert responses_of(engine, task.id) == [
        ("a", "first", "m-1", {"temperature": 0.7}, "imported", 0),
        ("b", "second", "m-2", {}, "imported", 1),
    ]
    with engine.connect() as conn:
        tags = conn.execute(select(task_expertise.c.tag).where(task_expertise.c.task_id == task.id))
        assert [t[0] for t in tags] == ["coding"]


def test_a_prompt_string_stands_for_one_user_message_and_kind_defaults_to_comparison(
    engine, tmp_path
):
    project = make_project(engine)
    line = comparison("q-1", prompt="Why is the sky blue?")
    del line["messages"], line["kind"]
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    task = task_row(engine, "q-1")
    assert task.kind == "comparison" and not task.requires_expertise
    assert prompt_row(engine, "q-1").messages == [
        {"role": "user", "content": "Why is the sky blue?"}
    ]


def test_a_demonstration_is_a_task_without_responses(engine, tmp_path):
    project = make_project(engine)
    line = {"id": "d-3", "kind": "demonstration", "prompt": "Summarise this.",
            "category": "summarization"}
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    task = task_row(engine, "d-3")
    assert task.kind == "demonstration"
    assert responses_of(engine, task.id) == []
    assert prompt_row(engine, "d-3").category == "summarization"


def test_a_red_team_item_prompts_with_its_topic_and_keeps_its_seed(engine, tmp_path):
    project = make_project(engine)
    line = {"id": "r-9", "kind": "red_team", "topic": "ways to pick a lock",
            "model_response": "I can't help with that.", "category": "safety"}
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    task = task_row(engine, "r-9")
    prompt = prompt_row(engine, "r-9")
    assert task.kind == "red_team"
    assert prompt.messages == [{"role": "user", "content": "ways to pick a lock"}]
    assert prompt.metadata == {"red_team": {"topic": "ways to pick a lock",
                                            "model_response": "I can't help with that."}}


def test_a_prompt_line_adds_only_a_prompt_to_the_pool(engine, tmp_path):
    project = make_project(engine)
    line = {"id": "p-4", "kind": "prompt", "prompt": "Prove that √2 is irrational.",
            "category": "reasoning", "domains": ["stem.math"], "metadata": {"source": "x"}}
    report = import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    assert report.new == 1
    assert row_counts(engine) == {"prompts": 1, "responses": 0, "tasks": 0,
                                  "task_responses": 0, "task_expertise": 0}
    prompt = prompt_row(engine, "p-4")
    assert (prompt.category, prompt.domains, prompt.metadata) == (
        "reasoning", ["stem.math"], {"source": "x"})


def test_a_gold_ranking_marks_a_calibration_item(engine, tmp_path):
    project = make_project(engine)
    gold = {"ranking": [["b"], ["a"]], "explanation": "b is correct"}
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl",
                                             [comparison("g-1", gold=gold)]))

    task = task_row(engine, "g-1")
    assert task.is_gold
    assert task.gold_answer == gold


def test_a_kway_project_takes_more_than_two_responses(engine, tmp_path):
    project = make_project(engine, ranking_mode="kway", allow_ties=True)
    line = comparison("k-1", responses=[{"id": rid, "content": rid} for rid in "abcd"],
                      gold={"ranking": [["c"], ["a", "b"], ["d"]]})
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))

    assert [r.external_id for r in responses_of(engine, task_row(engine, "k-1").id)] == list(
        "abcd")


def test_a_pairwise_project_refuses_three_responses_and_points_to_kway(engine, tmp_path):
    project = make_project(engine, ranking_mode="pairwise")
    line = comparison("k-1", responses=[{"id": rid, "content": rid} for rid in "abc"])

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [line]))
    assert "line 1: has 3 responses, but project prefs is pairwise" in rejected.value.message
    assert "K-way" in rejected.value.message


def test_tasks_keep_the_order_of_the_file(engine, tmp_path):
    project = make_project(engine)
    rows = [comparison(f"q-{n}") for n in (3, 1, 2)]
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", rows), batch_size=2)

    with engine.connect() as conn:
        order = conn.execute(select(tasks.c.external_id).order_by(tasks.c.id)).scalars().all()
    assert order == ["q-3", "q-1", "q-2"]


def test_python_dicts_import_like_lines_and_are_named_items_in_errors(engine):
    project = make_project(engine)
    report = import_items(engine, project, [comparison("q-1"), comparison("q-2")])
    assert report.new == 2

    with pytest.raises(ImportRejected) as rejected:
        import_items(engine, project, [comparison("q-3"), {"id": "q-4", "prompt": 3}])
    assert "item 2: " in rejected.value.message
    assert row_counts(engine)["tasks"] == 2


def test_import_items_refuses_a_one_shot_iterator(engine):
    project = make_project(engine)
    with pytest.raises(TypeError, match="read only once"):
        import_items(engine, project, iter([comparison("q-1")]))
    assert import_items(engine, project, lambda: iter([comparison("q-1")])).new == 1


def test_the_project_may_be_named(engine, tmp_path):
    make_project(engine, "named")
    report = import_file(engine, "named", write_jsonl(tmp_path / "i.jsonl", [comparison("q")]))
    assert report.new == 1


def test_an_imported_comparison_can_be_claimed_and_shows_its_responses(engine, tmp_path):
    project = make_project(engine)
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", [comparison("q-1")]))
    annotator = make_user(engine, "ann", project=project, roles=("annotator",)).user

    with engine.begin() as conn:
        claim = claims.claim_next(conn, project, annotator, utcnow())

    assert claim.task.id == "q-1"
    assert sorted(r.content for r in claim.task.responses) == [
        "answer a to q-1", "answer b to q-1"]


def test_a_file_that_cannot_be_read_is_an_invalid_input(engine, tmp_path):
    project = make_project(engine)
    with pytest.raises(InvalidInput, match="cannot read"):
        import_file(engine, project, tmp_path / "absent.jsonl")
