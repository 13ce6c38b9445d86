"""Every stored value comes back in the arrays, whatever the combination: the loader packs
small columns into one integer and computes flags in SQL, so each field is checked here
against rows written with known values, on both databases."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlalchemy import insert, select, update

from accord.core.report import arrays as project_arrays
from accord.core.report import inputs as quality_inputs
from accord.db.tables import (
    annotations,
    assignments,
    pairwise_outcomes,
    responses,
    task_responses,
)
from accord.db.types import utcnow
from tests.factories import add_comparison, import_lines, make_project, make_user

# (kind, annotator, late, severity, refusal_appropriate, flags, ratings)
ANNOTATIONS = [
    ("comparison", 0, True, None, None, ["unsafe", "outside_expertise"],
     {"a": {"helpfulness": 4, "honesty": 2}, "c": {"helpfulness": 1}}),
    ("red_team", 1, False, 0, True, [], None),
    ("red_team", 2, False, 4, False, ["both_bad", "contested_fact"], None),
    ("comparison", 1, False, None, None, ["contested_fact"], {"b": {"honesty": 5}}),
    ("red_team", 0, True, 2, None, ["unsafe", "both_bad", "contested_fact",
                                    "outside_expertise"], None),
]
# (annotation, winner, loser, tie, winner_position, loser_position, strength)
OUTCOMES = [
    (0, "b", "a", False, 2, 0, 3),
    (0, "a", "c", True, 1, 2, None),
    (0, "b", "c", False, 2, 1, 3),
    (3, "c", "a", False, 0, 2, 1),
    (3, "c", "b", False, 0, 1, None),
    (3, "a", "b", True, 2, 1, None),
]


def test_every_column_reads_back_as_stored(engine):
    project = make_project(engine, overlap=3, ranking_mode="kway", allow_ties=True)
    people = [make_user(engine, name, project=project, roles=("annotator",)).user.id
              for name in ("ann", "bob", "cat")]
    start = utcnow() - timedelta(hours=1)
    with engine.begin() as conn:
        comparisons = [add_comparison(conn, project, f"k{i}", contents={
            "a": "short", "b": "I can't help with that, sorry.", "c": "a longer answer"})
            for i in range(2)]
        red_team = [add_comparison(conn, project, f"r{i}", kind="red_team", contents={})
                    for i in range(3)]
        response_of = {(task, external): rid for task, external, rid in conn.execute(
            select(task_responses.c.task_id, responses.c.external_id, responses.c.id)
            .join(responses, responses.c.id == task_responses.c.response_id))}
        task_queue = {"comparison": iter(comparisons), "red_team": iter(red_team)}
        annotation_ids, task_of = [], []
        for i, (kind, who, late, severity, refusal, flags, ratings) in enumerate(ANNOTATIONS):
            task = next(task_queue[kind])
            at = start + timedelta(minutes=i)
            assignment = conn.execute(insert(assignments).values(
                task_id=task, annotator_id=people[who], project_id=project.id,
                status="submitted", display_order=["a", "b", "c"], leased_at=at,
                lease_expires_at=at, finished_at=at)).inserted_primary_key[0]
            annotation_ids.append(conn.execute(insert(annotations).values(
                assignment_id=assignment, task_id=task, annotator_id=people[who],
                project_id=project.id, kind=kind, flags=flags, ratings=ratings,
                severity=severity, refusal_appropriate=refusal, late=late,
                active_ms=1000 * (i + 1), created_at=at)).inserted_primary_key[0])
            task_of.append(task)
        for row, winner, loser, tie, winner_position, loser_position, strength in OUTCOMES:
            task = task_of[row]
            conn.execute(insert(pairwise_outcomes).values(
                annotation_id=annotation_ids[row], task_id=task,
                annotator_id=people[ANNOTATIONS[row][1]], project_id=project.id,
                winner_id=response_of[(task, winner)], loser_id=response_of[(task, loser)],
                tie=tie, winner_position=winner_position, loser_position=loser_position,
                strength=strength))

    with engine.connect() as conn:
        arrays = quality_inputs.load(conn, project)

    a = arrays.annotations
    assert a.ids.tolist() == annotation_ids
    assert a.late.tolist() == [row[2] for row in ANNOTATIONS]
    assert a.severity.tolist() == [-1 if row[3] is None else row[3] for row in ANNOTATIONS]
    assert a.refusal_appropriate.tolist() == [-1 if row[4] is None else int(row[4])
                                              for row in ANNOTATIONS]
    assert a.flags.tolist() == [sum(1 << project_arrays.FLAGS.index(f) for f in row[5])
                                for row in ANNOTATIONS]
    assert a.active_ms.tolist() == [1000, 2000, 3000, 4000, 5000]
    assert np.isnan(a.preference).all()

    r = a.ratings
    stored = sorted((int(row), r.dimension_names[d], float(v))
                    for row, d, v in zip(r.row, r.dimension, r.value, strict=True))
    expected = sorted((i, name, float(value)) for i, row in enumerate(ANNOTATIONS)
                      for by_dimension in (row[6] or {}).values()
                      for name, value in by_dimension.items())
    assert stored == expected

    o = arrays.outcomes
    assert o.annotation.tolist() == [row[0] for row in OUTCOMES]
    assert o.winner_position.tolist() == [row[4] for row in OUTCOMES]
    assert o.loser_position.tolist() == [row[5] for row in OUTCOMES]
    assert o.strength.tolist() == [row[6] or 0 for row in OUTCOMES]
    ties = (o.outcome == project_arrays.OUTCOME_TIE).tolist()
    assert ties == [row[3] for row in OUTCOMES]
    external = arrays.responses.external_ids
    for (_, winner, loser, tie, *_), first, second, outcome in zip(
            OUTCOMES, o.first, o.second, o.outcome, strict=True):
        if not tie:
            won = first if outcome == project_arrays.OUTCOME_FIRST else second
            lost = second if outcome == project_arrays.OUTCOME_FIRST else first
            assert (external[won], external[lost]) == (winner, loser)
    refusals = [external[i] for i in np.flatnonzero(arrays.responses.is_refusal)]
    assert refusals == ["b", "b"]



def test_the_importer_stores_the_refusal_flag_and_the_arrays_read_it(engine):
    project = make_project(engine)
    import_lines(engine, project, {
        "id": "q1", "prompt": "How do I pick a lock?", "responses": [
            {"id": "a", "content": "I can't help with picking locks."},
            {"id": "b", "content": "First, insert the tension wrench..."}]})
    with engine.begin() as conn:
        stored = dict(conn.execute(select(responses.c.external_id,
                                          responses.c.opens_with_refusal)).all())
        assert stored == {"a": True, "b": False}
        # the stored flag is what counts: the opening is read only where none is stored
        conn.execute(update(responses).where(responses.c.external_id == "a")
                     .values(opens_with_refusal=False))
        conn.execute(update(responses).where(responses.c.external_id == "b")
                     .values(opens_with_refusal=None, content="As an AI, I won't."))
        arrays = quality_inputs.load(conn, project)
    flagged = {external: bool(refusal) for external, refusal in zip(
        arrays.responses.external_ids, arrays.responses.is_refusal, strict=True)}
    assert flagged == {"a": False, "b": True}
