"""Label Studio and Argilla exports, written by the tools themselves, import as tasks with each
annotator's judgments kept as their annotations.

The expected figures are counted here from the fixture files, as the tool shows them (tasks,
annotations that were not skipped or discarded, and the pairs each ranking makes), never from
Accord's own code. See ``tests/fixtures/imports/README.md`` for how each file was made.
"""

from __future__ import annotations

import json
from math import comb
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from accord.core.errors import ImportRejected
from accord.core.importing import import_file
from accord.core.projects.project import Dimension
from accord.db.tables import annotations, pairwise_outcomes, tasks, users
from tests.factories import make_project

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "imports"
LS_FILES = ("label_studio_pairwise.json", "label_studio_ranking.json")
ARGILLA_FILE = FIXTURES / "argilla_feedback.jsonl"


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        found = {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                 for table in (tasks, annotations, pairwise_outcomes)}
        found["annotators"] = conn.execute(
            select(func.count()).select_from(users).where(users.c.kind == "imported")
        ).scalar_one()
    return found


def _label_studio_shows(path: Path) -> dict[str, int]:
    """What Label Studio's export says: its tasks, the annotations not cancelled, the pairs
    each one ranks (a pairwise choice is one; a ranking of k items is k choose 2)."""
    exported = json.loads(path.read_text())
    done = [(task, a) for task in exported for a in task["annotations"]
            if not a["was_cancelled"] and a["result"]]
    pairs = 0
    for task, annotation in done:
        result = annotation["result"][0]
        listed = task["data"].get(result["to_name"]) if result["type"] == "ranker" else None
        pairs += comb(len(listed), 2) if listed else 1
    return {"tasks": len(exported), "annotations": len(done), "pairwise_outcomes": pairs,
            "annotators": len({a["completed_by"] for _, a in done})}


def _argilla_shows(path: Path) -> dict[str, int]:
    """What the Argilla dataset holds: its records, the submitted rankings, their pairs."""
    records = [json.loads(line) for line in path.read_text().splitlines()]
    submitted = [answer for record in records for answer in record["preference"]
                 if answer["status"] == "submitted"]
    return {"tasks": len(records), "annotations": len(submitted),
            "pairwise_outcomes": sum(comb(len(a["value"]["value"]), 2) for a in submitted),
            "annotators": len({a["user_id"] for a in submitted})}


@pytest.mark.parametrize("name", LS_FILES)
def test_label_studio_export_imports_every_annotation_by_its_annotator(engine, name):
    ranking = "ranking" in name
    make_project(engine, "ls", overlap=3, ranking_mode="kway" if ranking else "pairwise")
    path = FIXTURES / name
    report = import_file(engine, "ls", path, file_format="label-studio")
    shown = _label_studio_shows(path)
    assert _counts(engine) == shown
    assert (report.new, report.annotations_new) == (shown["tasks"], shown["annotations"])


def test_label_studio_pairwise_choice_becomes_the_ranking(engine):
    make_project(engine, "ls", overlap=3)
    path = FIXTURES / "label_studio_pairwise.json"
    import_file(engine, "ls", path, file_format="label-studio")
    task = json.loads(path.read_text())[0]
    first = task["annotations"][0]
    left, right = first["result"][0]["to_name"]
    selected = first["result"][0]["value"]["selected"]
    expected = [[left], [right]] if selected == "left" else [[right], [left]]
    with engine.connect() as conn:
        stored = conn.execute(
            select(annotations.c.ranking, annotations.c.active_ms)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .join(users, users.c.id == annotations.c.annotator_id)
            .where(tasks.c.external_id == f"label-studio-{task['id']}",
                   users.c.name == f"label-studio.{first['completed_by']}")).one()
    assert stored.ranking == expected
    assert stored.active_ms == round(first["lead_time"] * 1000)


@pytest.mark.parametrize("name", LS_FILES)
def test_label_studio_reimport_changes_nothing(engine, name):
    make_project(engine, "ls", overlap=3, ranking_mode="kway" if "ranking" in name else "pairwise")
    path = FIXTURES / name
    import_file(engine, "ls", path, file_format="label-studio")
    before = _counts(engine)
    again = import_file(engine, "ls", path, file_format="label-studio")
    assert _counts(engine) == before
    assert (again.new, again.unchanged, again.annotations_new) == (0, before["tasks"], 0)
    assert again.annotations_unchanged == before["annotations"]


def test_label_studio_broken_task_is_named_by_its_number_and_nothing_is_written(engine, tmp_path):
    make_project(engine, "ls", overlap=3, ranking_mode="kway")
    exported = json.loads((FIXTURES / "label_studio_ranking.json").read_text())
    exported[1]["annotations"][0]["result"][0]["value"]["ranker"]["rank"] = ["r1", "r9"]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(exported))
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, "ls", broken, file_format="label-studio")
    assert rejected.value.details[0][0] == 1
    assert '"r9"' in rejected.value.details[0][1]
    assert _counts(engine) == {"tasks": 0, "annotations": 0, "pairwise_outcomes": 0,
                               "annotators": 0}


def test_label_studio_ranking_refuses_a_pairwise_project(engine):
    make_project(engine, "ls", overlap=3)
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, "ls", FIXTURES / "label_studio_ranking.json",
                    file_format="label-studio")
    assert "pairwise" in rejected.value.details[0][1]


def _argilla_project(engine: Engine) -> None:
    make_project(engine, "arg", overlap=3, ranking_mode="kway", allow_ties=True,
                 dimensions=[Dimension("helpfulness", 1, 5)])


def test_argilla_dataset_imports_each_submitted_ranking_with_its_ratings(engine):
    _argilla_project(engine)
    report = import_file(engine, "arg", ARGILLA_FILE, file_format="argilla")
    shown = _argilla_shows(ARGILLA_FILE)
    assert _counts(engine) == shown
    assert (report.new, report.annotations_new) == (shown["tasks"], shown["annotations"])
    record = json.loads(ARGILLA_FILE.read_text().splitlines()[0])
    answer = record["response-2-helpfulness"][1]
    with engine.connect() as conn:
        ratings = conn.execute(
            select(annotations.c.ratings).join(users, users.c.id == annotations.c.annotator_id)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .where(users.c.name == f"argilla.{answer['user_id']}",
                   tasks.c.external_id == f"argilla-{record['external_id']}")).scalar_one()
    assert ratings["response-2"]["helpfulness"] == answer["value"]


def test_argilla_tie_in_ranks_is_kept_as_a_tie(engine):
    _argilla_project(engine)
    import_file(engine, "arg", ARGILLA_FILE, file_format="argilla")
    record = json.loads(ARGILLA_FILE.read_text().splitlines()[0])
    tied = next(a for a in record["preference"] if len(set(a["value"]["rank"])) < 3)
    with engine.connect() as conn:
        ranking = conn.execute(
            select(annotations.c.ranking).join(users, users.c.id == annotations.c.annotator_id)
            .join(tasks, tasks.c.id == annotations.c.task_id)
            .where(users.c.name == f"argilla.{tied['user_id']}",
                   tasks.c.external_id == f"argilla-{record['external_id']}")).scalar_one()
    assert any(len(group) == 2 for group in ranking)


def test_argilla_reimport_changes_nothing(engine):
    _argilla_project(engine)
    import_file(engine, "arg", ARGILLA_FILE, file_format="argilla")
    before = _counts(engine)
    again = import_file(engine, "arg", ARGILLA_FILE, file_format="argilla")
    assert _counts(engine) == before
    assert (again.new, again.annotations_new) == (0, 0)


def test_argilla_rating_of_an_unknown_dimension_is_a_numbered_error(engine, tmp_path):
    make_project(engine, "arg", overlap=3, ranking_mode="kway", allow_ties=True,
                 dimensions=[Dimension("honesty", 1, 5)])
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, "arg", ARGILLA_FILE, file_format="argilla")
    number, reason = rejected.value.details[0]
    assert number == 1
    assert '"helpfulness"' in reason and "honesty" in reason
    assert _counts(engine)["tasks"] == 0


def test_argilla_broken_line_is_skipped_on_request(engine, tmp_path):
    _argilla_project(engine)
    lines = ARGILLA_FILE.read_text().splitlines()
    record = json.loads(lines[2])
    record["preference"][0]["value"]["rank"] = [1]
    lines[2] = json.dumps(record)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, "arg", broken, file_format="argilla")
    assert rejected.value.details[0][0] == 3
    report = import_file(engine, "arg", broken, file_format="argilla", skip_invalid=True)
    assert (report.new, report.invalid) == (len(lines) - 1, 1)
