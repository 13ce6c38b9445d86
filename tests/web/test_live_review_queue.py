"""A split reaches the review queue the moment its last annotation arrives, over the real
HTTP API with no report run, on SQLite and PostgreSQL; an agreed task does not; the report
run later agrees on the split and the agreement, which has one definition."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.report import build_report
from accord.core.work.splits import task_agreement
from accord.db.tables import task_consensus, tasks
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user, set_project_settings
from tests.web.conftest import bearer, log_in

QUEUE = "/api/v1/projects/prefs/adjudication"


def _world(engine, **settings):
    project = make_project(engine, overlap=3, allow_ties=True, dimensions=[])
    if settings:
        set_project_settings(engine, project, **settings)
    with engine.begin() as conn:
        for name in ("split", "agreed"):
            add_comparison(conn, project, name, priority=1 if name == "split" else 0)
    people = {name: make_user(engine, name, project=project, password="pw",
                              roles=("reviewer",) if name == "rev" else ("annotator",)).token
              for name in ("ann1", "ann2", "ann3", "rev")}
    return project, people


def _annotate(api, token: str, rankings: dict[str, list[list[str]]]) -> None:
    for _ in range(len(rankings)):
        claimed = api.get("/api/v1/projects/prefs/tasks/next", headers=bearer(token)).json()
        body = {"ranking": rankings[claimed["task"]["id"]], "active_ms": 1000}
        stored = api.post(f"/api/v1/assignments/{claimed['assignment_id']}/submit",
                          headers=bearer(token), json=body)
        assert stored.status_code == 200, stored.text


VOTES = {  # on "split": a over b, b over a, a tie — every outcome once
    "ann1": {"split": [["a"], ["b"]], "agreed": [["a"], ["b"]]},
    "ann2": {"split": [["b"], ["a"]], "agreed": [["a"], ["b"]]},
    "ann3": {"split": [["a", "b"]], "agreed": [["a"], ["b"]]},
}


def test_a_split_is_queued_at_its_last_annotation_without_any_report(api, engine):
    project, people = _world(engine)
    _annotate(api, people["ann1"], VOTES["ann1"])
    _annotate(api, people["ann2"], VOTES["ann2"])
    # two of three in: nothing is queued while annotation is open
    assert api.get(QUEUE, headers=bearer(people["rev"])).json() == []
    _annotate(api, people["ann3"], VOTES["ann3"])

    queued = api.get(QUEUE, headers=bearer(people["rev"])).json()
    assert [(item["task_id"], item["reason"], item["annotations"]) for item in queued] == [
        ("split", "split", 3)]
    assert queued[0]["agreement"] == pytest.approx(1 / 3)
    with engine.connect() as conn:
        status = dict(conn.execute(select(tasks.c.external_id, tasks.c.status)).all())
        method = conn.execute(select(task_consensus.c.method)).scalar_one()
    assert status == {"split": "needs_adjudication", "agreed": "complete"}
    assert method == "majority_at_submit"  # the agreed task waits for the report, as before

    # the report reaches the same verdict and the same agreement, and replaces the row
    with engine.begin() as conn:
        report = build_report(conn, project, utcnow())
    assert report.consensus.tasks_needing_adjudication == 1
    again = api.get(QUEUE, headers=bearer(people["rev"])).json()
    assert [item["task_id"] for item in again] == ["split"]
    assert again[0]["agreement"] == pytest.approx(1 / 3)

    decided = api.post("/api/v1/projects/prefs/tasks/split/adjudicate",
                       headers=bearer(people["rev"]),
                       json={"ranking": [["a"], ["b"]], "rationale": "a answers it"})
    assert decided.status_code == 200, decided.text
    assert api.get(QUEUE, headers=bearer(people["rev"])).json() == []


def test_a_split_under_adaptive_overlap_is_queued_when_the_rule_closes_it(api, engine):
    _, people = _world(engine, overlap={"min": 3, "max": 3, "stop": "unanimous"})
    for name in ("ann1", "ann2", "ann3"):
        _annotate(api, people[name], VOTES[name])
    queued = api.get(QUEUE, headers=bearer(people["rev"])).json()
    assert [item["task_id"] for item in queued] == ["split"]


@pytest.mark.parametrize(("votes", "expected"), [
    ([(1, 2, False, 0)] * 3, 1.0),
    ([(1, 2, False, 0), (2, 1, False, 0), (1, 2, True, 0)], 1 / 3),
    ([(1, 2, False, 0)] * 3 + [(2, 1, False, 0)] * 2, 0.6),
])
def test_the_agreement_at_submit_is_the_reports_rule(votes, expected):
    winner, loser, tie, strength = (list(column) for column in zip(*votes, strict=True))
    assert task_agreement(winner, loser, tie, strength) == pytest.approx(expected)


def test_the_queue_the_digest_and_the_report_show_one_agreement(api, engine):
    """Five annotators split 2-2-1 on one pair: 0.4 of the votes are the majority's. The
    review queue, the digest and the stored consensus all say 0.4 (pairwise percent
    agreement, 0.2 here, is the report's inter-annotator figure, not a task's agreement)."""
    project = make_project(engine, overlap=5, allow_ties=True, dimensions=[])
    with engine.begin() as conn:
        add_comparison(conn, project, "five")
    people = {name: make_user(engine, name, project=project,
                              roles=("manager",) if name == "rev" else ("annotator",)).token
              for name in ("ann1", "ann2", "ann3", "ann4", "ann5", "rev")}
    votes = [[["a"], ["b"]], [["a"], ["b"]], [["b"], ["a"]], [["b"], ["a"]], [["a", "b"]]]
    for name, ranking in zip(("ann1", "ann2", "ann3", "ann4", "ann5"), votes, strict=True):
        _annotate(api, people[name], {"five": ranking})
    queued = api.get(QUEUE, headers=bearer(people["rev"])).json()
    assert [item["task_id"] for item in queued] == ["five"]
    assert queued[0]["agreement"] == pytest.approx(0.4)
    digest = api.get("/api/v1/projects/prefs/digest", headers=bearer(people["rev"]))
    assert digest.status_code == 200, digest.text
    assert [(e["task_id"], e["agreement"]) for e in digest.json()["entries"]] == [
        ("five", pytest.approx(0.4))]
    with engine.begin() as conn:
        build_report(conn, project, utcnow())
        stored = conn.execute(select(task_consensus.c.agreement)).scalar_one()
    assert stored == pytest.approx(0.4)


def test_the_api_pages_the_queue_and_says_its_total(api, engine):
    _, people = _world(engine)
    for name in ("ann1", "ann2", "ann3"):
        _annotate(api, people[name], VOTES[name])
    answer = api.get(QUEUE, headers=bearer(people["rev"]),
                     params={"sort": "agreement", "limit": 1, "category": "qa"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["X-Total-Count"] == "1"
    assert [item["task_id"] for item in answer.json()] == ["split"]
    assert api.get(QUEUE, headers=bearer(people["rev"]), params={"sort": "newest"}
                   ).status_code == 422
    log_in(api, "rev", "pw")
    page = api.get("/projects/prefs/review?sort=newest&page=9&reason=odd")  # junk: defaults
    assert page.status_code == 200 and "<strong>1</strong> item waiting" in page.text
