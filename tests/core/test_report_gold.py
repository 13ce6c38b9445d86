"""Gold accuracy in the report: each annotator's share of gold pairs judged as the reference
ranking has them, ties included, on both databases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert, select, update

from accord.core.report import build_report
from accord.core.tasks.judgments import pairs_from_ranking
from accord.db.tables import (
    annotations,
    assignments,
    pairwise_outcomes,
    responses,
    task_responses,
    tasks,
)
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user

GOLD = {"g1": [["b"], ["a"]], "g2": [["a", "c"], ["b"]]}
# annotator -> task -> ranking they gave
RANKINGS = {
    "ann": {"g1": [["b"], ["a"]], "g2": [["a", "c"], ["b"]], "plain": [["a"], ["b"]]},
    "bob": {"g1": [["a"], ["b"]], "g2": [["c"], ["a"], ["b"]], "plain": [["b"], ["a"]]},
    "cat": {"plain": [["a"], ["b"]]},
}


def test_gold_accuracy_counts_pairs_against_the_reference(engine):
    project = make_project(engine, overlap=3, ranking_mode="kway", allow_ties=True)
    people = {name: make_user(engine, name, project=project, roles=("annotator",)).user.id
              for name in RANKINGS}
    at = utcnow() - timedelta(hours=1)
    with engine.begin() as conn:
        ids = {"g1": add_comparison(conn, project, "g1"),
               "g2": add_comparison(conn, project, "g2",
                                    contents={"a": "one", "b": "two", "c": "three"}),
               "plain": add_comparison(conn, project, "plain")}
        for name in GOLD:
            conn.execute(update(tasks).where(tasks.c.id == ids[name])
                         .values(is_gold=True, gold_answer={"ranking": GOLD[name]}))
        response_of = {(task, external): rid for task, external, rid in conn.execute(
            select(task_responses.c.task_id, responses.c.external_id, responses.c.id)
            .join(responses, responses.c.id == task_responses.c.response_id))}
        for who, given in RANKINGS.items():
            for name, ranking in given.items():
                task = ids[name]
                assignment = conn.execute(insert(assignments).values(
                    task_id=task, annotator_id=people[who], project_id=project.id,
                    status="submitted", display_order=sorted(r for g in ranking for r in g),
                    leased_at=at, lease_expires_at=at, finished_at=at)).inserted_primary_key[0]
                annotation = conn.execute(insert(annotations).values(
                    assignment_id=assignment, task_id=task, annotator_id=people[who],
                    project_id=project.id, kind="comparison", ranking=ranking, flags=[],
                    active_ms=1000, created_at=at)).inserted_primary_key[0]
                for pair in pairs_from_ranking(ranking):
                    conn.execute(insert(pairwise_outcomes).values(
                        annotation_id=annotation, task_id=task, annotator_id=people[who],
                        project_id=project.id, winner_id=response_of[(task, pair.winner)],
                        loser_id=response_of[(task, pair.loser)], tie=pair.tie,
                        winner_position=0, loser_position=1, strength=None))

    with engine.connect() as conn:
        report = build_report(conn, project, utcnow(), store_consensus=False)

    rows = {row.name: row for row in report.annotators}
    # ann matches every gold pair: b>a in g1; a=c, a>b, c>b in g2
    assert (rows["ann"].gold_answered, rows["ann"].gold_accuracy) == (4, 1.0)
    # bob: g1 reversed (wrong); g2 c>a (wrong: a tie), a>b and c>b (right)
    assert (rows["bob"].gold_answered, rows["bob"].gold_accuracy) == (4, 0.5)
    assert rows["cat"].gold_answered == 0 and rows["cat"].gold_accuracy is None
