"""Pre-labelling's arms: each claim of a production comparison draws, from the seed, the task
and the annotator, whether it shows the AI judge's ranking; the draw is recorded; a task the
judge has not judged is "unavailable", never control; the submission records whether the
ranking matched the judge's and whether the one-key accept took it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from accord.core.admin import projects as admin_projects
from accord.core.errors import InvalidInput
from accord.core.projects.project import get_project
from accord.core.tasks.judgments import Judgment
from accord.core.work import claims, prelabel, submissions, workbench
from accord.db.tables import prelabel_draws, tasks
from accord.db.types import utcnow
from tests.factories import add_comparisons, make_project, make_user
from tests.prelabel_helpers import enable_prelabel, judge_tasks

B_FIRST = [["b"], ["a"]]


def claim(engine, project, user):
    with engine.begin() as conn:
        return claims.claim_next(conn, project, user, utcnow())


def submit(engine, user, assignment_id, ranking, accepted=False):
    with engine.begin() as conn:
        return submissions.submit(conn, user, assignment_id,
                                  Judgment(ranking=ranking, strength=2), utcnow(), accepted)


def draws(engine) -> dict[int, tuple]:
    with engine.connect() as conn:
        rows = conn.execute(select(prelabel_draws)).all()
    return {row.assignment_id: row for row in rows}


def test_arms_follow_the_recorded_seeded_draw_and_unjudged_tasks_are_unavailable(engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 40)
    judged = {f"item-{i}": B_FIRST for i in range(30)}  # items 30-39 have no judgment
    judge_tasks(engine, project, "judge-x", judged)
    project = enable_prelabel(engine, project, "judge-x", 0.5, seed=11)
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user

    got = [claim(engine, project, me) for _ in range(40)]

    recorded = draws(engine)
    assert len(recorded) == 40
    arms = {"shown": 0, "control": 0, "unavailable": 0}
    for c in got:
        row = recorded[c.assignment_id]
        u = prelabel.draw(11, c.task.id, me.id)
        assert row.draw == pytest.approx(u)
        if c.task.id in judged:
            expected = "shown" if u < 0.5 else "control"
            assert row.suggestion == B_FIRST  # kept in both arms, shown in one
        else:
            expected = "unavailable"
            assert row.suggestion is None
        assert row.arm == expected
        arms[expected] += 1
        shown = c.task.suggestion
        assert (shown is not None) == (expected == "shown")
        if shown is not None:
            assert (shown.judge, shown.ranking) == ("judge-x", B_FIRST)
    assert arms["unavailable"] == 10 and arms["shown"] > 5 and arms["control"] > 5


def test_submit_records_a_match_and_an_accept_only_for_the_unchanged_suggestion(engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 30)
    judge_tasks(engine, project, "judge-x", {f"item-{i}": B_FIRST for i in range(30)})
    project = enable_prelabel(engine, project, "judge-x", 0.5, seed=3)
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user
    got = [claim(engine, project, me) for _ in range(30)]
    shown = [c for c in got if c.task.suggestion is not None]
    control = [c for c in got if c.task.suggestion is None]

    submit(engine, me, shown[0].assignment_id, B_FIRST, accepted=True)
    submit(engine, me, shown[1].assignment_id, [["a"], ["b"]], accepted=True)  # then changed
    submit(engine, me, shown[2].assignment_id, B_FIRST, accepted=False)  # ranked by hand
    submit(engine, me, control[0].assignment_id, B_FIRST, accepted=True)  # nothing to accept

    recorded = draws(engine)
    assert [(recorded[c.assignment_id].matches_suggestion, recorded[c.assignment_id].accepted)
            for c in (*shown[:3], control[0])] == [(True, True), (False, False),
                                                   (True, False), (True, False)]
    assert recorded[shown[3].assignment_id].accepted is None  # not submitted yet


def test_a_resumed_lease_shows_the_same_suggestion(engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 2)
    judge_tasks(engine, project, "judge-x", {f"item-{i}": B_FIRST for i in range(2)})
    project = enable_prelabel(engine, project, "judge-x", 1.0)
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user

    with engine.begin() as conn:
        first = workbench.open_task(conn, me, project.name, utcnow()).claim
    with engine.begin() as conn:
        again = workbench.open_task(conn, me, project.name, utcnow()).claim
    assert first is not None and again is not None
    assert again.assignment_id == first.assignment_id
    assert again.task.suggestion == first.task.suggestion is not None


def test_gold_tasks_draw_nothing_they_measure_the_person_alone(engine):
    project = make_project(engine, overlap=1, gold_rate=1.0)
    add_comparisons(engine, project, 2)
    with engine.begin() as conn:
        conn.execute(tasks.update().where(tasks.c.external_id == "item-1")
                     .values(is_gold=True, queue=2))
    judge_tasks(engine, project, "judge-x", {f"item-{i}": B_FIRST for i in range(2)})
    project = enable_prelabel(engine, project, "judge-x", 1.0)
    me = make_user(engine, "ann", project=project, roles=("annotator",)).user

    got = claim(engine, project, me)

    assert got.task.id == "item-1" and got.task.suggestion is None
    assert draws(engine) == {}


@pytest.mark.parametrize(("setting", "message"), [
    ({"judge": "judge-x", "show_rate": 1.5}, "prelabel.show_rate must be a number from 0 to 1"),
    ({"judge": "judge-x", "show_rate": 0.5, "seed": -1}, "prelabel.seed must be a whole"),
    ({"judge": "judge-x", "show_rate": 0.5, "rate": 1}, "prelabel.rate is not a field"),
    ({"show_rate": 0.5}, "prelabel.judge must name an AI judge"),
    ({"judge": "nobody", "show_rate": 0.5}, 'has no AI judge "nobody"'),
    ({"judge": "ann", "show_rate": 0.5}, 'has no AI judge "ann"'),
    ("on", "prelabel must be an object"),
])
def test_a_wrong_prelabel_setting_is_refused_naming_the_field_and_nothing_changes(
        engine, setting, message):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    judge_tasks(engine, project, "judge-x", {})
    make_user(engine, "ann", project=project, roles=("annotator",))
    with pytest.raises(InvalidInput, match=message), engine.begin() as conn:
        admin_projects.change(conn, None, project.name, {"prelabel": setting}, utcnow())
    with engine.connect() as conn:
        assert "prelabel" not in get_project(conn, project.name).settings


def test_null_turns_prelabelling_off(engine):
    project = make_project(engine)
    add_comparisons(engine, project, 1)
    judge_tasks(engine, project, "judge-x", {"item-0": B_FIRST})
    enable_prelabel(engine, project, "judge-x", 1.0)
    with engine.begin() as conn:
        changed = admin_projects.change(conn, None, project.name, {"prelabel": None}, utcnow())
    assert "prelabel" not in changed.settings
    me = make_user(engine, "ann", project=changed, roles=("annotator",)).user
    assert claim(engine, changed, me).task.suggestion is None
    assert draws(engine) == {}
