"""The must-show of pre-labelling: simulated annotators claim and submit through Accord's own
claim and submit functions on the real database; those shown the AI judge's ranking follow
it with a planted probability. The report's ``prelabel`` section recovers that probability
within its bootstrap interval and raises the anchoring alert; a planted rubber-stamper is
flagged and honest annotators are not. Seeded, so every run draws the same."""

from __future__ import annotations

import itertools
import random

import pytest
from sqlalchemy import update

from accord.core.report import build_report
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.tables import profiles
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user
from tests.prelabel_helpers import enable_prelabel, judge_tasks

ORDERS = [[[x] for x in order] for order in itertools.permutations("abc")]
CONTENTS = {"a": "first answer", "b": "second answer", "c": "third answer"}
PAY_PER_HOUR = 36.0


def own_ranking(truth, rng: random.Random):
    """What a person reaches unaided: the true order three times in four, else any order."""
    return truth if rng.random() < 0.75 else rng.choice(ORDERS)


def set_up(engine, n_tasks: int, people: dict[str, float], seed: int):
    """A three-response project judged by an AI that is right 70% of the time, and one
    annotator per entry of ``people`` (name → probability of following a shown suggestion)."""
    rng = random.Random(seed)
    project = make_project(engine, overlap=3, ranking_mode="kway", dimensions=[])
    truth, ai = {}, {}
    with engine.begin() as conn:
        for i in range(n_tasks):
            add_comparison(conn, project, f"t-{i}", contents=CONTENTS)
            truth[f"t-{i}"] = rng.choice(ORDERS)
            ai[f"t-{i}"] = truth[f"t-{i}"] if rng.random() < 0.7 else rng.choice(
                [o for o in ORDERS if o != truth[f"t-{i}"]])
    judge_tasks(engine, project, "judge-x", ai)
    project = enable_prelabel(engine, project, "judge-x", 0.5, seed=seed)
    users = {name: make_user(engine, name, project=project, roles=("annotator",)).user
             for name in people}
    with engine.begin() as conn:
        conn.execute(update(profiles).values(pay_rate_per_hour=PAY_PER_HOUR))
    return project, users, truth


def simulate(engine, project, users, people, truth, seed: int) -> None:
    """Everyone claims in turn until nothing is left; a shown suggestion is followed (taken
    by the one-key accept) with the person's planted probability."""
    rng = random.Random(seed + 1)
    active = dict(users)
    while active:
        for name, user in list(active.items()):
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, user, utcnow())
            if claim is None:
                del active[name]
                continue
            suggestion = claim.task.suggestion
            if suggestion is not None and rng.random() < people[name]:
                ranking, accepted = suggestion.ranking, True
            else:
                ranking = own_ranking(truth[claim.task.id], rng)
                accepted = suggestion is not None and ranking == suggestion.ranking
            active_ms = rng.randint(15_000, 25_000) if accepted else rng.randint(40_000, 50_000)
            with engine.begin() as conn:
                submissions.submit(conn, user, claim.assignment_id,
                                   Judgment(ranking=ranking, active_ms=active_ms), utcnow(),
                                   accepted)


def report_of(engine, project):
    with engine.begin() as conn:
        return build_report(conn, project, utcnow(), store_consensus=False)


def test_the_anchoring_estimate_recovers_the_planted_follow_probability(engine):
    planted = 0.4
    people = {f"ann{i}": planted for i in range(4)}
    project, users, truth = set_up(engine, 150, people, seed=7)

    simulate(engine, project, users, people, truth, seed=7)
    section = report_of(engine, project).prelabel

    assert section is not None and section.judge == "judge-x"
    assert section.shown.assignments + section.control.assignments == 450
    assert section.shown.assignments > 150 and section.control.assignments > 150
    low, high = section.follow_rate_interval
    assert low is not None and high is not None and low <= planted <= high
    assert low > 0  # the effect is there, and significant
    assert section.anchoring is not None and section.anchoring > 0
    assert [a.check for a in section.alerts] == ["anchoring"]
    # Accepting saves time: about 25 s of 45 s per accepted assignment, paid at 36 an hour.
    assert section.shown.median_active_ms < section.control.median_active_ms
    assert section.time_saved_ms_per_accept is not None
    assert 20_000 < section.time_saved_ms_per_accept < 35_000
    assert section.cost_saved_per_accepted_pair is not None
    per_accept = section.time_saved_ms_per_accept / 3_600_000 * PAY_PER_HOUR
    assert section.cost_saved_per_accepted_pair == pytest.approx(per_accept / 3, rel=1e-3)


def test_a_rubber_stamper_is_flagged_and_honest_annotators_are_not(engine):
    people = {"stamper": 1.0, "honest1": 0.0, "honest2": 0.0, "anchored": 0.3}
    project, users, truth = set_up(engine, 120, people, seed=3)

    simulate(engine, project, users, people, truth, seed=3)
    section = report_of(engine, project).prelabel

    assert section is not None
    flagged = {a.annotator for a in section.alerts if a.check == "rubber_stamping"}
    assert flagged == {"stamper"}
    # the same alerts are among the monitors' list, which the dashboard and digest show
    monitors = report_of(engine, project).monitors.alerts
    assert [a for a in monitors if a.monitor == "prelabel"] == section.alerts
    assert all(a.monitor == "cost" for a in monitors[monitors.index(section.alerts[-1]) + 1:])
    assert section.acceptance_rate["stamper"] == 1.0
    assert section.shown_per_annotator["stamper"] >= 20
    assert all(section.acceptance_rate[name] < 0.9 for name in ("honest1", "honest2"))
    assert section.rubber_stamping_p_value["honest1"] > 0.05


def test_every_renderer_shows_the_prelabel_section_and_reports_without_it_leave_it_out(engine):
    from accord.exports.report_html import render_html
    from accord.exports.report_text import render_text
    people = {"stamper": 1.0, "honest1": 0.0, "honest2": 0.0}
    project, users, truth = set_up(engine, 30, people, seed=5)
    simulate(engine, project, users, people, truth, seed=5)

    report = report_of(engine, project)

    text, html = render_text(report), render_html(report)
    assert "Pre-labelling (AI judge judge-x" in text and "followed because shown" in text
    assert "<h2>Pre-labelling</h2>" in html and "rubber-stamping p" in html
    assert report.as_json()["prelabel"]["judge"] == "judge-x"
    plain = make_project(engine, name="plain")
    assert "prelabel" not in report_of(engine, plain).as_json()
