"""Category labels as published data writes them ("ABC Sequence Puzzles & Groups", "Open QA")
import as they are; rules, filters and reports match on the key derived from them.

The labels of the real-data tests are the ``cluster`` of Arena-Hard's questions, a slice of
the published file (``tests/fixtures/imports/README.md``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from accord.core.errors import ImportRejected, InvalidInput
from accord.core.importing import import_file
from accord.core.judging.hybrid import parse_rule
from accord.core.projects.categories import category_key, filter_keys
from accord.core.report import build_report
from accord.core.report.dashboard import progress_by_category
from accord.core.review import digest
from accord.db.tables import prompts
from accord.db.types import utcnow
from accord.exports import export
from accord.exports.options import ExportOptions
from accord.exports.report_text import render_text
from tests.core.import_helpers import write_jsonl
from tests.exports.conftest import read_rows
from tests.factories import import_lines, make_project, make_user
from tests.review_helpers import annotate

QUESTIONS = Path(__file__).resolve().parents[1] / "fixtures" / "imports" / \
    "arena_hard_questions.jsonl"
OLD_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")


def arena_hard_rows(path: Path) -> list[dict]:
    """TRL rows whose prompts and categories are Arena-Hard's questions and clusters."""
    rows = []
    for line in path.read_text().splitlines():
        question = json.loads(line)
        rows.append({"prompt": question["turns"][0]["content"], "chosen": "first answer",
                     "rejected": "second answer", "category": question["cluster"]})
    return rows


@pytest.mark.parametrize(("label", "key"), [
    ("Open QA", "open-qa"), ("Tasty", "tasty"), ("code-generation", "code-generation"),
    ("Brainstorming", "brainstorming"), ("Classification", "classification"),
    ("coding/python", "coding-python"), ("ABC Sequence Puzzles & Groups",
                                         "abc-sequence-puzzles-groups"),
    ("  Open   QA ", "open-qa"), ("\uff2f\uff50\uff45\uff4e \uff31\uff21", "open-qa"),
    ("Straße", "strasse"),
    ("数学", "数学"), ("stem.math", "stem-math"), ("x" * 80, "x" * 64),
])
def test_a_label_derives_its_key(label, key):
    assert category_key(label) == key


@given(st.from_regex(OLD_KEY, fullmatch=True))
def test_keys_written_before_labels_are_their_own_keys(key):
    assert category_key(key) == key


@given(st.text(max_size=100))
def test_a_key_is_its_own_key(label):
    key = category_key(label)
    assert category_key(key) == key
    assert len(key) <= 64


@pytest.mark.parametrize("label", ["", "   ", "???", "--", "__"])
def test_a_label_without_letters_or_digits_is_refused_with_its_line(engine, tmp_path, label):
    project = make_project(engine, "cats")
    rows = [{"prompt": "q", "chosen": "a", "rejected": "b", "category": "Open QA"},
            {"prompt": "q2", "chosen": "a", "rejected": "b", "category": label}]
    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, write_jsonl(tmp_path / "cats.jsonl", rows))
    [(line, reason)] = rejected.value.details
    assert line == 2 and "no letter or digit" in reason
    with engine.connect() as conn:
        assert conn.execute(select(prompts.c.id)).first() is None


def test_real_labels_import_as_written_with_their_keys(engine, tmp_path):
    project = make_project(engine, "cats")
    rows = arena_hard_rows(QUESTIONS)
    import_file(engine, project, write_jsonl(tmp_path / "arena.jsonl", rows))
    with engine.connect() as conn:
        stored = conn.execute(select(prompts.c.category, prompts.c.category_label)
                              .order_by(prompts.c.id)).all()
    clusters = [json.loads(line)["cluster"] for line in QUESTIONS.read_text().splitlines()]
    assert [label for _, label in stored] == clusters
    assert stored[0] == ("abc-sequence-puzzles-groups", "ABC Sequence Puzzles & Groups")
    assert all(key == category_key(label) for key, label in stored)


def test_a_key_written_as_the_key_keeps_no_separate_label(engine, tmp_path):
    project = make_project(engine, "cats")
    rows = [{"id": "q", "prompt": "q", "responses": [{"id": "a", "content": "a"},
                                                   {"id": "b", "content": "b"}],
             "category": "coding"}]
    import_file(engine, project, write_jsonl(tmp_path / "items.jsonl", rows))
    with engine.connect() as conn:
        assert conn.execute(select(prompts.c.category, prompts.c.category_label)).one() == (
            "coding", None)


def test_reimporting_real_labels_changes_nothing(engine, tmp_path):
    project = make_project(engine, "cats")
    path = write_jsonl(tmp_path / "arena.jsonl", arena_hard_rows(QUESTIONS))
    first = import_file(engine, project, path)
    again = import_file(engine, project, path)
    assert (first.new, again.new, again.unchanged) == (16, 0, 16)


def test_an_export_filter_by_label_or_by_key_selects_the_same_pairs(engine, tmp_path):
    project = make_project(engine, "cats", overlap=1)
    import_file(engine, project, write_jsonl(tmp_path / "arena.jsonl", arena_hard_rows(QUESTIONS)),
                labelled=True, source="arena-hard")
    by_label, by_key, everything = (tmp_path / "label.jsonl", tmp_path / "key.jsonl",
                                    tmp_path / "all.jsonl")
    export(engine, "cats", "preference", everything)
    export(engine, "cats", "preference", by_label,
           options=ExportOptions(categories=("AI Image Upscaling", "Acrobat PDF Management Tips")))
    export(engine, "cats", "preference", by_key,
           options=ExportOptions(categories=("ai-image-upscaling", "acrobat-pdf-management-tips")))
    rows = read_rows(by_label)
    assert rows == read_rows(by_key)
    expected = [row for row in read_rows(everything)
                if row["category_label"] in ("AI Image Upscaling", "Acrobat PDF Management Tips")]
    assert len(rows) == 4 and rows == expected
    assert {row["category"] for row in rows} == {"ai-image-upscaling",
                                                 "acrobat-pdf-management-tips"}


def test_two_labels_with_one_key_are_one_category(engine, tmp_path):
    project = make_project(engine, "cats", overlap=1)
    rows = [{"prompt": f"q{i}", "chosen": "a", "rejected": "b", "category": label}
            for i, label in enumerate(["Open QA", "open qa", "open-qa", "Closed QA"])]
    import_file(engine, project, write_jsonl(tmp_path / "qa.jsonl", rows), labelled=True,
                source="qa")
    out = tmp_path / "open.jsonl"
    export(engine, "cats", "preference", out, options=ExportOptions(categories=("OPEN  QA",)))
    exported = read_rows(out)
    assert [row["category_label"] for row in exported] == ["Open QA", "open qa", "open-qa"]
    assert {row["category"] for row in exported} == {"open-qa"}


def test_a_filter_that_can_match_nothing_is_refused():
    assert filter_keys(["Open QA", "open-qa", "Tasty"]) == ("open-qa", "tasty")
    with pytest.raises(InvalidInput, match='--category "\\?\\?" has no letter or digit'):
        ExportOptions(categories=("??",))


def test_hybrid_routing_matches_its_human_categories_by_key():
    rule = parse_rule({"judge": "judge-1", "human_categories": ["Safety", "Medical Advice"]})
    assert rule.human_categories == ("safety", "medical-advice")


def test_the_digest_filters_by_label_or_key_and_shows_the_label(engine):
    project = make_project(engine, "prefs", overlap=2)
    for task_id, label in (("t-1", "Open QA"), ("t-2", "open qa"), ("t-3", "Tasty")):
        import_lines(engine, project, {"id": task_id, "prompt": f"question {task_id}",
                                       "category": label,
                                       "responses": [{"id": "a", "content": "alpha"},
                                                     {"id": "b", "content": "bravo"}]})
        annotate(engine, project, {f"{task_id}-x": [["a"], ["b"]],
                                   f"{task_id}-y": [["b"], ["a"]]})
    boss = make_user(engine, "boss", project=project, roles=("manager",)).user
    with engine.connect() as conn:
        by_label = digest.digest(conn, boss, "prefs", category="OPEN QA")
        by_key = digest.digest(conn, boss, "prefs", category="open-qa")
        everything = digest.digest(conn, boss, "prefs")
    assert [(e.task_id, e.category, e.category_label) for e in by_label.entries] == [
        ("t-1", "open-qa", "Open QA"), ("t-2", "open-qa", "open qa")]
    assert by_key.entries == by_label.entries
    assert {(c.category, c.category_label, c.tasks) for c in everything.categories} == {
        ("open-qa", "Open QA", 2), ("tasty", "Tasty", 1)}


def test_the_report_groups_by_key_and_shows_the_label(engine):
    project = make_project(engine, "prefs", overlap=2)
    for task_id, label in (("t-1", "Open QA"), ("t-2", "open qa"), ("t-3", "coding/python")):
        import_lines(engine, project, {"id": task_id, "prompt": f"question {task_id}",
                                       "category": label,
                                       "responses": [{"id": "a", "content": "alpha"},
                                                     {"id": "b", "content": "bravo"}]})
        annotate(engine, project, {f"{task_id}-x": [["a"], ["b"]],
                                   f"{task_id}-y": [["a"], ["b"]]})
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)
    assert {key: figures.label for key, figures in report.agreement.by_category.items()} == {
        "coding-python": "coding/python", "open-qa": "Open QA"}
    assert "coding/python" in render_text(report)


def test_the_dashboard_counts_progress_by_key_under_the_label(engine, tmp_path):
    project = make_project(engine, "cats")
    rows = [{"prompt": f"q{i}", "chosen": "a", "rejected": "b", "category": label}
            for i, label in enumerate(["Open QA", "open qa", "coding/python"])]
    import_file(engine, project, write_jsonl(tmp_path / "qa.jsonl", rows))
    with engine.connect() as conn:
        progress = progress_by_category(conn, project)
    assert {name: counts["open"] for name, counts in progress.items()} == {
        "coding/python": 1, "Open QA": 2}
