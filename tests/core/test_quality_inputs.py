"""The quality engine's arrays match what was annotated."""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from accord.core.report import arrays as project_arrays
from accord.core.report import inputs as quality_inputs
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, submissions
from accord.db.types import utcnow
from tests.factories import add_comparison, make_project, make_user


def test_arrays_hold_every_annotation_and_outcome(engine):
    project = make_project(engine, overlap=2, ranking_mode="kway", allow_ties=True)
    with engine.begin() as conn:
        add_comparison(conn, project, "k", contents={"a": "x", "b": "yy", "c": "zzz"})
        add_comparison(conn, project, "p", contents={"a": "short", "b": "much longer"})
    people = [make_user(engine, n, project=project, roles=("annotator",)).user
              for n in ("ann", "bob")]
    start = utcnow()
    for i, person in enumerate(people):
        for j in range(2):
            now = start + timedelta(minutes=i * 10 + j)
            with engine.begin() as conn:
                claim = claims.claim_next(conn, project, person, now)
                ids = sorted(r.id for r in claim.task.responses)
                ranking = [[ids[-1]], ids[:-1]] if person.name == "ann" else [[i] for i in ids]
                judgment = Judgment(ranking=ranking, active_ms=1000 * (j + 1),
                                    flags=["both_bad"] if j else [])
                submissions.submit(conn, person, claim.assignment_id, judgment, now)

    with engine.connect() as conn:
        arrays = quality_inputs.load(conn, project)

    assert arrays.annotators.names == ["ann", "bob"]
    assert len(arrays.tasks.ids) == 2 and arrays.tasks.category_names == ["qa"]
    assert sorted(arrays.responses.length.tolist()) == [1, 2, 3, 5, 11]
    assert len(arrays.annotations.ids) == 4
    assert sorted(arrays.annotations.active_ms.tolist()) == [1000, 1000, 2000, 2000]
    assert arrays.annotations.flags.tolist().count(2) == 2  # bit 1: both_bad
    gaps = np.diff(np.sort(arrays.annotations.created_at))
    assert np.allclose(gaps, [60, 540, 60], atol=1e-3)
    # ann ties two responses in the 3-way task (3 pairs, one a tie) and ranks the 2-way one
    ann = arrays.outcomes.annotator == 0
    ties = arrays.outcomes.outcome[ann] == project_arrays.OUTCOME_TIE
    assert ann.sum() == 4 and ties.sum() == 1
    assert (arrays.outcomes.first < arrays.outcomes.second).all()
    assert len(arrays.outcomes.task) == 8
