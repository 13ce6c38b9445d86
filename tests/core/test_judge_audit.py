"""The judge audit on projects where an AI judge and people judged the same tasks.

People annotate through the real claim and submission; the judge's verdicts are stored
through ``core.judging.ai_judges`` as ``accord judge`` stores them. The expected figures are
computed here from the planted labels and scikit-learn, never typed in.
"""

from __future__ import annotations

import json
import random
from collections import Counter

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import Engine, select, update

from accord.core.importing import import_file
from accord.core.importing.formats.alpaca_eval import task_id
from accord.core.judging import ai_judges
from accord.core.judging.judge_audit import audit_section, judge_audit
from accord.core.projects.project import Project, get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import tasks, users
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user

RANKINGS = ([["a"], ["b"]], [["b"], ["a"]], [["a", "b"]])
"""By label: 0 the first response is better, 1 the second, 2 a tie."""
JUDGE = "judge-audited"
N_TASKS = 40


def label_of(ranking: list[list[str]]) -> int:
    return next(i for i, r in enumerate(RANKINGS) if r == ranking)


def people_annotate(engine: Engine, project: Project, labels: dict[str, dict[str, int]]) -> None:
    """Each person claims every task they can and ranks it with their planted label."""
    for name, theirs in labels.items():
        person = make_user(engine, name, project=project, roles=("annotator",)).user
        while True:
            with engine.begin() as conn:
                claim = claims.claim_next(conn, get_project(conn, project.name), person,
                                          utcnow())
                if claim is None:
                    break
                ranking = RANKINGS[theirs[claim.task.id]]
                submissions.submit(conn, person, claim.assignment_id,
                                   Judgment(ranking=ranking), utcnow())


def judge_verdicts(engine: Engine, project: Project, labels: dict[str, int],
                   consistent: dict[str, bool]) -> None:
    """The judge's planted verdicts, stored as ``accord judge`` stores them."""
    settings = {"backend": "openai", "model": "planted", "constitution": "test-v1"}
    with engine.begin() as conn:
        judge = ai_judges.ensure_judge(conn, project, JUDGE, settings)
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id, limit=10_000)
        for pair in pairs:
            verdict = ai_judges.AiVerdict(
                ranking=RANKINGS[labels[pair.external_id]], display_order=["a", "b"],
                preference=None, rationale="planted",
                details={"consistent": consistent[pair.external_id], "confidence": 0.9})
            ai_judges.record_verdict(conn, project, judge, pair, verdict, utcnow())


def planted_project(engine: Engine, seed: int = 5):
    """40 tasks judged by three people (each right 80 % of the time) and by the judge
    (right 70 % of the time); returns the project and every planted label."""
    draw = random.Random(seed)
    project = make_project(engine, overlap=3, allow_ties=True)
    add_comparisons(engine, project, N_TASKS)
    names = [f"item-{i}" for i in range(N_TASKS)]
    truth = {name: draw.choice((0, 0, 1, 1, 2)) for name in names}

    def noisy(right: float) -> dict[str, int]:
        return {n: truth[n] if draw.random() < right else draw.randrange(3) for n in names}

    people = {person: noisy(0.8) for person in ("ann", "ben", "cat")}
    judge = noisy(0.7)
    consistent = {n: draw.random() < 0.75 for n in names}
    people_annotate(engine, project, people)
    judge_verdicts(engine, project, judge, consistent)
    return project, people, judge, consistent


def majority(people: dict[str, dict[str, int]], name: str) -> int | None:
    ranked = Counter(theirs[name] for theirs in people.values()).most_common()
    return ranked[0][0] if len(ranked) == 1 or ranked[0][1] > ranked[1][1] else None


def test_agreement_and_kappa_with_human_consensus_equal_scikit_learns(engine):
    project, people, judge, consistent = planted_project(engine)
    names = [n for n in judge if majority(people, n) is not None]
    expected_judge = [judge[n] for n in names]
    expected_people = [majority(people, n) for n in names]

    with engine.connect() as conn:
        audit = judge_audit(conn, project, JUDGE)

    assert audit["pairs"] == audit["human_consensus"]["pairs"] == len(names)
    assert audit["kappa"] == pytest.approx(
        cohen_kappa_score(expected_judge, expected_people, labels=[0, 1, 2]), abs=1e-6)
    assert audit["agreement"] == pytest.approx(
        np.mean(np.array(expected_judge) == np.array(expected_people)), abs=1e-6)
    assert audit["swap_consistency"] == pytest.approx(
        sum(consistent.values()) / len(consistent), abs=1e-6)
    assert audit["judgments"] == audit["swap_measured"] == N_TASKS
    matrix = np.array(audit["confusion"]["matrix"])
    assert matrix.sum() == len(names)
    assert np.trace(matrix) == sum(j == p for j, p in zip(expected_judge, expected_people,
                                                          strict=True))


def test_gold_answers_are_the_reference_where_a_task_has_one(engine):
    project, people, judge, _ = planted_project(engine, seed=11)
    gold = {f"item-{i}": (judge[f"item-{i}"] + i) % 3 for i in range(8)}
    with engine.begin() as conn:
        for name, label in gold.items():
            conn.execute(update(tasks).where(tasks.c.external_id == name).values(
                is_gold=True, gold_answer={"ranking": RANKINGS[label]}))
    reference = {n: majority(people, n) for n in judge}
    reference.update(gold)
    names = [n for n in judge if reference[n] is not None]

    with engine.connect() as conn:
        audit = judge_audit(conn, project, JUDGE)
        only_gold = judge_audit(conn, project, JUDGE, min_votes=4)

    assert audit["gold"]["pairs"] == len(gold)
    assert audit["gold"]["agreement"] == pytest.approx(
        np.mean([judge[n] == gold[n] for n in gold]), abs=1e-6)
    assert audit["kappa"] == pytest.approx(cohen_kappa_score(
        [judge[n] for n in names], [reference[n] for n in names], labels=[0, 1, 2]), abs=1e-6)
    # Three people never make four votes: only the gold answers remain as references.
    assert only_gold["pairs"] == only_gold["gold"]["pairs"] == len(gold)
    assert only_gold["human_consensus"]["pairs"] == 0


def test_other_ai_judges_never_make_the_human_consensus(engine):
    project = make_project(engine, overlap=3, allow_ties=True)
    add_comparisons(engine, project, 5)
    labels = {f"item-{i}": i % 3 for i in range(5)}
    judge_verdicts(engine, project, labels, dict.fromkeys(labels, True))
    with engine.begin() as conn:
        other = ai_judges.ensure_judge(conn, project, "judge-other", {"model": "other"})
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, other.id)
        for pair in pairs:
            ai_judges.record_verdict(conn, project, other, pair, ai_judges.AiVerdict(
                RANKINGS[labels[pair.external_id]], ["a", "b"], None, "", {}), utcnow())

    with engine.connect() as conn:
        audit = judge_audit(conn, project, JUDGE)

    assert (audit["pairs"], audit["agreement"], audit["kappa"]) == (0, None, None)


def alpaca_record(index: int, preference: float) -> dict:
    return {"instruction": f"instruction {index}", "output_1": f"reference answer {index}",
            "generator_1": "reference", "output_2": f"model answer {index}",
            "generator_2": "model-x", "annotator": "alpaca-judge", "preference": preference,
            "price_per_example": 0.01, "time_per_example": 0.5}


def test_the_audit_runs_on_an_alpaca_eval_import(engine, tmp_path):
    draw = random.Random(3)
    preferences = [draw.choice((1.1, 1.3, 1.8, 1.95)) for _ in range(24)]
    path = tmp_path / "model-x_annotations.json"
    path.write_text(json.dumps([alpaca_record(i, p) for i, p in enumerate(preferences)]))
    project = make_project(engine, "alpaca", overlap=2, allow_ties=True)
    import_file(engine, project, path, file_format="alpaca-eval")
    with engine.connect() as conn:
        kind = conn.execute(select(users.c.kind).where(users.c.name == "alpaca-judge")
                            ).scalar_one()
        task_names = conn.execute(select(tasks.c.external_id).order_by(tasks.c.id)
                                  ).scalars().all()
    assert kind == "ai"
    by_task = {task_id(f"instruction {i}", "reference", "model-x"): p
               for i, p in enumerate(preferences)}
    judge_labels = [1 if by_task[name] > 1.5 else 0 for name in task_names]
    person = {name: draw.choice((0, 1)) for name in task_names}
    people_annotate(engine, project, {"reader": person})

    with engine.connect() as conn:
        audit = judge_audit(conn, project, "alpaca-judge")

    assert audit["pairs"] == len(task_names)
    human_labels = [person[name] for name in task_names]
    assert audit["kappa"] == pytest.approx(
        cohen_kappa_score(judge_labels, human_labels, labels=[0, 1, 2]), abs=1e-6)
    # Imported verdicts carry no record of two display orders: consistency is not measured.
    assert (audit["swap_consistency"], audit["swap_measured"]) == (None, 0)
    assert audit["judgments"] == len(task_names)


def test_the_report_section_audits_every_ai_judge_of_the_project(engine):
    project, _, _, _ = planted_project(engine, seed=2)
    with engine.begin() as conn:
        ai_judges.ensure_judge(conn, project, "judge-idle", {"model": "idle"})

    with engine.connect() as conn:
        section = audit_section(conn, project)
        single = judge_audit(conn, project, JUDGE)

    assert [entry["judge"] for entry in section] == ["judge-audited", "judge-idle"]
    assert section[0] == single
    assert (section[1]["judgments"], section[1]["pairs"]) == (0, 0)
