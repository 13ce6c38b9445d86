"""A response's finish reason travels with imported data: Accord's JSONL says it with
``finish_reason`` or ``truncated``, TRL rows (Accord's own preference export among them)
with ``chosen_truncated``/``rejected_truncated``; it is stored, checked like any field, and
part of what a re-import compares. An export imported again keeps its cut-off marks."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select, update
from typer.testing import CliRunner

from accord.cli.main import app
from accord.core.errors import ImportRejected
from accord.core.importing import import_file, import_items
from accord.db.tables import responses
from tests.core.import_helpers import comparison, row_counts, write_jsonl
from tests.exports.conftest import build_world, read_rows
from tests.factories import make_project


def stored_reasons(engine) -> dict[tuple[str, str], str | None]:
    """(response content, its id) → finish reason, for every stored response."""
    with engine.connect() as conn:
        return {(content, rid): reason for content, rid, reason in conn.execute(
            select(responses.c.content, responses.c.external_id, responses.c.finish_reason))}


def with_responses(item_id: str, a: dict, b: dict) -> dict:
    """A comparison whose responses ``a`` and ``b`` carry the extra fields given."""
    return comparison(item_id, responses=[
        {"id": "a", "content": f"answer a to {item_id}", **a},
        {"id": "b", "content": f"answer b to {item_id}", **b},
    ])


def test_finish_reason_or_truncated_is_stored_with_the_response(engine, tmp_path):
    project = make_project(engine)
    path = write_jsonl(tmp_path / "items.jsonl", [
        with_responses("q1", {"finish_reason": "length"}, {"finish_reason": "stop"}),
        with_responses("q2", {"truncated": True}, {"truncated": False}),
        with_responses("q3", {"finish_reason": "content_filter", "truncated": False}, {}),
        with_responses("q4", {"finish_reason": None, "truncated": None}, {}),
    ])

    report = import_file(engine, project, path)

    assert report.new == 4
    assert stored_reasons(engine) == {
        ("answer a to q1", "a"): "length", ("answer b to q1", "b"): "stop",
        ("answer a to q2", "a"): "length", ("answer b to q2", "b"): "stop",
        ("answer a to q3", "a"): "content_filter", ("answer b to q3", "b"): None,
        ("answer a to q4", "a"): None, ("answer b to q4", "b"): None,
    }
    assert import_file(engine, project, path).unchanged == 4


@pytest.mark.parametrize(("response", "reason"), [
    ({"finish_reason": 3}, "responses[0].finish_reason must be a string, not a number"),
    ({"finish_reason": "Length!"}, 'responses[0].finish_reason "Length!" must be one '
                                   "lower-case word such as stop or length"),
    ({"truncated": "yes"}, "responses[0].truncated must be true or false, not a string"),
    ({"truncated": False, "finish_reason": "length"},
     'responses[0].truncated is false but responses[0].finish_reason is "length"'),
    ({"truncated": True, "finish_reason": "stop"},
     'responses[0].truncated is true but responses[0].finish_reason is "stop"'),
])
def test_a_wrong_finish_reason_names_its_line_and_field(engine, response, reason):
    project = make_project(engine)
    with pytest.raises(ImportRejected) as rejected:
        import_items(engine, project, [comparison("ok"), with_responses("bad", response, {})])
    [(line, said)] = rejected.value.details
    assert line == 2 and reason in said
    assert row_counts(engine)["responses"] == 0


def test_learning_that_a_response_was_cut_off_is_a_change_of_content(engine):
    project = make_project(engine)
    import_items(engine, project, [comparison("q1")])
    marked = comparison("q1")
    marked["responses"][1]["truncated"] = True

    with pytest.raises(ImportRejected) as rejected:
        import_items(engine, project, [marked])
    assert rejected.value.details == [
        (1, "id q1 exists with different content; use --update to replace it")]
    assert import_items(engine, project, [comparison("q1")]).unchanged == 1
    assert import_items(engine, project, [marked], update=True).updated == 1
    assert stored_reasons(engine)[("answer b to q1", "b")] == "length"


def test_trl_rows_say_which_side_was_cut_off(engine):
    project = make_project(engine)
    import_items(engine, project, [{"prompt": "Count to ten.", "chosen": "1 2 3 4 5 6 7 8 9 10",
                                    "rejected": "1 2 3", "chosen_truncated": False,
                                    "rejected_truncated": True}])
    reasons = {content: reason for (content, _), reason in stored_reasons(engine).items()}
    assert reasons == {"1 2 3 4 5 6 7 8 9 10": "stop", "1 2 3": "length"}


@pytest.fixture
def cli(db_url, monkeypatch):
    monkeypatch.setenv("ACCORD_DATABASE_URL", db_url)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_an_export_with_its_cut_off_pairs_imports_again_with_the_marks(engine, cli, tmp_path):
    build_world(engine)
    with engine.begin() as conn:  # the "unanimous" task's rejected response was cut off
        conn.execute(update(responses).where(responses.c.content == "answer a to unanimous")
                     .values(finish_reason="length"))
    exported = tmp_path / "prefs.jsonl"
    result = cli("export", "prefs", "--format", "preference", "--out", str(exported),
                 "--include-truncated")
    assert result.exit_code == 0, result.output
    assert [(r["task_id"], r["chosen_truncated"], r["rejected_truncated"])
            for r in read_rows(exported)] == [("split", None, None), ("unanimous", None, True)]
    make_project(engine, "again", overlap=1)

    imported = cli("import", "again", str(exported), "--labelled", "--json")
    again = cli("export", "again", "--format", "preference", "--out",
                str(tmp_path / "again.jsonl"), "--json")

    assert imported.exit_code == 0, imported.output
    assert orjson.loads(again.stdout)["truncated_dropped"] == 1
    assert [r["rejected"][0]["content"] for r in read_rows(tmp_path / "again.jsonl")] == [
        "longer answer b to split"]
