"""The adaptive overlap rule set over the real app: at create and by PATCH, with the project's
overlap following the rule's min, a fixed overlap refused while the rule is on, wrong rules
answered 422 naming the field, and nothing changed by a refused request."""

from __future__ import annotations

from sqlalchemy import select

from accord.core.projects.project import get_project
from accord.db.tables import tasks
from tests.core.test_adaptive_overlap import A_FIRST, B_FIRST, judge, people
from tests.factories import add_comparisons, make_project, make_user
from tests.web.conftest import bearer

RULE = {"min": 2, "max": 5, "stop": {"confidence": 0.9}}


def overlaps(engine):
    with engine.connect() as conn:
        return sorted(conn.execute(select(tasks.c.overlap)).scalars())


def test_an_admin_creates_a_project_with_adaptive_overlap(api, engine):
    admin = bearer(make_user(engine, "root", is_admin=True).token)
    made = api.post("/api/v1/projects", headers=admin,
                    json={"name": "adaptive", "rules": {"overlap": RULE}})
    assert made.status_code == 201, made.text
    assert made.json()["overlap"] == 2 and made.json()["rules"] == {"overlap": RULE}
    both = api.post("/api/v1/projects", headers=admin,
                    json={"name": "both", "overlap": 4, "rules": {"overlap": RULE}})
    assert both.status_code == 422
    assert "overlap and rules.overlap" in both.json()["error"]["message"]


def test_a_manager_turns_the_rule_on_changes_it_and_turns_it_off(api, engine):
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 3)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    on = api.patch("/api/v1/projects/prefs", headers=boss, json={"rules": {"overlap": RULE}})
    assert on.status_code == 200, on.text
    assert on.json()["overlap"] == 2 and overlaps(engine) == [2, 2, 2]
    fixed = api.patch("/api/v1/projects/prefs", headers=boss, json={"overlap": 4})
    assert fixed.status_code == 409
    assert "set by its adaptive overlap rule" in fixed.json()["error"]["message"]
    wrong = api.patch("/api/v1/projects/prefs", headers=boss, json={
        "rules": {"overlap": {"min": 2, "max": 5, "stop": {"confidence": 2}}}})
    assert wrong.status_code == 422
    assert "settings.overlap.stop.confidence" in wrong.json()["error"]["message"]
    with engine.connect() as conn:
        assert get_project(conn, "prefs").settings == {"overlap": RULE}
    off = api.patch("/api/v1/projects/prefs", headers=boss,
                    json={"overlap": 4, "rules": {"overlap": None}})
    assert off.status_code == 200, off.text
    assert off.json()["overlap"] == 4 and off.json()["rules"] == {}
    assert overlaps(engine) == [4, 4, 4]


def test_turning_the_rule_off_never_lowers_a_grown_task_below_its_judgments(api, engine):
    project = make_project(engine, overlap=3)
    add_comparisons(engine, project, 2)
    boss = bearer(make_user(engine, "boss", project=project, roles=("manager",)).token)
    unanimous = {"min": 2, "max": 5, "stop": "unanimous"}
    assert api.patch("/api/v1/projects/prefs", headers=boss,
                     json={"rules": {"overlap": unanimous}}).status_code == 200
    with engine.connect() as conn:
        project = get_project(conn, "prefs")
    crowd = people(engine, project, 3)
    for person, ranking in zip(crowd, (A_FIRST, B_FIRST, A_FIRST), strict=True):
        assert judge(engine, project, person, ranking) == "item-0"
    assert overlaps(engine) == [2, 4]  # item-1 fresh at min; item-0 split twice
    off = api.patch("/api/v1/projects/prefs", headers=boss,
                    json={"overlap": 3, "rules": {"overlap": None}})
    assert off.status_code == 200, off.text
    assert overlaps(engine) == [3, 4]
