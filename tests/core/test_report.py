"""The quality report over a planted population: the right people flagged, consensus kept."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from accord.core.projects.project import Project
from accord.core.report import SECTIONS, build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

HONEST = ("ada", "ben", "cy", "dee")
POSITION_BIASED, LENGTH_BIASED = "lefty", "longfan"
TASKS = 150


def _choose(name: str, shown, truth: str, rng: random.Random) -> str:
    """Which response each planted annotator prefers."""
    if name == POSITION_BIASED:
        return shown[0].id  # always the response shown first
    if name == LENGTH_BIASED:
        return max(shown, key=lambda r: len(r.content)).id
    return truth if rng.random() < 0.9 else next(r.id for r in shown if r.id != truth)


@dataclass(frozen=True)
class Planted:
    project: Project
    truths: dict[str, str]
    """Task id → the response that is truly better."""


@pytest.fixture
def planted(engine, monkeypatch) -> Planted:
    rng = random.Random(7)
    # the display order is drawn at random per claim: fix the draws so the population is
    # the same on every run and both databases (the generator's name has changed with time)
    for name in ("_shuffle", "_chance"):
        if hasattr(claims, name):
            monkeypatch.setattr(claims, name, random.Random(11))
    project = make_project(engine, overlap=3, agreement_threshold=0.5)
    truths = {}
    with engine.begin() as conn:
        for i in range(TASKS):
            good, weak = rng.sample(["a", "b"], 2)  # the better response is a or b at random
            good_is_long = rng.random() < 0.5  # and the longer one half of the time
            contents = {good: "good answer " + ("with many details " * 8 if good_is_long else ""),
                        weak: "weak answer " + ("" if good_is_long else "padded with words " * 8)}
            add_comparison(conn, project, f"t{i}", contents=dict(sorted(contents.items())))
            truths[f"t{i}"] = good
    people = [make_user(engine, n, project=project, roles=("annotator",)).user
              for n in (*HONEST, POSITION_BIASED, LENGTH_BIASED)]
    start = utcnow() - timedelta(hours=3)
    for step in range(TASKS):
        for person in rng.sample(people, len(people)):
            now = start + timedelta(seconds=30 * step + rng.random())
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, now)
                if claim is None:
                    continue
                best = _choose(person.name, claim.task.responses, truths[claim.task.id], rng)
                other = next(r.id for r in claim.task.responses if r.id != best)
                judgment = Judgment(ranking=[[best], [other]], strength=2,
                                    active_ms=rng.randint(20_000, 40_000))
                submissions.submit(conn, person, claim.assignment_id, judgment, now)
    return Planted(project, truths)


def test_the_report_has_the_sections_scripts_rely_on(engine, planted):
    with engine.begin() as conn:
        report = build_report(conn, planted.project, utcnow()).as_json()
    assert set(SECTIONS) <= set(report)
    assert {"cohen_kappa", "fleiss_kappa", "krippendorff_alpha", "percent_agreement"} \
        <= set(report["agreement"])
    assert all({"name", "reliability"} <= set(row) for row in report["annotators"])
    assert all("monitor" in alert for alert in report["monitors"]["alerts"])


def test_monitors_flag_exactly_the_planted_annotators(engine, planted):
    with engine.begin() as conn:
        report = build_report(conn, planted.project, utcnow())
    flagged = {(a.monitor, a.annotator) for a in report.monitors.alerts
               if a.monitor in ("position_bias", "length_bias") and a.annotator}
    assert flagged == {("position_bias", POSITION_BIASED), ("length_bias", LENGTH_BIASED)}


def test_reliability_ranks_honest_annotators_above_biased_ones(engine, planted):
    with engine.begin() as conn:
        report = build_report(conn, planted.project, utcnow())
    reliability = {row.name: row.reliability for row in report.annotators}
    assert min(reliability[n] for n in HONEST) > max(reliability[POSITION_BIASED],
                                                     reliability[LENGTH_BIASED])


def test_consensus_is_stored_and_split_tasks_go_to_adjudication(engine, planted):
    with engine.begin() as conn:
        report = build_report(conn, planted.project, utcnow())
    with engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(task_consensus)).scalar_one()
        statuses = dict(conn.execute(
            select(tasks.c.status, func.count()).group_by(tasks.c.status)).all())
        top = conn.execute(select(task_consensus.c.ranking, task_consensus.c.agreement)).all()
    assert stored == report.consensus.tasks_settled == TASKS
    # with overlap 3 a 2-1 split has agreement 2/3, above 0.5: nothing needs adjudication
    assert statuses == {"complete": TASKS}
    with engine.connect() as conn:
        best = dict(conn.execute(
            select(tasks.c.external_id, task_consensus.c.ranking)
            .join(task_consensus, task_consensus.c.task_id == tasks.c.id)).all())
    right = sum(best[task][0] == [truth] for task, truth in planted.truths.items())
    assert len(top) == TASKS and right > TASKS * 0.85


def test_a_higher_threshold_sends_split_tasks_to_adjudication_and_back(engine, planted):
    strict = replace(planted.project, agreement_threshold=0.9)
    with engine.begin() as conn:
        report = build_report(conn, strict, utcnow())
    with engine.connect() as conn:
        waiting = conn.execute(select(func.count()).select_from(tasks)
                               .where(tasks.c.status == "needs_adjudication")).scalar_one()
    assert waiting == report.consensus.tasks_needing_adjudication > 0
    with engine.begin() as conn:
        build_report(conn, planted.project, utcnow())
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(tasks)
                            .where(tasks.c.status == "complete")).scalar_one() == TASKS
