"""The report's pairwise Cohen's κ matrix, checked pair by pair against scikit-learn's
``cohen_kappa_score`` on the annotations read straight from the database."""

from __future__ import annotations

from collections import defaultdict

from sklearn.metrics import cohen_kappa_score
from sqlalchemy import select

from accord.core.report import agreement as section
from accord.core.report import build_report
from accord.core.report.kappa_matrix import MATRIX_LIMIT
from accord.db.tables import annotations, users
from accord.db.types import utcnow
from tests.core.test_report import HONEST, LENGTH_BIASED, POSITION_BIASED, planted

__all__ = ["planted"]  # the fixture, shared with the report's other tests


def _choices(engine, project) -> dict[str, dict[str, str]]:
    """Annotator name → task → the response they ranked first (no ties in this population)."""
    query = (select(users.c.name, annotations.c.task_id, annotations.c.ranking)
             .join(users, users.c.id == annotations.c.annotator_id)
             .where(annotations.c.project_id == project.id))
    chosen: dict[str, dict[str, str]] = defaultdict(dict)
    with engine.begin() as conn:
        for name, task, ranking in conn.execute(query):
            chosen[name][task] = ranking[0][0]
    return chosen


def test_every_pair_kappa_equals_sklearn_on_the_shared_items(engine, planted):
    with engine.begin() as conn:
        matrix = build_report(conn, planted.project, utcnow()).agreement.cohen_kappa.matrix
    chosen = _choices(engine, planted.project)
    assert sorted(matrix.annotators) == sorted((*HONEST, POSITION_BIASED, LENGTH_BIASED))
    assert matrix.left_out == 0 and matrix.limit == MATRIX_LIMIT
    assert len(matrix.pairs) == 15  # six annotators who all share items: every pair is there
    for pair in matrix.pairs:
        shared = sorted(chosen[pair.a].keys() & chosen[pair.b].keys())
        assert pair.shared_items == len(shared)
        expected = cohen_kappa_score([chosen[pair.a][t] for t in shared],
                                     [chosen[pair.b][t] for t in shared])
        assert pair.kappa is not None and abs(pair.kappa - expected) < 1e-6, pair
        assert pair.too_few == (len(shared) < matrix.min_overlap)
    honest = [p.kappa for p in matrix.pairs if {p.a, p.b} <= set(HONEST)]
    biased = [p.kappa for p in matrix.pairs if {p.a, p.b} == {POSITION_BIASED, LENGTH_BIASED}]
    assert min(honest) > max(biased)  # who disagrees with whom shows


def test_the_matrix_keeps_the_most_active_annotators(engine, planted, monkeypatch):
    with engine.begin() as conn:
        report = build_report(conn, planted.project, utcnow())
    counts = {row.name: row.annotations for row in report.annotators}
    original = section.kappa_matrix

    def limited(judgments, names, min_overlap):
        return original(judgments, names, min_overlap, limit=3)

    monkeypatch.setattr(section, "kappa_matrix", limited)
    with engine.begin() as conn:
        matrix = build_report(conn, planted.project, utcnow()).agreement.cohen_kappa.matrix
    ordered = sorted(counts, key=lambda name: (-counts[name], name))
    assert matrix.annotators == ordered[:3] and matrix.left_out == 3
    assert {(p.a, p.b) for p in matrix.pairs} <= {(a, b) for i, a in enumerate(ordered[:3])
                                                  for b in ordered[i + 1:3]}
    assert len(matrix.pairs) == 3
