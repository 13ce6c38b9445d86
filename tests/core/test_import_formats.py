"""The format registry: a format is one adapter and one line in ``FORMATS``, and it gets the
whole pipeline — the whole-file check, numbered errors, ``--skip-invalid``, labels kept as
annotations, idempotent re-import — without writing any of it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from accord.core.errors import ImportRejected, InvalidInput
from accord.core.importing import FORMATS, ImportFormat, import_file
from accord.core.importing import fields as check
from accord.core.importing.formats import Labels
from accord.core.importing.items import Item, Response
from accord.core.importing.records import AdaptContext, Author, ImportRecord
from accord.core.importing.source_labels import source_label
from accord.core.importing.sources import FileSource
from accord.db.tables import annotations, users
from tests.core.import_helpers import row_counts, write_jsonl
from tests.factories import make_project


def _votes(number: int, value: Any, context: AdaptContext) -> tuple[ImportRecord, ...]:
    """A made-up source: ``{"q", "good", "bad", "voters": [names]}``, each voter's vote
    a label of its own, by the voter."""
    question = check.string(value.get("q"), "q")
    item = Item(f"vote-{question}", "comparison", [{"role": "user", "content": question}],
                (Response("a", check.string(value.get("good"), "good")),
                 Response("b", check.string(value.get("bad"), "bad"))))
    voters = check.array(value.get("voters", []), "voters")
    labels = tuple(source_label(Author(f"voter.{name}"), [["a"], ["b"]], item)
                   for name in voters)
    return (ImportRecord(number, item, labels),)


@pytest.fixture
def votes_format(monkeypatch):
    monkeypatch.setitem(FORMATS, "votes", ImportFormat(
        "votes", "made-up votes", FileSource, _votes, Labels.ALWAYS,
        repeats=FORMATS["alpaca-eval"].repeats))


def _rows(*voters: list[str]) -> list[dict]:
    return [{"q": f"q{i}", "good": "yes", "bad": "no", "voters": names}
            for i, names in enumerate(voters)]


def test_a_registered_format_imports_its_labels_and_again_adds_nothing(engine, tmp_path,
                                                                       votes_format):
    project = make_project(engine, overlap=2)
    path = write_jsonl(tmp_path / "votes.jsonl", _rows(["ann", "bob"], ["ann"]))

    first = import_file(engine, project, path, file_format="votes")
    again = import_file(engine, project, path, file_format="votes")

    assert (first.new, first.annotations_new) == (2, 3)
    assert (again.unchanged, again.annotations_unchanged, again.annotations_new) == (2, 3, 0)
    with engine.connect() as conn:
        kinds = set(conn.execute(select(users.c.name, users.c.kind)
                                 .where(users.c.name.like("voter.%"))).all())
        stored = conn.execute(select(annotations.c.id)).all()
    assert kinds == {("voter.ann", "imported"), ("voter.bob", "imported")}
    assert len(stored) == 3


def test_a_registered_format_is_checked_whole_before_anything_is_written(engine, tmp_path,
                                                                         votes_format):
    project = make_project(engine, overlap=1)
    rows = [*_rows(["ann"]), {"q": 3}, *_rows([], ["ann", "bob"])[1:]]
    path = write_jsonl(tmp_path / "votes.jsonl", rows)

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, path, file_format="votes")

    assert rejected.value.details == [
        (2, "q must be a string, not a number"),
        (3, "task vote-q1 has no free slot for voter.bob's verdict: each verdict takes one "
            "of the task's overlap slots; import into a project with a larger overlap to "
            "keep several judges' verdicts"),
    ]
    assert row_counts(engine)["tasks"] == 0
    skipped = import_file(engine, project, path, file_format="votes", skip_invalid=True)
    assert (skipped.new, skipped.annotations_new, skipped.invalid) == (1, 1, 2)
    assert skipped.summary() == ("1 task new, 0 unchanged; 1 annotation new, 0 unchanged; "
                                 "2 invalid lines skipped")


def test_options_are_checked_against_the_format(engine, tmp_path, votes_format):
    path = write_jsonl(tmp_path / "votes.jsonl", _rows(["ann"]))
    with pytest.raises(InvalidInput, match="--update applies to --format jsonl only"):
        import_file(engine, "prefs", path, file_format="votes", update=True)
    known = "jsonl, alpaca-eval, oasst, label-studio, argilla, votes"
    with pytest.raises(InvalidInput, match=f'one of {known}, not "x"'):
        import_file(engine, "prefs", path, file_format="x")
