"""TRL preference rows become comparisons that do not reveal which response was chosen."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.core.errors import ImportRejected
from accord.core.importing import import_file, import_items
from accord.db.tables import prompts, responses, task_responses, tasks
from tests.core.import_helpers import write_jsonl
from tests.factories import make_project

HH_FILE = "hh_rlhf/harmless-base-test.jsonl.gz"


def comparison_of(engine, external_id=None):
    """(messages, {response id: content}, metadata) of the only task or the one named."""
    with engine.connect() as conn:
        query = select(tasks.c.id, tasks.c.metadata, prompts.c.messages).join(
            prompts, prompts.c.id == tasks.c.prompt_id)
        if external_id is not None:
            query = query.where(tasks.c.external_id == external_id)
        task = conn.execute(query).one()
        contents = conn.execute(
            select(responses.c.external_id, responses.c.content)
            .join(task_responses, task_responses.c.response_id == responses.c.id)
            .where(task_responses.c.task_id == task.id)
        ).all()
    return task.messages, dict(contents), task.metadata


def chosen_text(contents: dict, metadata: dict) -> str:
    return contents[metadata["source_label"]["chosen"]]


def test_a_standard_row_with_a_prompt(engine):
    project = make_project(engine)
    import_items(engine, project, [{"prompt": "The sky is", "chosen": " blue.",
                                    "rejected": " green."}])

    messages, contents, metadata = comparison_of(engine)
    assert messages == [{"role": "user", "content": "The sky is"}]
    assert sorted(contents) == ["a", "b"]
    assert chosen_text(contents, metadata) == " blue."
    assert set(contents.values()) == {" blue.", " green."}


def test_a_conversational_row_with_a_prompt(engine):
    project = make_project(engine)
    row = {"prompt": [{"role": "system", "content": "Be brief."},
                      {"role": "user", "content": "Capital of France?"}],
           "chosen": [{"role": "assistant", "content": "Paris."}],
           "rejected": [{"role": "assistant", "content": "Lyon."}],
           "score_chosen": 9.0, "score_rejected": 3.5}
    import_items(engine, project, [row])

    messages, contents, metadata = comparison_of(engine)
    assert messages == row["prompt"]
    assert chosen_text(contents, metadata) == "Paris."
    assert metadata["source_label"]["score_chosen"] == 9.0


def test_a_conversational_row_without_prompt_shares_its_longest_common_prefix(engine):
    project = make_project(engine)
    shared = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"},
              {"role": "user", "content": "2+2?"}]
    import_items(engine, project, [{
        "chosen": [*shared, {"role": "assistant", "content": "4"}],
        "rejected": [*shared, {"role": "assistant", "content": "5"}],
    }])

    messages, contents, metadata = comparison_of(engine)
    assert messages == shared
    assert chosen_text(contents, metadata) == "4"


def test_an_hh_dialogue_splits_at_the_last_assistant_turn(engine):
    project = make_project(engine)
    dialogue = "\n\nHuman: hi\n\nAssistant: hello\n\nHuman: 2+2?\n\nAssistant:"
    import_items(engine, project, [{"chosen": dialogue + " 4", "rejected": dialogue + " 5"}])

    messages, contents, metadata = comparison_of(engine)
    assert messages == [{"role": "user", "content": "hi"},
                        {"role": "assistant", "content": "hello"},
                        {"role": "user", "content": "2+2?"}]
    assert chosen_text(contents, metadata) == "4"


def test_neutral_ids_do_not_always_put_the_chosen_response_first(engine):
    project = make_project(engine)
    rows = [{"prompt": f"q{n}", "chosen": f"good {n}", "rejected": f"bad {n}"} for n in range(40)]
    import_items(engine, project, rows)

    with engine.connect() as conn:
        labels = conn.execute(select(tasks.c.metadata)).scalars().all()
    assert {label["source_label"]["chosen"] for label in labels} == {"a", "b"}


def test_rows_without_id_get_a_stable_one_so_reimport_adds_nothing(engine, tmp_path):
    project = make_project(engine)
    rows = [{"prompt": "p", "chosen": "c", "rejected": "r"},
            {"prompt": "q", "chosen": "c", "rejected": "r", "category": "qa"}]
    path = write_jsonl(tmp_path / "trl.jsonl", rows)
    import_file(engine, project, path)
    before = comparison_of(engine, _ids(engine)[0])

    report = import_file(engine, project, path)

    assert (report.new, report.unchanged) == (0, 2)
    assert all(external_id.startswith("trl-") for external_id in _ids(engine))
    assert comparison_of(engine, _ids(engine)[0]) == before


def _ids(engine):
    with engine.connect() as conn:
        return conn.execute(select(tasks.c.external_id).order_by(tasks.c.id)).scalars().all()


@pytest.mark.parametrize(("row", "reason"), [
    ({"chosen": "x"}, '"rejected" is missing'),
    ({"chosen": "no dialogue", "rejected": "here"}, 'chosen has no "\\n\\nAssistant:" turn'),
    ({"chosen": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
      "rejected": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]},
     "chosen and rejected are the same conversation"),
    ({"prompt": "p", "chosen": [{"role": "user", "content": "x"}], "rejected": "r"},
     'chosen[0].role must be "assistant"'),
    ({"prompt": "p", "chosen": "c", "rejected": "r", "kind_of": 1}, 'unknown field "kind_of"'),
    ({"chosen": "c", "rejected": ["r"]}, "must both be strings or both arrays of messages"),
    ({"prompt": "p", "chosen": "c", "rejected": "r", "metadata": {"source_label": 1}},
     "metadata.source_label is reserved"),
])
def test_malformed_trl_rows_are_named(engine, row, reason):
    project = make_project(engine)
    with pytest.raises(ImportRejected) as rejected:
        import_items(engine, project, [row])
    [(line, said)] = rejected.value.details
    assert line == 1 and reason in said


def test_the_hh_rlhf_harmless_test_split_imports_whole(engine, shared_data):
    project = make_project(engine)
    path = shared_data / HH_FILE

    report = import_file(engine, project, path)

    assert (report.new, report.invalid) == (2312, 0)
    with engine.connect() as conn:
        ids = conn.execute(select(responses.c.external_id).distinct()).scalars().all()
        labels = conn.execute(select(tasks.c.metadata)).scalars().all()
        two_each = conn.execute(
            select(func.count()).select_from(
                select(task_responses.c.task_id).group_by(task_responses.c.task_id)
                .having(func.count() == 2).subquery())
        ).scalar_one()
    assert sorted(ids) == ["a", "b"]
    assert two_each == 2312
    chosen = [label["source_label"]["chosen"] for label in labels]
    assert 0.4 < chosen.count("a") / len(chosen) < 0.6


def test_dialogues_that_part_early_share_their_common_prefix_as_prompt(engine):
    project = make_project(engine)
    row = {
        "chosen": "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Name a colour\n\nAssistant: Red",
        "rejected": "\n\nHuman: Hi\n\nAssistant: Hello\n\nHuman: Name a fruit\n\nAssistant: Fig",
    }

    import_items(engine, project, [row])

    messages, contents, metadata = comparison_of(engine)
    assert messages == [{"role": "user", "content": "Hi"}]
    assert chosen_text(contents, metadata) == (
        "Hello\n\nHuman: Name a colour\n\nAssistant: Red")


def test_message_dialogues_that_part_early_keep_the_rest_as_one_response(engine):
    project = make_project(engine)
    user, bot = "user", "assistant"
    row = {
        "chosen": [{"role": user, "content": "Hi"}, {"role": bot, "content": "Hello"},
                   {"role": user, "content": "Bye"}, {"role": bot, "content": "Ciao"}],
        "rejected": [{"role": user, "content": "Hi"}, {"role": bot, "content": "Go away"}],
    }

    import_items(engine, project, [row])

    messages, contents, metadata = comparison_of(engine)
    assert messages == [{"role": "user", "content": "Hi"}]
    assert chosen_text(contents, metadata) == "Hello\n\nHuman: Bye\n\nAssistant: Ciao"
