"""What a report counts: a cut by guideline version, and AI judges apart from people."""

from __future__ import annotations

import json

import numpy as np
import pytest
from bench import quality_population as population
from sqlalchemy import func, select

from accord.core.errors import InvalidInput
from accord.core.importing import import_file
from accord.core.report import build_report
from accord.core.report.scope import Scope, subset
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import task_consensus
from accord.db.types import utcnow
from accord.wire.report import QualityReport, ReportScope
from accord.wire.report.judges import JudgeCount
from tests.factories import add_comparison, make_project, make_user, publish_guideline

PEOPLE = ("x", "y", "z")
TASKS_PER_VERSION = 12


def annotate(engine, project, people, choose) -> None:
    """Every person claims every task open to them; ``choose(name, task_id)`` names the
    response they put first."""
    for person in people:
        with engine.begin() as conn:
            while claim := claims.claim_next(conn, project, person, utcnow()):
                best = choose(person.name, claim.task.id)
                other = next(r.id for r in claim.task.responses if r.id != best)
                submissions.submit(conn, person, claim.assignment_id,
                                   Judgment(ranking=[[best], [other]], active_ms=20_000),
                                   utcnow())


def add_tasks(engine, project, prefix: str) -> None:
    with engine.begin() as conn:
        for i in range(TASKS_PER_VERSION):
            add_comparison(conn, project, f"{prefix}-{i}")


@pytest.fixture
def two_versions(engine):
    """Version 1: the three people always agree. Version 2: on every task x says a, y says b
    and z sides with one of them, so one of the three pairs of people agrees."""
    project = make_project(engine, overlap=3)
    people = [make_user(engine, n, project=project, roles=("annotator",)).user for n in PEOPLE]
    assert publish_guideline(engine, project, "Prefer the correct answer.") == 1
    add_tasks(engine, project, "early")
    annotate(engine, project, people, lambda name, task: "a" if task.endswith(("0", "2", "4"))
             else "b")
    assert publish_guideline(engine, project, "Prefer the shorter correct answer.") == 2
    add_tasks(engine, project, "late")
    split = {"x": lambda task: "a", "y": lambda task: "b",
             "z": lambda task: "a" if int(task.rsplit("-", 1)[1]) % 2 else "b"}
    annotate(engine, project, people, lambda name, task: split[name](task))
    return project


def report_of(engine, project, **scope) -> QualityReport:
    with engine.begin() as conn:
        return build_report(conn, project, utcnow(), store_consensus=False, scope=Scope(**scope))


def test_a_cut_by_guideline_version_counts_only_the_annotations_made_under_it(engine,
                                                                              two_versions):
    whole = report_of(engine, two_versions)
    first = report_of(engine, two_versions, guideline_versions=(1,))
    second = report_of(engine, two_versions, guideline_versions=(2,))
    both = report_of(engine, two_versions, guideline_versions=(1, 2))

    def agreement(report):
        return report.agreement.percent_agreement.ties_counted

    assert agreement(first) == 1.0
    assert agreement(second) == pytest.approx(1 / 3)
    assert agreement(whole) == pytest.approx(2 / 3) == agreement(both)
    assert first.agreement.krippendorff_alpha == pytest.approx(1.0)
    assert second.agreement.krippendorff_alpha < 0
    per_version = 3 * TASKS_PER_VERSION
    assert (first.counts.annotations, second.counts.annotations,
            whole.counts.annotations) == (per_version, per_version, 2 * per_version)
    assert first.counts.left_out_by_guideline_version == per_version
    assert first.scope == ReportScope(guideline_versions=[1], include_ai=False)
    assert whole.scope.guideline_versions is None
    # x and y never agree under version 2: their agreement with consensus splits by version
    rows = {r.name: r for r in first.annotators}
    assert rows["x"].agreement_with_consensus == rows["y"].agreement_with_consensus == 1.0


def test_a_report_cut_by_version_stores_no_consensus(engine, two_versions):
    with engine.begin() as conn:
        report = build_report(conn, two_versions, utcnow(),
                              scope=Scope(guideline_versions=(2,)))
    assert report.consensus.stored is None
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(task_consensus)).scalar_one() == 0


def test_an_unknown_guideline_version_is_refused_with_the_versions_that_exist(engine,
                                                                             two_versions):
    with pytest.raises(InvalidInput, match=r'guideline version 5 does not exist in project '
                                           r'"prefs" \(versions: 1, 2\)'):
        report_of(engine, two_versions, guideline_versions=(1, 5))


def _verdicts(tmp_path, count: int, preference: float):
    """An AlpacaEval annotation file: judge-1 prefers output_1 (response a) on every item."""
    records = [{"instruction": f"q{i}", "output_1": f"reference answer {i}",
                "generator_1": "reference", "output_2": f"model answer {i}",
                "generator_2": "model-x", "annotator": "judge-1", "preference": preference,
                "price_per_example": 0.01, "time_per_example": 0.5}
               for i in range(count)]
    path = tmp_path / "judge_annotations.json"
    path.write_text(json.dumps(records))
    return path


@pytest.fixture
def judged(engine, tmp_path):
    """Three people agree on every task (b on even ones, a on odd ones); an AI judge, imported
    from an AlpacaEval file, always prefers a."""
    project = make_project(engine, "mixed", overlap=4, allow_ties=True)
    import_file(engine, project, _verdicts(tmp_path, TASKS_PER_VERSION, 1.1),
                file_format="alpaca-eval")
    people = [make_user(engine, n, project=project, roles=("annotator",)).user for n in PEOPLE]
    order: dict[str, int] = {}
    annotate(engine, project, people,
             lambda name, task: "ab"[order.setdefault(task, len(order)) % 2 == 0])
    return project


def test_ai_judges_are_counted_apart_from_people(engine, judged):
    report = report_of(engine, judged)

    n = TASKS_PER_VERSION
    assert report.counts.annotations == 3 * n
    assert report.counts.ai_annotations == n
    assert report.counts.annotators == 3
    assert report.agreement.percent_agreement.ties_counted == 1.0
    assert report.agreement.fleiss_kappa == pytest.approx(1.0)
    rows = {r.name: r for r in report.annotators}
    assert set(rows) == {*PEOPLE, "judge-1"}
    judge = rows["judge-1"]
    assert (judge.kind, judge.annotations, judge.counted_in_figures) == ("ai", n, False)
    assert judge.reliability is None and judge.agreement_with_consensus is None
    assert all(rows[p].counted_in_figures and rows[p].agreement_with_consensus == 1.0
               for p in PEOPLE)
    assert not any(alert.annotator == "judge-1" for alert in report.monitors.alerts)
    judges = report.judges
    assert (judges.annotations, judges.judges, judges.counted_in_figures) == (
        n, [JudgeCount(name="judge-1", annotations=n)], False)
    # the judge audit: always "a" against people who chose "a" on half the tasks
    assert [(a.judge, a.pairs, a.agreement) for a in judges.audit or []] == [("judge-1", n, 0.5)]
    # the model win rates rate the models: every verdict counts, the judge's included
    (row,) = report.consensus.win_rates
    assert row.n_total == 4 * n


def test_ai_judges_count_in_the_figures_when_asked(engine, judged):
    report = report_of(engine, judged, include_ai=True)

    n = TASKS_PER_VERSION
    assert report.counts.annotations == 4 * n
    assert report.counts.annotators == 4
    # the judge agrees with the people on the odd tasks only
    assert report.agreement.percent_agreement.ties_counted < 1.0
    judge = next(r for r in report.annotators if r.name == "judge-1")
    assert judge.counted_in_figures and judge.reliability is not None
    assert judge.agreement_with_consensus == pytest.approx(0.5)
    assert report.judges.counted_in_figures is True
    (row,) = report.consensus.win_rates
    assert row.n_total == 4 * n


def test_the_stored_consensus_is_the_peoples_not_the_judges(engine, judged):
    with engine.begin() as conn:
        report = build_report(conn, judged, utcnow())
    assert report.consensus.stored is not None
    assert report.consensus.stored.stored == TASKS_PER_VERSION
    with engine.connect() as conn:
        stored = conn.execute(select(task_consensus.c.ranking, task_consensus.c.agreement)).all()
    assert sorted(ranking[0][0] for ranking, _ in stored) == ["a"] * 6 + ["b"] * 6
    # the three people agree on every task; the judge, were it counted, would dissent on half
    assert [agreement for _, agreement in stored] == [1.0] * TASKS_PER_VERSION


def test_a_subset_keeps_each_outcome_with_its_own_annotation():
    """Outcomes point at their annotation by its row, so a subset renumbers them."""
    arrays = population.arrays(population.planted(300, 1))
    keep = np.arange(len(arrays.annotations.ids)) % 3 != 1
    part = subset(arrays, keep)
    o, kept = arrays.outcomes, keep[arrays.outcomes.annotation]
    assert 0 < kept.sum() < len(kept)
    assert (part.annotations.ids[part.outcomes.annotation]
            == arrays.annotations.ids[o.annotation[kept]]).all()
    assert (part.annotations.annotator[part.outcomes.annotation] == part.outcomes.annotator).all()
    assert (part.annotations.task[part.outcomes.annotation] == part.outcomes.task).all()
