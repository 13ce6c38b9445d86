"""Pre-labelling over the real app: a manager turns it on with PATCH (a wrong setting is 422
naming the field, and nothing changes), the claim's task carries the AI judge's ranking on
the assignments drawn to show it, and a submission says whether the one-key accept took it."""

from __future__ import annotations

from sqlalchemy import select

from accord.core.work import prelabel
from accord.db.tables import prelabel_draws
from tests.factories import add_comparisons, make_project, make_user
from tests.prelabel_helpers import judge_tasks
from tests.web.conftest import bearer, log_in

B_FIRST = [["b"], ["a"]]


def test_a_manager_turns_prelabelling_on_and_claims_carry_the_suggestion(api, engine):
    project = make_project(engine, overlap=1)
    add_comparisons(engine, project, 12)
    judge_tasks(engine, project, "judge-x", {f"item-{i}": B_FIRST for i in range(12)})
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",),
                            password="pw").token)
    ann = make_user(engine, "ann", project=project, roles=("annotator",))

    wrong = api.patch("/api/v1/projects/prefs", headers=boss,
                      json={"prelabel": {"judge": "judge-x", "show_rate": 2}})
    assert wrong.status_code == 422 and "show_rate" in wrong.text
    unknown = api.patch("/api/v1/projects/prefs", headers=boss,
                        json={"prelabel": {"judge": "ghost", "show_rate": 0.5}})
    assert unknown.status_code == 422, unknown.text
    assert 'has no AI judge "ghost"' in unknown.json()["error"]["message"]
    assert api.get("/api/v1/projects/prefs/settings", headers=boss).json()["prelabel"] is None

    on = api.patch("/api/v1/projects/prefs", headers=boss,
                   json={"prelabel": {"judge": "judge-x", "show_rate": 0.5, "seed": 5}})
    assert on.status_code == 200, on.text
    assert on.json()["prelabel"] == {"judge": "judge-x", "show_rate": 0.5, "seed": 5}

    token = bearer(ann.token)
    seen = {"shown": 0, "control": 0}
    for _ in range(12):
        got = api.get("/api/v1/projects/prefs/tasks/next", headers=token).json()
        suggestion = got["task"]["suggestion"]
        expected = prelabel.draw(5, got["task"]["id"], ann.user.id) < 0.5
        assert (suggestion is not None) == expected
        if suggestion is not None:
            assert suggestion == {"judge": "judge-x", "ranking": B_FIRST}
            seen["shown"] += 1
        else:
            seen["control"] += 1
        sent = api.post(f"/api/v1/assignments/{got['assignment_id']}/submit", headers=token,
                        json={"ranking": suggestion["ranking"] if suggestion else [["a"], ["b"]],
                              "suggestion_accepted": suggestion is not None})
        assert sent.status_code == 200, sent.text
    assert seen["shown"] and seen["control"]
    with engine.connect() as conn:
        rows = conn.execute(select(prelabel_draws.c.arm, prelabel_draws.c.accepted,
                                   prelabel_draws.c.matches_suggestion)).all()
    assert sorted(set(map(tuple, rows))) == [("control", False, False), ("shown", True, True)]

    report = api.get("/api/v1/projects/prefs/report", headers=boss).json()["prelabel"]
    assert report["judge"] == "judge-x"
    assert report["shown"]["assignments"] == seen["shown"]
    assert report["accepted_per_annotator"] == {"ann": seen["shown"]}
    log_in(api, "boss", "pw")
    page = api.get("/projects/prefs/dashboard")
    assert page.status_code == 200
    assert "Pre-labelling" in page.text and "AI suggestion shown" in page.text
