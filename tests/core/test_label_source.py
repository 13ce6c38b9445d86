"""Where each task's label comes from: AI and human labels are never counted together."""

from __future__ import annotations

import pytest

from accord.core import ai_judges, claims, hybrid, submissions
from accord.core.judgments import Judgment
from accord.core.label_source import (
    SOURCES,
    label_source,
    label_source_query,
    source_of_row,
    voting_kinds,
)
from accord.core.projects import get_project
from accord.db.tables import tasks
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user


@pytest.mark.parametrize(("kinds", "method", "adjudicated", "source"), [
    ({"human"}, None, False, "human"),
    ({"human", "ai"}, "bradley_terry_weighted", False, "human"),
    ({"ai"}, None, False, "ai"),
    ({"ai"}, "ai_judge", False, "ai_judge"),
    ({"human", "ai"}, "ai_judge", False, "ai_judge"),
    ({"human"}, "adjudicated", False, "adjudicated"),
    ({"human"}, None, True, "adjudicated"),
    ({"imported", "ai"}, None, False, "imported"),
    ({"imported", "human"}, None, False, "mixed"),
    (set(), None, False, None),
])
def test_the_label_source_of_a_task(kinds, method, adjudicated, source):
    assert label_source(kinds, method, adjudicated) == source


def test_ai_votes_count_only_where_the_label_is_the_ais():
    assert voting_kinds("human") == {"human"}
    assert all("ai" not in voting_kinds(s) for s in SOURCES if s not in ("ai", "ai_judge"))
    assert voting_kinds("ai_judge") == {"ai"}
    with pytest.raises(ValueError, match='"robot" is not one of'):
        voting_kinds("robot")


def test_the_query_names_each_tasks_source_on_a_real_project(engine):
    project = make_project(engine, overlap=1)
    ids = add_comparisons(engine, project, 4)  # item-0 by a person, 1-3 by the judge too
    person = make_user(engine, "ann", project=project, roles=("annotator",)).user
    with engine.begin() as conn:
        claim = claims.claim_next(conn, get_project(conn, project.name), person, utcnow())
        submissions.submit(conn, person, claim.assignment_id,
                           Judgment(ranking=[["a"], ["b"]]), utcnow())
        judge = ai_judges.ensure_judge(conn, project, "judge-s", {"model": "m"})
        pairs, _, _ = ai_judges.pending_pairs(conn, project.id, judge.id)
        for pair in pairs:
            confidence = 0.5 if pair.external_id == "item-3" else 0.95
            ai_judges.record_verdict(conn, project, judge, pair, ai_judges.AiVerdict(
                [["b"], ["a"]], ["a", "b"], None, "",
                {"consistent": True, "confidence": confidence}), utcnow())
        hybrid.configure(conn, project, hybrid.HybridRule(judge="judge-s", min_confidence=0.9))
        hybrid.route(conn, get_project(conn, project.name), utcnow())

    with engine.connect() as conn:
        names = dict(conn.execute(tasks.select().with_only_columns(tasks.c.id,
                                                                   tasks.c.external_id)).all())
        found = {names[row[0]]: source_of_row(row)
                 for row in conn.execute(label_source_query(project.id))}

    assert len(ids) == 4
    # item-0: a person and the judge (who disagreed): the person's label, the judge's beside it.
    assert found == {"item-0": "human", "item-1": "ai_judge", "item-2": "ai_judge",
                     "item-3": "ai"}
