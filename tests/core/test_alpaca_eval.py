"""AlpacaEval annotation files imported as AI-judge annotations reproduce the leaderboard.

The three ``*_annotations.json`` files of ``../shared/data/alpaca_eval2`` are the judge's
verdicts on three models against ``gpt4_1106_preview``; imported into one project, the
report's ``consensus.win_rates`` must give the published ``weighted_gpt4_turbo_leaderboard.csv``
columns to 4 decimals.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from accord.core.errors import ImportRejected
from accord.core.importing import import_file
from accord.core.importing.formats.alpaca_eval import task_id
from accord.core.report import build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import (
    annotations,
    assignments,
    memberships,
    pairwise_outcomes,
    projects,
    tasks,
    users,
)
from accord.db.types import utcnow
from tests.factories import make_project, make_user

MODELS = ("NullModel", "OpenHermes-2.5-Mistral-7B", "Qwen-14B-Chat")
FIGURES = ("win_rate", "standard_error", "n_wins", "n_wins_base", "n_draws", "n_total",
           "discrete_win_rate")
JUDGE = "weighted_alpaca_eval_gpt4_turbo"
BASELINE = "gpt4_1106_preview"
WORK_TABLES = (tasks, assignments, annotations, pairwise_outcomes, users, memberships)


def _annotation_file(shared_data: Path, model: str) -> Path:
    return shared_data / "alpaca_eval2" / f"{model}_annotations.json"


def _leaderboard(shared_data: Path) -> dict[str, dict[str, str]]:
    with open(shared_data / "alpaca_eval2" / "weighted_gpt4_turbo_leaderboard.csv") as file:
        return {row[""]: row for row in csv.DictReader(file)}


def _generator(path: Path) -> str:
    """The evaluated model's name as the file records it (NullModel's outputs say
    ``example``): the name the project knows the model by."""
    names = {record["generator_2"] for record in json.loads(path.read_text())}
    assert len(names) == 1
    return names.pop()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table.name: conn.execute(select(func.count()).select_from(table)).scalar_one()
                for table in WORK_TABLES}


def _records(path: Path) -> list[dict]:
    return json.loads(path.read_text())


def _write(path: Path, records: list[dict]) -> Path:
    path.write_text(json.dumps(records))
    return path


def _record(instruction: str, preference, model: str = "model-x", **fields) -> dict:
    record = {"instruction": instruction, "output_1": f"reference answer to {instruction}",
              "generator_1": "reference", "output_2": f"answer to {instruction}",
              "generator_2": model, "annotator": "judge-1", "preference": preference,
              "price_per_example": 0.01, "time_per_example": 0.5,
              "raw_completion": {"text": "m"}}
    record.update(fields)
    return record


def test_the_leaderboard_is_reproduced_from_imported_judge_annotations(engine, shared_data):
    project = make_project(engine, "leaderboard", overlap=1, allow_ties=True)
    for model in MODELS:
        report = import_file(engine, project, _annotation_file(shared_data, model),
                             file_format="alpaca-eval")
        assert (report.new, report.annotations_new, report.invalid) == (805, 805, 0)

    with engine.begin() as conn:
        document = build_report(conn, project, utcnow()).as_json()

    published = _leaderboard(shared_data)
    rows = {row["model"]: row for row in document["consensus"]["win_rates"]}
    for model in MODELS:
        row = rows[_generator(_annotation_file(shared_data, model))]
        assert row["baseline"] == BASELINE
        for figure in FIGURES:
            assert round(row[figure], 4) == round(float(published[model][figure]), 4), \
                (model, figure)
    judge = next(row for row in document["annotators"] if row["name"] == JUDGE)
    assert judge["kind"] == "ai" and judge["annotations"] == 3 * 805
    with engine.connect() as conn:
        assert conn.execute(select(users.c.kind).where(users.c.name == JUDGE)).scalar_one() \
            == "ai"
        statuses = conn.execute(select(tasks.c.status, tasks.c.taken, tasks.c.submitted,
                                       func.count()).group_by(tasks.c.status, tasks.c.taken,
                                                              tasks.c.submitted)).all()
    assert [tuple(row) for row in statuses] == [("complete", 1, 1, 3 * 805)]


def test_importing_a_file_again_adds_nothing(engine, shared_data):
    project = make_project(engine, "leaderboard", overlap=1, allow_ties=True)
    path = _annotation_file(shared_data, "Qwen-14B-Chat")
    import_file(engine, project, path, file_format="alpaca-eval")
    before = _counts(engine)

    again = import_file(engine, project, path, file_format="alpaca-eval")

    assert _counts(engine) == before
    assert (again.new, again.unchanged) == (0, 805)
    assert (again.annotations_new, again.annotations_unchanged) == (0, 805)


def test_an_invalid_record_is_named_and_nothing_is_written(engine, shared_data, tmp_path):
    project = make_project(engine, "leaderboard", overlap=1, allow_ties=True)
    records = _records(_annotation_file(shared_data, "Qwen-14B-Chat"))
    records[17]["preference"] = "abc"
    del records[3]["output_2"]
    records[40]["preference"] = 2.5
    path = _write(tmp_path / "broken_annotations.json", records)
    before = _counts(engine)

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, path, file_format="alpaca-eval")

    assert rejected.value.details == [
        (3, "output_2 is missing"),
        (17, 'preference "abc" is not a number'),
        (40, "preference 2.5 is outside [1, 2] (1: output_1 better, 2: output_2 better)"),
    ]
    assert "record 17: preference \"abc\" is not a number" in str(rejected.value)
    assert _counts(engine) == before

    skipped = import_file(engine, project, path, skip_invalid=True, file_format="alpaca-eval")
    assert (skipped.new, skipped.annotations_new, skipped.invalid) == (802, 802, 3)


def test_a_record_without_preference_becomes_a_task_without_annotation(engine, tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    path = _write(tmp_path / "a.json", [
        _record("q0", 1.75), _record("q1", None), _record("q2", float("nan")),
        _record("q3", "1.2"),
    ])

    report = import_file(engine, project, path, file_format="alpaca-eval")

    assert (report.new, report.annotations_new) == (4, 2)
    assert (report.unjudged_count, report.unjudged) == (2, [1, 2])
    assert "2 records without a preference" in report.summary()
    with engine.connect() as conn:
        rows = dict(conn.execute(select(tasks.c.external_id, tasks.c.status)).all())
        stored = conn.execute(select(annotations.c.ranking, annotations.c.preference,
                                     annotations.c.active_ms).order_by(annotations.c.id)).all()
    assert rows[task_id("q1", "reference", "model-x")] == "open"
    assert rows[task_id("q0", "reference", "model-x")] == "complete"
    assert [(r[0], round(r[1], 6), r[2]) for r in stored] == [
        ([["b"], ["a"]], 0.75, 500), ([["a"], ["b"]], 0.8, 500)]


def test_ties_need_a_project_that_allows_them(engine, tmp_path):
    project = make_project(engine, "strict", overlap=1, allow_ties=False)
    path = _write(tmp_path / "a.json", [_record("q0", 1.5), _record("q1", 0)])

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, path, file_format="alpaca-eval")

    assert [index for index, _ in rejected.value.details] == [0, 1]
    assert "a tie, but project strict does not allow ties" in rejected.value.details[0][1]


def test_a_judge_name_held_by_a_person_is_refused(engine, tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    make_user(engine, "judge-1")

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, _write(tmp_path / "a.json", [_record("q0", 1.9)]),
                    file_format="alpaca-eval")

    assert rejected.value.details[0][0] == 0
    assert 'annotator "judge-1" is the name of a human user' in rejected.value.details[0][1]


def test_a_verdict_needs_a_free_slot_on_its_task(engine, tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    import_file(engine, project, _write(tmp_path / "a.json", [_record("q0", 1.9)]),
                file_format="alpaca-eval")
    second_judge = _write(tmp_path / "b.json", [_record("q0", 1.2, annotator="judge-2")])

    with pytest.raises(ImportRejected) as rejected:
        import_file(engine, project, second_judge, file_format="alpaca-eval")

    assert "has no free slot" in rejected.value.details[0][1]


def test_win_rates_mix_soft_judge_votes_with_plain_human_rankings(engine, tmp_path):
    project = make_project(engine, "mixed", overlap=2, allow_ties=True)
    import_file(engine, project, _write(tmp_path / "a.json", [
        _record("q0", 1.8), _record("q1", 1.25)]), file_format="alpaca-eval")
    person = make_user(engine, "ann", project=project, roles=("annotator",)).user
    now = utcnow()
    for _ in range(2):  # the person prefers the model's answer (b) both times
        with engine.begin() as conn:
            claim = claims.claim_next(conn, project, person, now)
            submissions.submit(conn, person, claim.assignment_id,
                               Judgment(ranking=[["b"], ["a"]], active_ms=1000), now)

    with engine.begin() as conn:
        document = build_report(conn, project, now, store_consensus=False).as_json()

    (row,) = document["consensus"]["win_rates"]
    # one pair: the baseline is the model listed first (output_1), not the name sorting first
    assert (row["model"], row["baseline"]) == ("model-x", "reference")
    # preferences 1.8 and 1.25 from the judge, 2 and 2 from the person
    assert row["win_rate"] == pytest.approx((0.8 + 0.25 + 1 + 1) / 4 * 100)
    assert (row["n_wins"], row["n_wins_base"], row["n_draws"], row["n_total"]) == (3, 1, 0, 4)
    kinds = {r["name"]: r["kind"] for r in document["annotators"]}
    assert kinds == {"judge-1": "ai", "ann": "human"}


def test_a_judge_is_made_an_annotator_of_the_project(engine, tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    import_file(engine, project, _write(tmp_path / "a.json", [_record("q0", 1.9)]),
                file_format="alpaca-eval")
    with engine.connect() as conn:
        roles = conn.execute(
            select(memberships.c.role).join(users, users.c.id == memberships.c.user_id)
            .join(projects, projects.c.id == memberships.c.project_id)
            .where(users.c.name == "judge-1", projects.c.name == "judged")).scalars().all()
    assert roles == ["annotator"]


def test_the_rationale_keeps_price_time_and_the_first_10_kb_of_the_raw_completion(engine,
                                                                                  tmp_path):
    project = make_project(engine, "judged", overlap=1, allow_ties=True)
    long_completion = {"text": "é" * 20_000}
    import_file(engine, project, _write(tmp_path / "a.json", [
        _record("q0", 1.9, raw_completion=long_completion)]), file_format="alpaca-eval")

    with engine.connect() as conn:
        rationale = json.loads(conn.execute(select(annotations.c.rationale)).scalar_one())

    assert rationale["price_per_example"] == 0.01 and rationale["time_per_example"] == 0.5
    assert rationale["annotator"] == "judge-1" and rationale["raw_completion_truncated"]
    assert len(rationale["raw_completion"].encode()) <= 10_000
    assert rationale["raw_completion"].startswith('{"text":"éé')
